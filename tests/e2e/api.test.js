// The OpenAI API as the official client sees it: models, chat and text completions, streamed
// and not, usage, stop strings and seeds, on stories260K.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { binary, startServer, stories } from './server.js';

let server;
before(async () => {
  server = await startServer({ args: ['--model', stories] });
});
after(async () => {
  await server?.stop();
});

function assistdRun(prompt, n) {
  return execFileSync(binary, ['run', '-m', stories, '-p', prompt, '-n', String(n), '--temp', '0'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

test('lists the model and describes it', async () => {
  const models = await server.client.models.list();
  assert.equal(models.data.length, 1);
  const [model] = models.data;
  assert.equal(model.object, 'model');
  assert.equal(model.owned_by, 'assistd');
  const one = await server.client.models.retrieve(model.id);
  assert.equal(one.id, model.id);
});

test('an unknown model is 404 model_not_found', async () => {
  await assert.rejects(server.client.models.retrieve('no-such-model'), (error) => {
    assert.equal(error.status, 404);
    assert.equal(error.code, 'model_not_found');
    return true;
  });
  await assert.rejects(
    server.client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    (error) => error.status === 404 && error.code === 'model_not_found',
  );
});

test('greedy completion equals assistd run, with usage and finish_reason', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const completion = await server.client.completions.create({
    model, prompt: 'Once upon a time', max_tokens: 48, temperature: 0,
  });
  assert.equal(completion.object, 'text_completion');
  assert.match(completion.id, /^cmpl-/);
  assert.equal(completion.model, model);
  assert.ok(completion.created > 1_700_000_000);
  assert.ok(completion.system_fingerprint);
  assert.equal(completion.choices[0].text, assistdRun('Once upon a time', 48));
  assert.equal(completion.choices[0].finish_reason, 'length');
  assert.deepEqual(completion.usage, { prompt_tokens: 5, completion_tokens: 48, total_tokens: 53 });
});

test('streamed completion has the same text and usage when asked', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const request = { model, prompt: 'Once upon a time', max_tokens: 40, temperature: 0 };
  const whole = await server.client.completions.create(request);
  const chunks = await collect(await server.client.completions.create({
    ...request, stream: true, stream_options: { include_usage: true },
  }));
  const text = chunks.map((c) => c.choices[0]?.text ?? '').join('');
  assert.equal(text, whole.choices[0].text);
  const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
  assert.equal(finishes.length, 1);
  assert.equal(finishes[0].choices[0].finish_reason, 'length');
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, whole.usage);
});

test('chat completion, streamed and not, agree', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const request = {
    model, temperature: 0, max_tokens: 32,
    messages: [{ role: 'system', content: 'You tell stories.' }, { role: 'user', content: 'Tell me about a cat.' }],
  };
  const whole = await server.client.chat.completions.create(request);
  assert.equal(whole.object, 'chat.completion');
  assert.match(whole.id, /^chatcmpl-/);
  const message = whole.choices[0].message;
  assert.equal(message.role, 'assistant');
  assert.ok(message.content.length > 0);
  assert.equal(whole.usage.completion_tokens, 32);
  assert.equal(whole.usage.total_tokens, whole.usage.prompt_tokens + 32);

  const chunks = await collect(await server.client.chat.completions.create({ ...request, stream: true }));
  assert.equal(chunks[0].object, 'chat.completion.chunk');
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, message.content);
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
  assert.equal(chunks.at(-1).usage ?? null, null);  // only with stream_options.include_usage
});

test('a stop string ends the text before it', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const full = assistdRun('Once upon a time', 48);
  const word = full.trim().split(/\s+/)[4];
  const completion = await server.client.completions.create({
    model, prompt: 'Once upon a time', max_tokens: 48, temperature: 0, stop: [word],
  });
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.choices[0].text, full.slice(0, full.indexOf(word)));
});

test('the same seed gives the same sample, n gives n choices', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const request = { model, prompt: 'Once upon a time', max_tokens: 24, temperature: 1, seed: 42, n: 2 };
  const a = await server.client.completions.create(request);
  const b = await server.client.completions.create(request);
  assert.equal(a.choices.length, 2);
  assert.deepEqual(a.choices.map((c) => c.index), [0, 1]);
  assert.deepEqual(a.choices.map((c) => c.text), b.choices.map((c) => c.text));
  assert.equal(a.usage.completion_tokens, 48);
  const other = await server.client.completions.create({ ...request, seed: 7, n: 1 });
  assert.notEqual(other.choices[0].text, a.choices[0].text);
});

test('health and readiness', async () => {
  assert.equal((await fetch(`${server.baseURL}/healthz`)).status, 200);
  assert.equal((await fetch(`${server.baseURL}/readyz`)).status, 200);
});

