// Credentials as clients meet them: every route × no, wrong, insufficient and valid credential,
// through the official openai client where it can speak to the route; model allow-lists; rate
// limits with Retry-After; session tokens; signed requests; keys revoked and rotated while the
// server runs; admin routes; the audit log.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { binary, keys, startServer, stories } from './server.js';

let server;
let model;
before(async () => {
  server = await startServer({ args: ['--model', stories] });
  model = (await server.client.models.list()).data[0].id;
});
after(async () => {
  await server?.stop();
});

const clientWith = (apiKey) =>
  new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey, maxRetries: 0, timeout: 60_000 });
const create = (...args) => keys(server.env, 'create', '--name', 'e2e', ...args);

// Every route, as a raw request (method, path, body) and what a valid admin key gets.
const routes = () => [
  { method: 'GET', path: '/healthz', public: true },
  { method: 'GET', path: '/readyz', public: true },
  { method: 'GET', path: '/v1/models', scope: 'model:invoke' },
  { method: 'GET', path: `/v1/models/${model}`, scope: 'model:invoke' },
  { method: 'POST', path: '/v1/chat/completions', scope: 'model:invoke',
    body: { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 } },
  { method: 'POST', path: '/v1/completions', scope: 'model:invoke',
    body: { model, prompt: 'Once', max_tokens: 2 } },
  { method: 'POST', path: '/v1/auth/session', scope: null, body: { expires_in: 60 } },
  { method: 'GET', path: '/v1/admin/keys', scope: 'admin:keys' },
  { method: 'POST', path: '/v1/admin/keys', scope: 'admin:keys', body: { scopes: ['metrics:read'] } },
];

