// /metrics end to end: a queue-mode app (BullMQ on an isolated queue) runs a manual workflow
// with an AI step against the fake providers (one 503 failover); the exposition then holds every
// series the docs promise, with bounded label sets only — no owner, run or workflow id anywhere.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { dropQueue, redisUrl, requireRedis, testQueueName } from '@keyflow/engine/testing';
import { metricsApp } from '../src/http/metrics.ts';
import { createTestApp, type TestApp } from './support.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';
const queueName = testQueueName('metrics');
let fakes: Fakes;
let t: TestApp;
let user: { id: string; email: string; token: string };
let workflowId = '';
let runId = '';

const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const res = await t.request(method, path, { token: user.token, ...(body !== undefined ? { body } : {}) });
  return { status: res.status, body: (await res.json()) as T };
};

beforeAll(async () => {
  await requireRedis();
  fakes = await startFakes();
  t = await createTestApp('postgres', { REDIS_URL: redisUrl, KEYFLOW_QUEUE_NAME: queueName, KEYFLOW_METRICS_TOKEN: TOKEN, KEYFLOW_OPENAI_BASE_URL: fakes.baseUrls.openai, KEYFLOW_ANTHROPIC_BASE_URL: fakes.baseUrls.anthropic });
  user = await t.signup();
  for (const [provider, secret] of [['openai', `sk-${randomUUID()}`], ['anthropic', `sk-ant-${randomUUID()}`]] as const) {
    expect((await api('POST', '/api/credentials', { provider, label: provider, secret })).status).toBe(201);
  }
  const graph = {
    nodes: [
      { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
      { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Say hi to {{ $trigger.name }}', tier: 'economy', maxTokens: 64 }, position: { x: 240, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'ask' }],
  };
  workflowId = (await api<{ id: string }>('POST', '/api/workflows', { name: 'metered', graph })).body.id;
  // The cheapest provider answers 503 once: the router fails over and records the error kind.
  let failed = false;
  fakes.servers.openai.setHandler(() => (failed ? undefined : ((failed = true), { status: 503, message: 'overloaded' })));
  runId = (await api<{ runId: string }>('POST', `/api/workflows/${workflowId}/run`, { payload: { name: 'Ada' } })).body.runId;
  for (let i = 0; i < 500; i++) {
    const run = await api<{ status: string }>('GET', `/api/runs/${runId}`);
    if (run.body.status === 'succeeded' || run.body.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 20));
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  await fakes?.close();
  await dropQueue(queueName);
});

type Sample = { name: string; labels: Record<string, string>; value: number };
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

async function scrape(): Promise<Sample[]> {
  const res = await t.request('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parse(await res.text());
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) => samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('/metrics', () => {
  it('holds the series of runs, steps, queue, providers, tokens, cost, breakers and credential health', async () => {
    expect((await api('GET', `/api/workflows/${workflowId}`)).status).toBe(200);
    const s = await scrape();
    expect(find(s, 'keyflow_runs_started_total', { trigger: 'manual' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(s, 'keyflow_runs_finished_total', { trigger: 'manual', status: 'succeeded' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(s, 'keyflow_run_start_delay_seconds_count')[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(s, 'keyflow_step_duration_seconds_count', { node_type: 'ai.complete', status: 'succeeded' })[0]?.value).toBe(1);
    expect(find(s, 'keyflow_step_duration_seconds_count', { node_type: 'core.manual' })[0]?.value).toBe(1);
    for (const state of ['waiting', 'active', 'delayed']) expect(find(s, 'keyflow_queue_jobs', { state })).toHaveLength(1);
    expect(find(s, 'keyflow_ai_call_errors_total', { provider: 'openai', kind: 'server' })[0]?.value).toBe(1);
    const ok = find(s, 'keyflow_ai_call_duration_seconds_count', { outcome: 'ok' });
    expect(ok.reduce((n, x) => n + x.value, 0)).toBe(1);
    const provider = ok[0]!.labels.provider!;
    expect(find(s, 'keyflow_ai_tokens_total', { provider, kind: 'input' })[0]?.value).toBeGreaterThan(0);
    expect(find(s, 'keyflow_ai_cost_usd_total', { provider })[0]?.value).toBeGreaterThan(0);
    expect(find(s, 'keyflow_ai_breaker_circuits', { provider: 'openai', state: 'closed' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(s, 'keyflow_credentials', { health: 'unknown' })[0]?.value).toBeGreaterThanOrEqual(2);
    // Route patterns, never raw paths.
    expect(find(s, 'keyflow_http_request_duration_seconds_count', { method: 'GET', route: '/api/workflows/:id', status: '200' })[0]?.value).toBeGreaterThanOrEqual(1);
  });

  it('uses bounded label sets only: no owner, run, workflow id or email in any series', async () => {
    await t.request('GET', `/api/runs/${randomUUID()}`, { token: user.token });
    await t.request('GET', `/api/no-such/${randomUUID()}`, { token: user.token });
    const s = await scrape();
    const allowed: Record<string, string[]> = {
      keyflow_http_request_duration_seconds: ['method', 'route', 'status'],
      keyflow_runs_started_total: ['trigger'],
      keyflow_runs_finished_total: ['trigger', 'status'],
      keyflow_run_start_delay_seconds: [],
      keyflow_step_duration_seconds: ['node_type', 'status'],
      keyflow_db_statements_total: ['statement'],
      keyflow_queue_jobs: ['state'],
      keyflow_ai_call_duration_seconds: ['provider', 'outcome'],
      keyflow_ai_call_errors_total: ['provider', 'kind'],
      keyflow_ai_tokens_total: ['provider', 'kind'],
      keyflow_ai_cost_usd_total: ['provider'],
      keyflow_ai_breaker_circuits: ['provider', 'state'],
      keyflow_credentials: ['health'],
    };
    for (const sample of s) {
      const family = Object.keys(allowed).find((f) => sample.name === f || sample.name.startsWith(`${f}_`));
      if (!family) {
        // prom-client's process and Node.js defaults carry no request data.
        expect(sample.name, sample.name).toMatch(/^keyflow_(process|nodejs)_/);
        continue;
      }
      expect(Object.keys(sample.labels).filter((k) => k !== 'le').sort(), sample.name).toEqual([...allowed[family]!].sort());
    }
    const text = JSON.stringify(s);
    for (const secret of [user.id, user.email, workflowId, runId]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(find(s, 'keyflow_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }).length).toBeGreaterThanOrEqual(1);
  });

  it('answers 401 without the token; the separate metrics listener needs it too when one is set, and serves only /metrics', async () => {
    expect((await t.request('GET', '/metrics')).status).toBe(401);
    const guarded = metricsApp(TOKEN);
    expect((await guarded.request('/metrics')).status).toBe(401);
    expect((await guarded.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    const open = metricsApp(undefined);
    expect(await (await open.request('/metrics')).text()).toContain('keyflow_runs_started_total');
    expect((await open.request('/api/workflows')).status).toBe(404);
  });
});
