// Tool calling through the official client, on tiny random-weight models whose GGUF carries a
// real tool-calling chat template (`assistd synth --chat-template`). Random weights make no
// sensible choices, so what is proven is the machinery: a forced tool_choice holds decoding to
// the model's own tool-call markup around arguments that validate against the tool's schema
// (checked with Ajv, an independent validator), streamed or not, and the answer comes back as
// OpenAI tool_calls; tool results round-trip through the template; bad requests are 400s.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Ajv from 'ajv';
import OpenAI from 'openai';
import { binary, shared, startServer } from './server.js';

// Every string and list is bounded, so a whole call fits in far fewer than max_tokens.
const weatherParameters = {
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 1, maxLength: 8 },
    unit: { enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer' },
  },
  required: ['city', 'unit'],
  additionalProperties: false,
};
const timeParameters = {
  type: 'object',
  properties: { zone: { type: 'string', maxLength: 6 } },
  required: ['zone'],
  additionalProperties: false,
};
const tools = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: weatherParameters } },
  { type: 'function', function: { name: 'get_time', description: 'Time in a zone', parameters: timeParameters } },
];
const ajv = new Ajv();
const validators = { get_weather: ajv.compile(weatherParameters), get_time: ajv.compile(timeParameters) };
const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
const forceWeather = { type: 'function', function: { name: 'get_weather' } };

