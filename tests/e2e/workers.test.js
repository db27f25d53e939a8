// The master and its workers (service.workers: 2) under a small steady load: a worker killed
// with SIGKILL is replaced and counted, a SIGHUP reload drops no request, a worker stopped with
// SIGSTOP is killed by the watchdog and replaced, SIGTERM exits 0, and the audit log that both
// workers appended to is still one chain. A reload with a broken configuration changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { binary, startServer, stories, waitForLog } from './server.js';

// One request on a connection of its own, so that every request goes through the shared accept
// queue: its status, or 'error' when the connection broke.
function request(server, method, urlPath, body) {
  const url = new URL(urlPath, server.baseURL);
  const payload = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve) => {
    const req = http.request(url, {
      method, agent: false, timeout: 30_000,
      headers: { ...server.authorization, 'content-type': 'application/json' },
    }, (res) => {
      let text = '';
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', () => resolve({ status: 'error', text: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 'error', text: '' }));
    req.end(payload);
  });
}

// `clients` loops of short completions until stop(); counts outcomes per phase.
function steadyLoad(server, model, clients = 3) {
  const load = { phase: 'start', results: {}, running: true };
  const record = (status) => {
    const counts = (load.results[load.phase] ??= { ok: 0, failed: [] });
    if (status === 200) counts.ok += 1;
    else counts.failed.push(status);
  };
  const loops = Array.from({ length: clients }, async () => {
    while (load.running) {
      const { status } = await request(server, 'POST', '/v1/completions', {
        model, prompt: 'Once upon a time', max_tokens: 8, temperature: 0,
      });
      record(status);
    }
  });
  load.stop = async () => { load.running = false; await Promise.all(loops); };
  return load;
}

// Pids of the workers the master started in `generation`, in order.
function workerPids(log, generation) {
  const pattern = new RegExp(`started worker (\\d+) \\(generation ${generation},`, 'g');
  return [...log.matchAll(pattern)].map((match) => Number(match[1]));
}

// The total of every series of `name`, or of exactly one series when `name` has labels.
async function metric(server, name) {
  const { status, text } = await request(server, 'GET', '/metrics');
  assert.equal(status, 200);
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || (!name.includes('{') && line.startsWith(`${name}{`))) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
      found = true;
    }
  }
  assert.ok(found, `${name} in /metrics`);
  return total;
}

test('workers are replaced, reloaded without a failed request, watched, and stopped', async () => {
  const server = await startServer({
    args: ['--model', stories],
    env: { ASSISTD_SERVICE_WORKERS: '2', ASSISTD_SERVICE_WATCHDOG_SECONDS: '3' },
  });
  let load;
  try {
    assert.ok(await waitForLog(server, (log) => /2 workers ready/.test(log), 30_000), server.log());
    assert.match(server.log(), /\[pid \d+\]/, 'log lines say which process wrote them');
    const model = JSON.parse((await request(server, 'GET', '/v1/models')).text).data[0].id;
    const [first, second] = workerPids(server.log(), 1);
    assert.ok(first && second && first !== second);
    load = steadyLoad(server, model);
    await new Promise((r) => setTimeout(r, 500));

    // SIGKILL: only requests in flight on that worker may fail; a replacement serves soon.
    load.phase = 'kill';
    process.kill(first, 'SIGKILL');
    assert.ok(await waitForLog(server, (log) => workerPids(log, 1).length === 3 &&
      new RegExp(`worker ${workerPids(log, 1)[2]} is ready`).test(log), 15_000), server.log());
    assert.match(server.log(), new RegExp(`worker ${first} was killed by signal 9`));
    assert.equal(await metric(server, 'assistd_worker_restarts_total'), 1);
    const merged = (await request(server, 'GET', '/metrics')).text;
    assert.equal(execFileSync('promtool', ['check', 'metrics'], { input: merged, encoding: 'utf8' }), '',
      'the totals of both workers are valid Prometheus text');
    assert.equal(await metric(server, 'assistd_workers'), 2);
    assert.ok(load.results.kill.failed.length <= 3, JSON.stringify(load.results.kill));

    // SIGHUP: a new generation takes over before the old one drains; nothing fails.
    load.phase = 'reload';
    server.child.kill('SIGHUP');
    assert.ok(await waitForLog(server, (log) => /reload done: generation 2/.test(log), 30_000), server.log());
    const renewed = workerPids(server.log(), 2);
    assert.equal(renewed.length, 2);
    assert.ok(await waitForLog(server, (log) =>
      workerPids(log, 1).slice(1).every((pid) => new RegExp(`worker ${pid} \\(generation 1\\) exited with status 0`).test(log)),
    30_000), server.log());
    await new Promise((r) => setTimeout(r, 500));
    load.phase = 'after reload';
    assert.ok(load.results.reload.ok > 0);
    assert.deepEqual(load.results.reload.failed, [], 'no request failed during the reload');
    assert.ok(renewed.every((pid) => !workerPids(server.log(), 1).includes(pid)));

    // SIGSTOP: the watchdog kills the silent worker and a new one takes its place.
    load.phase = 'stop';
    process.kill(renewed[0], 'SIGSTOP');
    assert.ok(await waitForLog(server, (log) =>
      new RegExp(`worker ${renewed[0]} stopped answering its heartbeat`).test(log) &&
      workerPids(log, 2).length === 3, 20_000), server.log());
    assert.ok(await waitForLog(server, (log) =>
      new RegExp(`worker ${workerPids(log, 2)[2]} is ready`).test(log), 15_000), server.log());
    await load.stop();
    load = null;

    // /metrics answered by either worker counts the requests both served.
    await new Promise((r) => setTimeout(r, 1_500));  // every worker has posted its counts
    const completions = 'assistd_http_requests_total{route="/v1/completions",status="200"}';
    const before = await metric(server, completions);
    for (let i = 0; i < 6; i += 1) {
      assert.equal((await request(server, 'POST', '/v1/completions', {
        model, prompt: 'Once', max_tokens: 2, temperature: 0,
      })).status, 200);
    }
    await new Promise((r) => setTimeout(r, 1_500));  // every worker has posted its counts
    assert.equal(await metric(server, completions) - before, 6);
  } finally {
    await load?.stop();
    const { code } = await server.stop('SIGTERM');
    assert.equal(code, 0, server.log());
  }
  const audit = path.join(server.env.ASSISTD_STORAGE_DATA_DIR, 'audit.log');
  assert.match(execFileSync(binary, ['audit', 'verify', audit], { encoding: 'utf8' }), /chain intact/);
});

test('a reload with a broken configuration keeps the workers serving', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistd-workers-'));
  const config = path.join(dir, 'assistd.yaml');
  fs.writeFileSync(config, 'service:\n  workers: 2\n');
  const server = await startServer({ args: ['-c', config, '--model', stories] });
  try {
    assert.ok(await waitForLog(server, (log) => /2 workers ready/.test(log), 30_000), server.log());
    fs.writeFileSync(config, 'service:\n  workers: many\n');
    server.child.kill('SIGHUP');
    assert.ok(await waitForLog(server, (log) => /reload failed: .*service\.workers/.test(log)), server.log());
    assert.equal((await request(server, 'GET', '/v1/models')).status, 200);
    assert.equal(workerPids(server.log(), 2).length, 0, 'no new generation was started');
  } finally {
    const { code } = await server.stop('SIGTERM');
    assert.equal(code, 0, server.log());
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
