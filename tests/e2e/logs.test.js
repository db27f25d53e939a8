// Logs: a rotated log file in JSON lines, and a request id that ties a response (X-Request-Id),
// the log lines about its request and its audit line together.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dataDir, startServer } from './server.js';

async function waitFor(predicate, ms = 5000) {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

test('the request id is in the response, the JSON log file and the audit line; the file rotates', async () => {
  const logs = dataDir();
  const file = path.join(logs, 'assistd.log');
  const server = await startServer({
    env: { ASSISTD_LOGGING_FILE: file, ASSISTD_LOGGING_FORMAT: 'json',
      ASSISTD_LOGGING_MAX_BYTES: '4096', ASSISTD_LOGGING_MAX_FILES: '2' },
  });
  try {
    const given = await fetch(`${server.baseURL}/v1/models`,
      { headers: { ...server.authorization, 'X-Request-Id': 'trace-7f3a.9:b_c' } });
    assert.equal(given.status, 200);
    assert.equal(given.headers.get('x-request-id'), 'trace-7f3a.9:b_c');

    // An id that could smuggle anything into a log is replaced by one of the server's.
    const unsafe = await fetch(`${server.baseURL}/v1/models`,
      { headers: { ...server.authorization, 'X-Request-Id': 'x"}, {"level":"error' } });
    const made = unsafe.headers.get('x-request-id');
    assert.match(made, /^req_[A-Za-z0-9]{24}$/);

    // Refusals get an id too; a streamed answer carries it as well.
    const refused = await fetch(`${server.baseURL}/v1/models`);
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('x-request-id'), /^req_/);
    const { response } = await server.client.chat.completions.create({
      model: 'builtin-tiny', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2, stream: true,
    }).withResponse();
    assert.match(response.headers.get('x-request-id'), /^req_/);

    assert.ok(await waitFor(() => read(file).includes('trace-7f3a.9:b_c') && read(file).includes(made)),
      read(file));
    const lines = read(file).trim().split('\n').map((line) => JSON.parse(line));
    const about = lines.find((line) => line.msg.startsWith('trace-7f3a.9:b_c: GET /v1/models 200'));
    assert.ok(about, JSON.stringify(lines));
    assert.deepEqual(Object.keys(about).sort(), ['level', 'msg', 'time']);
    assert.match(about.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const audit = read(path.join(server.env.ASSISTD_STORAGE_DATA_DIR, 'audit.log'))
      .trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(audit.find((line) => line.request_id === 'trace-7f3a.9:b_c')?.status, 200);
    assert.equal(audit.find((line) => line.request_id === made)?.route, '/v1/models');

    // Enough requests to pass max_bytes twice: the file rotates, keeping max_files old ones.
    for (let i = 0; i < 150; ++i) {
      await fetch(`${server.baseURL}/healthz`, { headers: { 'X-Request-Id': `fill-${i}` } });
    }
    assert.ok(await waitFor(() => fs.existsSync(path.join(logs, 'assistd.2.log'))), fs.readdirSync(logs).join());
    assert.ok(!fs.existsSync(path.join(logs, 'assistd.3.log')));
    for (const name of ['assistd.log', 'assistd.1.log']) {
      assert.ok(fs.statSync(path.join(logs, name)).size <= 4096, name);
    }
  } finally {
    await server.stop();
  }
});
