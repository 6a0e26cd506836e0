import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, ServiceProblemError } from '../../framework/index.ts';
import { trelloPath, type TrelloClient } from '../client.ts';
import { cardSchema, trelloId, trelloRef } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

// Trello refuses a label the card already has; after a retry of a call that did land, that is success.
const ALREADY_THERE = /already (on|has|exists)/i;

async function cardLabels(client: TrelloClient, id: string, cardId: string): Promise<string[]> {
  const card = cardSchema.pick({ idLabels: true }).parse(await client.request({ method: 'GET', path: `cards/${id}`, what: `card ${cardId}`, params: { fields: 'idLabels' } }));
  return card.idLabels ?? [];
}

/** POST /1/cards/{id}/idLabels: adds one of the board's labels to a card, keeping the others. */
export const addLabelNode = defineNode({
  type: 'trello.add_label',
  version: 1,
  title: 'Trello: add label',
  description: "Adds one of the board's labels to a card.",
  keywords: ["label the card", "add a label", "tag the card", "label"],
  examples: [
    { text: "Label the card urgent" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z.strictObject({
    credentialId: credentialIdField,
    boardId: trelloId('board').optional().describe('Only scopes the label dropdown; not sent'),
    cardId: trelloRef('card'),
    labelId: trelloId('label'),
  }),
  output: z.object({ cardId: z.string(), labelId: z.string(), labelIds: z.array(z.string()), alreadyThere: z.boolean() }),
  async run(ctx) {
    const c = ctx.config;
    const id = trelloPath(c.cardId, 'cardId');
    return withTrello(trelloCall(ctx), async (client) => {
      let alreadyThere = false;
      try {
        await client.request({ method: 'POST', path: `cards/${id}/idLabels`, what: `card ${c.cardId}`, params: { value: c.labelId } });
      } catch (err) {
        if (!(err instanceof ServiceProblemError && err.problem.kind === 'validation' && ALREADY_THERE.test(err.problem.message))) throw err;
        alreadyThere = true;
      }
      const labelIds = await cardLabels(client, id, c.cardId);
      return { output: { cardId: c.cardId, labelId: c.labelId, labelIds, alreadyThere } };
    });
  },
});
