// Google end to end through the real server and engine (issue 13, "an end-to-end run"):
//   core.schedule → gmail.list_messages → ai.complete (fake provider) → sheets.append_rows
//                                                                     → asana.create_task
// with the owner's credentials stored through the credentials API and KEYFLOW_GOOGLE_BASE_URL /
// KEYFLOW_ASANA_BASE_URL / KEYFLOW_OPENAI_BASE_URL at loopback fakes. And gmail.new_message over
// the API: activation asks Gmail where to start, each poll starts one run per new message,
// activation without a Google connection is refused naming the trigger.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type Fakes } from '@keyflow/engine/fakes';
import { addFakeToken, startFakeAsana, type FakeAsana } from '@keyflow/nodes/testing/fake-asana';
import { createFakeGoogle, fakeGmail, fakeSheets, type FakeGmailState, type FakeGoogle } from '@keyflow/nodes/testing/fake-google';
import { createTestApp, type TestApp } from './support.ts';

const OPENAI_KEY = `sk-e2e-${randomUUID()}`;
const ANSWER = 'Two customers asked about the beta; one invoice is overdue.';
const pos = { x: 0, y: 0 };

type Step = { nodeId: string; status: string; attempt: number; output: unknown; error: unknown };
type Run = { id: string; status: string; trigger: string; steps: Step[] };

