import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { trelloPath } from '../client.ts';
import { cardOutput, toCardOutput, trelloRef } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

/** PUT /1/cards/{id} closed=true (Trello's "archive"; false brings the card back). Never deletes. */
export const archiveCardNode = defineNode({
  type: 'trello.archive_card',
  version: 1,
  title: 'Trello: archive card',
  description: 'Archives a card (or restores an archived one).',
  keywords: ["archive the card", "close the card"],
  examples: [
    { text: "Archive the card once it is done" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z.strictObject({
    credentialId: credentialIdField,
    cardId: trelloRef('card'),
    archived: z.boolean().default(true).describe('false restores the card'),
  }),
  output: cardOutput,
  async run(ctx) {
    const c = ctx.config;
    const id = trelloPath(c.cardId, 'cardId');
    const card = await withTrello(trelloCall(ctx), (client) => client.request({ method: 'PUT', path: `cards/${id}`, what: `card ${c.cardId}`, params: { closed: c.archived } }));
    return { output: toCardOutput(card) };
  },
});