const templates = {
  qwen: 'Qwen-Qwen2.5-7B-Instruct',           // <tool_call>{...}</tool_call>
  llama: 'meta-llama-Llama-3.1-8B-Instruct',  // {"name": ..., "parameters": ...}
  mistral: 'mistralai-Mistral-Nemo-Instruct-2407',  // [TOOL_CALLS][...]
};
const servers = {};
let dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistd-e2e-tools-'));
  for (const [name, template] of Object.entries(templates)) {
    const model = path.join(dir, `${name}.gguf`);
    execFileSync(binary, ['synth', '--preset', 'tiny', '--seed', '5', '--chat-template',
      path.join(shared, 'models/templates', `${template}.jinja`), model]);
    servers[name] = await startServer({ args: ['--model', model] });
  }
});
after(async () => {
  for (const server of Object.values(servers)) await server.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function modelOf(server) {
  return (await server.client.models.list()).data[0].id;
}

function checkCall(call, names = ['get_weather']) {
  assert.equal(call.type, 'function');
  assert.match(call.id, /^(call_[A-Za-z0-9]{24}|[A-Za-z0-9]{9})$/);  // 9 for Mistral's template
  assert.ok(names.includes(call.function.name), call.function.name);
  const args = JSON.parse(call.function.arguments);
  const validate = validators[call.function.name];
  assert.ok(validate(args), `${call.function.arguments}\n${JSON.stringify(validate.errors)}`);
}

test('a named tool_choice yields a valid call for every seed, not streamed', async () => {
  const server = servers.qwen;
  const model = await modelOf(server);
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const answers = await Promise.all(seeds.map((seed) => server.client.chat.completions.create({
    model, messages, tools, tool_choice: forceWeather, seed, max_tokens: 400,
  })));
  for (const answer of answers) {
    const [choice] = answer.choices;
    assert.equal(choice.finish_reason, 'tool_calls', JSON.stringify(choice.message));
    assert.equal(choice.message.content, null);
    assert.equal(choice.message.tool_calls.length, 1);  // only one named call is possible
    checkCall(choice.message.tool_calls[0]);
  }
});

// Accumulates a streamed answer the way the openai client's docs show: content appended, each
// tool call's id, name and argument fragments gathered by index.
async function accumulate(stream) {
  const message = { content: '', tool_calls: [] };
  let finish = null;
  for await (const chunk of stream) {
    const [choice] = chunk.choices;
    if (!choice) continue;
    message.content += choice.delta.content ?? '';
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = message.tool_calls[delta.index] ??= { id: '', type: '', function: { name: '', arguments: '' } };
      call.id += delta.id ?? '';
      call.type += delta.type ?? '';
      call.function.name += delta.function?.name ?? '';
      call.function.arguments += delta.function?.arguments ?? '';
    }
    finish = choice.finish_reason ?? finish;
  }
  return { message, finish };
}

test('a named tool_choice streams the call as OpenAI tool_call deltas', async () => {
  const server = servers.qwen;
  const model = await modelOf(server);
  for (const seed of [1, 2, 3, 4, 5]) {
    const request = { model, messages, tools, tool_choice: forceWeather, seed, max_tokens: 400 };
    const { message, finish } = await accumulate(
      await server.client.chat.completions.create({ ...request, stream: true }));
    assert.equal(finish, 'tool_calls');
    assert.equal(message.content, '');
    assert.equal(message.tool_calls.length, 1);
    checkCall(message.tool_calls[0]);
    // Same seed, same call: the stream says what the whole answer says (ids aside).
    const whole = await server.client.chat.completions.create(request);
    assert.deepEqual(message.tool_calls[0].function, whole.choices[0].message.tool_calls[0].function);
  }
});

test('required calls any of the tools; parallel_tool_calls false allows one', async () => {
  const server = servers.qwen;
  const model = await modelOf(server);
  for (const parallel of [false, true]) {
    for (const seed of [11, 12, 13, 14]) {
      const answer = await server.client.chat.completions.create({
        model, messages, tools, tool_choice: 'required', parallel_tool_calls: parallel, seed, max_tokens: 600,
      });
      const [choice] = answer.choices;
      assert.equal(choice.finish_reason, 'tool_calls', JSON.stringify(choice.message));
      if (!parallel) assert.equal(choice.message.tool_calls.length, 1);
      assert.ok(choice.message.tool_calls.length >= 1);
      for (const call of choice.message.tool_calls) checkCall(call, ['get_weather', 'get_time']);
    }
  }
});

test('other templates get their own markup: Llama 3.1 JSON and Mistral [TOOL_CALLS]', async () => {
  for (const name of ['llama', 'mistral']) {
    const server = servers[name];
    const model = await modelOf(server);
    for (const seed of [1, 2, 3]) {
      // Byte-vocabulary prompts of these templates are long: room for the call only.
      const request = { model, messages, tools, tool_choice: forceWeather, seed, max_tokens: 200 };
      const answer = await server.client.chat.completions.create(request);
      const [choice] = answer.choices;
      assert.equal(choice.finish_reason, 'tool_calls', `${name}: ${JSON.stringify(choice.message)}`);
      checkCall(choice.message.tool_calls[0]);
      const { message } = await accumulate(
        await server.client.chat.completions.create({ ...request, stream: true }));
      assert.deepEqual(message.tool_calls[0].function, choice.message.tool_calls[0].function);
    }
  }
});

test('a tool result goes back to the model and it answers', async () => {
  for (const name of ['qwen', 'mistral']) await roundTrip(servers[name]);
});

async function roundTrip(server) {
  const model = await modelOf(server);
  const first = await server.client.chat.completions.create({
    model, messages, tools, tool_choice: forceWeather, seed: 3, max_tokens: 200,
  });
  const assistant = first.choices[0].message;
  const conversation = [
    ...messages,
    assistant,
    { role: 'tool', tool_call_id: assistant.tool_calls[0].id, content: '{"temperature": 21}' },
  ];
  const answer = await server.client.chat.completions.create({
    model, messages: conversation, tools, tool_choice: 'none', seed: 3, max_tokens: 16,
  });
  const [choice] = answer.choices;
  assert.ok(['stop', 'length'].includes(choice.finish_reason));
  assert.equal(choice.message.tool_calls, undefined);
  assert.equal(typeof choice.message.content, 'string');
  // The prompt holds the call and its result: it is longer than the first one.
  assert.ok(answer.usage.prompt_tokens > first.usage.prompt_tokens);
}

async function refusal(request) {
  const server = servers.qwen;
  const model = await modelOf(server);
  try {
    await server.client.chat.completions.create({ model, messages, max_tokens: 8, ...request });
  } catch (error) {
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    return error;
  }
  assert.fail('the request was accepted');
}

test('bad tool requests are 400s naming what is wrong', async () => {
  let error = await refusal({ tools, tool_choice: { type: 'function', function: { name: 'launch' } } });
  assert.equal(error.param, 'tool_choice.function.name');
  assert.match(error.message, /launch/);

  error = await refusal({
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string', pattern: '^x' } } } } }],
    tool_choice: 'required',
  });
  assert.equal(error.param, 'tools[0].function.parameters');
  assert.match(error.message, /'pattern'/);

  error = await refusal({ tool_choice: 'required' });
  assert.equal(error.param, 'tool_choice');

  error = await refusal({ tools: [{ type: 'function', function: { name: 'has space' } }] });
  assert.equal(error.param, 'tools[0].function.name');

  error = await refusal({
    messages: [...messages, { role: 'tool', tool_call_id: 'call_nowhere', content: '1' }],
  });
  assert.equal(error.param, 'messages[1].tool_call_id');
});
