// telegram.send_message and telegram.send_photo: what a bot answers with. The chat id comes from
// config, usually the trigger's `{{ $trigger... message.chat.id }}`.
import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { credentialIdField } from '../framework/index.ts';
import { telegramCall, telegramMethod, withTelegram } from './client.ts';

const chatId = z
  .union([z.string().trim().regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, 'must be a numeric chat id or a @channelusername'), z.number().int()])
  .describe('The chat to send to: a numeric id (e.g. {{ $node["telegram"].output.message.chat.id }}) or @channelusername');
const parseMode = z.enum(['MarkdownV2', 'HTML', 'Markdown']).optional().describe('How Telegram formats the text (default: plain text)');
const common = {
  credentialId: credentialIdField,
  chatId,
  parseMode,
  replyToMessageId: z.number().int().positive().optional().describe('Answer this message (quote it)'),
  disableNotification: z.boolean().optional().describe('Send silently'),
};

const sentMessage = z.looseObject({ message_id: z.number(), chat: z.looseObject({ id: z.number() }), date: z.number().optional() });
const output = z.object({ messageId: z.number(), chatId: z.number(), date: z.number().nullable() });

function sent(raw: unknown, method: string) {
  const parsed = sentMessage.safeParse(raw);
  if (!parsed.success) throw new NonRetriableNodeError(`Telegram answered ${method} without the sent message`);
  return { messageId: parsed.data.message_id, chatId: parsed.data.chat.id, date: parsed.data.date ?? null };
}

const replyParams = (id: number | undefined) => (id === undefined ? undefined : { message_id: id, allow_sending_without_reply: true });

export const sendMessageNode = defineNode({
  type: 'telegram.send_message',
  version: 1,
  title: 'Telegram: send a message',
  description: 'Sends a text message from your bot to a chat, group or channel (e.g. the reply to the message that started the run).',
  keywords: ['telegram', 'send to telegram', 'telegram message', 'reply on telegram', 'bot replies', 'notify on telegram', 'telegram alert', 'telegram channel'],
  examples: [
    { text: 'Reply to the user on Telegram', config: { chatId: '{{ $trigger.body.message.chat.id }}', text: 'Thanks, got it!' } },
    { text: 'Send a Telegram alert to my channel', config: { chatId: '@mychannel', text: 'Wallet balance changed' } },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'telegram' },
  config: z.strictObject({ ...common, text: z.string().min(1, 'text is required').max(4096).describe('Message text, up to 4096 characters') }),
  output,
  async run(ctx) {
    const c = ctx.config;
    const raw = await withTelegram(telegramCall(ctx), (call) =>
      telegramMethod(call, 'sendMessage', { chat_id: c.chatId, text: c.text, parse_mode: c.parseMode, disable_notification: c.disableNotification, reply_parameters: replyParams(c.replyToMessageId) }, `chat ${c.chatId}`),
    );
    return { output: sent(raw, 'sendMessage') };
  },
});

export const sendPhotoNode = defineNode({
  type: 'telegram.send_photo',
  version: 1,
  title: 'Telegram: send a photo',
  description: 'Sends a photo by its public URL (Telegram downloads it) from your bot to a chat, with an optional caption.',
  keywords: ['telegram photo', 'send image to telegram', 'telegram picture', 'post a photo on telegram'],
  examples: [{ text: 'Send the chart image to the Telegram chat', config: { chatId: '{{ $trigger.body.message.chat.id }}', photoUrl: 'https://example.com/chart.png' } }],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'telegram' },
  config: z.strictObject({
    ...common,
    photoUrl: z.url({ protocol: /^https?$/ }).max(2048).describe('A public http(s) URL of the photo; Telegram fetches it, Keyflow does not'),
    caption: z.string().max(1024).optional().describe('Caption, up to 1024 characters'),
  }),
  output,
  async run(ctx) {
    const c = ctx.config;
    const raw = await withTelegram(telegramCall(ctx), (call) =>
      telegramMethod(call, 'sendPhoto', { chat_id: c.chatId, photo: c.photoUrl, caption: c.caption, parse_mode: c.parseMode, disable_notification: c.disableNotification, reply_parameters: replyParams(c.replyToMessageId) }, `chat ${c.chatId}`),
    );
    return { output: sent(raw, 'sendPhoto') };
  },
});
