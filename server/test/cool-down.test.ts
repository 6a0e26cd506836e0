// The router's cool-down is visible where the keys page reads: after repeated retryable failures
// of a provider, GET /api/credentials shows each of the owner's keys of that provider cooling
// down (until when, and the failure that started it) — not another provider's key, and not
// another owner's key of the same provider.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { createTestApp, type TestApp } from './support.ts';

let fakes: Fakes;
let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

type Cred = { id: string; provider: string; meta: { coolingSince?: string; coolingUntil?: string; coolingError?: string } };
const list = async (token: string) => ((await (await t.request('GET', '/api/credentials', { token })).json()) as { items: Cred[] }).items;

beforeAll(async () => {
  fakes = await startFakes();
  t = await createTestApp('postgres', { KEYFLOW_OPENAI_BASE_URL: fakes.baseUrls.openai, KEYFLOW_ANTHROPIC_BASE_URL: fakes.baseUrls.anthropic });
  alice = await t.signup();
  bob = await t.signup();
  for (const [who, provider, secret] of [[alice, 'openai', `sk-${randomUUID()}`], [alice, 'anthropic', `sk-ant-${randomUUID()}`], [bob, 'openai', `sk-${randomUUID()}`]] as const) {
    expect((await t.request('POST', '/api/credentials', { token: who.token, body: { provider, label: `${provider} key`, secret } })).status).toBe(201);
  }
});
afterAll(async () => {
  await t?.close();
  await fakes?.close();
});

async function runOnce(token: string, workflowId: string): Promise<string> {
  const { runId } = (await (await t.request('POST', `/api/workflows/${workflowId}/run`, { token, body: { payload: {} } })).json()) as { runId: string };
  for (let i = 0; i < 500; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as { status: string };
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run.status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('run did not finish');
}

describe('cooling down after failures', () => {
  it('shows the cool-down on the owner’s keys of the failing provider only', async () => {
    const graph = {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
        { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Say hi', tier: 'economy', maxTokens: 32 }, position: { x: 240, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'ask' }],
    };
    const wf = ((await (await t.request('POST', '/api/workflows', { token: alice.token, body: { name: 'cool', graph } })).json()) as { id: string }).id;
    fakes.servers.openai.setHandler(() => ({ status: 503, message: 'overloaded' }));
    const before = Date.now();
    // Each run fails over to Anthropic; OpenAI's failures add up until its circuit opens.
    for (let i = 0; i < 3; i++) expect(await runOnce(alice.token, wf)).toBe('succeeded');
    // The notice is written after the call, off its path (a failed write never fails a call): wait for it.
    let mine = await list(alice.token);
    for (let i = 0; i < 100 && !mine.find((c) => c.provider === 'openai')?.meta.coolingError; i++) {
      await new Promise((r) => setTimeout(r, 50));
      mine = await list(alice.token);
    }
    const openai = mine.find((c) => c.provider === 'openai')!;
    expect(openai.meta.coolingError).toMatch(/^server \(HTTP 503\) from gpt-/);
    expect(Date.parse(openai.meta.coolingUntil!)).toBeGreaterThan(before);
    expect(Date.parse(openai.meta.coolingUntil!)).toBeGreaterThan(Date.parse(openai.meta.coolingSince!));
    expect(JSON.stringify(openai.meta)).not.toContain('overloaded');
    expect(mine.find((c) => c.provider === 'anthropic')!.meta.coolingUntil).toBeUndefined();
    expect((await list(bob.token))[0]!.meta.coolingUntil).toBeUndefined();
  });
});
