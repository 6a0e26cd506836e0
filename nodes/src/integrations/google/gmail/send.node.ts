import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { jsonArray } from '../sheets/fields.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { gmailClient, stringList } from './client.ts';
import { buildMime, MimeInputError, toRaw } from './mime.ts';

/** Gmail refuses messages over 25 MB (attachments included, before base64url for the API). */
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

const address = z.string().trim().min(3).max(320);
const attachment = z.object({
  filename: z.string().trim().min(1, 'required').max(255),
  mimeType: z.string().trim().max(255).default('application/octet-stream'),
  content: z.string().describe('base64'),
});

const attachmentsField = jsonArray(z.array(attachment).max(50, 'at most 50 attachments'))
  .default([])
  .describe('Files from earlier steps: [{ filename, mimeType, content (base64) }]');

/** users.messages.send with a MIME message built here (mime.ts). */
export const sendNode = defineNode({
  type: 'gmail.send',
  version: 1,
  title: 'Gmail: send an email',
  description: 'Sends an email from the connected Gmail account: text and/or HTML, cc, bcc and attachments.',
  keywords: ['send an email', 'gmail', 'email the', 'mail to', 'notify by email', 'email me', 'email it'],
  examples: [{ text: 'Email the summary to the team with Gmail' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    to: stringList(address, 100).refine((l) => l.length > 0, 'give at least one address').describe('Recipients (a list, or comma-separated)'),
    cc: stringList(address, 100).default([]),
    bcc: stringList(address, 100).default([]),
    subject: z.string().max(998).describe('Subject (any language)'),
    text: z.string().max(MAX_MESSAGE_BYTES).optional().describe('Plain-text body'),
    html: z.string().max(MAX_MESSAGE_BYTES).optional().describe('HTML body (sent with the text as an alternative)'),
    replyTo: address.optional(),
    threadId: z.string().trim().regex(/^[A-Za-z0-9_-]{1,200}$/).optional().describe('Send as part of this thread'),
    attachments: attachmentsField,
  }),
  output: z.object({ id: z.string(), threadId: z.string(), labelIds: z.array(z.string()) }),
  async run(ctx) {
    const c = ctx.config;
    let mime: string;
    try {
      mime = buildMime({ to: c.to, cc: c.cc, bcc: c.bcc, subject: c.subject, ...(c.text !== undefined ? { text: c.text } : {}), ...(c.html !== undefined ? { html: c.html } : {}), ...(c.replyTo ? { replyTo: c.replyTo } : {}), attachments: c.attachments });
    } catch (err) {
      if (err instanceof MimeInputError) throw new NonRetriableNodeError(err.message, { cause: err });
      throw err;
    }
    const size = Buffer.byteLength(mime, 'utf8');
    if (size > MAX_MESSAGE_BYTES) throw new NonRetriableNodeError(`attachments: the message is ${(size / 1048576).toFixed(1)} MB; Gmail accepts at most 25 MB (share large files with a Drive link instead)`);
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, undefined, async (cc) => {
      const res = await gmailClient(cc, 'gmail.send').users.messages.send({ userId: 'me', requestBody: { raw: toRaw(mime), ...(c.threadId ? { threadId: c.threadId } : {}) } });
      return { output: { id: res.data.id ?? '', threadId: res.data.threadId ?? '', labelIds: res.data.labelIds ?? [] } };
    });
  },
});
