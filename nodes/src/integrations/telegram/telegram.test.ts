// Telegram against the fake Bot API: the trigger's secret-token check, filters and delivery id,
// activation (setWebhook with a fresh secret_token) and deactivation, send_message / send_photo,
// Telegram's error envelope as engine errors, and the bot token (in the URL path) in no log,
// error or output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError, RetryAfterNodeError } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import type { InboundRequest } from '../framework/index.ts';
import { telegramMessageActivation } from './activation.ts';
import { telegramIdentity } from './identity.ts';
import { receiveTelegramUpdate, telegramMessageTrigger, verifyTelegramDelivery } from './message.trigger.ts';
import { sendMessageNode, sendPhotoNode } from './send.node.ts';
import { startFakeTelegram, telegramTextUpdate, type FakeBot, type FakeTelegram } from './testing/fake-telegram.ts';

let fake: FakeTelegram;
let bot: FakeBot;
beforeAll(async () => {
  fake = await startFakeTelegram();
  bot = fake.addBot();
});
afterAll(() => fake.close());

const credential = (secret = bot.token) => testCredential({ provider: 'telegram', secret });
const ctxFor = <C>(config: C, secret?: string) => createIntegrationTestContext(config, { credential: credential(secret), baseUrls: { telegram: fake.url } });
const inbound = (body: unknown, headers: Record<string, string> = {}): InboundRequest => ({ method: 'POST', headers, body, rawBody: Buffer.from(JSON.stringify(body)), url: 'https://keyflow.test/hooks/x', now: new Date() });

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('telegram.message delivery', () => {
  const secret = 'Zk3_secret-token-0123456789abcdefABCDEF';
  it.each([
    ['the right token', { 'x-telegram-bot-api-secret-token': secret }, true],
    ['a wrong token', { 'x-telegram-bot-api-secret-token': `${secret.slice(0, -1)}x` }, false],
    ['a longer token', { 'x-telegram-bot-api-secret-token': `${secret}x` }, false],
    ['no header', {}, false],
  ])('accepts only the stored secret token: %s', (_name, headers, expected) => {
    expect(verifyTelegramDelivery(inbound({ update_id: 1 }, headers), secret)).toBe(expected);
  });

  it('an empty stored secret verifies nothing', () => {
    expect(verifyTelegramDelivery(inbound({ update_id: 1 }, { 'x-telegram-bot-api-secret-token': '' }), '')).toBe(false);
  });

  it('names the run by update_id and filters by update type, chat and text', () => {
    expect(receiveTelegramUpdate(inbound(telegramTextUpdate(9001, 'hello')), {})).toEqual({ kind: 'run', deliveryId: 'telegram:9001' });
    expect(receiveTelegramUpdate(inbound(telegramTextUpdate(9002, 'hello')), { chatIds: ['-100777'] })).toMatchObject({ kind: 'ignore' });
    expect(receiveTelegramUpdate(inbound(telegramTextUpdate(9003, 'hello', -100777)), { chatIds: ['-100777'] })).toMatchObject({ kind: 'run' });
    expect(receiveTelegramUpdate(inbound(telegramTextUpdate(9004, 'hello')), { textStartsWith: '/price' })).toMatchObject({ kind: 'ignore' });
    expect(receiveTelegramUpdate(inbound(telegramTextUpdate(9005, '/price USDT')), { textStartsWith: '/price' })).toMatchObject({ kind: 'run' });
    const edited = { update_id: 9006, edited_message: (telegramTextUpdate(1, 'x') as { message: unknown }).message };
    expect(receiveTelegramUpdate(inbound(edited), {})).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('edited_message') });
    expect(receiveTelegramUpdate(inbound(edited), { updateTypes: ['message', 'edited_message'] })).toMatchObject({ kind: 'run' });
    expect(receiveTelegramUpdate(inbound({ nope: true }), {})).toMatchObject({ kind: 'answer', status: 400 });
  });

  it('the trigger outputs the message, chat and sender', async () => {
    const update = telegramTextUpdate(9010, '/start');
    const ctx = createIntegrationTestContext({}, { trigger: { body: update } });
    const { output } = await telegramMessageTrigger.run(ctx as never);
    expect(output).toMatchObject({ type: 'message', message: { text: '/start', chat: { id: 424242 }, from: { username: 'ada' } }, callbackData: null, update });
  });
});

