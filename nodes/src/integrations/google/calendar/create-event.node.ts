import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineNode } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { attendeesField, calendarClient, calendarIdField, checkOrder, eventDateTime, eventOutput, eventTimeField, eventView, sendUpdatesField, timeZoneField } from './fields.ts';

/** events.insert. No Meet link unless `conference` is on (conferenceDataVersion=0 otherwise). */
export const createEventNode = defineNode({
  type: 'calendar.create_event',
  version: 1,
  title: 'Google Calendar: create an event',
  description: 'Creates an event: a time range in a time zone (or all-day dates), attendees, and a Meet link only when asked.',
  keywords: ['create an event', 'calendar event', 'schedule a meeting', 'book a meeting', 'add to calendar'],
  examples: [{ text: 'Create a calendar event for the call tomorrow at 10:00 Berlin time' }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    calendarId: calendarIdField,
    summary: z.string().trim().min(1, 'required: the event title').max(1024),
    start: eventTimeField.describe('Start: 2026-12-03T10:00 (with timeZone), 2026-12-03T10:00:00+01:00, or 2026-12-03 (all-day)'),
    end: eventTimeField.describe('End, same form as start (an all-day end date is exclusive)'),
    timeZone: timeZoneField.optional(),
    description: z.string().max(8192).optional(),
    location: z.string().max(1024).optional(),
    attendees: attendeesField,
    conference: z.boolean().default(false).describe('Add a Google Meet link'),
    sendUpdates: sendUpdatesField,
  }),
  output: eventOutput,
  async run(ctx) {
    const c = ctx.config;
    const start = eventDateTime('start', c.start, c.timeZone);
    const end = eventDateTime('end', c.end, c.timeZone);
    checkOrder(start, end);
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, `calendar ${c.calendarId}`, async (cc) => {
      const res = await calendarClient(cc, 'calendar.create_event').events.insert({
        calendarId: c.calendarId,
        sendUpdates: c.sendUpdates,
        conferenceDataVersion: c.conference ? 1 : 0,
        requestBody: {
          summary: c.summary, start, end,
          ...(c.description !== undefined ? { description: c.description } : {}),
          ...(c.location !== undefined ? { location: c.location } : {}),
          ...(c.attendees ? { attendees: c.attendees.map((email) => ({ email })) } : {}),
          // The request id makes a retried create of this step's event one event, not two.
          ...(c.conference ? { conferenceData: { createRequest: { requestId: ctx.idempotencyKey ? ctx.idempotencyKey.slice(0, 64) : randomUUID(), conferenceSolutionKey: { type: 'hangoutsMeet' } } } } : {}),
        },
      });
      return { output: eventView(res.data) };
    });
  },
});
