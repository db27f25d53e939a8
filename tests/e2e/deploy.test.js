// The monitoring files under deploy/ against the real server: Prometheus accepts the scrape
// config and alert rules, `promtool check metrics` finds nothing to lint in /metrics, and every
// metric the dashboard and the alerts query is one the server exports.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, stories } from './server.js';

const deploy = path.resolve('../../deploy');
// Series other exporters provide: Prometheus itself (up) and node_exporter (CPU count).
const external = new Set(['up', 'node_cpu_seconds_total']);

let server;
let metricsText;
before(async () => {
  server = await startServer({ args: ['--model', stories] });
  const model = (await server.client.models.list()).data[0].id;
  await server.client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 4 });
  metricsText = await (await fetch(`${server.baseURL}/metrics`, { headers: server.authorization })).text();
});
after(async () => {
  await server?.stop();
});

function promtool(args, input) {
  return execFileSync('promtool', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function exported() {
  return new Set([...metricsText.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
}

// Metric names in a PromQL expression, histogram series mapped to their metric.
function metricsIn(expr) {
  const names = expr.match(/\b(assistd_[a-z_]+|process_[a-z_]+|node_[a-z_]+|up)\b/g) ?? [];
  return names.map((name) => name.replace(/_(bucket|sum|count)$/, ''));
}

test('prometheus accepts the scrape config and its alert rules', () => {
  const out = promtool(['check', 'config', path.join(deploy, 'prometheus/prometheus.yml')]);
  assert.match(out, /SUCCESS: \d+ rules found/);
});

test('promtool finds nothing to lint in /metrics', () => {
  assert.equal(promtool(['check', 'metrics'], metricsText), '');
});

test('the dashboard and the alerts query only metrics the server exports', () => {
  const have = exported();
  const dashboard = JSON.parse(readFileSync(path.join(deploy, 'grafana/assistd-dashboard.json'), 'utf8'));
  const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((t) => t.expr));
  exprs.push(dashboard.templating.list[0].query);
  const rules = readFileSync(path.join(deploy, 'prometheus/assistd-alerts.yml'), 'utf8');
  exprs.push(...rules.split('\n').filter((line) => !line.trim().startsWith('#')));
  const missing = new Set(exprs.flatMap(metricsIn).filter((name) => !have.has(name) && !external.has(name)));
  assert.deepEqual([...missing], []);
  assert.ok(exprs.length > 12);
});
