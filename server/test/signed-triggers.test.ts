// Telegram, Typeform, Cal.com and Webflow triggers through the real server route and engine,
// with each fake as KEYFLOW_<SERVICE>_BASE_URL. Telegram and Typeform: activation registers the
// webhook at the service with a secret Keyflow generated, stored sealed as the trigger's secret;
// deactivation removes it. Cal.com and Webflow: the owner stores the secret. For each: a
// correctly signed delivery starts one run, a wrong secret or a body changed after signing is
// 401, a replay starts no second run, filtered deliveries start nothing; Webflow refuses stale
// timestamps. A Telegram run replies with send_message and the bot token is in no run record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calcomDelivery, calcomSignature } from '@keyflow/nodes/testing/fake-calcom';
import { startFakeTelegram, telegramTextUpdate, type FakeBot, type FakeTelegram } from '@keyflow/nodes/testing/fake-telegram';
import { sampleTypeformAnswers, startFakeTypeform, typeformDelivery, typeformSignature, type FakeTypeform } from '@keyflow/nodes/testing/fake-typeform';
import { webflowDelivery, webflowSignature } from '@keyflow/nodes/testing/fake-webflow';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let telegram: FakeTelegram;
let typeform: FakeTypeform;
let bot: FakeBot;
let token: string;

beforeAll(async () => {
  telegram = await startFakeTelegram();
  typeform = await startFakeTypeform();
  bot = telegram.addBot();
  t = await createTestApp('postgres', { KEYFLOW_TELEGRAM_BASE_URL: telegram.url, KEYFLOW_TYPEFORM_BASE_URL: typeform.url });
  token = (await t.signup()).token;
});
afterAll(async () => {
  await t.close();
  await telegram.close();
  await typeform.close();
});

const pos = { x: 0, y: 0 };
type Run = { status: string; steps: { nodeId: string; status: string; output: unknown; error: unknown }[] };

