// Starts the real `assistd serve` on a free loopback port and stops it again.
import { spawn } from 'node:child_process';
import path from 'node:path';
import OpenAI from 'openai';

export const binary = process.env.ASSISTD_BINARY ?? path.resolve('../../build/assistd');
export const shared = process.env.ASSISTD_SHARED_DIR ?? path.resolve('../../../shared');
export const stories = path.join(shared, 'models/llm/stories260K.gguf');

// Resolves once the server logs the address it listens on.
export function startServer({ args = [], env = {} } = {}) {
  const child = spawn(binary, ['serve', '--host', '127.0.0.1', '--port', '0', ...args], {
    // One compute thread: CTest runs suites side by side on few cores, and a pool thread that
    // waits for a descheduled sibling makes every step slow.
    env: { ...process.env, ASSISTD_MODEL_THREADS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const onData = (data) => {
      log += data.toString();
      const match = log.match(/listening on (http:\/\/[\d.]+:\d+)/);
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
    client: new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'unused', maxRetries: 0, timeout: 60_000 }),
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
