import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { gmailClient, stringList } from './client.ts';

const summary = z.object({ id: z.string(), threadId: z.string(), labelIds: z.array(z.string()), from: z.string(), subject: z.string(), date: z.string(), snippet: z.string() });

/** users.messages.list with a Gmail search query, one page at a time (nextPageToken). */
export const listMessagesNode = defineNode({
  type: 'gmail.list_messages',
  version: 1,
  title: 'Gmail: find emails',
  description: 'Lists emails matching a Gmail search (e.g. "from:boss is:unread newer_than:1d"), newest first, a page at a time.',
  keywords: ['find emails', 'search gmail', 'unread emails', 'unread messages', 'unread', 'list my emails', 'inbox'],
  examples: [{ text: "List yesterday's unread emails from Gmail" }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    q: z.string().max(2000).default('').describe('Gmail search, as in the search box'),
    labelIds: stringList(z.string().trim().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a label id'), 20).default([]).describe('Only messages with all these labels'),
    maxResults: z.coerce.number().int().min(1).max(100).default(20).describe('Messages per page (1–100)'),
    pageToken: z.string().max(500).optional().describe('nextPageToken of the previous page'),
    includeSpamTrash: z.boolean().default(false),
    details: z.boolean().default(true).describe('Also read each message’s From, Subject, Date and snippet'),
  }),
  output: z.object({ messages: z.array(summary), nextPageToken: z.string().nullable(), resultSizeEstimate: z.number() }),
  async run(ctx) {
    const c = ctx.config;
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, undefined, async (cc) => {
      const api = gmailClient(cc, 'gmail.list_messages');
      const res = await api.users.messages.list({ userId: 'me', q: c.q, maxResults: c.maxResults, includeSpamTrash: c.includeSpamTrash, ...(c.labelIds.length ? { labelIds: c.labelIds } : {}), ...(c.pageToken ? { pageToken: c.pageToken } : {}) });
      const refs = (res.data.messages ?? []).filter((m) => m.id);
      const messages = [];
      for (const ref of refs) {
        if (!c.details) {
          messages.push({ id: ref.id!, threadId: ref.threadId ?? '', labelIds: [], from: '', subject: '', date: '', snippet: '' });
          continue;
        }
        const m = (await api.users.messages.get({ userId: 'me', id: ref.id!, format: 'metadata', metadataHeaders: ['From', 'Subject', 'Date'] })).data;
        const h = (name: string) => m.payload?.headers?.find((x) => x.name?.toLowerCase() === name)?.value ?? '';
        messages.push({ id: ref.id!, threadId: m.threadId ?? ref.threadId ?? '', labelIds: m.labelIds ?? [], from: h('from'), subject: h('subject'), date: h('date'), snippet: m.snippet ?? '' });
      }
      return { output: { messages, nextPageToken: res.data.nextPageToken ?? null, resultSizeEstimate: res.data.resultSizeEstimate ?? messages.length } };
    });
  },
});
