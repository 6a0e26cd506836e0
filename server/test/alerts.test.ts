// Alerts end to end: an owner turns on failure alerts with email (a loopback SMTP server), Slack
// (the fake Slack Web API, through their Slack connection) and a signed webhook (a loopback
// receiver, reached through the SSRF-guarded fetch). A workflow that fails three times inside
// the window sends one alert per channel, not three, with a link to the run. Budget thresholds
// and invalid credentials are raised once per window too.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService, createSafeFetch, parseAllowList, settings } from '@keyflow/engine';
import { startFakeSlack, type FakeSlack } from '@keyflow/nodes/testing/fake-slack';
import { startFakeSmtp, type FakeSmtp } from './fake-smtp.ts';
import { createTestApp, type TestApp } from './support.ts';

const SLACK_TOKEN = 'xoxb-alerts-test-4b9e2d7c1a';
const HOOK_SECRET = 'alert-hook-secret-0123456789';
let smtp: FakeSmtp;
let slack: FakeSlack;
let receiver: Server;
let receiverUrl = '';
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let t: TestApp;
let alice: { id: string; email: string; token: string };
let bob: { id: string; email: string; token: string };

const api = async <T>(method: string, path: string, body?: unknown, who = alice): Promise<{ status: number; body: T }> => {
  const res = await t.request(method, path, { token: who.token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
};

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  smtp = await startFakeSmtp();
  slack = await startFakeSlack();
  slack.tokens = new Map([[SLACK_TOKEN, ['chat:write']]]);
  slack.channels = [{ id: 'C0ALERTS', name: 'alerts', is_member: true }];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/keyflow-alerts`;
  t = await createTestApp('postgres', { KEYFLOW_SMTP_URL: smtp.url, KEYFLOW_ALERT_FROM: 'Keyflow <alerts@keyflow.test>', KEYFLOW_HTTP_ALLOW: '127.0.0.1', KEYFLOW_SLACK_BASE_URL: slack.apiUrl, KEYFLOW_PUBLIC_URL: 'https://keyflow.example.test' });
  alice = await t.signup();
  bob = await t.signup();
}, 30_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await slack?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('alert settings', () => {
  it('are off by default, saved per owner, and never answer the webhook secret', async () => {
    const initial = await api<{ workflowFailures: { enabled: boolean }; email: { configured: boolean } }>('GET', '/api/alerts/settings');
    expect(initial.status).toBe(200);
    expect(initial.body.workflowFailures.enabled).toBe(false);
    expect(initial.body.email.configured).toBe(true);
    const slackId = (await api<{ id: string }>('POST', '/api/credentials', { provider: 'slack', label: 'Alerts Slack', secret: SLACK_TOKEN })).body.id;
    const saved = await api<Record<string, unknown>>('PUT', '/api/alerts/settings', {
      email: { enabled: true },
      slack: { enabled: true, credentialId: slackId, channel: 'C0ALERTS' },
      webhook: { enabled: true, url: receiverUrl, secret: HOOK_SECRET },
      workflowFailures: { enabled: true, mode: 'first', minutes: 60 },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ webhook: { enabled: true, url: receiverUrl, hasSecret: true }, slack: { credentialId: slackId } });
    expect(JSON.stringify(saved.body)).not.toContain(HOOK_SECRET);
    const stored = await t.db.db.selectFrom('alert_settings').selectAll().where('owner_id', '=', alice.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(HOOK_SECRET);
    // Another owner sees only their own (default) settings.
    expect((await api<{ webhook: { url: string | null } }>('GET', '/api/alerts/settings', undefined, bob)).body.webhook.url).toBeNull();
  });

  it('refuses a Slack connection that is not the caller’s, naming the field, and writes nothing', async () => {
    const bobsSlack = (await api<{ id: string }>('POST', '/api/credentials', { provider: 'slack', label: 'Bob Slack', secret: SLACK_TOKEN }, bob)).body.id;
    const before = await t.db.db.selectFrom('alert_settings').select('updated_at').where('owner_id', '=', alice.id).executeTakeFirstOrThrow();
    const res = await api<{ error: { issues: { path: string[] }[] } }>('PUT', '/api/alerts/settings', { slack: { credentialId: bobsSlack } });
    expect(res.status).toBe(422);
    expect(res.body.error.issues[0]!.path).toEqual(['body', 'slack', 'credentialId']);
    const after = await t.db.db.selectFrom('alert_settings').select('updated_at').where('owner_id', '=', alice.id).executeTakeFirstOrThrow();
    expect(after.updated_at).toEqual(before.updated_at);
    expect((await api('PUT', '/api/alerts/settings', { webhook: { url: 'ftp://example.test/x' } })).status).toBe(422);
  });
});

describe('a failing workflow', () => {
  it('sends one alert per channel for three failures inside the window, with a link to the run', async () => {
    const graph = {
      nodes: [
        { id: 'start', type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } },
        { id: 'boom', type: 'core.code', version: 1, config: { code: 'throw new Error("boom")' }, position: { x: 240, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'boom' }],
    };
    const wf = (await api<{ id: string }>('POST', '/api/workflows', { name: 'Nightly sync', graph })).body;
    const runIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const runId = (await api<{ runId: string }>('POST', `/api/workflows/${wf.id}/run`, { payload: {} })).body.runId;
      runIds.push(runId);
      await until(`run ${runId} to fail`, async () => ((await api<{ status: string }>('GET', `/api/runs/${runId}`)).body.status === 'failed' ? true : undefined));
    }
    const event = await until('the alert to be delivered and counted', async () => {
      const row = await t.db.db.selectFrom('alert_events').selectAll().where('owner_id', '=', alice.id).where('kind', '=', 'workflow_failed').executeTakeFirst();
      return row && row.suppressed === 2 && (row.deliveries as unknown[]).length === 3 ? row : undefined;
    });
    expect(event.deliveries).toEqual([{ channel: 'email', ok: true }, { channel: 'slack', ok: true }, { channel: 'webhook', ok: true }]);
    const link = `https://keyflow.example.test/workflows/${wf.id}?run=${runIds[0]}`;
    expect(event.link).toBe(link);

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual([alice.email]);
    expect(smtp.mails[0]!.text).toMatch(/Subject: \[Keyflow\] "Nightly sync" failed/);
    expect(smtp.mails[0]!.text).toContain(link);

    const posts = slack.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.token).toBe(SLACK_TOKEN);
    expect(posts[0]!.params.channel).toBe('C0ALERTS');
    expect(posts[0]!.params.text).toContain(link);

    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['x-keyflow-signature']))!;
    expect(sig).not.toBeNull();
    expect(sig[2]).toBe(createHmac('sha256', HOOK_SECRET).update(`${sig[1]}.${body}`).digest('hex'));
    expect(JSON.parse(body)).toMatchObject({ kind: 'workflow_failed', link });

    const listed = await api<{ items: { kind: string; suppressed: number }[] }>('GET', '/api/alerts');
    expect(listed.body.items).toEqual([expect.objectContaining({ kind: 'workflow_failed', suppressed: 2 })]);
    expect((await api<{ items: unknown[] }>('GET', '/api/alerts', undefined, bob)).body.items).toEqual([]);

    // The Activity page's figures: this owner's runs and failures per hour, and their keys' health.
    const activity = await api<{ hours: { runs: number; failed: number }[]; totals: { runs: number; failed: number }; health: Record<string, number> }>('GET', '/api/activity?hours=6');
    expect(activity.status).toBe(200);
    expect(activity.body.hours).toHaveLength(6);
    expect(activity.body.totals).toMatchObject({ runs: 3, failed: 3 });
    expect(Object.values(activity.body.health).reduce((a, b) => a + b, 0)).toBe(1);
    expect((await api<{ totals: { runs: number } }>('GET', '/api/activity', undefined, bob)).body.totals.runs).toBe(0);
    expect((await api('GET', '/api/activity?hours=1000')).status).toBe(422);
  }, 60_000);
});

