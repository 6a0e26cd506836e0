import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { cardOutput, cardText, toCardOutput, trelloDate, trelloId, trelloPosition } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

/** POST /1/cards. Pinned config { credentialId?, listId, name, description?, due?, labelIds? } → { id, url }. */
export const createCardNode = defineNode({
  type: 'trello.create_card',
  version: 1,
  title: 'Trello: create card',
  description: 'Creates a card in a Trello list.',
  keywords: ["trello", "create a card", "new card", "card", "task", "ticket", "add to the board", "to do"],
  examples: [
    { text: "Create a Trello card for the lead" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z.strictObject({
    credentialId: credentialIdField,
    boardId: trelloId('board').optional().describe('The board of the list: only scopes the list, label and member dropdowns; not sent'),
    listId: trelloId('list').describe('The list the card goes into'),
    name: cardText.name,
    description: cardText.description.optional(),
    due: trelloDate.optional().describe('When the card is due (ISO 8601)'),
    start: trelloDate.optional().describe('When work on the card starts (ISO 8601)'),
    labelIds: z.array(trelloId('label')).max(50).optional(),
    memberIds: z.array(trelloId('member')).max(50).optional(),
    position: trelloPosition.optional(),
  }),
  output: cardOutput,
  async run(ctx) {
    const c = ctx.config;
    const card = await withTrello(trelloCall(ctx), (client) =>
      client.request({
        method: 'POST',
        path: 'cards',
        what: `list ${c.listId}`,
        params: { idList: c.listId, name: c.name, desc: c.description, due: c.due, start: c.start, idLabels: c.labelIds, idMembers: c.memberIds, pos: c.position },
      }),
    );
    return { output: toCardOutput(card) };
  },
});
