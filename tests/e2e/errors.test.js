// Every class of bad request gets OpenAI's error JSON with the right status, and the server
// keeps serving afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, stories } from './server.js';

let server;
let model;
before(async () => {
  server = await startServer({
    args: ['--model', stories],
    env: { ASSISTD_SERVICE_MAX_BODY_BYTES: '65536' },
  });
  model = (await server.client.models.list()).data[0].id;
});
after(async () => {
  await server?.stop();
});

async function post(path, body, headers = { 'content-type': 'application/json' }) {
  const response = await fetch(`${server.baseURL}${path}`, {
    method: 'POST', headers: { ...server.authorization, ...headers }, body,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) };
}

function assertError({ status, json }, expectedStatus, param) {
  assert.equal(status, expectedStatus, JSON.stringify(json));
  assert.equal(typeof json.error.message, 'string');
  assert.ok(json.error.message.length > 0);
  assert.ok('type' in json.error && 'param' in json.error && 'code' in json.error, JSON.stringify(json));
  if (expectedStatus === 400) assert.equal(json.error.type, 'invalid_request_error');
  if (param !== undefined) assert.equal(json.error.param, param, json.error.message);
}

const chat = (extra) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4, ...extra });

test('malformed and non-object bodies', async () => {
  assertError(await post('/v1/chat/completions', '{"model": '), 400);
  assertError(await post('/v1/chat/completions', '[1, 2]'), 400);
  assertError(await post('/v1/completions', '"text"'), 400);
});

test('missing, mistyped and out-of-range fields name the field', async () => {
  assertError(await post('/v1/chat/completions', JSON.stringify({ model })), 400, 'messages');
  assertError(await post('/v1/chat/completions', chat({ temperature: 'hot' })), 400, 'temperature');
  assertError(await post('/v1/chat/completions', chat({ temperature: 5 })), 400, 'temperature');
  assertError(await post('/v1/chat/completions', chat({ top_p: 1.5 })), 400, 'top_p');
  assertError(await post('/v1/chat/completions', chat({ n: 1000 })), 400, 'n');
  assertError(await post('/v1/chat/completions', chat({ max_tokens: 10_000_000 })), 400, 'max_tokens');
  assertError(await post('/v1/chat/completions', chat({ presence_penalty: 3 })), 400, 'presence_penalty');
  assertError(await post('/v1/chat/completions', chat({ stop: ['a', 'b', 'c', 'd', 'e'] })), 400, 'stop');
  assertError(await post('/v1/chat/completions', chat({ messages: [{ role: 'wizard', content: 'x' }] })), 400);
});

test('fields that would change the result but are not supported are refused', async () => {
  assertError(await post('/v1/chat/completions', chat({ functions: [{ name: 'f' }] })), 400, 'functions');
  assertError(await post('/v1/completions', JSON.stringify({ model, prompt: 'a', suffix: 'b' })), 400, 'suffix');
});

test('token ids outside the vocabulary and prompts longer than the context', async () => {
  assertError(await post('/v1/completions', JSON.stringify({ model, prompt: [1, 2, 99999999] })), 400, 'prompt');
  const long = 'Once upon a time there was a cat. '.repeat(400);
  assertError(await post('/v1/completions', JSON.stringify({ model, prompt: long, max_tokens: 4 })), 400);
});

test('413 for a body over the limit, 404 and 405 for routes', async () => {
  const big = JSON.stringify({ model, prompt: 'x'.repeat(100_000) });
  assertError(await post('/v1/completions', big), 413);
  assertError(await post('/v1/nothing-here', '{}'), 404);
  const get = await fetch(`${server.baseURL}/v1/chat/completions`, { headers: server.authorization });
  assert.equal(get.status, 405);
});

test('the server still answers after all that', async () => {
  const completion = await server.client.completions.create({ model, prompt: 'Once', max_tokens: 4, temperature: 0 });
  assert.equal(completion.usage.completion_tokens, 4);
});
