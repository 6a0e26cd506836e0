// The trello.event trigger's config, shared by the node, its activation and its delivery check.
import { z } from 'zod';
import { credentialIdField } from '../../framework/index.ts';
import { trelloId } from '../schemas.ts';

export const trelloEventConfig = z.strictObject({
  credentialId: credentialIdField,
  modelId: trelloId('board or list').describe('The board or list to watch (Trello calls it the webhook\'s model)'),
  actionTypes: z
    .array(z.string().regex(/^[a-zA-Z]{3,64}$/, 'must be a Trello action type such as createCard, updateCard or commentCard'))
    .max(50)
    .optional()
    .describe('Start runs only for these action types (default: every action)'),
  listId: trelloId('list').optional().describe('Only actions touching this list (a card created in, moved into or out of it)'),
});
export type TrelloEventConfig = z.output<typeof trelloEventConfig>;
