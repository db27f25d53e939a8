// `assistd serve` as an operator starts it: the built-in model when none is configured, the
// seed's config.yaml as written, and --check-config naming a bad key and its line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { binary, startServer, stories } from './server.js';

function writeConfig(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistd-config-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, text);
  return file;
}

test('with no model configured the built-in tiny model is served and says what it is', async () => {
  const server = await startServer();
  try {
    const models = await server.client.models.list();
    assert.equal(models.data[0].id, 'builtin-tiny');
    assert.match(models.data[0].description, /random/i);
    const chat = await server.client.chat.completions.create({
      model: 'builtin-tiny', messages: [{ role: 'user', content: '你好' }], max_tokens: 8,
    });
    assert.equal(chat.usage.completion_tokens <= 8, true);
    assert.ok(['stop', 'length'].includes(chat.choices[0].finish_reason));
  } finally {
    await server.stop();
  }
});

test("the seed's example config works as written", async () => {
  const file = writeConfig(`service:\n  port: 8080\n  workers: 4\nmodel:\n  path: ${stories}\n  max_batch_size: 32\n`);
  const check = spawnSync(binary, ['serve', '-c', file, '--check-config'], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /service\.port: 8080/);
  const server = await startServer({ args: ['-c', file] });  // --port 0 overrides the file
  try {
    const models = await server.client.models.list();
    assert.equal(models.data[0].id, 'stories260K');
  } finally {
    await server.stop();
  }
});

test('--check-config names an unknown key and its line, and a wrong type', () => {
  const unknown = writeConfig('service:\n  port: 8080\n  prot: 9000\n');
  const bad = spawnSync(binary, ['serve', '-c', unknown, '--check-config'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /:3:.*service\.prot/);
  const typed = spawnSync(binary, ['serve', '--check-config'], {
    encoding: 'utf8', env: { ...process.env, ASSISTD_SERVICE_PORT: 'eighty' },
  });
  assert.equal(typed.status, 1);
  assert.match(typed.stderr, /ASSISTD_SERVICE_PORT/);
});