async function waitForRun(runId: string): Promise<Run> {
  for (let i = 0; i < 200; i++) {
    const run = (await (await t.request('GET', `/api/runs/${runId}`, { token })).json()) as Run;
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('run did not finish');
}

async function workflow(name: string, nodes: unknown[], edges: unknown[] = []): Promise<{ id: string; hookUrl: string }> {
  const id = ((await (await t.request('POST', '/api/workflows', { token, body: { name, graph: { nodes, edges } } })).json()) as { id: string }).id;
  expect((await t.request('POST', `/api/workflows/${id}/activate`, { token })).status).toBe(200);
  const hooks = (await (await t.request('GET', `/api/workflows/${id}/webhooks`, { token })).json()) as { url: string }[];
  return { id, hookUrl: hooks[0]!.url };
}

const post = (hookUrl: string, body: string, headers: Record<string, string>) => t.app.request(new URL(hookUrl).pathname, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
const runIdOf = async (res: Response) => ((await res.json()) as { runId: string }).runId;
const sealedSecret = async (workflowId: string) => (await t.db.db.selectFrom('webhooks').select(['signing_ciphertext', 'external_id']).where('workflow_id', '=', workflowId).executeTakeFirstOrThrow());

describe('telegram.message on the server', () => {
  let wf: { id: string; hookUrl: string };
  const secretOf = () => telegram.webhooks.get(bot.token)!.secretToken!;

  it('a bot token is checked for shape; the credential test calls getMe', async () => {
    const bad = await t.request('POST', '/api/credentials', { token, body: { provider: 'telegram', label: 'bot', secret: 'not-a-bot-token' } });
    expect(bad.status).toBe(422);
    const cred = await t.request('POST', '/api/credentials', { token, body: { provider: 'telegram', label: 'bot', secret: bot.token } });
    expect(cred.status).toBe(201);
    const created = (await cred.json()) as { id: string; hint: string };
    expect(created.hint).not.toContain(bot.token.split(':')[1]!.slice(0, 8));
    const tested = (await (await t.request('POST', `/api/credentials/${created.id}/test`, { token })).json()) as { status: string };
    expect(tested.status).toBe('valid');
  });

  it('activation sets the webhook with a generated secret_token, stored sealed; the hook shows as signed', async () => {
    wf = await workflow('telegram bot', [
      { id: 'tg', type: 'telegram.message', version: 1, config: { textStartsWith: '/' }, position: pos },
      { id: 'reply', type: 'telegram.send_message', version: 1, config: { chatId: '{{ $node["tg"].output.message.chat.id }}', text: 'You said {{ $node["tg"].output.message.text }}' }, position: pos },
    ], [{ id: 'e', source: 'tg', target: 'reply' }]);
    expect(telegram.webhooks.get(bot.token)).toMatchObject({ url: wf.hookUrl, allowedUpdates: ['message'] });
    const row = await sealedSecret(wf.id);
    expect(row.signing_ciphertext).toBeTruthy();
    expect(row.signing_ciphertext).not.toContain(secretOf());
    const hooks = (await (await t.request('GET', `/api/workflows/${wf.id}/webhooks`, { token })).json()) as { signed: boolean }[];
    expect(hooks[0]!.signed).toBe(true);
  });

  it('refuses a missing or wrong secret token', async () => {
    const body = JSON.stringify(telegramTextUpdate(telegram.nextUpdateId(), '/start'));
    expect((await post(wf.hookUrl, body, {})).status).toBe(401);
    expect((await post(wf.hookUrl, body, { 'x-telegram-bot-api-secret-token': `${secretOf()}x` })).status).toBe(401);
  });

  it('a message starts one run that replies through sendMessage; the same update again starts none; the token is in no run record', async () => {
    const body = JSON.stringify(telegramTextUpdate(telegram.nextUpdateId(), '/price'));
    const first = await post(wf.hookUrl, body, { 'x-telegram-bot-api-secret-token': secretOf() });
    expect(first.status).toBe(202);
    const again = await post(wf.hookUrl, body, { 'x-telegram-bot-api-secret-token': secretOf() });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const run = await waitForRun(await runIdOf(first));
    expect(run.status).toBe('succeeded');
    expect(telegram.sent.filter((s) => s.text === 'You said /price')).toEqual([expect.objectContaining({ chatId: '424242', token: bot.token })]);
    expect(JSON.stringify(run)).not.toContain(bot.token.split(':')[1]!);
    // Filtered: no leading '/'.
    const plain = await post(wf.hookUrl, JSON.stringify(telegramTextUpdate(telegram.nextUpdateId(), 'hello')), { 'x-telegram-bot-api-secret-token': secretOf() });
    expect(await plain.json()).toMatchObject({ status: 'ignored' });
  });

  it('deactivation deletes the webhook', async () => {
    expect((await t.request('POST', `/api/workflows/${wf.id}/deactivate`, { token })).status).toBe(200);
    expect(telegram.webhooks.has(bot.token)).toBe(false);
  });
});

describe('typeform.response on the server', () => {
  let wf: { id: string; hookUrl: string };
  const secretOf = () => typeform.webhooks[0]!.secret!;

  it('activation PUTs the form webhook with a generated secret, stored sealed', async () => {
    expect((await t.request('POST', '/api/credentials', { token, body: { provider: 'typeform', label: 'tf', secret: typeform.token } })).status).toBe(201);
    wf = await workflow('typeform feedback', [{ id: 'tf', type: 'typeform.response', version: 1, config: { formId: 'u6nXL7' }, position: pos }]);
    expect(typeform.webhooks).toEqual([expect.objectContaining({ formId: 'u6nXL7', url: wf.hookUrl, enabled: true, verifySsl: true })]);
    expect((await sealedSecret(wf.id)).signing_ciphertext).toBeTruthy();
  });

  it('checks Typeform-Signature over the raw body; a replayed event_id starts no second run', async () => {
    const body = typeformDelivery('u6nXL7', sampleTypeformAnswers(10), 'EVT-server-1');
    expect((await post(wf.hookUrl, body, { 'typeform-signature': typeformSignature('wrong-secret-000000', body) })).status).toBe(401);
    expect((await post(wf.hookUrl, body.replace('lead@example.com', 'evil@example.com'), { 'typeform-signature': typeformSignature(secretOf(), body) })).status).toBe(401);
    const first = await post(wf.hookUrl, body, { 'typeform-signature': typeformSignature(secretOf(), body) });
    expect(first.status).toBe(202);
    const again = await post(wf.hookUrl, body, { 'typeform-signature': typeformSignature(secretOf(), body) });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const run = await waitForRun(await runIdOf(first));
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.nodeId === 'tf')!.output).toMatchObject({ fields: { 'How do you rate us?': 10, Email: 'lead@example.com' } });
  });

  it('deactivation deletes the webhook', async () => {
    expect((await t.request('POST', `/api/workflows/${wf.id}/deactivate`, { token })).status).toBe(200);
    expect(typeform.webhooks).toEqual([]);
  });
});

