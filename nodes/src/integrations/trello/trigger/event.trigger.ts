import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { isRecord } from '../../../core/is-record.ts';
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
  category: 'trigger',
  kind: 'trigger',
  // For the webhook's registration on activation; a run does not need it, so none is no failure.
  credential: { provider: 'trello', optional: true },
  config: trelloEventConfig,
  output: eventSchema,
  async run(ctx) {
    const req = isRecord(ctx.trigger) ? ctx.trigger : {};
    const event = toTrelloEvent(req.body);
    if (!event) throw new NonRetriableNodeError('trello.event was started without a Trello event (runs start from verified Trello webhook deliveries)');
    return { output: event };
  },
});