async function call(route, headers = {}) {
  const response = await fetch(`${server.baseURL}${route.path}`, {
    method: route.method,
    headers: { 'content-type': 'application/json', ...headers },
    body: route.body ? JSON.stringify(route.body) : undefined,
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

function assertOpenAIError({ status, json }, expected, code) {
  assert.equal(status, expected, JSON.stringify(json));
  for (const field of ['message', 'type', 'param', 'code']) assert.ok(field in json.error, field);
  if (code) assert.equal(json.error.code, code);
}

test('every route × missing, wrong, insufficient and valid credential', async () => {
  const insufficient = create('--scopes', 'metrics:read');
  const bearer = (key) => ({ authorization: `Bearer ${key}` });
  const wrong = `${server.apiKey.slice(0, -4)}0000`;
  for (const route of routes()) {
    const name = `${route.method} ${route.path}`;
    if (route.public) {
      for (const headers of [{}, bearer(wrong), bearer(insufficient)]) {
        assert.equal((await call(route, headers)).status, 200, name);
      }
      continue;
    }
    assertOpenAIError(await call(route), 401, 'invalid_api_key');
    assertOpenAIError(await call(route, bearer(wrong)), 401, 'invalid_api_key');
    assertOpenAIError(await call(route, bearer('unused')), 401, 'invalid_api_key');
    if (route.scope) {
      assertOpenAIError(await call(route, bearer(insufficient)), 403, 'insufficient_scope');
    } else {
      assert.equal((await call(route, bearer(insufficient))).status, 200, name);
    }
    const valid = await call(route, bearer(server.apiKey));
    assert.equal(valid.status, 200, `${name}: ${JSON.stringify(valid.json)}`);
  }
});

test('/metrics needs metrics:read, and a metrics:read key can do nothing else', async () => {
  const scrape = (headers) => fetch(`${server.baseURL}/metrics`, { headers });
  assert.equal((await scrape({})).status, 401);
  const reader = create('--scopes', 'metrics:read');
  const allowed = await scrape({ authorization: `Bearer ${reader}` });
  assert.equal(allowed.status, 200);
  assert.match(await allowed.text(), /^# TYPE assistd_generation_tokens_total counter$/m);
  const invoker = create('--scopes', 'model:invoke');
  assert.equal((await scrape({ authorization: `Bearer ${invoker}` })).status, 403);
});

test('the openai client raises its own 401 and 403 errors', async () => {
  await assert.rejects(clientWith('sk-wrong.key').models.list(), OpenAI.AuthenticationError);
  const metricsOnly = clientWith(create('--scopes', 'metrics:read'));
  await assert.rejects(metricsOnly.models.list(), OpenAI.PermissionDeniedError);
});

test('a key limited to other models may not use this one', async () => {
  const other = clientWith(create('--scopes', 'model:invoke', '--models', 'some-other-model'));
  await assert.rejects(
    other.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }),
    (error) => error.status === 403 && error.code === 'model_not_allowed',
  );
  const allowed = clientWith(create('--scopes', 'model:invoke', '--models', model));
  const completion = await allowed.completions.create({ model, prompt: 'Once', max_tokens: 2 });
  assert.equal(completion.usage.completion_tokens, 2);
});

test('a key over its requests per minute gets 429 with Retry-After', async () => {
  const limited = clientWith(create('--scopes', 'model:invoke', '--rpm', '2'));
  await limited.models.list();
  await limited.models.list();
  await assert.rejects(limited.models.list(), (error) => {
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.headers.get('retry-after'), '30');
    return true;
  });
  // Another key is not affected.
  assert.ok((await server.client.models.list()).data.length > 0);
});

test('session tokens work like keys and are no wider than their issuer', async () => {
  const issuer = create('--scopes', 'model:invoke,metrics:read');
  const headers = { authorization: `Bearer ${issuer}` };
  const route = { method: 'POST', path: '/v1/auth/session', body: { expires_in: 600, scopes: ['model:invoke'] } };
  const issued = await call(route, headers);
  assert.equal(issued.status, 200, JSON.stringify(issued.json));
  assert.match(issued.json.token, /^st-/);
  assert.deepEqual(issued.json.scopes, ['model:invoke']);
  const models = await clientWith(issued.json.token).models.list();
  assert.equal(models.data[0].id, model);

  assertOpenAIError(await call({ ...route, body: { scopes: ['admin:keys'] } }, headers), 403, 'insufficient_scope');
  assertOpenAIError(await call({ ...route, body: { expires_in: 13 * 3600 } }, headers), 400);
});

function signedHeaders(secretId, secretKey, method, target, body, { timestamp, nonce } = {}) {
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const n = nonce ?? crypto.randomUUID();
  const [path, query = ''] = target.split('?');
  const canonical = query.split('&').filter(Boolean).sort().join('&');
  const bodyHash = crypto.createHash('sha256').update(body).digest('hex');
  const text = ['ASSISTD-HMAC-SHA256', method, path, canonical, ts, n, bodyHash].join('\n');
  const signature = crypto.createHmac('sha256', secretKey).update(text).digest('hex');
  return {
    authorization: `ASSISTD-HMAC-SHA256 Credential=${secretId}, Signature=${signature}`,
    'x-assistd-timestamp': ts,
    'x-assistd-nonce': n,
    'content-type': 'application/json',
  };
}

test('signed requests: accepted once, refused when replayed, stale or tampered', async () => {
  const [secretId, secretKey] = create('--scopes', 'model:invoke', '--secret-pair').split(' ');
  const body = JSON.stringify({ model, prompt: 'Once', max_tokens: 2 });
  const send = (headers, sentBody = body) =>
    fetch(`${server.baseURL}/v1/completions`, { method: 'POST', headers, body: sentBody });

  const headers = signedHeaders(secretId, secretKey, 'POST', '/v1/completions', body);
  assert.equal((await send(headers)).status, 200);
  assert.equal((await send(headers)).status, 401, 'replay');
  const stale = signedHeaders(secretId, secretKey, 'POST', '/v1/completions', body,
    { timestamp: Math.floor(Date.now() / 1000) - 301 });
  assert.equal((await send(stale)).status, 401, 'skew');
  const tampered = signedHeaders(secretId, secretKey, 'POST', '/v1/completions', body);
  assert.equal((await send(tampered, body.replace('"Once"', '"Twice"'))).status, 401, 'body');
  const wrongKey = signedHeaders(secretId, 'f'.repeat(64), 'POST', '/v1/completions', body);
  assert.equal((await send(wrongKey)).status, 401, 'wrong key');
});

test('revoking and rotating take effect on the running server', async () => {
  const key = create('--scopes', 'model:invoke');
  const id = key.slice(3, key.indexOf('.'));
  const successor = keys(server.env, 'rotate', id, '--grace-hours', '1');
  assert.match(successor, /^sk-ak_/);
  assert.ok(await clientWith(key).models.list(), 'old key within its grace period');
  assert.ok(await clientWith(successor).models.list());
  const listed = keys(server.env, 'list');
  assert.match(listed, new RegExp(`${id}\\t[^\\t]*\\t[^\\t]*\\texpires in 1 day\\t`), 'within its grace hour');
  assert.doesNotMatch(listed, /sk-/, 'list never shows secrets');

  keys(server.env, 'revoke', id);
  await assert.rejects(clientWith(key).models.list(), OpenAI.AuthenticationError);
  assert.ok(await clientWith(successor).models.list());
  assert.doesNotMatch(server.log(), new RegExp(key.slice(-16)), 'no secret in the server log');
});

test('admin routes manage keys, never wider than the admin', async () => {
  const admin = { authorization: `Bearer ${server.apiKey}` };
  const created = await call({ method: 'POST', path: '/v1/admin/keys',
    body: { name: 'made over http', scopes: ['model:invoke'], requests_per_minute: 100 } }, admin);
  assert.equal(created.status, 200, JSON.stringify(created.json));
  assert.match(created.json.key, /^sk-ak_/);
  assert.deepEqual(created.json.scopes, ['model:invoke']);
  assert.ok(await clientWith(created.json.key).models.list());

  const listed = await call({ method: 'GET', path: '/v1/admin/keys' }, admin);
  assert.ok(listed.json.data.some((key) => key.id === created.json.id));
  assert.doesNotMatch(JSON.stringify(listed.json), /sk-/, 'a listing never shows secrets');

  const revoked = await call({ method: 'DELETE', path: `/v1/admin/keys/${created.json.id}` }, admin);
  assert.equal(revoked.status, 200);
  await assert.rejects(clientWith(created.json.key).models.list(), OpenAI.AuthenticationError);
  assertOpenAIError(await call({ method: 'DELETE', path: `/v1/admin/keys/${created.json.id}` }, admin), 404);

  const keyAdmin = { authorization: `Bearer ${create('--scopes', 'admin:keys')}` };
  assertOpenAIError(await call({ method: 'POST', path: '/v1/admin/keys', body: { scopes: ['model:invoke'] } },
    keyAdmin), 403, 'insufficient_scope');
  assertOpenAIError(await call({ method: 'POST', path: '/v1/admin/keys', body: { scopes: ['nope'] } }, admin), 400);
});

test('every call is in the hash-chained audit log, with credential ids and no secrets', async () => {
  await server.client.models.list();
  await call({ method: 'GET', path: '/v1/models' });  // a 401
  const dir = server.env.ASSISTD_STORAGE_DATA_DIR;
  const text = fs.readFileSync(path.join(dir, 'audit.log'), 'utf8');
  const lines = text.trim().split('\n').map((line) => JSON.parse(line));
  const keyId = server.apiKey.slice(3, server.apiKey.indexOf('.'));
  assert.ok(lines.some((line) => line.credential === keyId && line.route === '/v1/models' && line.status === 200));
  assert.ok(lines.some((line) => line.credential === '' && line.status === 401));
  assert.ok(!text.includes(server.apiKey.slice(server.apiKey.indexOf('.') + 1)), 'no secret in the audit log');
  const verified = execFileSync(binary, ['audit', 'verify', path.join(dir, 'audit.log')], { encoding: 'utf8' });
  assert.match(verified, /chain intact/);
});