describe('calcom.booking and webflow.form_submission on the server (owner-stored secrets)', () => {
  const CAL_SECRET = 'cal-webhook-secret-0123456789';
  const WEBFLOW_SECRET = 'webflow-client-secret-0123456789abcdef';
  let cal: { id: string; hookUrl: string };
  let webflow: { id: string; hookUrl: string };

  it('refuses every delivery until the secret is stored', async () => {
    cal = await workflow('cal bookings', [{ id: 'cal', type: 'calcom.booking', version: 1, config: { events: ['BOOKING_CREATED'] }, position: pos }]);
    webflow = await workflow('webflow forms', [{ id: 'wf', type: 'webflow.form_submission', version: 1, config: { formName: 'Contact' }, position: pos }]);
    const body = calcomDelivery('BOOKING_CREATED');
    expect((await post(cal.hookUrl, body, { 'x-cal-signature-256': calcomSignature(CAL_SECRET, body) })).status).toBe(401);
    expect((await t.request('PUT', `/api/workflows/${cal.id}/webhooks/cal/signature`, { token, body: { preset: 'calcom', secret: CAL_SECRET } })).status).toBe(200);
    expect((await t.request('PUT', `/api/workflows/${webflow.id}/webhooks/wf/signature`, { token, body: { preset: 'webflow', secret: WEBFLOW_SECRET } })).status).toBe(200);
  });

  it('Cal.com: signature, tampering, replay, event filter', async () => {
    const body = calcomDelivery('BOOKING_CREATED', 'uid-server-1');
    const sign = (b: string, s = CAL_SECRET) => ({ 'x-cal-signature-256': calcomSignature(s, b) });
    expect((await post(cal.hookUrl, body, sign(body, 'another-secret-0000'))).status).toBe(401);
    expect((await post(cal.hookUrl, body.replace('Grace', 'Mallory'), sign(body))).status).toBe(401);
    const first = await post(cal.hookUrl, body, sign(body));
    expect(first.status).toBe(202);
    expect(await (await post(cal.hookUrl, body, sign(body))).json()).toMatchObject({ status: 'duplicate' });
    const run = await waitForRun(await runIdOf(first));
    expect(run.steps[0]!.output).toMatchObject({ event: 'BOOKING_CREATED', attendees: [{ name: 'Grace', email: 'grace@example.com' }] });
    const cancelled = calcomDelivery('BOOKING_CANCELLED', 'uid-server-1');
    expect(await (await post(cal.hookUrl, cancelled, sign(cancelled))).json()).toMatchObject({ status: 'ignored' });
  });

  it('Webflow: signature over timestamp:body, stale and future timestamps, tampering, replay, form filter', async () => {
    const body = webflowDelivery('Contact', { Email: 'ada@example.com' }, 'sub-server-1');
    const sign = (b: string, ts = String(Date.now()), s = WEBFLOW_SECRET) => ({ 'x-webflow-timestamp': ts, 'x-webflow-signature': webflowSignature(s, ts, b) });
    expect((await post(webflow.hookUrl, body, sign(body, undefined, 'another-secret-0000'))).status).toBe(401);
    expect((await post(webflow.hookUrl, body.replace('ada@', 'eve@'), sign(body))).status).toBe(401);
    const stale = await post(webflow.hookUrl, body, sign(body, String(Date.now() - 6 * 60_000)));
    expect(stale.status).toBe(401);
    expect(JSON.stringify(await stale.json())).toContain('timestamp_out_of_range');
    expect((await post(webflow.hookUrl, body, sign(body, String(Date.now() + 6 * 60_000)))).status).toBe(401);
    // The timestamp is signed: moving it makes the signature wrong.
    const ts = String(Date.now());
    expect((await post(webflow.hookUrl, body, { ...sign(body, ts), 'x-webflow-timestamp': String(Number(ts) + 1) })).status).toBe(401);
    const first = await post(webflow.hookUrl, body, sign(body));
    expect(first.status).toBe(202);
    expect(await (await post(webflow.hookUrl, body, sign(body))).json()).toMatchObject({ status: 'duplicate' });
    const run = await waitForRun(await runIdOf(first));
    expect(run.steps[0]!.output).toMatchObject({ formName: 'Contact', data: { Email: 'ada@example.com' } });
    const other = webflowDelivery('Newsletter', { Email: 'x@example.com' });
    expect(await (await post(webflow.hookUrl, other, sign(other))).json()).toMatchObject({ status: 'ignored' });
  });
});
