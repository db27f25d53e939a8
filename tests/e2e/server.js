// Starts the real `assistd serve` on a free loopback port and stops it again.
//
// Each server gets its own data directory, and an API key with every scope is created in it
// with `assistd keys create` before the server starts — as an operator would — so the client
// authenticates like any OpenAI client does, with apiKey.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';

export const binary = process.env.ASSISTD_BINARY ?? path.resolve('../../build/assistd');
export const shared = process.env.ASSISTD_SHARED_DIR ?? path.resolve('../../../shared');
export const stories = path.join(shared, 'models/llm/stories260K.gguf');

// A fresh data directory for one server (removed when the test process exits).
export function dataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistd-e2e-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// Runs `assistd keys ARGS...` against `env`'s data directory; returns its stdout, trimmed.
export function keys(env, ...args) {
  return execFileSync(binary, ['keys', ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

// Resolves once the server logs the address it listens on.
export function startServer({ args = [], env = {} } = {}) {
  const storage = { ASSISTD_STORAGE_DATA_DIR: dataDir(), ...env };
  const apiKey = keys(storage, 'create', '--name', 'e2e', '--scopes', 'all');
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    // One compute thread: CTest runs suites side by side on few cores, and a pool thread that
    // waits for a descheduled sibling makes every step slow.
    env: { ...process.env, ASSISTD_MODEL_THREADS: '1', ...storage },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const onData = (data) => {
      log += data.toString();
      const match = log.match(/listening on (https?:\/\/[\d.]+:\d+)/);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code }) => reject(new Error(`assistd serve exited with ${code} before listening:\n${log}`)));
  });
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`assistd serve did not start in 30 s:\n${log}`)), 30_000).unref());
  return Promise.race([listening, timeout]).then((baseURL) => ({
    baseURL,
    apiKey,
    env: storage,  // for `keys(server.env, ...)` against this server's data directory
    authorization: { authorization: `Bearer ${apiKey}` },
    client: new OpenAI({ baseURL: `${baseURL}/v1`, apiKey, maxRetries: 0, timeout: 60_000 }),
    log: () => log,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    child,
  }));
}

// Waits until `predicate(log)` holds or `ms` pass.
export async function waitForLog(server, predicate, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate(server.log())) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
