import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { attendeesField, calendarClient, calendarIdField, checkOrder, eventDateTime, eventIdField, eventOutput, eventTimeField, eventView, sendUpdatesField, timeZoneField } from './fields.ts';

/** events.patch: only the fields given change. */
export const updateEventNode = defineNode({
  type: 'calendar.update_event',
  version: 1,
  title: 'Google Calendar: update an event',
  description: 'Changes an event’s title, time, description, location or attendees; what is not given stays as it is.',
  keywords: ['update the event', 'reschedule', 'move the meeting', 'change the event'],
  examples: [{ text: 'Move the calendar event to 3 pm' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    calendarId: calendarIdField,
    eventId: eventIdField,
    summary: z.string().trim().min(1).max(1024).optional(),
    start: eventTimeField.optional(),
    end: eventTimeField.optional(),
    timeZone: timeZoneField.optional(),
    description: z.string().max(8192).optional(),
    location: z.string().max(1024).optional(),
    attendees: attendeesField,
    sendUpdates: sendUpdatesField,
  }),
  output: eventOutput,
  async run(ctx) {
    const c = ctx.config;
    if ((c.start === undefined) !== (c.end === undefined)) throw new NonRetriableNodeError(`${c.start === undefined ? 'start' : 'end'}: give start and end together when changing the time`);
    const start = c.start !== undefined ? eventDateTime('start', c.start, c.timeZone) : undefined;
    const end = c.end !== undefined ? eventDateTime('end', c.end, c.timeZone) : undefined;
    if (start && end) checkOrder(start, end);
    const body = {
      ...(c.summary !== undefined ? { summary: c.summary } : {}), ...(start ? { start } : {}), ...(end ? { end } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}), ...(c.location !== undefined ? { location: c.location } : {}),
      ...(c.attendees ? { attendees: c.attendees.map((email) => ({ email })) } : {}),
    };
    if (Object.keys(body).length === 0) throw new NonRetriableNodeError('summary: give at least one field to change');
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, `event ${c.eventId} in calendar ${c.calendarId}`, async (cc) => {
      const res = await calendarClient(cc, 'calendar.update_event').events.patch({ calendarId: c.calendarId, eventId: c.eventId, sendUpdates: c.sendUpdates, requestBody: body });
      return { output: eventView(res.data) };
    });
  },
});
