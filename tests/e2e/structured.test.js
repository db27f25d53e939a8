// Structured output through the official client: response_format json_schema and json_object on
// the built-in random-weight model. Whatever the weights prefer, the constrained sampler only
// lets valid JSON through, so every answer that finishes parses and validates (checked with Ajv,
// an independent JSON Schema validator).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Ajv from 'ajv';
import { startServer } from './server.js';

let server;
before(async () => {
  server = await startServer();  // no model: the built-in random-weight model
});
after(async () => {
  await server?.stop();
});

// Every string, array and number is bounded, so a whole value fits in far fewer than max_tokens.
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 8 },
    age: { type: 'integer' },
    score: { type: ['number', 'null'] },
    tags: { type: 'array', items: { enum: ['red', 'green', 'blue'] }, maxItems: 3 },
    home: { $ref: '#/$defs/place' },
    member: { type: 'boolean' },
  },
  required: ['name', 'age', 'tags', 'home'],
  additionalProperties: false,
  $defs: {
    place: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 6 }, zip: { const: 'x-1' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};
const validate = new Ajv().compile(schema);
const jsonSchema = { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } };
const messages = [{ role: 'user', content: 'Describe a person.' }];

function checkValid(text) {
  const value = JSON.parse(text);
  assert.ok(validate(value), `${text}\n${JSON.stringify(validate.errors)}`);
}

test('json_schema answers parse and validate for 50 seeds', async () => {
  for (let first = 1; first <= 50; first += 10) {
    const seeds = Array.from({ length: 10 }, (_, i) => first + i);
    const answers = await Promise.all(seeds.map((seed) => server.client.chat.completions.create({
      model: 'builtin-tiny', messages, seed, max_tokens: 1000, response_format: jsonSchema,
    })));
    for (const [i, answer] of answers.entries()) {
      const [choice] = answer.choices;
      assert.equal(choice.finish_reason, 'stop', `seed ${seeds[i]}: ${choice.message.content}`);
      checkValid(choice.message.content);
    }
  }
});

test('json_schema streamed: the deltas join into valid JSON', async () => {
  for (const seed of [3, 4, 5]) {
    const stream = await server.client.chat.completions.create({
      model: 'builtin-tiny', messages, seed, max_tokens: 1000, response_format: jsonSchema, stream: true,
    });
    let text = '';
    let finish = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(finish, 'stop');
    checkValid(text);
  }
});

test('json_object answers are JSON objects', async () => {
  let finished = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const answer = await server.client.chat.completions.create({
      model: 'builtin-tiny', messages, seed, max_tokens: 300, response_format: { type: 'json_object' },
    });
    const [choice] = answer.choices;
    if (choice.finish_reason !== 'stop') continue;  // random nesting may run past max_tokens
    finished += 1;
    const value = JSON.parse(choice.message.content);
    assert.equal(typeof value, 'object');
    assert.ok(value !== null && !Array.isArray(value));
  }
  assert.ok(finished > 0);
});

test('max_tokens before the JSON closes: finish_reason length, as OpenAI', async () => {
  const answer = await server.client.chat.completions.create({
    model: 'builtin-tiny', messages, seed: 1, max_tokens: 4, response_format: jsonSchema,
  });
  assert.equal(answer.choices[0].finish_reason, 'length');
  assert.equal(answer.usage.completion_tokens, 4);
  assert.throws(() => JSON.parse(answer.choices[0].message.content));
});

test('a schema feature that is not supported is a 400 naming it', async () => {
  const bad = { type: 'object', properties: { s: { type: 'string', pattern: '^a' } } };
  await assert.rejects(server.client.chat.completions.create({
    model: 'builtin-tiny', messages,
    response_format: { type: 'json_schema', json_schema: { name: 'p', schema: bad } },
  }), (error) => {
    assert.equal(error.status, 400);
    assert.equal(error.error.type, 'invalid_request_error');
    assert.equal(error.param, 'response_format.json_schema.schema');
    assert.match(error.message, /properties\.s uses 'pattern', which is not supported/);
    return true;
  });
});