describe('telegram.message activation', () => {
  it('sets the webhook with a fresh secret token and the allowed updates, and deletes it on deactivation', async () => {
    const call = testServiceCall(credential(), fake.url);
    const url = 'https://keyflow.test/hooks/abc';
    const first = await telegramMessageActivation.activate(call, { config: { updateTypes: ['message', 'callback_query'] }, callbackUrl: url });
    expect(first.externalId).toBe(url);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fake.webhooks.get(bot.token)).toEqual({ url, secretToken: first.secret, allowedUpdates: ['message', 'callback_query'] });
    const second = await telegramMessageActivation.activate(call, { config: {}, callbackUrl: url });
    expect(second.secret).not.toBe(first.secret);

    // Another workflow took the bot over: deactivating this one leaves its webhook alone.
    fake.webhooks.set(bot.token, { url: 'https://keyflow.test/hooks/other', secretToken: 'x', allowedUpdates: undefined });
    await telegramMessageActivation.deactivate(call, { config: {}, externalId: url });
    expect(fake.webhooks.get(bot.token)?.url).toBe('https://keyflow.test/hooks/other');
    await telegramMessageActivation.deactivate(call, { config: {}, externalId: 'https://keyflow.test/hooks/other' });
    expect(fake.webhooks.has(bot.token)).toBe(false);
  });

  it('identity is getMe', async () => {
    expect(await telegramIdentity(testServiceCall(credential(), fake.url))).toEqual({ name: `Keyflow Bot (@${bot.username})`, accountId: String(bot.id) });
  });
});

describe('telegram actions', () => {
  it('send_message posts to the chat and returns the message id', async () => {
    const { output } = await sendMessageNode.run(ctxFor({ chatId: '424242', text: 'Thanks!', parseMode: 'HTML' as const, replyToMessageId: 7 }));
    expect(output).toMatchObject({ messageId: expect.any(Number), chatId: 424242 });
    expect(fake.sent.at(-1)).toMatchObject({ method: 'sendMessage', chatId: '424242', text: 'Thanks!', parseMode: 'HTML' });
    expect(fake.requests.at(-1)!.json).toMatchObject({ reply_parameters: { message_id: 7 } });
  });

  it('send_photo sends the photo URL with its caption', async () => {
    await sendPhotoNode.run(ctxFor({ chatId: '@keyflowchannel', photoUrl: 'https://example.com/chart.png', caption: 'today' }));
    expect(fake.sent.at(-1)).toMatchObject({ method: 'sendPhoto', chatId: '@keyflowchannel', photo: 'https://example.com/chart.png', caption: 'today' });
  });

  it("a 429 becomes RetryAfterNodeError with Telegram's retry_after", async () => {
    fake.rateLimitNext(1, 7);
    const err = await failure(sendMessageNode.run(ctxFor({ chatId: '424242', text: 'hi' })));
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(7000);
  });

  it('a refused token is CredentialRejectedError; an unknown chat names the chat', async () => {
    const other = `${bot.id}:AAHnotthetoken0123456789abcdefghijkl`;
    expect(await failure(sendMessageNode.run(ctxFor({ chatId: '424242', text: 'hi' }, other)))).toBeInstanceOf(CredentialRejectedError);
    const missing = await failure(sendMessageNode.run(ctxFor({ chatId: '555', text: 'hi' })));
    expect(missing).toBeInstanceOf(NonRetriableNodeError);
    expect(missing.message).toContain('chat 555');
  });

  it('refuses a credential that is not a bot token without quoting it', async () => {
    const err = await failure(sendMessageNode.run(ctxFor({ chatId: '424242', text: 'hi' }, 'xoxb-not-a-telegram-token-canary')));
    expect(err.message).toContain('not a Telegram bot token');
    expect(err.message).not.toContain('canary');
  });

  it('canary: the bot token appears in no error, log or output, even when Telegram echoes it or the network fails', async () => {
    const ctx = ctxFor({ chatId: '424242', text: 'hi' });
    fake.failNext(400, `Bad Request: wrong token ${bot.token} in /bot${bot.token}/sendMessage`);
    const echoed = await failure(sendMessageNode.run(ctx));
    const down = createIntegrationTestContext({ chatId: '424242', text: 'hi' }, { credential: credential(), baseUrls: { telegram: 'http://127.0.0.1:1' } });
    const network = await failure(sendMessageNode.run(down));
    const ok = await sendMessageNode.run(ctx);
    const secretPart = bot.token.split(':')[1]!;
    for (const text of [echoed.message, JSON.stringify(echoed), String(echoed.cause), network.message, JSON.stringify(network), String(network.cause), JSON.stringify(ctx.logs), JSON.stringify(down.logs), JSON.stringify(ok)]) {
      expect(text).not.toContain(secretPart);
    }
    expect(echoed.message).toContain('[redacted]');
  });
});
