import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { gmailClient, messageIdField, stringList } from './client.ts';
import { resolveLabels } from './labels.ts';

const labelList = stringList(z.string().trim().min(1).max(225), 50).default([]);

/** users.messages.modify: adds (and optionally removes) labels, given as ids or names. */
export const addLabelNode = defineNode({
  type: 'gmail.add_label',
  version: 1,
  title: 'Gmail: label an email',
  description: 'Adds labels to an email (and can remove others, e.g. UNREAD to mark it read). Labels by id or name.',
  keywords: ['label the email', 'tag email', 'mark as read', 'archive email'],
  examples: [{ text: 'Label the email as Invoices and mark it read' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    messageId: messageIdField,
    labelIds: labelList.describe('Labels to add (ids or names)'),
    removeLabelIds: labelList.describe('Labels to remove (e.g. UNREAD, INBOX to archive)'),
  }),
  output: z.object({ id: z.string(), threadId: z.string(), labelIds: z.array(z.string()) }),
  async run(ctx) {
    const c = ctx.config;
    if (c.labelIds.length === 0 && c.removeLabelIds.length === 0) throw new NonRetriableNodeError('labelIds: give at least one label to add or remove');
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, `message ${c.messageId}`, async (cc) => {
      const api = gmailClient(cc, 'gmail.add_label');
      const labels = (await api.users.labels.list({ userId: 'me' })).data.labels ?? [];
      const add = resolveLabels('labelIds', c.labelIds, labels);
      const remove = resolveLabels('removeLabelIds', c.removeLabelIds, labels);
      const res = await api.users.messages.modify({ userId: 'me', id: c.messageId, requestBody: { addLabelIds: add, removeLabelIds: remove } });
      return { output: { id: res.data.id ?? c.messageId, threadId: res.data.threadId ?? '', labelIds: res.data.labelIds ?? [] } };
    });
  },
});
