// A fake Telegram Bot API on loopback: `POST /bot<token>/<method>` with JSON, answers in
// Telegram's envelope ({ ok, result } / { ok: false, error_code, description, parameters }).
// getMe, setWebhook (keeps url, secret_token, allowed_updates), getWebhookInfo, deleteWebhook,
// sendMessage, sendPhoto; unknown tokens get 401 "Unauthorized"; rateLimitNext() answers 429
// with parameters.retry_after; deliver() posts an update to the webhook as Telegram does, with
// the X-Telegram-Bot-Api-Secret-Token header.
import { postDelivery, startFakeHttp, type FakeAnswer, type FakeRequest } from '../../framework/testing/fake-http.ts';

export interface FakeBot { token: string; id: number; username: string; firstName: string }
export interface FakeSent { token: string; method: string; chatId: string; text?: string; photo?: string; caption?: string; parseMode?: string }
export interface FakeTelegramWebhook { url: string; secretToken: string | undefined; allowedUpdates: string[] | undefined }

export interface FakeTelegram {
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly bots: FakeBot[];
  /** Chats that exist (numeric ids as text, or @usernames). */
  readonly chats: Set<string>;
  readonly sent: FakeSent[];
  /** The webhook per bot token. */
  readonly webhooks: Map<string, FakeTelegramWebhook>;
  addBot(): FakeBot;
  /** The next `count` method calls answer 429 asking to retry after `seconds`. */
  rateLimitNext(count?: number, seconds?: number): void;
  /** The next call answers `status` with this description (e.g. one that quotes the token). */
  failNext(status: number, description: string): void;
  /** Posts an update to the bot's webhook with its secret token (or `secretToken`), as Telegram does. */
  deliver(token: string, update: Record<string, unknown>, opts?: { secretToken?: string | null }): Promise<{ status: number; body: string }>;
  nextUpdateId(): number;
  close(): Promise<void>;
}

const fail = (code: number, description: string, parameters?: Record<string, unknown>): FakeAnswer => ({ status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } });
const ok = (result: unknown): FakeAnswer => ({ status: 200, body: { ok: true, result } });

export async function startFakeTelegram(): Promise<FakeTelegram> {
  const bots: FakeBot[] = [];
  const chats = new Set<string>(['424242', '-100777', '@keyflowchannel']);
  const sent: FakeSent[] = [];
  const webhooks = new Map<string, FakeTelegramWebhook>();
  let limited = 0;
  let retryAfter = 1;
  let failure: { status: number; description: string } | undefined;
  let messageId = 100;
  let updateId = 9000;

  const http = await startFakeHttp((req) => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.path);
    if (!m || req.method !== 'POST') return fail(404, 'Not Found');
    const [, token, method] = m as unknown as [string, string, string];
    const bot = bots.find((b) => b.token === decodeURIComponent(token));
    if (!bot) return fail(401, 'Unauthorized');
    if (limited > 0) {
      limited -= 1;
      return fail(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    if (failure) {
      const f = failure;
      failure = undefined;
      return fail(f.status, f.description);
    }
    const p = (req.json ?? {}) as Record<string, unknown>;
    switch (method) {
      case 'getMe':
        return ok({ id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username, can_join_groups: true });
      case 'setWebhook': {
        if (typeof p.url !== 'string' || p.url === '') return fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(p.secret_token))) return fail(400, 'Bad Request: secret token contains unallowed characters');
        webhooks.set(bot.token, { url: p.url, secretToken: p.secret_token as string | undefined, allowedUpdates: p.allowed_updates as string[] | undefined });
        return ok(true);
      }
      case 'getWebhookInfo':
        return ok({ url: webhooks.get(bot.token)?.url ?? '', has_custom_certificate: false, pending_update_count: 0 });
      case 'deleteWebhook':
        webhooks.delete(bot.token);
        return ok(true);
      case 'sendMessage':
      case 'sendPhoto': {
        const chatId = String(p.chat_id ?? '');
        if (method === 'sendMessage' && (typeof p.text !== 'string' || p.text === '')) return fail(400, 'Bad Request: message text is empty');
        if (method === 'sendPhoto' && typeof p.photo !== 'string') return fail(400, 'Bad Request: there is no photo in the request');
        if (!chats.has(chatId)) return fail(400, 'Bad Request: chat not found');
        sent.push({ token: bot.token, method, chatId, ...(typeof p.text === 'string' ? { text: p.text } : {}), ...(typeof p.photo === 'string' ? { photo: p.photo } : {}), ...(typeof p.caption === 'string' ? { caption: p.caption } : {}), ...(typeof p.parse_mode === 'string' ? { parseMode: p.parse_mode } : {}) });
        messageId += 1;
        return ok({ message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId.startsWith('@') ? -100999 : chatId), type: 'private' }, ...(typeof p.text === 'string' ? { text: p.text } : {}) });
      }
      default:
        return fail(404, 'Not Found: method not found');
    }
  });

  return {
    url: http.url,
    requests: http.requests,
    bots,
    chats,
    sent,
    webhooks,
    addBot() {
      const id = 7000000000 + bots.length + 1;
      const secret = `AAH${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(24)), (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'[b % 64]).join('')}canary`;
      const bot = { token: `${id}:${secret}`, id, username: `keyflow${bots.length + 1}_bot`, firstName: 'Keyflow Bot' };
      bots.push(bot);
      return bot;
    },
    rateLimitNext(count = 1, seconds = 1) {
      limited = count;
      retryAfter = seconds;
    },
    failNext(status, description) {
      failure = { status, description };
    },
    nextUpdateId: () => (updateId += 1),
    async deliver(token, update, opts = {}) {
      const hook = webhooks.get(token);
      if (!hook) throw new Error('fake Telegram: the bot has no webhook');
      const secret = opts.secretToken === null ? undefined : (opts.secretToken ?? hook.secretToken);
      return postDelivery(hook.url, JSON.stringify(update), secret === undefined ? {} : { 'X-Telegram-Bot-Api-Secret-Token': secret });
    },
    close: http.close,
  };
}

/** A text message update as Telegram sends it. */
export function telegramTextUpdate(updateId: number, text: string, chatId = 424242): Record<string, unknown> {
  return {
    update_id: updateId,
    message: { message_id: updateId - 8000, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'Ada' }, from: { id: chatId, is_bot: false, first_name: 'Ada', username: 'ada' }, text },
  };
}
