// telegram.message: started by the bot's webhook. Activation (activation.ts) calls setWebhook
// with the workflow's callback URL and a random secret_token, which the server stores sealed as
// the trigger's secret; every delivery must carry it in X-Telegram-Bot-Api-Secret-Token
// (compared in constant time). Telegram retries a delivery until it gets a 2xx, with the same
// update_id: the run is named by it, so a retry starts no second run.
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';
import { constantTimeEqual, credentialIdField, type InboundDecision, type InboundRequest, type InboundWebhook, deliveredEvent } from '../framework/index.ts';

export const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';
export const UPDATE_TYPES = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query'] as const;

export const telegramMessageConfig = z.strictObject({
  credentialId: credentialIdField,
  updateTypes: z.array(z.enum(UPDATE_TYPES)).min(1).max(UPDATE_TYPES.length).optional().describe('Which updates start a run (default: new messages only); sent to Telegram as allowed_updates'),
  chatIds: z.array(z.string().regex(/^-?\d{1,20}$/, 'must be a numeric Telegram chat id')).max(100).optional().describe('Only messages in these chats (numeric ids; groups are negative)'),
  textStartsWith: z.string().min(1).max(100).optional().describe('Only messages whose text starts with this, e.g. "/start" or "/price"'),
});
export type TelegramMessageConfig = z.output<typeof telegramMessageConfig>;

/** The update types a config asks Telegram for. */
export const allowedUpdates = (config: TelegramMessageConfig): string[] => [...(config.updateTypes ?? ['message'])];

const chat = z.looseObject({ id: z.number(), type: z.string().optional(), title: z.string().optional(), username: z.string().optional() });
const user = z.looseObject({ id: z.number(), is_bot: z.boolean().optional(), first_name: z.string().optional(), last_name: z.string().optional(), username: z.string().optional(), language_code: z.string().optional() });
const message = z.looseObject({ message_id: z.number(), date: z.number().optional(), chat, from: user.optional(), text: z.string().optional(), caption: z.string().optional() });
const update = z.looseObject({
  update_id: z.number().int(),
  message: message.optional(),
  edited_message: message.optional(),
  channel_post: message.optional(),
  edited_channel_post: message.optional(),
  callback_query: z.looseObject({ id: z.string(), from: user, data: z.string().optional(), message: message.optional() }).optional(),
});

export interface TelegramMessageEvent {
  type: (typeof UPDATE_TYPES)[number];
  message: { id: number | null; text: string; date: number | null; chat: { id: number; type: string | null; title: string | null; username: string | null }; from: z.infer<typeof user> | null };
  /** A button press: its callback data. */
  callbackData: string | null;
  update: Record<string, unknown>;
}

/** A delivered update as the trigger's event, or undefined when it is not an update Keyflow handles. */
export function toTelegramEvent(body: unknown): TelegramMessageEvent | undefined {
  const parsed = update.safeParse(body);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  const type = UPDATE_TYPES.find((t) => u[t] !== undefined);
  if (!type) return undefined;
  const query = u.callback_query;
  const m = type === 'callback_query' ? query?.message : (u[type] as z.infer<typeof message>);
  if (!m) return undefined;
  return {
    type,
    message: {
      id: m.message_id,
      text: type === 'callback_query' ? (query?.data ?? '') : (m.text ?? m.caption ?? ''),
      date: m.date ?? null,
      chat: { id: m.chat.id, type: m.chat.type ?? null, title: m.chat.title ?? null, username: m.chat.username ?? null },
      from: (type === 'callback_query' ? query?.from : m.from) ?? null,
    },
    callbackData: query?.data ?? null,
    update: u,
  };
}

export function verifyTelegramDelivery(req: InboundRequest, secret: string): boolean {
  return constantTimeEqual(req.headers[SECRET_TOKEN_HEADER], secret);
}

export function receiveTelegramUpdate(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const config = telegramMessageConfig.safeParse(rawConfig);
  if (!config.success) return { kind: 'ignore', reason: 'the trigger config is invalid' };
  const updateId = isRecord(req.body) && typeof req.body.update_id === 'number' ? req.body.update_id : undefined;
  if (updateId === undefined) return { kind: 'answer', status: 400, body: { error: { code: 'invalid_delivery', message: 'the body is not a Telegram update (no update_id)' } } };
  const event = toTelegramEvent(req.body);
  // 200, not 4xx: Telegram would retry an update it was refused, and this one is simply not ours.
  if (!event) return { kind: 'ignore', reason: 'not a message, post or button press' };
  const { updateTypes, chatIds, textStartsWith } = config.data;
  if (!allowedUpdates(config.data).includes(event.type)) return { kind: 'ignore', reason: `update type ${event.type} is not among ${(updateTypes ?? ['message']).join(', ')}` };
  if (chatIds?.length && !chatIds.includes(String(event.message.chat.id))) return { kind: 'ignore', reason: `chat ${event.message.chat.id} is not among the trigger's chats` };
  if (textStartsWith && !event.message.text.startsWith(textStartsWith)) return { kind: 'ignore', reason: `the text does not start with ${textStartsWith}` };
  return { kind: 'run', deliveryId: `telegram:${updateId}` };
}

export const telegramMessageInbound: InboundWebhook = {
  signature: { verify: verifyTelegramDelivery },
  receive: receiveTelegramUpdate,
};

const userOut = z.object({ id: z.number(), first_name: z.string().optional(), username: z.string().optional() }).loose();

export const telegramMessageTrigger = defineNode({
  type: 'telegram.message',
  version: 1,
  title: 'Telegram: message received',
  description: 'Starts the workflow when your Telegram bot receives a message (or a command, a channel post, a button press). Activating the workflow points the bot\'s webhook here.',
  keywords: ['telegram', 'telegram bot', 'bot receives a message', 'telegram message', 'telegram command', 'chat bot', 'message to my bot', '/start'],
  examples: [
    { text: 'When someone sends my Telegram bot a message' },
    { text: 'When a user types /price to the Telegram bot', config: { textStartsWith: '/price' } },
  ],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { update_id: 731204518, message: { message_id: 42, date: 1764581400, chat: { id: 123456789, type: 'private', username: 'ada' }, from: { id: 123456789, is_bot: false, first_name: 'Ada', username: 'ada', language_code: 'en' }, text: 'What is the price of BTC today?' } } },
  category: 'trigger',
  kind: 'trigger',
  // For setWebhook on activation; a run itself does not call Telegram.
  credential: { provider: 'telegram', optional: true },
  config: telegramMessageConfig,
  output: z.object({
    type: z.string(),
    message: z.object({ id: z.number().nullable(), text: z.string(), date: z.number().nullable(), chat: z.object({ id: z.number() }).loose(), from: userOut.nullable() }),
    callbackData: z.string().nullable(),
    update: z.record(z.string(), z.unknown()),
  }),
  async run(ctx) {
    return { output: deliveredEvent(ctx.trigger, toTelegramEvent, 'telegram.message was started without a Telegram update (runs start from the bot\'s verified webhook deliveries)') };
  },
});
