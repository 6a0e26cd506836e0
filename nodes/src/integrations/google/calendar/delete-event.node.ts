import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { calendarClient, calendarIdField, eventIdField, sendUpdatesField } from './fields.ts';

/** events.delete. An event already deleted (410 Gone) counts as deleted: a retried step succeeds. */
export const deleteEventNode = defineNode({
  type: 'calendar.delete_event',
  version: 1,
  title: 'Google Calendar: delete an event',
  description: 'Deletes (cancels) an event, optionally emailing the attendees.',
  keywords: ['delete the event', 'cancel the meeting', 'remove from calendar'],
  examples: [{ text: 'Cancel the calendar event' }],
  ...googleAction,
  config: z.strictObject({ credentialId: credentialIdField, calendarId: calendarIdField, eventId: eventIdField, sendUpdates: sendUpdatesField }),
  output: z.object({ id: z.string(), deleted: z.boolean() }),
  async run(ctx) {
    const c = ctx.config;
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, `event ${c.eventId} in calendar ${c.calendarId}`, async (cc) => {
      try {
        await calendarClient(cc, 'calendar.delete_event').events.delete({ calendarId: c.calendarId, eventId: c.eventId, sendUpdates: c.sendUpdates });
      } catch (err) {
        if ((err as { response?: { status?: number } }).response?.status !== 410) throw err;
      }
      return { output: { id: c.eventId, deleted: true } };
    });
  },
});
