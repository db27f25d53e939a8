// Server load benchmark: starts `assistd serve` on loopback and runs, for each concurrency C,
// C streaming clients that each send R completions with a fixed prompt length and output length.
// Prints aggregate generated tokens/s, time to first token and inter-token latency (p50/p99) and
// failures per C, as a Markdown table (or JSON with --json).
//
//   node bench/serve_load.mjs -m model.gguf [-c 1,4,8,16] [-r 4] [-p 128] [-n 64] [-t 2]
//        [--max-batch-size 16] [--json]
//
// Uses the `openai` package the end-to-end tests install (scripts/setup), and the tests' server
// harness. Prompts are random token ids, different for every request, so the prefix cache never
// makes a request cheaper than the next.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    model: { type: 'string', short: 'm' },
    concurrency: { type: 'string', short: 'c', default: '1,4,8,16' },
    requests: { type: 'string', short: 'r', default: '4' },
    'prompt-tokens': { type: 'string', short: 'p', default: '128' },
    'max-tokens': { type: 'string', short: 'n', default: '64' },
    threads: { type: 'string', short: 't', default: '2' },
    'max-batch-size': { type: 'string', default: '16' },
    json: { type: 'boolean', default: false },
  },
});
if (!options.model) {
  console.error('serve_load: -m MODEL.gguf is required');
  process.exit(2);
}
process.env.ASSISTD_BINARY ??= path.resolve(here, '../build/assistd');
const { startServer } = await import(path.resolve(here, '../tests/e2e/server.js'));

const levels = options.concurrency.split(',').map(Number);
const perClient = Number(options.requests);
const promptTokens = Number(options['prompt-tokens']);
const maxTokens = Number(options['max-tokens']);

// A small deterministic generator (mulberry32), so runs send the same prompts.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function oneRequest(client, model, prompt) {
  const start = performance.now();
  let first = null;
  let last = null;
  const gaps = [];
  let generated = 0;
  const stream = await client.completions.create({
    model, prompt, max_tokens: maxTokens, temperature: 0, stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (chunk.usage) generated = chunk.usage.completion_tokens;
    if (!chunk.choices[0]?.text) continue;
    const now = performance.now();
    if (first === null) first = now;
    else gaps.push(now - last);
    last = now;
  }
  return { ttft: first === null ? NaN : first - start, gaps, generated };
}

async function runLevel(server, model, vocab, concurrency, seed) {
  const next = random(seed);
  const prompt = () => Array.from({ length: promptTokens }, () => Math.floor(next() * vocab));
  const results = [];
  let failures = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < perClient; ++i) {
      try {
        results.push(await oneRequest(server.client, model, prompt()));
      } catch (error) {
        failures += 1;
        console.error(`request failed: ${error.message}`);
      }
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const generated = results.reduce((sum, r) => sum + r.generated, 0);
  const ttft = results.map((r) => r.ttft).filter(Number.isFinite).sort((a, b) => a - b);
  const itl = results.flatMap((r) => r.gaps).sort((a, b) => a - b);
  return {
    concurrency, requests: concurrency * perClient, failures, seconds,
    generated, tokens_per_second: generated / seconds,
    ttft_p50_ms: percentile(ttft, 50), ttft_p99_ms: percentile(ttft, 99),
    itl_p50_ms: percentile(itl, 50), itl_p99_ms: percentile(itl, 99),
  };
}

const server = await startServer({
  args: ['--model', options.model],
  env: {
    ASSISTD_MODEL_THREADS: options.threads,
    ASSISTD_MODEL_MAX_BATCH_SIZE: options['max-batch-size'],
    ASSISTD_SERVICE_MAX_QUEUED_REQUESTS: String(Math.max(64, ...levels)),
  },
});
const rows = [];
try {
  const model = (await server.client.models.list()).data[0].id;
  // The vocabulary size: an id beyond it is refused with a message that names the valid range.
  const vocab = await server.client.completions.create({ model, prompt: [1e9], max_tokens: 1 }).then(
    () => { throw new Error('a token id of 1e9 was accepted'); },
    (error) => Number(/\(0\.\.(\d+)\)/.exec(error.message)?.[1]) + 1);
  await runLevel(server, model, vocab, 1, 999);  // warm-up: weights paged in, threads awake
  for (const [i, concurrency] of levels.entries()) {
    const row = await runLevel(server, model, vocab, concurrency, i + 1);
    rows.push(row);
    console.error(`C=${concurrency}: ${row.tokens_per_second.toFixed(1)} t/s, ${row.failures} failed`);
  }
} finally {
  await server.stop();
}

if (options.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const base = rows[0].tokens_per_second;
  const ms = (value) => (Number.isFinite(value) ? value.toFixed(0) : '-');
  console.log('| C | requests | failed | gen t/s | × C=' + rows[0].concurrency +
              ' | TTFT p50 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.concurrency} | ${r.requests} | ${r.failures} | ${r.tokens_per_second.toFixed(1)} | ` +
                `${(r.tokens_per_second / base).toFixed(2)} | ${ms(r.ttft_p50_ms)} | ${ms(r.ttft_p99_ms)} | ` +
                `${ms(r.itl_p50_ms)} | ${ms(r.itl_p99_ms)} |`);
  }
}
process.exit(rows.every((r) => r.failures === 0) ? 0 : 1);
