// Alert rules on the audit stream, against a loopback webhook receiver: a burst of failed
// authentications fires exactly one alert (the rule then stays quiet for its window), carrying
// the address and never the secret that was tried; a webhook that is down is logged, not fatal.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { startServer, waitForLog } from './server.js';

// A webhook receiver on a free loopback port; `received` collects the JSON bodies.
async function webhookReceiver() {
  const received = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ url: request.url, type: request.headers['content-type'], body: JSON.parse(body) });
      response.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hooks/assistd`, received, close: () => server.close() };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a burst of auth failures fires exactly one alert with the address and no secret', async () => {
  const hook = await webhookReceiver();
  const server = await startServer({
    env: {
      ASSISTD_ALERTS_WEBHOOK: hook.url,
      ASSISTD_ALERTS_RULES_AUTH_FAILURES_COUNT: '5',
      ASSISTD_ALERTS_RULES_AUTH_FAILURES_WINDOW_SECONDS: '60',
    },
  });
  const secret = 'sk-this-is-a-wrong-secret-0123456789';
  try {
    for (let i = 0; i < 12; ++i) {
      const response = await fetch(`${server.baseURL}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(response.status, 401);
    }
    const deadline = Date.now() + 5_000;
    while (hook.received.length === 0 && Date.now() < deadline) await sleep(50);
    await sleep(1_000);  // room for a second alert, were the rule not suppressed
    assert.equal(hook.received.length, 1, JSON.stringify(hook.received));
    const [alert] = hook.received;
    assert.equal(alert.url, '/hooks/assistd');
    assert.equal(alert.type, 'application/json');
    assert.equal(alert.body.alert, 'auth_failures');
    assert.equal(alert.body.address, '127.0.0.1');
    assert.equal(alert.body.value, 5);
    assert.equal(alert.body.threshold, 5);
    assert.equal(alert.body.window_seconds, 60);

    const lines = fs.readFileSync(path.join(server.env.ASSISTD_STORAGE_DATA_DIR, 'alerts.log'), 'utf8')
      .trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]), alert.body);
    for (const text of [lines[0], JSON.stringify(alert.body), server.log()]) {
      assert.ok(!text.includes(secret), 'the secret tried must not appear');
    }
  } finally {
    await server.stop();
    hook.close();
  }
});

test('a webhook that is down is logged and counted; requests are not held up', async () => {
  // A port nobody listens on: bind one, note it, close it.
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  const server = await startServer({
    env: { ASSISTD_ALERTS_WEBHOOK: `http://127.0.0.1:${port}/`, ASSISTD_ALERTS_RULES_AUTH_FAILURES_COUNT: '2' },
  });
  try {
    for (let i = 0; i < 3; ++i) {
      assert.equal((await fetch(`${server.baseURL}/v1/models`, { headers: { authorization: 'Bearer sk-nope' } })).status, 401);
    }
    assert.ok(await waitForLog(server, (log) => /alert webhook .* failed \(connect: .*\); 1 failed so far/.test(log)), server.log());
    assert.equal((await fetch(`${server.baseURL}/v1/models`, { headers: server.authorization })).status, 200);
  } finally {
    await server.stop();
  }
});
