import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { trelloEventConfig } from './config.ts';
import type { TrelloEvent } from './delivery.ts';

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
 * activated and deleted when it is deactivated (trigger/activation.ts); each delivery is checked
 * (signature, date, replay, filters) by decideTrelloDelivery before a run starts with its event
 * as the trigger payload, so run() only hands the already verified event on.
 */
export const trelloEventTrigger = defineNode({
  type: 'trello.event',
  version: 1,
  title: 'Trello: on board or list activity',
  description: 'Starts the workflow when something happens on a Trello board or list (card created, moved, commented…).',
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'trello' },
  config: trelloEventConfig,
  output: eventSchema,
  async run(ctx) {
    const parsed = eventSchema.safeParse(ctx.trigger);
    if (!parsed.success) throw new NonRetriableNodeError('trello.event was started without a verified Trello event (runs start from Trello webhook deliveries only)');
    const event: TrelloEvent = parsed.data;
    return { output: event };
  },
});
