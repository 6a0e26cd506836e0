import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField } from '../../framework/index.ts';
import { trelloPath } from '../client.ts';
import { cardOutput, cardText, toCardOutput, trelloDate, trelloId, trelloPosition, trelloRef } from '../schemas.ts';
import { trelloCall, withTrello } from '../service.ts';

const CHANGES = ['name', 'description', 'due', 'start', 'dueComplete', 'labelIds', 'memberIds', 'position'] as const;

/** PUT /1/cards/{id} with only the fields given; `null` clears a date. Labels and members are replaced. */
export const updateCardNode = defineNode({
  type: 'trello.update_card',
  version: 1,
  title: 'Trello: update card',
  description: "Changes a card's name, description, dates, labels, members or position.",
  keywords: ["update the card", "change the card", "rename the card", "due date"],
  examples: [
    { text: "Update the card's description with the result" },
  ],
  category: 'integration',
  kind: 'action',
  credential: { provider: 'trello' },
  config: z
    .strictObject({
      credentialId: credentialIdField,
      boardId: trelloId('board').optional().describe('Only scopes the label and member dropdowns; not sent'),
      cardId: trelloRef('card'),
      name: cardText.name.optional(),
      description: cardText.description.optional(),
      due: trelloDate.nullable().optional().describe('ISO 8601, or null to remove the due date'),
      start: trelloDate.nullable().optional().describe('ISO 8601, or null to remove the start date'),
      dueComplete: z.boolean().optional(),
      labelIds: z.array(trelloId('label')).max(50).optional().describe('Replaces the card\'s labels'),
      memberIds: z.array(trelloId('member')).max(50).optional().describe('Replaces the card\'s members'),
      position: trelloPosition.optional(),
    })
    .refine((c) => CHANGES.some((k) => c[k] !== undefined), { message: `say what to change: one of ${CHANGES.join(', ')}` }),
  output: cardOutput,
  async run(ctx) {
    const c = ctx.config;
    const id = trelloPath(c.cardId, 'cardId');
    const card = await withTrello(trelloCall(ctx), (client) =>
      client.request({
        method: 'PUT',
        path: `cards/${id}`,
        what: `card ${c.cardId}`,
        params: { name: c.name, desc: c.description, due: c.due, start: c.start, dueComplete: c.dueComplete, idLabels: c.labelIds, idMembers: c.memberIds, pos: c.position },
      }),
    );
    return { output: toCardOutput(card) };
  },
});