let ai: Fakes;
let google: FakeGoogle;
let box: FakeGmailState;
let asana: FakeAsana;
let t: TestApp;
let user: { id: string; token: string };
let googleToken: string;
let asanaToken: string;
const bodies: string[] = [];

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await t.request(method, path, { token: user.token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function finished(runId: string): Promise<Run> {
  for (let i = 0; i < 750; i++) {
    const { body: run } = await api<Run>('GET', `/api/runs/${runId}`);
    if (['succeeded', 'failed', 'cancelled'].includes(run.status)) return run;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`run ${runId} did not finish`);
}

const runsOf = (workflowId: string, trigger: string) =>
  t.db.db.selectFrom('runs').select(['id', 'trigger_payload']).where('workflow_id', '=', workflowId).where('trigger', '=', trigger).orderBy('created_at').execute();

beforeAll(async () => {
  ai = await startFakes();
  google = await createFakeGoogle();
  box = fakeGmail(google);
  asana = await startFakeAsana();
  t = await createTestApp('postgres', {
    KEYFLOW_OPENAI_BASE_URL: ai.baseUrls.openai,
    KEYFLOW_GOOGLE_BASE_URL: google.url,
    KEYFLOW_ASANA_BASE_URL: asana.url,
    KEYFLOW_MIN_SCHEDULE_SECONDS: '1',
  });
  user = await t.signup();
  googleToken = google.issueToken({ scopes: ['openid', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/spreadsheets'] });
  asanaToken = addFakeToken(asana).token;
});
afterAll(async () => {
  await t?.close();
  await Promise.all([ai?.close(), google?.close(), asana?.close()]);
});

describe('Google end to end', () => {
  it('gmail.new_message: refused without a Google connection, naming the trigger; the workflow stays inactive', async () => {
    const graph = { nodes: [{ id: 'mail', type: 'gmail.new_message', version: 1, config: {}, position: pos }, { id: 'note', type: 'core.transform', version: 1, config: { fields: [{ name: 'subject', value: '{{ $trigger.subject }}' }] }, position: pos }], edges: [{ id: 'e', source: 'mail', target: 'note' }] };
    const wf = await api<{ id: string }>('POST', '/api/workflows', { name: 'No Google yet', graph });
    expect(wf.status).toBe(201);
    const res = await api<{ error: { code: string; message: string } }>('POST', `/api/workflows/${wf.body.id}/activate`);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('trigger_activation_failed');
    expect(res.body.error.message).toContain('trigger "mail" could not start polling: no google credential');
    expect((await api<{ active: boolean }>('GET', `/api/workflows/${wf.body.id}`)).body.active).toBe(false);
    expect(await t.db.db.selectFrom('poll_triggers').selectAll().execute()).toEqual([]);
  });

  it('schedule → Gmail list → AI summary → Sheets append + Asana task, with the owner’s credentials', async () => {
    for (const [provider, secret] of [['openai', OPENAI_KEY], ['google', googleToken], ['asana', asanaToken]] as const) {
      expect((await api('POST', '/api/credentials', { provider, label: `${provider} (e2e)`, secret })).status, provider).toBe(201);
    }
    box.deliver({ from: 'Acme <ops@acme.example>', subject: 'Beta access?', text: 'Can our team join the beta?' });
    box.deliver({ from: 'Billing <ap@globex.example>', subject: 'Invoice 1042 overdue', text: 'Reminder: invoice 1042 is overdue.' });
    const sheet = fakeSheets(google).addSpreadsheet('Inbox digest', { Digest: [['When', 'Summary', 'Emails']] });
    const project = asana.projects[0]!;
    for (let i = 0; i < 5; i++) ai.servers.openai.enqueue({ text: ANSWER });

    const graph = {
      nodes: [
        { id: 'tick', type: 'core.schedule', version: 1, config: { cron: '* * * * * *', timezone: 'UTC' }, position: pos },
        { id: 'list', type: 'gmail.list_messages', version: 1, config: { q: 'is:unread', maxResults: 10 }, position: pos },
        { id: 'ask', type: 'ai.complete', version: 1, config: { prompt: 'Summarise these emails in one line: {{ $node["list"].output.messages }}', tier: 'economy', maxTokens: 128 }, position: pos },
        { id: 'append', type: 'sheets.append_rows', version: 1, config: { spreadsheetId: sheet.spreadsheetId, range: 'Digest!A:C', rows: [['{{ $trigger.firedAt }}', '{{ $node["ask"].output.text }}', '{{ length($node["list"].output.messages) }}']] }, position: pos },
        { id: 'task', type: 'asana.create_task', version: 1, config: { projectId: project.gid, name: 'Inbox digest: {{ $node["ask"].output.text }}', notes: 'From {{ length($node["list"].output.messages) }} emails' }, position: pos },
      ],
      edges: [
        { id: 'e1', source: 'tick', target: 'list' },
        { id: 'e2', source: 'list', target: 'ask' },
        { id: 'e3', source: 'ask', target: 'append' },
        { id: 'e4', source: 'ask', target: 'task' },
      ],
    };
    const wf = await api<{ id: string }>('POST', '/api/workflows', { name: 'Inbox digest', graph });
    expect(wf.status).toBe(201);
    expect((await api('POST', `/api/workflows/${wf.body.id}/activate`)).status).toBe(200);
    let started: { id: string }[] = [];
    for (let i = 0; i < 200 && started.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      started = await runsOf(wf.body.id, 'schedule');
    }
    expect((await api('POST', `/api/workflows/${wf.body.id}/deactivate`)).status).toBe(200);
    expect(started.length).toBeGreaterThan(0);
    const runs = await Promise.all((await runsOf(wf.body.id, 'schedule')).map((r) => finished(r.id)));
    const run = runs[0]!;

    expect(run.status, JSON.stringify(run.steps.map((s) => [s.nodeId, s.status, s.error]))).toBe('succeeded');
    for (const s of run.steps) expect(s, s.nodeId).toMatchObject({ status: 'succeeded', attempt: 1, error: null });
    const out = Object.fromEntries(run.steps.map((s) => [s.nodeId, s.output])) as Record<string, Record<string, unknown>>;
    expect((out.list!.messages as { subject: string }[]).map((m) => m.subject).sort()).toEqual(['Beta access?', 'Invoice 1042 overdue']);
    expect(out.ask).toMatchObject({ text: ANSWER, provider: 'openai' });
    expect(out.append).toMatchObject({ spreadsheetId: sheet.spreadsheetId, updatedRows: 1 });
    expect(out.task).toMatchObject({ gid: expect.any(String), url: expect.stringContaining('asana') });

    // What each service received: the owner's credentials and the text built from the AI answer.
    const gmailCalls = google.requests.filter((r) => r.path.startsWith('/gmail/'));
    expect(gmailCalls.length).toBeGreaterThanOrEqual(3);
    for (const r of gmailCalls) expect(r.headers.authorization).toBe(`Bearer ${googleToken}`);
    expect(gmailCalls[0]!.query.get('q')).toBe('is:unread');
    expect(JSON.stringify(ai.servers.openai.requests[0]!.body)).toContain('Invoice 1042 overdue');
    expect(ai.servers.openai.requests[0]!.key).toBe(OPENAI_KEY);
    const rows = sheet.sheets.get('Digest')!;
    expect(rows).toHaveLength(1 + runs.filter((r) => r.status === 'succeeded').length);
    expect(rows[1]!.slice(1)).toEqual([ANSWER, 2]);
    const task = asana.tasks.find((x) => x.gid === (out.task as { gid: string }).gid)!;
    expect(task).toBeDefined();
    expect(JSON.stringify(task)).toContain(`Inbox digest: ${ANSWER}`);

    // No secret in what the owner got back nor in the stored steps.
    const stored = JSON.stringify(await t.db.db.selectFrom('run_steps').selectAll().where('run_id', '=', run.id).execute());
    for (const secret of [OPENAI_KEY, googleToken, asanaToken]) {
      expect(bodies.join('\n').includes(secret), 'a secret in an API response').toBe(false);
      expect(stored.includes(secret), 'a secret in run_steps').toBe(false);
    }
  });

  it('gmail.new_message over the API: activation stores the mailbox position, each poll starts one run per new email', async () => {
    box.deliver({ from: 'old@example.com', subject: 'before activation', text: 'x' });
    const graph = {
      nodes: [
        { id: 'mail', type: 'gmail.new_message', version: 1, config: { labelId: 'INBOX' }, position: pos },
        { id: 'note', type: 'core.transform', version: 1, config: { fields: [{ name: 'subject', value: '{{ $node["mail"].output.subject }}' }] }, position: pos },
      ],
      edges: [{ id: 'e', source: 'mail', target: 'note' }],
    };
    const wf = await api<{ id: string }>('POST', '/api/workflows', { name: 'On new mail', graph });
    expect((await api('POST', `/api/workflows/${wf.body.id}/activate`)).status).toBe(200);
    const state = await t.db.db.selectFrom('poll_triggers').selectAll().where('workflow_id', '=', wf.body.id).executeTakeFirstOrThrow();
    expect(state).toMatchObject({ node_id: 'mail', cursor: box.historyId(), interval_ms: 60_000, owner_id: user.id });

    const fresh = box.deliver({ from: 'Ann <ann@example.com>', subject: 'Hello from Ann', text: 'hi' });
    const outcome = await t.engine.pollNow(user.id, wf.body.id, 'mail');
    expect(outcome.runIds).toHaveLength(1);
    expect((await t.engine.pollNow(user.id, wf.body.id, 'mail')).runIds).toHaveLength(0);
    const run = await finished(outcome.runIds[0]!);
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'mail')!.output).toMatchObject({ messageId: fresh.id, from: 'Ann <ann@example.com>', subject: 'Hello from Ann' });
    expect(run.steps.find((s) => s.nodeId === 'note')!.output).toMatchObject({ subject: 'Hello from Ann' });

    // The token is revoked at Google: the poll writes nothing, and the connections page says the credential is broken.
    google.tokens.get(googleToken)!.revoked = true;
    box.deliver({ from: 'Ann <ann@example.com>', subject: 'unseen for now', text: 'x' });
    expect(await t.engine.pollNow(user.id, wf.body.id, 'mail')).toEqual({ runIds: [], skipped: 'failed' });
    const { body: connections } = await api<{ items: { service: string; status: string; lastError: string | null }[] }>('GET', '/api/connections');
    expect(connections.items.find((c) => c.service === 'google')).toMatchObject({ status: 'invalid', lastError: expect.stringContaining('Google') });

    expect((await api('POST', `/api/workflows/${wf.body.id}/deactivate`)).status).toBe(200);
    expect(await t.db.db.selectFrom('poll_triggers').selectAll().where('workflow_id', '=', wf.body.id).execute()).toEqual([]);
  });
});
