// Chinese in and out: a synthetic qwen2 model with the real qwen2 vocabulary streams text that
// never breaks a UTF-8 character, and the stream adds up to the whole answer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { binary, shared, startServer } from './server.js';

let server;
let dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistd-e2e-'));
  const model = path.join(dir, 'qwen2-tiny.gguf');
  execFileSync(binary, ['synth', '--arch', 'qwen2', '--preset', 'tiny', '--type', 'F32', '--seed', '3',
    '--vocab', path.join(shared, 'models/vocab/ggml-vocab-qwen2.gguf'), model]);
  server = await startServer({ args: ['--model', model] });
});
after(async () => {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('Chinese prompts stream whole characters and match the non-streamed answer', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const request = {
    model, temperature: 0, max_tokens: 64,
    messages: [{ role: 'user', content: '你好，请用中文介绍一下你自己。' }],
  };
  const whole = await server.client.chat.completions.create(request);
  const content = whole.choices[0].message.content;

  const stream = await server.client.chat.completions.create({ ...request, stream: true });
  const pieces = [];
  for await (const chunk of stream) {
    const piece = chunk.choices[0]?.delta?.content;
    if (piece) pieces.push(piece);
  }
  // A character split between two chunks would turn into two U+FFFD and break the equality.
  assert.equal(pieces.join(''), content);
  assert.ok(whole.usage.prompt_tokens > 5);
});
