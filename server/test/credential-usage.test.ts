// Where a credential is used: workflows whose current graph names it (config.credentialId) and
// workflows whose runs called with it (usage_events), only ever the caller's own.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleGraph, type TestApp } from './support.ts';

let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
type Usage = { items: { id: string; name: string; active: boolean; inGraph: boolean; lastCallAt: string | null }[] };

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const workflow = async (token: string, name: string) => (await call<{ id: string }>('POST', '/api/workflows', token, { name, graph: sampleGraph() })).body.id;
const key = async (token: string, label: string) => (await call<{ id: string }>('POST', '/api/credentials', token, { provider: 'trello', label, secret: `${'a'.repeat(32)}:ATTA${'b'.repeat(30)}` })).body.id;

/** Names the credential in a node of the workflow's current version (as an integration node's config does). */
async function nameInGraph(workflowId: string, credentialId: string) {
  await sql`update workflow_versions v set graph = jsonb_set(graph, '{nodes,0,config,credentialId}', to_jsonb(${credentialId}::text))
            from workflows w where w.id = v.workflow_id and v.version = w.current_version and w.id = ${workflowId}`.execute(t.db.db);
}

async function called(ownerId: string, workflowId: string, credentialId: string, at: string) {
  await t.db.db
    .insertInto('usage_events')
    .values({ id: randomUUID(), owner_id: ownerId, run_id: null, step_id: null, workflow_id: workflowId, credential_id: credentialId, provider: 'openai', model: 'gpt-4o-mini', tokens_in: 1, tokens_out: 1, tokens_cache_read: 0, tokens_cache_write: 0, tokens_reasoning: 0, cost_micros: 1, baseline_cost_micros: 1, latency_ms: 5, outcome: 'ok', created_at: at })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp('postgres');
  alice = await t.signup();
  bob = await t.signup();
});
afterAll(() => t.close());

describe('GET /api/credentials/:id/workflows', () => {
  it('lists workflows naming the credential and workflows that called with it, merged', async () => {
    const cred = await key(alice.token, 'Board bot');
    const other = await key(alice.token, 'Other');
    const named = await workflow(alice.token, 'Card maker');
    const both = await workflow(alice.token, 'Both ways');
    const onlyCalls = await workflow(alice.token, 'Caller');
    const unrelated = await workflow(alice.token, 'Unrelated');
    await nameInGraph(named, cred);
    await nameInGraph(both, cred);
    await nameInGraph(unrelated, other);
    await called(alice.id, both, cred, '2026-01-02T03:04:05.000Z');
    await called(alice.id, onlyCalls, cred, '2026-01-01T00:00:00.000Z');
    await called(alice.id, onlyCalls, cred, '2026-01-03T00:00:00.000Z');
    await called(alice.id, unrelated, other, '2026-01-03T00:00:00.000Z');

    const res = await call<Usage>('GET', `/api/credentials/${cred}/workflows`, alice.token);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: both, name: 'Both ways', active: false, inGraph: true, lastCallAt: '2026-01-02T03:04:05.000Z' },
      { id: onlyCalls, name: 'Caller', active: false, inGraph: false, lastCallAt: '2026-01-03T00:00:00.000Z' },
      { id: named, name: 'Card maker', active: false, inGraph: true, lastCallAt: null },
    ]);
  });

  it("never shows another owner's workflows, and answers 404 for another owner's credential", async () => {
    const cred = await key(alice.token, 'Shared name');
    const bobs = await workflow(bob.token, 'Bob flow');
    // Even if Bob's graph and usage point at Alice's credential id, Alice does not see Bob's workflow.
    await nameInGraph(bobs, cred);
    await called(bob.id, bobs, cred, '2026-01-01T00:00:00.000Z');
    expect((await call<Usage>('GET', `/api/credentials/${cred}/workflows`, alice.token)).body.items).toEqual([]);
    const res = await call<{ error: { code: string } }>('GET', `/api/credentials/${cred}/workflows`, bob.token);
    expect(res.status).toBe(404);
    expect((await call('GET', '/api/credentials/not-a-uuid/workflows', alice.token)).status).toBe(422);
  });
});
