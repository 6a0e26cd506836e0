// gmail.new_message: the engine polls (engine/src/engine/poll-triggers.ts). On activation the
// cursor is the mailbox's current historyId (users.getProfile): mail already there starts
// nothing. Each poll reads users.history.list after the cursor (messageAdded, the watched
// label), takes at most MAX_PER_POLL new messages (history.ts) and reads their headers for the
// run's payload. A 404 means the history id expired (Gmail keeps about a week): the poll then
// lists the newest FALLBACK_LIST messages with the label instead, starts runs for those it has
// not seen, restarts the cursor from getProfile, and says so in its note.
import type { gmail_v1 } from '@googleapis/gmail';
import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { isRecord } from '../../../core/is-record.ts';
import { credentialIdField, type PollItem, type PollTrigger, type ServiceCall } from '../../framework/index.ts';
import { callGoogle, googleProblem } from '../errors.ts';
import { gmailClient } from './client.ts';
import { fallbackMessages, scanHistory, type NewMessageRef } from './history.ts';

export const MAX_PER_POLL = 50;
export const FALLBACK_LIST = 100;
const HISTORY_PAGES = 10;

export const newMessageConfig = z.strictObject({
  credentialId: credentialIdField,
  labelId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a label id (e.g. INBOX)').default('INBOX').describe('Watch this label (INBOX by default)'),
  intervalMinutes: z.coerce.number().int().min(1).max(60).default(1).describe('How often to check (minutes)'),
});
type Config = z.infer<typeof newMessageConfig>;

const payloadSchema = z.object({
  messageId: z.string(), threadId: z.string(), labelIds: z.array(z.string()),
  from: z.string(), to: z.string(), subject: z.string(), date: z.string(), snippet: z.string(), historyId: z.string(),
});
export type NewMessagePayload = z.infer<typeof payloadSchema>;

/** The trigger's config, or an error naming the bad field (shown when activation is refused). */
function configOf(config: unknown): Config {
  const parsed = newMessageConfig.safeParse(config ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new NonRetriableNodeError(`${issue.path.join('.') || 'config'}: ${issue.message}`);
}

async function payloadOf(api: gmail_v1.Gmail, ref: NewMessageRef): Promise<NewMessagePayload | undefined> {
  try {
    const m = (await api.users.messages.get({ userId: 'me', id: ref.id, format: 'metadata', metadataHeaders: ['From', 'To', 'Subject', 'Date'] })).data;
    const h = (name: string) => m.payload?.headers?.find((x) => x.name?.toLowerCase() === name)?.value ?? '';
    return { messageId: ref.id, threadId: m.threadId ?? ref.threadId, labelIds: m.labelIds ?? ref.labelIds, from: h('from'), to: h('to'), subject: h('subject'), date: h('date'), snippet: m.snippet ?? '', historyId: m.historyId ?? '' };
  } catch (err) {
    // Deleted between the history record and now: nothing to start.
    if (googleProblem(err)?.kind === 'not_found') return undefined;
    throw err;
  }
}

async function profileHistoryId(api: gmail_v1.Gmail): Promise<string> {
  const id = (await api.users.getProfile({ userId: 'me' })).data.historyId;
  if (!id) throw new NonRetriableNodeError('Gmail answered no historyId for the mailbox');
  return id;
}

async function items(api: gmail_v1.Gmail, refs: NewMessageRef[]): Promise<PollItem[]> {
  const out: PollItem[] = [];
  for (const ref of refs) {
    const payload = await payloadOf(api, ref);
    if (payload) out.push({ id: ref.id, payload });
  }
  return out;
}

export const gmailNewMessagePoll: PollTrigger = {
  intervalMs: (config) => configOf(config).intervalMinutes * 60_000,
  start: (call: ServiceCall) => callGoogle(call, undefined, async (c) => ({ cursor: await profileHistoryId(gmailClient(c, 'gmail.new_message')) })),
  poll: (call, { config, cursor, seen }) => {
    const cfg = configOf(config);
    return callGoogle(call, undefined, async (c) => {
      const api = gmailClient(c, 'gmail.new_message');
      const pages: gmail_v1.Schema$ListHistoryResponse[] = [];
      let pageToken: string | undefined;
      try {
        do {
          const res = await api.users.history.list({ userId: 'me', startHistoryId: cursor, historyTypes: ['messageAdded'], labelId: cfg.labelId, maxResults: 500, ...(pageToken ? { pageToken } : {}) });
          pages.push(res.data);
          pageToken = res.data.nextPageToken ?? undefined;
        } while (pageToken && pages.length < HISTORY_PAGES);
      } catch (err) {
        if (googleProblem(err)?.kind !== 'not_found') throw err;
        const listed = (await api.users.messages.list({ userId: 'me', labelIds: [cfg.labelId], maxResults: FALLBACK_LIST })).data.messages ?? [];
        const refs = fallbackMessages(listed, seen).slice(-MAX_PER_POLL);
        return {
          items: await items(api, refs),
          cursor: await profileHistoryId(api),
          note: `the saved Gmail history position had expired; checked the newest ${FALLBACK_LIST} messages in ${cfg.labelId} instead (messages older than those that arrived while polling was stopped are not reported)`,
        };
      }
      // Pages left unread (more than HISTORY_PAGES): the cursor goes only as far as the last record taken.
      const complete = pageToken === undefined;
      const scan = scanHistory(complete ? pages : pages.map(({ historyId: _unused, ...p }) => p), { cursor, labelId: cfg.labelId, seen, max: MAX_PER_POLL });
      return { items: await items(api, scan.messages), cursor: scan.cursor, ...(scan.truncated || !complete ? { note: 'more new messages than one check takes; the rest follow in the next checks' } : {}) };
    });
  },
};

/** The trigger node: the engine's poll passed the new message's headers as the run's trigger data. */
export const newMessageTrigger = defineNode({
  type: 'gmail.new_message',
  version: 1,
  title: 'Gmail: on a new email',
  description: 'Starts the workflow for each new email in a label (INBOX by default), checked every few minutes through Gmail’s history.',
  keywords: ['new email', 'when an email arrives', 'email received', 'gmail inbox', 'incoming mail'],
  examples: [{ text: 'When a new email arrives in Gmail, summarise it' }],
  sampleEvent: { messageId: '18c2f0a1b2c3d4e5', threadId: '18c2f0a1b2c3d4e5', labelIds: ['INBOX', 'UNREAD'], from: 'Ada Lovelace <ada@example.com>', to: 'me@example.com', subject: 'Demo request', date: 'Tue, 1 Dec 2026 09:30:00 +0000', snippet: 'We would like a demo next week; our budget is 25,000 USD.', historyId: '4242' },
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'google', optional: true },
  config: newMessageConfig,
  output: payloadSchema,
  async run(ctx) {
    const parsed = payloadSchema.safeParse(isRecord(ctx.trigger) ? ctx.trigger : undefined);
    if (!parsed.success) throw new NonRetriableNodeError('gmail.new_message was started without a Gmail message (runs start from the engine’s Gmail polling)');
    return { output: parsed.data };
  },
});
