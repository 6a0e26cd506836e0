import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { gmailClient, messageIdField } from './client.ts';
import { parseMessage } from './parse-message.ts';

const attachment = z.object({ filename: z.string(), mimeType: z.string(), size: z.number(), partId: z.string(), attachmentId: z.string().optional(), content: z.string().optional() });

/** users.messages.get (format=full) → headers, text, HTML and attachments (parse-message.ts). */
export const getMessageNode = defineNode({
  type: 'gmail.get_message',
  version: 1,
  title: 'Gmail: read an email',
  description: 'Reads one email: its headers, text and HTML bodies, and attachments (their content on request, up to a size cap).',
  keywords: ['read the email', 'get email', 'email body', 'email attachments'],
  examples: [{ text: 'Read the email that arrived and get its attachments' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    messageId: messageIdField,
    includeAttachments: z.boolean().default(false).describe('Also download attachment contents (base64)'),
    maxAttachmentBytes: z.coerce.number().int().min(1).max(25 * 1024 * 1024).default(10 * 1024 * 1024).describe('Refuse attachments larger than this in total'),
  }),
  output: z.object({
    id: z.string(), threadId: z.string(), labelIds: z.array(z.string()), snippet: z.string(), historyId: z.string(), receivedAt: z.string().nullable(),
    from: z.string(), to: z.string(), cc: z.string(), subject: z.string(), date: z.string(), messageIdHeader: z.string(),
    headers: z.record(z.string(), z.string()), text: z.string(), html: z.string(), attachments: z.array(attachment),
  }),
  async run(ctx) {
    const c = ctx.config;
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, `message ${c.messageId}`, async (cc) => {
      const api = gmailClient(cc, 'gmail.get_message');
      const parsed = parseMessage((await api.users.messages.get({ userId: 'me', id: c.messageId, format: 'full' })).data);
      if (c.includeAttachments) {
        const total = parsed.attachments.reduce((n, a) => n + a.size, 0);
        if (total > c.maxAttachmentBytes) throw new NonRetriableNodeError(`maxAttachmentBytes: the attachments are ${total} bytes, over the cap of ${c.maxAttachmentBytes}; raise it or leave includeAttachments off`);
        for (const a of parsed.attachments) {
          if (a.content !== undefined || !a.attachmentId) continue;
          const body = (await api.users.messages.attachments.get({ userId: 'me', messageId: c.messageId, id: a.attachmentId })).data;
          a.content = Buffer.from(body.data ?? '', 'base64url').toString('base64');
        }
      } else for (const a of parsed.attachments) delete a.content;
      return { output: parsed };
    });
  },
});
