import { z } from 'zod';
import { defineNode, NodeError } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { trelloPath } from '../client.ts';
import { trelloRef } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

const commentAction = z.looseObject({ id: z.string(), date: z.string().optional(), data: z.looseObject({ text: z.string().optional() }).optional() });

/** POST /1/cards/{id}/actions/comments. */
export const addCommentNode = defineNode({
  type: 'trello.add_comment',
  version: 1,
  title: 'Trello: add comment',
  description: 'Adds a comment to a card.',
  keywords: ["comment on the card", "add a comment", "comment"],
  examples: [
    { text: "Comment on the card with the AI summary" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z.strictObject({
    credentialId: credentialIdField,
    cardId: trelloRef('card'),
    text: z.string().min(1, 'a comment needs text').max(16384),
  }),
  output: z.object({ id: z.string(), cardId: z.string(), text: z.string(), date: z.string().nullable() }),
  async run(ctx) {
    const c = ctx.config;
    const id = trelloPath(c.cardId, 'cardId');
    const raw = await withTrello(trelloCall(ctx), (client) => client.request({ method: 'POST', path: `cards/${id}/actions/comments`, what: `card ${c.cardId}`, params: { text: c.text } }));
    const parsed = commentAction.safeParse(raw);
    if (!parsed.success) throw new NodeError('Trello answered with something that is not a comment', { details: { service: 'trello' } });
    return { output: { id: parsed.data.id, cardId: c.cardId, text: parsed.data.data?.text ?? c.text, date: parsed.data.date ?? null } };
  },
});
