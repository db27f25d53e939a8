// The model registry against a running server: versions imported with `assistd models`, served
// by name or name:version, swapped by activate and rollback under a steady load with no request
// failing, and every answer attributed to the version whose text it is.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { binary, shared, startServer, stories } from './server.js';

const tinyStories = path.join(shared, 'models/llm/TinyStories-656K-Q8_0.gguf');
const prompt = 'Once upon a time';

// Runs `assistd models ARGS...` on the server's data directory: {code, stdout, stderr}.
function models(server, ...args) {
  try {
    const stdout = execFileSync(binary, ['models', ...args], {
      encoding: 'utf8', env: { ...process.env, ...server.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    return { code: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

function ok(result) {
  assert.equal(result.code, 0, result.stderr);
  return result;
}

async function complete(server, model) {
  const answer = await server.client.completions.create(
    { model, prompt, max_tokens: 12, temperature: 0 }, { headers: { 'cache-control': 'no-cache' } });
  return { model: answer.model, text: answer.choices[0].text };
}

async function listed(server) {
  return (await server.client.models.list()).data.map((m) => m.id).sort();
}

// Waits (polling /v1/models) until the server serves `id`.
async function waitForModel(server, id, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await listed(server)).includes(id)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the server did not serve ${id} within ${ms} ms: ${await listed(server)}`);
}

// Clients that each send one request after another until stopped; every result is kept with when
// its request started and ended.
function steadyLoad(server, clients = 3) {
  const results = [];
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      const started = Date.now();
      try {
        const answer = await complete(server, 'stories');
        results.push({ ...answer, started, ended: Date.now() });
      } catch (error) {
        results.push({ error: String(error), started, ended: Date.now() });
      }
    }
  });
  return { results, async stop() { running = false; await Promise.all(loops); } };
}

// Waits until a request that started after `since` was answered by `model`; returns when it ended.
async function waitForAnswerBy(load, model, since, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const seen = load.results.find((r) => r.model === model && r.started > since);
    if (seen) return seen.ended;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`no answer by ${model} within ${ms} ms`);
}

test('import, activate, then activate and roll back under load: no failures, right versions', async (t) => {
  const server = await startServer();
  try {
    assert.equal(ok(models(server, 'import', 'stories', stories)).stdout.trim(), 'stories 1');
    ok(models(server, 'activate', 'stories', '1'));
    await waitForModel(server, 'stories:1');
    assert.deepEqual((await listed(server)).filter((id) => id.startsWith('stories')),
      ['stories', 'stories:1']);
    const v1 = await complete(server, 'stories');
    assert.equal(v1.model, 'stories:1');
    assert.deepEqual(await complete(server, 'stories:1'), v1);

    assert.equal(ok(models(server, 'import', 'stories', tinyStories)).stdout.trim(), 'stories 2');
    const load = steadyLoad(server);
    await waitForAnswerBy(load, 'stories:1', Date.now());
    const activated = Date.now();
    ok(models(server, 'activate', 'stories', '2'));
    const switched = await waitForAnswerBy(load, 'stories:2', activated);
    const v2 = load.results.find((r) => r.model === 'stories:2');
    assert.notEqual(v2.text, v1.text, 'the two versions answer differently');
    await waitForAnswerBy(load, 'stories:2', switched);  // a request wholly after the switch
    const rolledBack = Date.now();
    ok(models(server, 'rollback', 'stories'));
    const back = await waitForAnswerBy(load, 'stories:1', rolledBack);
    await waitForAnswerBy(load, 'stories:1', back);
    await load.stop();

    const failed = load.results.filter((r) => r.error);
    assert.deepEqual(failed, [], 'no request fails while versions are swapped');
    for (const r of load.results) {
      assert.equal(r.text, r.model === 'stories:2' ? v2.text : v1.text, 'the text is its version\'s');
      // Each version serves only between the switches that bracket it: a request that ended
      // before a switch was asked for, or started after it was seen, has the version of its time.
      if (r.ended < activated) assert.equal(r.model, 'stories:1');
      if (r.started > switched && r.ended < rolledBack) assert.equal(r.model, 'stories:2');
      if (r.started > back) assert.equal(r.model, 'stories:1');
    }
    const byVersion = (model) => load.results.filter((r) => r.model === model).length;
    t.diagnostic(`${load.results.length} requests: ${byVersion('stories:1')} by v1, ${byVersion('stories:2')} by v2`);
    assert.ok(byVersion('stories:2') >= 2);

    // name:version serves only the active version; the other is refused, not loaded.
    await assert.rejects(complete(server, 'stories:2'), (error) => {
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.match(error.message, /not active/);
      return true;
    });
    await assert.rejects(complete(server, 'nonexistent'), (error) => error.status === 404);
  } finally {
    await server.stop();
  }
});

test('the admin routes list, activate and roll back; changes reach the server', async () => {
  const server = await startServer();
  try {
    ok(models(server, 'import', 'stories', stories));
    ok(models(server, 'import', 'stories', tinyStories));
    const admin = (route, body) => fetch(`${server.baseURL}/v1/admin/models${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...server.authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const listing = await (await admin('')).json();
    assert.equal(listing.data[0].name, 'stories');
    assert.deepEqual(listing.data[0].versions.map((v) => v.version), ['1', '2']);
    assert.match(listing.data[0].versions[0].sha256, /^[0-9a-f]{64}$/);

    let answer = await admin('/stories/activate', { version: '1' });
    assert.equal(answer.status, 200);
    answer = await admin('/stories/activate', { version: '2' });
    assert.deepEqual(await answer.json(), { name: 'stories', active_version: '2' });
    await waitForModel(server, 'stories:2');
    assert.equal((await complete(server, 'stories')).model, 'stories:2');
    answer = await admin('/stories/rollback', {});
    assert.deepEqual(await answer.json(), { name: 'stories', active_version: '1' });
    await waitForModel(server, 'stories:1');

    assert.equal((await admin('/stories/activate', { version: '9' })).status, 400);
    assert.equal((await admin('/stories/activate', {})).status, 400);
    assert.equal((await admin('/missing/rollback', {})).status, 404);
    const cli = JSON.parse(ok(models(server, 'list', '--json')).stdout);
    assert.equal(cli.data[0].active_version, '1');
  } finally {
    await server.stop();
  }
});

test('bad names, corrupted files and removing the active version are refused clearly', async () => {
  const server = await startServer();
  try {
    for (const name of ['../x', 'a/b', '..', '.hidden']) {
      const result = models(server, 'import', name, stories);
      assert.equal(result.code, 1, name);
      assert.match(result.stderr, /name/);
    }
    assert.match(models(server, 'import', 'stories', stories, '--version', '../1').stderr, /version/);
    const corrupted = path.join(server.env.ASSISTD_STORAGE_DATA_DIR, 'corrupted.gguf');
    const bytes = fs.readFileSync(stories);
    fs.writeFileSync(corrupted, bytes.subarray(0, bytes.length / 2));
    const refused = models(server, 'import', 'stories', corrupted);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not a valid GGUF/);
    assert.deepEqual(JSON.parse(ok(models(server, 'list', '--json')).stdout).data, []);

    ok(models(server, 'import', 'stories', stories));
    ok(models(server, 'activate', 'stories', '1'));
    assert.match(models(server, 'remove', 'stories', '1').stderr, /is active/);
    assert.match(models(server, 'rollback', 'stories').stderr, /no earlier/);
    assert.match(models(server, 'activate', 'nothing', '1').stderr, /no model named/);
    assert.match(models(server, 'policy', 'stories', 'newest').stderr, /latest|specific/);
  } finally {
    await server.stop();
  }
});
