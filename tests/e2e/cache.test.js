// The response cache: deterministic requests answered again from the cache (memory, then a real
// redis-server started here), streamed and plain requests sharing entries, sampled requests never
// cached, and Redis dying mid-test costing no request.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { startServer, stories } from './server.js';

const question = { model: 'stories260K', messages: [{ role: 'user', content: 'Once upon a time' }], max_tokens: 24 };

async function chat(server, body, headers = {}) {
  const { data, response } = await server.client.chat.completions
    .create({ ...question, ...body }, { headers }).withResponse();
  return { data, cache: response.headers.get('x-assistd-cache') };
}

async function streamed(server, body) {
  const { data: stream, response } = await server.client.chat.completions
    .create({ ...question, ...body, stream: true }).withResponse();
  const texts = [];
  const finish = [];
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta?.content ?? '');
      if (choice.finish_reason) finish[choice.index] = choice.finish_reason;
    }
  }
  return { texts, finish, cache: response.headers.get('x-assistd-cache') };
}

async function metric(server, name) {
  const response = await fetch(`${server.baseURL}/metrics`, { headers: server.authorization });
  const line = (await response.text()).split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

test('memory backend: a repeated deterministic request is a hit, as JSON or as a stream', async () => {
  const server = await startServer({ args: ['-m', stories] });
  try {
    const first = await chat(server, { temperature: 0 });
    assert.equal(first.cache, 'miss');
    const second = await chat(server, { temperature: 0 });
    assert.equal(second.cache, 'hit');
    assert.equal(second.data.choices[0].message.content, first.data.choices[0].message.content);
    assert.deepEqual(second.data.usage, first.data.usage);
    assert.notEqual(second.data.id, first.data.id, 'each answer gets a fresh id');

    // A stream served from the plain answer's entry says the same text.
    const replay = await streamed(server, { temperature: 0 });
    assert.equal(replay.cache, 'hit');
    assert.deepEqual(replay.texts, [first.data.choices[0].message.content]);
    assert.deepEqual(replay.finish, [first.data.choices[0].finish_reason]);

    // A live stream, then its replay chunk for chunk, with a seed and n = 2.
    const live = await streamed(server, { temperature: 0.9, seed: 42, n: 2 });
    assert.equal(live.cache, 'miss');
    const again = await streamed(server, { temperature: 0.9, seed: 42, n: 2 });
    assert.equal(again.cache, 'hit');
    assert.deepEqual(again.texts, live.texts);
    assert.deepEqual(again.finish, live.finish);
    assert.notEqual(live.texts[0], live.texts[1], 'seed + i: the choices differ');
    const plain = await chat(server, { temperature: 0.9, seed: 42, n: 2 });
    assert.equal(plain.cache, 'hit');
    assert.deepEqual(plain.data.choices.map((c) => c.message.content), live.texts);

    // Sampling without a seed, or a client opting out, never touches the cache.
    assert.equal((await chat(server, { temperature: 0.9 })).cache, 'bypass');
    assert.equal((await chat(server, { temperature: 0 }, { 'Cache-Control': 'no-cache' })).cache, 'bypass');
    assert.equal(await metric(server, 'assistd_response_cache_hits_total'), 4);
    assert.equal(await metric(server, 'assistd_response_cache_misses_total'), 2);
    assert.ok(await metric(server, 'assistd_response_cache_bytes') > 0);
  } finally {
    await server.stop();
  }
});

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// A throwaway redis-server on `port`, resolved once it accepts connections.
function startRedis(port) {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  process.on('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let log = '';
    child.stdout.on('data', (data) => {
      log += data;
      if (log.includes('Ready to accept connections')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${log}`)));
  });
}

function redisCli(port, ...args) {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
}

test('redis backend: hits come from Redis with a TTL, and Redis dying fails no request', async () => {
  const port = await freePort();
  let redis = await startRedis(port);
  const server = await startServer({
    args: ['-m', stories],
    env: { ASSISTD_CACHE_BACKEND: 'redis', ASSISTD_CACHE_REDIS_URL: `redis://127.0.0.1:${port}/0`,
      ASSISTD_CACHE_TTL_SECONDS: '600' },
  });
  try {
    const first = await chat(server, { temperature: 0 });
    assert.equal(first.cache, 'miss');
    const [key] = redisCli(port, '--scan', '--pattern', 'assistd:response:*').split('\n');
    assert.match(key, /^assistd:response:[0-9a-f]{64}$/);
    const ttl = Number(redisCli(port, 'TTL', key));
    assert.ok(ttl > 0 && ttl <= 600, `TTL ${ttl}`);
    const second = await chat(server, { temperature: 0 });
    assert.equal(second.cache, 'hit');
    assert.equal(second.data.choices[0].message.content, first.data.choices[0].message.content);
    const replay = await streamed(server, { temperature: 0 });
    assert.equal(replay.cache, 'hit');
    assert.deepEqual(replay.texts, [first.data.choices[0].message.content]);

    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.on('exit', resolve));
    const errorsBefore = await metric(server, 'assistd_response_cache_errors_total');
    for (let i = 0; i < 3; ++i) {
      const down = await chat(server, { temperature: 0 });
      assert.equal(down.cache, 'bypass');
      assert.equal(down.data.choices[0].message.content, first.data.choices[0].message.content);
    }
    const streamedDown = await streamed(server, { temperature: 0 });
    assert.deepEqual(streamedDown.texts, [first.data.choices[0].message.content]);
    assert.ok(await metric(server, 'assistd_response_cache_errors_total') >= errorsBefore + 3);
    assert.match(server.log(), /response cache: Redis at 127\.0\.0\.1:\d+ failed/);

    // Back again (empty, as it keeps nothing on disk): once reconnected, a miss stores, a hit follows.
    redis = await startRedis(port);
    let outcome = 'bypass';
    for (const end = Date.now() + 10_000; outcome === 'bypass' && Date.now() < end;) {
      outcome = (await chat(server, { temperature: 0 })).cache;
      if (outcome === 'bypass') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(outcome, 'miss');
    assert.equal((await chat(server, { temperature: 0 })).cache, 'hit');
  } finally {
    await server.stop();
    redis.kill('SIGKILL');
  }
});
