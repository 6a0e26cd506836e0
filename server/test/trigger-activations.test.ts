// Triggers that register a webhook at their service on activation (Trello's, through the
// framework's TriggerActivation). slack.event stands in for such a trigger, with a recording
// activation injected, so this tests the server's wiring rather than any one service.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findIntegration, type TriggerActivation } from '@keyflow/nodes';
import { NodeError } from '@keyflow/nodes/contract';
import { loadConfig } from '@keyflow/engine';
import { activateTriggers, deactivateTriggers, type ActivationLookup } from '../src/integrations/trigger-activations.ts';
import type { Services } from '../src/http/types.ts';
import { createTestApp, type TestApp } from './support.ts';

const TOKEN = 'xoxb-activation-0123456789';
let t: TestApp;
let alice: { id: string; token: string };
let services: Services;

const calls: { op: string; token: string; callbackUrl?: string; externalId?: string; config: unknown }[] = [];
let failNext = false;
const activation: TriggerActivation = {
  async activate(call, { config, callbackUrl }) {
    calls.push({ op: 'activate', token: call.credential.reveal(), callbackUrl, config });
    if (failNext) {
      failNext = false;
      throw new NodeError('the service said no');
    }
    return { externalId: `ext-${calls.length}` };
  },
  async deactivate(call, { config, externalId }) {
    calls.push({ op: 'deactivate', token: call.credential.reveal(), externalId, config });
  },
};
const lookup: ActivationLookup = (type) => (type === 'slack.event' ? { integration: findIntegration('slack')!, activation } : undefined);

beforeAll(async () => {
  t = await createTestApp('postgres', { KEYFLOW_PUBLIC_URL: 'http://keyflow.test' });
  alice = await t.signup();
  const config = loadConfig({ KEYFLOW_PUBLIC_URL: 'http://keyflow.test', LOG_LEVEL: 'silent' });
  services = { db: t.db.db, keyring: t.keyring, config, log: pino({ level: 'silent' }), engine: t.engine, integrations: { db: t.db.db, keyring: t.keyring, lender: {}, settings: { baseUrl: () => undefined } } } as unknown as Services;
  await t.request('POST', '/api/credentials', { token: alice.token, body: { provider: 'slack', label: 's', secret: TOKEN } });
});
afterAll(() => t.close());

describe('trigger activations', () => {
  it('registers on activate with the owner credential and the trigger URL, and deletes on deactivate', async () => {
    const graph = { nodes: [{ id: 'trg', type: 'slack.event', version: 1, config: { eventTypes: ['message'] }, position: { x: 0, y: 0 } }], edges: [] };
    const wf = (await (await t.request('POST', '/api/workflows', { token: alice.token, body: { name: 'w', graph } })).json()) as { id: string };
    const [hook] = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token: alice.token })).json()) as { url: string }[];
    await activateTriggers(services, alice.id, wf.id, 1, lookup);
    expect(calls.at(-1)).toEqual({ op: 'activate', token: TOKEN, callbackUrl: hook!.url, config: { eventTypes: ['message'] } });
    const row = await t.db.db.selectFrom('webhooks').select('external_id').where('workflow_id', '=', wf.id).executeTakeFirstOrThrow();
    expect(row.external_id).toMatch(/^ext-/);
    await deactivateTriggers(services, alice.id, wf.id, 1, lookup);
    expect(calls.at(-1)).toMatchObject({ op: 'deactivate', token: TOKEN, externalId: row.external_id });
    expect((await t.db.db.selectFrom('webhooks').select('external_id').where('workflow_id', '=', wf.id).executeTakeFirstOrThrow()).external_id).toBeNull();
    // Nothing registered: deactivation calls nothing.
    const n = calls.length;
    await deactivateTriggers(services, alice.id, wf.id, 1, lookup);
    expect(calls.length).toBe(n);
  });

  it('a failing registration names the trigger and leaves nothing registered', async () => {
    const graph = { nodes: [{ id: 'trg', type: 'slack.event', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] };
    const wf = (await (await t.request('POST', '/api/workflows', { token: alice.token, body: { name: 'w2', graph } })).json()) as { id: string };
    failNext = true;
    await expect(activateTriggers(services, alice.id, wf.id, 1, lookup)).rejects.toThrow(/trigger "trg" could not register its webhook: the service said no/);
    expect((await t.db.db.selectFrom('webhooks').select('external_id').where('workflow_id', '=', wf.id).executeTakeFirstOrThrow()).external_id).toBeNull();
  });
});
