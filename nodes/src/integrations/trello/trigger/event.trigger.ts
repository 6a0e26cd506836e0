import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { deliveredEvent } from '../../framework/index.ts';
import { trelloEventConfig } from './config.ts';
import { toTrelloEvent } from './delivery.ts';

const eventSchema = z.object({
  type: z.string(),
  actionId: z.string(),
  date: z.string(),
  memberCreator: z.object({ id: z.string().nullable(), username: z.string().nullable(), fullName: z.string().nullable() }),
  data: z.record(z.string(), z.unknown()),
  model: z.record(z.string(), z.unknown()).nullable(),
  webhookId: z.string().nullable(),
});

/**
 * Started by a Trello webhook on a board or list. The webhook is registered when the workflow is
 * activated and deleted when it is deactivated (trigger/activation.ts); the server checks each
 * delivery (HEAD probe, signature, date, filters, replay: trigger/delivery.ts) before a run
 * starts, so run() only turns the verified request's body into the event.
 */
export const trelloEventTrigger = defineNode({
  type: 'trello.event',
  version: 1,
  title: 'Trello: on board or list activity',
  description: "Starts the workflow when something happens on a Trello board or list (card created, moved, commented…). Store your Trello app's secret as this trigger's signing secret.",
  keywords: ["trello card", "on the board", "card is created", "card is moved", "trello activity"],
  examples: [
    { text: "When a card is moved on my Trello board" },
  ],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { action: { id: '6750a1b2c3d4e5f6a7b8c9d0', type: 'updateCard', date: '2026-12-01T09:30:00.000Z', idMemberCreator: '5f0a1b2c3d4e5f6a7b8c9d0e', memberCreator: { id: '5f0a1b2c3d4e5f6a7b8c9d0e', username: 'ada', fullName: 'Ada Lovelace' }, data: { card: { id: '6750a1b2c3d4e5f6a7b8c9d1', name: 'Send the proposal to Acme' }, listBefore: { id: '6750a1b2c3d4e5f6a7b8c9d2', name: 'To do' }, listAfter: { id: '6750a1b2c3d4e5f6a7b8c9d3', name: 'Doing' }, board: { id: '6750a1b2c3d4e5f6a7b8c9d4', name: 'Sales' } } }, model: { id: '6750a1b2c3d4e5f6a7b8c9d4' }, webhook: { id: '6750a1b2c3d4e5f6a7b8c9d5' } } },
  category: 'trigger',
  kind: 'trigger',
  // For the webhook's registration on activation; a run does not need it, so none is no failure.
  credential: { provider: 'trello', optional: true },
  config: trelloEventConfig,
  output: eventSchema,
  async run(ctx) {
    return { output: deliveredEvent(ctx.trigger, toTrelloEvent, 'trello.event was started without a Trello event (runs start from verified Trello webhook deliveries)') };
  },
});
