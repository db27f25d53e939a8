// What happens around requests: a client that leaves cancels its decoding, a full queue says
// 429, and SIGTERM lets streams in flight finish while new work gets 503.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startServer, stories, waitForLog } from './server.js';

async function modelOf(server) {
  return (await server.client.models.list()).data[0].id;
}

test('a client that disconnects mid-stream stops the decoding', async () => {
  const server = await startServer({ args: ['--model', stories] });
  try {
    const model = await modelOf(server);
    const controller = new AbortController();
    const stream = await server.client.completions.create(
      { model, prompt: 'Once upon a time', max_tokens: 400, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let received = 0;
    try {
      for await (const chunk of stream) {
        received += 1;
        if (chunk.choices[0]?.text) controller.abort();
      }
    } catch (error) {
      assert.equal(error.name, 'APIUserAbortError', String(error));
    }
    assert.ok(received > 0);
    const stopped = await waitForLog(server, (log) => /client disconnected; decoding stopped after (\d+) tokens/.test(log));
    assert.ok(stopped, server.log());
    const tokens = Number(server.log().match(/decoding stopped after (\d+) tokens/)[1]);
    assert.ok(tokens < 400, `decoded ${tokens} tokens after the client left`);
    // The engine is free again.
    const after = await server.client.completions.create({ model, prompt: 'Once', max_tokens: 3, temperature: 0 });
    assert.equal(after.usage.completion_tokens, 3);
  } finally {
    await server.stop();
  }
});

test('beyond the queue length requests get 429', async () => {
  // One sequence at a time: the others can only wait in the queue of one, or be refused.
  const server = await startServer({
    args: ['--model', stories],
    env: { ASSISTD_SERVICE_MAX_QUEUED_REQUESTS: '1', ASSISTD_MODEL_MAX_BATCH_SIZE: '1' },
  });
  try {
    const model = await modelOf(server);
    const request = { model, prompt: 'Once upon a time', max_tokens: 300, temperature: 0 };
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => server.client.completions.create(request)));
    const refused = results.filter((r) => r.status === 'rejected');
    assert.ok(refused.length > 0, 'some requests should have been refused');
    for (const r of refused) {
      assert.equal(r.reason.status, 429, String(r.reason));
    }
    assert.ok(results.some((r) => r.status === 'fulfilled'));
  } finally {
    await server.stop();
  }
});

test('SIGTERM finishes the stream in flight, refuses new work with 503, then exits 0', async () => {
  const server = await startServer({ args: ['--model', stories] });
  const model = await modelOf(server);
  // Eight choices of 400 tokens run one after another: long enough to signal mid-stream.
  const stream = await server.client.completions.create({
    model, prompt: 'Once upon a time', max_tokens: 400, temperature: 0.8, seed: 1, n: 8, stream: true,
  });
  const finishes = new Set();
  let text = '';
  let signalled = false;
  let refusedStatus = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.text ?? '';
    if (chunk.choices[0]?.finish_reason) finishes.add(chunk.choices[0].index);
    if (!signalled && text.length > 0) {
      signalled = true;
      server.child.kill('SIGTERM');
      await waitForLog(server, (log) => /draining/.test(log));
      refusedStatus = (await fetch(`${server.baseURL}/readyz`).catch(() => ({ status: 'refused' }))).status;
    }
  }
  assert.ok(signalled);
  assert.equal(finishes.size, 8, 'every choice of the stream in flight finished');
  assert.equal(refusedStatus, 503);
  const { code } = await server.exited;
  assert.equal(code, 0, server.log());
});

test('a client trickling its request (slowloris) is cut off after the read timeout', async () => {
  const server = await startServer({
    args: ['--model', stories], env: { ASSISTD_SERVICE_READ_TIMEOUT_SECONDS: '1' },
  });
  try {
    const { port } = new URL(server.baseURL);
    const socket = net.connect(Number(port), '127.0.0.1');
    const started = Date.now();
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.on('error', () => {});
    socket.write('POST /v1/completions HTTP/1.1\r\nHost: x\r\n');
    const trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    await closed;
    clearInterval(trickle);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 10, `held the socket ${seconds} s`);
    // Others are served meanwhile and after.
    const models = await server.client.models.list();
    assert.equal(models.data.length, 1);
  } finally {
    await server.stop();
  }
});
