// Backups as an operator uses them: `assistd backup create` while the server runs, wipe the data
// directory, `assistd backup restore`, start again — the same API key authenticates, the same
// model versions are active and answer, and the audit chain still verifies. A damaged archive is
// refused; prune keeps the newest.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import OpenAI from 'openai';
import { binary, dataDir, keys, shared, startServer, stories } from './server.js';

const tinyStories = path.join(shared, 'models/llm/TinyStories-656K-Q8_0.gguf');

const assistd = (env, ...args) =>
  spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, ...env } });

test('a node restored from a backup authenticates the same keys and serves the same versions', async () => {
  const data = dataDir();
  const backups = dataDir();
  const env = { ASSISTD_STORAGE_DATA_DIR: data, ASSISTD_BACKUP_DIR: backups };
  const registry = (...args) => {
    const result = assistd(env, 'models', ...args);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  registry('import', 'tales', stories);
  registry('import', 'tales', tinyStories);
  registry('activate', 'tales', '2');
  registry('activate', 'tales', '1');  // 2 was active before: rollback must still find it

  const first = await startServer({ env });
  const original = first.apiKey;
  const ask = (server) => new OpenAI({ baseURL: `${server.baseURL}/v1`, apiKey: original, maxRetries: 0 })
    .completions.create({ model: 'tales', prompt: 'Once upon', max_tokens: 4, temperature: 0 });
  const before = await ask(first);
  assert.equal(before.model, 'tales:1');

  const created = assistd(env, 'backup', 'create', '--with-models');
  assert.equal(created.status, 0, created.stderr);
  const archive = created.stdout.split(':')[0];
  assert.ok(fs.existsSync(archive), created.stdout);
  assert.equal(path.dirname(archive), backups);
  await first.stop();

  const verified = assistd(env, 'backup', 'verify', archive);
  assert.equal(verified.status, 0, verified.stderr);
  assert.match(verified.stdout, /files intact/);
  assert.match(assistd(env, 'backup', 'list').stdout, new RegExp(path.basename(archive)));

  const listed = registry('list', '--json');
  fs.rmSync(data, { recursive: true, force: true });
  const restored = assistd(env, 'backup', 'restore', archive);
  assert.equal(restored.status, 0, restored.stderr);
  assert.ok(fs.existsSync(path.join(data, 'assistd.db')));
  const audit = assistd(env, 'audit', 'verify');
  assert.equal(audit.status, 0, audit.stderr);
  assert.match(keys(env, 'list'), /e2e/);
  assert.deepEqual(registry('list', '--json'), listed);

  const second = await startServer({ env });
  try {
    const after = await ask(second);
    assert.equal(after.model, 'tales:1');
    assert.equal(after.choices[0].text, before.choices[0].text);
  } finally {
    await second.stop();
  }
  registry('rollback', 'tales');
  assert.equal(JSON.parse(registry('list', '--json')).data[0].active_version, '2');

  const again = assistd(env, 'backup', 'restore', archive);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /not empty/);
});

test('a damaged archive is refused and prune keeps the newest', () => {
  const data = dataDir();
  const backups = dataDir();
  const env = { ASSISTD_STORAGE_DATA_DIR: data, ASSISTD_BACKUP_DIR: backups };
  keys(env, 'create', '--name', 'backup-e2e', '--scopes', 'all');
  const archives = [];
  for (let i = 0; i < 3; i++) {
    const created = assistd(env, 'backup', 'create');
    assert.equal(created.status, 0, created.stderr);
    archives.push(created.stdout.split(':')[0]);
  }
  const damaged = path.join(backups, 'damaged.tar.zst');
  const bytes = fs.readFileSync(archives[0]);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  fs.writeFileSync(damaged, bytes);
  const verified = assistd(env, 'backup', 'verify', damaged);
  assert.equal(verified.status, 1);
  assert.match(verified.stderr, /assistd: /);
  const target = path.join(dataDir(), 'node');
  assert.equal(assistd(env, 'backup', 'restore', damaged, '--to', target).status, 1);
  assert.equal(fs.existsSync(target), false);

  const pruned = assistd(env, 'backup', 'prune', '--keep', '1');
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.deepEqual(fs.readdirSync(backups).sort(), [path.basename(archives[2]), 'damaged.tar.zst'].sort());
});
