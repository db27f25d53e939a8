// assistd beside llama.cpp on the same GGUF files, threads and test sizes, in one run.
//
//   npm ci --prefix bench/llama_cpp          # once: node-llama-cpp and its prebuilt llama.cpp
//   node bench/llama_cpp/compare.mjs -m a.gguf,b.gguf [-p 512] [-n 128] [-t 2] [-r 3] [--json]
//
// llama.cpp runs in this process through node-llama-cpp's prebuilt binaries (it picks the build
// for this CPU, AMX and AVX-512 variants included); assistd runs as `assistd bench` one repetition
// at a time. The two take turns test by test, so a change in the machine's load falls on both
// alike, and each ratio compares runs made minutes apart at most. Like llama-bench, a prompt test
// evaluates p tokens into an empty context, a generation test decodes n tokens one at a time from
// an empty context, and each engine does one untimed warm-up first.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { getLlama } from 'node-llama-cpp';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    model: { type: 'string', short: 'm' },
    'n-prompt': { type: 'string', short: 'p', default: '512' },
    'n-gen': { type: 'string', short: 'n', default: '128' },
    threads: { type: 'string', short: 't', default: '2' },
    repetitions: { type: 'string', short: 'r', default: '3' },
    assistd: { type: 'string', default: path.resolve(here, '../../build/assistd') },
    json: { type: 'boolean', default: false },
  },
});
if (!options.model) {
  console.error('compare: -m MODEL.gguf[,MODEL.gguf...] is required');
  process.exit(2);
}
const promptTokens = Number(options['n-prompt']);
const genTokens = Number(options['n-gen']);
const threads = Number(options.threads);
const repetitions = Number(options.repetitions);

const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'error', maxThreads: threads });

function assistdSeconds(model, prompt, gen) {
  const out = execFileSync(
    options.assistd,
    ['bench', '-m', model, '-p', String(prompt), '-n', String(gen), '-t', String(threads), '-r', '1', '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const [row] = JSON.parse(out);
  return row.avg_ns / 1e9;
}

// Token ids spread over the vocabulary, never the end-of-text token: the numbers do not change
// the work of a forward pass, only its length does.
function promptOf(model, count) {
  const vocabulary = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
  const eos = model.tokens.eos;
  const tokens = [];
  for (let i = 0; tokens.length < count; ++i) {
    const token = (17 + i * 7919) % vocabulary;
    if (token !== eos) tokens.push(token);
  }
  return tokens;
}

async function llamaCppSeconds(sequence, tokens, gen) {
  await sequence.clearHistory();
  const start = performance.now();
  if (gen === 0) {
    await sequence.evaluateWithoutGeneratingNewTokens(tokens);
  } else {
    let produced = 0;
    for await (const _ of sequence.evaluate(tokens.slice(0, 1), { temperature: 0 })) {
      if (++produced >= gen) break;
    }
  }
  return (performance.now() - start) / 1000;
}

function stats(tokens, seconds) {
  const rates = seconds.map((s) => tokens / s);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance =
    rates.length > 1 ? rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1) : 0;
  return { avg_ts: mean, stddev_ts: Math.sqrt(variance), samples_ts: rates };
}

const rows = [];
for (const modelPath of options.model.split(',')) {
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({
    contextSize: Math.max(promptTokens, genTokens) + 16,
    batchSize: Math.max(promptTokens, 1),
    threads: { ideal: threads, min: threads },
    sequences: 1,
  });
  const sequence = context.getSequence();
  const tokens = promptOf(model, Math.max(promptTokens, 1));
  const tests = [];
  if (promptTokens > 0) tests.push({ name: `pp${promptTokens}`, prompt: promptTokens, gen: 0 });
  if (genTokens > 0) tests.push({ name: `tg${genTokens}`, prompt: 0, gen: genTokens });
  for (const test of tests) {
    const count = test.prompt || test.gen;
    await llamaCppSeconds(sequence, tokens.slice(0, Math.min(count, 16)), test.gen && 4);
    const ours = [];
    const theirs = [];
    for (let r = 0; r < repetitions; ++r) {
      ours.push(assistdSeconds(modelPath, test.prompt, test.gen));
      theirs.push(await llamaCppSeconds(sequence, tokens.slice(0, test.prompt || 1), test.gen));
    }
    const assistd = stats(count, ours);
    const llamaCpp = stats(count, theirs);
    rows.push({
      model_filename: modelPath,
      test: test.name,
      n_prompt: test.prompt,
      n_gen: test.gen,
      n_threads: threads,
      assistd,
      llama_cpp: llamaCpp,
      ratio: assistd.avg_ts / llamaCpp.avg_ts,
    });
  }
  await context.dispose();
  await model.dispose();
}

if (options.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const fmt = (s) => `${s.avg_ts.toFixed(2)} ± ${s.stddev_ts.toFixed(2)}`;
  console.log(`| model | test | threads | assistd t/s | llama.cpp t/s | assistd ÷ llama.cpp |`);
  console.log(`|---|---|---:|---:|---:|---:|`);
  for (const row of rows) {
    console.log(
      `| ${path.basename(row.model_filename)} | ${row.test} | ${row.n_threads} | ` +
        `${fmt(row.assistd)} | ${fmt(row.llama_cpp)} | ${row.ratio.toFixed(2)} |`,
    );
  }
}