describe('budget and credential alerts', () => {
  const service = () => new AlertService({ db: t.db.db, keyring: t.keyring, log: pino({ level: 'silent' }), publicUrl: 'https://keyflow.example.test', smtp: { url: smtp.url, from: 'alerts@keyflow.test' }, fetch: createSafeFetch({ allow: parseAllowList('127.0.0.1') }), slack: { lender: {}, settings: { baseUrl: () => undefined } } });
  const emailOnly = { email: { enabled: true }, slack: { enabled: false }, webhook: { enabled: false } };

  it('alerts once at 80% and once at 100% of the monthly budget', async () => {
    const carol = await t.signup();
    await settings.saveSettings(t.db.db, carol.id, { monthlyBudgetMicros: 10_000_000 });
    expect((await api('PUT', '/api/alerts/settings', { ...emailOnly, budget: { enabled: true, thresholds: [80, 100] } }, carol)).status).toBe(200);
    const spend = (micros: number) => t.db.db.insertInto('usage_events').values({ id: randomUUID(), owner_id: carol.id, run_id: null, step_id: null, workflow_id: null, credential_id: null, provider: 'openai', model: 'gpt-4.1-nano', tokens_in: 1, tokens_out: 1, tokens_cache_read: 0, tokens_cache_write: 0, tokens_reasoning: 0, cost_micros: micros, baseline_cost_micros: micros, latency_ms: 1, outcome: 'ok' }).execute();
    const mailsTo = () => smtp.mails.filter((m) => m.to.includes(carol.email));
    const s = service();
    await spend(7_000_000);
    await s.checkBudget(carol.id);
    expect(mailsTo()).toHaveLength(0);
    await spend(1_500_000);
    await s.checkBudget(carol.id);
    await s.checkBudget(carol.id);
    expect(mailsTo()).toHaveLength(1);
    expect(mailsTo()[0]!.text).toContain('80%');
    await spend(2_000_000);
    await s.checkBudget(carol.id);
    await s.checkBudget(carol.id);
    expect(mailsTo()).toHaveLength(2);
    expect(mailsTo()[1]!.text).toContain('100%');
  });

  it('alerts once when a credential turns invalid, however often the check runs', async () => {
    const dave = await t.signup();
    expect((await api('PUT', '/api/alerts/settings', { ...emailOnly, credentialInvalid: { enabled: true } }, dave)).status).toBe(200);
    const id = (await api<{ id: string }>('POST', '/api/credentials', { provider: 'openai', label: 'Prod key', secret: `sk-${randomUUID()}` }, dave)).body.id;
    const mailsTo = () => smtp.mails.filter((m) => m.to.includes(dave.email));
    const s = service();
    await s.sweep();
    expect(mailsTo()).toHaveLength(0);
    await t.db.db.updateTable('credentials').set({ status: 'invalid' }).where('id', '=', id).execute();
    await s.sweep();
    await s.sweep();
    expect(mailsTo()).toHaveLength(1);
    expect(mailsTo()[0]!.text).toContain('Prod key');
  });

  it('alerts once when a provider stays in cool-down past the owner’s minutes', async () => {
    const erin = await t.signup();
    expect((await api('PUT', '/api/alerts/settings', { ...emailOnly, providerCooldown: { enabled: true, minutes: 15 } }, erin)).status).toBe(200);
    let sinceMs = 10 * 60_000;
    const s = new AlertService({ db: t.db.db, keyring: t.keyring, log: pino({ level: 'silent' }), publicUrl: 'https://keyflow.example.test', smtp: { url: smtp.url, from: 'alerts@keyflow.test' }, fetch: createSafeFetch(), slack: { lender: {}, settings: { baseUrl: () => undefined } }, coolingDown: () => [{ ownerId: erin.id, provider: 'anthropic', sinceMs }, { ownerId: randomUUID(), provider: 'openai', sinceMs }] });
    const mailsTo = () => smtp.mails.filter((m) => m.to.includes(erin.email));
    await s.sweep();
    expect(mailsTo()).toHaveLength(0);
    sinceMs = 16 * 60_000;
    await s.sweep();
    await s.sweep();
    expect(mailsTo()).toHaveLength(1);
    expect(mailsTo()[0]!.text).toContain('anthropic has been in cool-down for 16 min');
  });

  it('records a refused email in its own words, never the mail server’s answer', async () => {
    const fay = await t.signup();
    expect((await api('PUT', '/api/alerts/settings', { ...emailOnly, credentialInvalid: { enabled: true } }, fay)).status).toBe(200);
    const id = (await api<{ id: string }>('POST', '/api/credentials', { provider: 'openai', label: 'Old key', secret: `sk-${randomUUID()}` }, fay)).body.id;
    await t.db.db.updateTable('credentials').set({ status: 'invalid' }).where('id', '=', id).execute();
    smtp.refuseRecipients = '550 5.1.1 <ops@internal-mx.corp.example> relay denied by mx7.corp.example';
    try {
      await service().sweep();
    } finally {
      smtp.refuseRecipients = undefined;
    }
    const listed = await api<{ items: { deliveries: { channel: string; ok: boolean; error?: string }[] }[] }>('GET', '/api/alerts', undefined, fay);
    expect(listed.body.items[0]!.deliveries).toEqual([{ channel: 'email', ok: false, error: expect.stringMatching(/^the mail server did not accept the message/) }]);
    expect(JSON.stringify(listed.body)).not.toMatch(/corp\.example|relay denied/);
  });
});