test('logprobs: chat and text completions, streamed and not, agree with the text', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const messages = [{ role: 'user', content: 'Tell me a story' }];
  const chat = await server.client.chat.completions.create({
    model, messages, max_tokens: 16, temperature: 0, logprobs: true, top_logprobs: 2,
  });
  const content = chat.choices[0].logprobs.content;
  assert.equal(content.length, chat.usage.completion_tokens);
  assert.equal(content.map((entry) => entry.token).join(''), chat.choices[0].message.content);
  for (const entry of content) {
    assert.ok(entry.logprob <= 0);
    assert.deepEqual(entry.bytes, [...Buffer.from(entry.token)]);
    assert.equal(entry.top_logprobs.length, 2);
    assert.equal(entry.top_logprobs[0].token, entry.token);  // greedy takes the likeliest
  }

  const chunks = await collect(await server.client.chat.completions.create({
    model, messages, max_tokens: 16, temperature: 0, logprobs: true, top_logprobs: 2, stream: true,
  }));
  const streamed = chunks.flatMap((chunk) => chunk.choices[0]?.logprobs?.content ?? []);
  assert.deepEqual(streamed, content);

  const plain = await server.client.chat.completions.create({ model, messages, max_tokens: 4 });
  assert.equal(plain.choices[0].logprobs, null);

  const completion = await server.client.completions.create({
    model, prompt: 'Once upon a time', max_tokens: 12, temperature: 0, logprobs: 3,
  });
  const { tokens, token_logprobs, top_logprobs, text_offset } = completion.choices[0].logprobs;
  assert.equal(tokens.join(''), completion.choices[0].text);
  assert.equal(token_logprobs.length, tokens.length);
  assert.equal(Object.keys(top_logprobs[0]).length, 3);
  assert.equal(text_offset[0], 0);
  assert.equal(text_offset[1], tokens[0].length);

  await assert.rejects(
    server.client.completions.create({ model, prompt: 'x', echo: true, logprobs: 1 }),
    (error) => error.status === 400 && error.param === 'logprobs',
  );
});

test('concurrent requests are batched and each gets the text it gets alone', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const prompts = ['Once upon a time', 'The cat sat', 'Lily and Tom', 'One day a bird', 'Tim had'];
  const alone = prompts.map((prompt) => assistdRun(prompt, 24));
  const together = await Promise.all(prompts.map(async (prompt, i) => {
    const stream = i % 2 === 0;  // streams and whole answers side by side
    const request = { model, prompt, max_tokens: 24, temperature: 0, stream };
    if (!stream) return (await server.client.completions.create(request)).choices[0].text;
    const chunks = await collect(await server.client.completions.create(request));
    return chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('');
  }));
  assert.deepEqual(together, alone);
});

test('a repeated conversation reuses its cached prefix: usage says how much', async () => {
  const model = (await server.client.models.list()).data[0].id;
  const messages = [
    { role: 'system', content: 'You tell short stories about a little girl named Lily and her dog.' },
    { role: 'user', content: 'Tell me one about the park.' },
  ];
  const first = await server.client.chat.completions.create({ model, messages, max_tokens: 8, temperature: 0 });
  const second = await server.client.chat.completions.create({ model, messages, max_tokens: 8, temperature: 0 });
  assert.equal(second.choices[0].message.content, first.choices[0].message.content);
  const cached = second.usage.prompt_tokens_details.cached_tokens;
  assert.ok(cached >= 16 && cached < second.usage.prompt_tokens, `cached ${cached} of ${second.usage.prompt_tokens}`);
});

test('/metrics reports tokens, latencies, the scheduler and answers by route', async () => {
  const model = (await server.client.models.list()).data[0].id;
  await server.client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 5, temperature: 0 });
  await server.client.models.retrieve('no-such-model').catch(() => {});
  const response = await fetch(`${server.baseURL}/metrics`, { headers: server.authorization });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const value = (sample) => {
    const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
    assert.ok(line, `${sample} is missing:\n${text}`);
    return Number(line.slice(sample.length + 1));
  };
  assert.ok(value('assistd_generation_tokens_total') >= 5);
  assert.ok(value('assistd_prompt_tokens_total') >= 5);
  assert.ok(value('assistd_time_to_first_token_seconds_count') >= 1);
  assert.ok(value('assistd_e2e_request_latency_seconds_count') >= 1);
  assert.ok(value('assistd_request_success_total{finished_reason="length"}') >= 1);
  assert.ok(value('assistd_http_requests_total{route="/v1/completions",status="200"}') >= 1);
  assert.ok(value('assistd_http_requests_total{route="/v1/models/{}",status="404"}') >= 1);
  assert.equal(value('assistd_num_requests_running'), 0);
  assert.equal(value('assistd_num_requests_waiting'), 0);
  const usage = value('assistd_kv_cache_usage_perc');
  assert.ok(usage >= 0 && usage <= 1);
  assert.ok(value('process_resident_memory_bytes') > 0);
});
