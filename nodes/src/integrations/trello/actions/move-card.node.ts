import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { trelloPath } from '../client.ts';
import { cardOutput, toCardOutput, trelloId, trelloPosition, trelloRef } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

/** PUT /1/cards/{id} with idList (and idBoard when the list is on another board). */
export const moveCardNode = defineNode({
  type: 'trello.move_card',
  version: 1,
  title: 'Trello: move card',
  description: 'Moves a card to another list, on the same board or another one.',
  keywords: ["move the card", "move it to", "done list", "column"],
  examples: [
    { text: "Move the card to Done" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z.strictObject({
    credentialId: credentialIdField,
    cardId: trelloRef('card'),
    boardId: trelloId('board').optional().describe("The target list's board; needed when it is not the card's board"),
    listId: trelloId('list').describe('The list the card moves to'),
    position: trelloPosition.optional(),
  }),
  output: cardOutput,
  async run(ctx) {
    const c = ctx.config;
    const id = trelloPath(c.cardId, 'cardId');
    const card = await withTrello(trelloCall(ctx), (client) =>
      client.request({ method: 'PUT', path: `cards/${id}`, what: `card ${c.cardId}`, params: { idList: c.listId, idBoard: c.boardId, pos: c.position } }),
    );
    return { output: toCardOutput(card) };
  },
});
