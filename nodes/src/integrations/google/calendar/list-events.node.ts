import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../../contract/index.ts';
import { credentialIdField, serviceCall } from '../../framework/index.ts';
import { callGoogle } from '../errors.ts';
import { googleAction, googleSpec } from '../spec.ts';
import { calendarClient, calendarIdField, eventOutput, eventView } from './fields.ts';

const instant = z.string().trim().refine((v) => !Number.isNaN(Date.parse(v)) && /[zZ]|[+-]\d{2}:\d{2}$/.test(v), 'must be a time with an offset, e.g. 2026-12-03T00:00:00Z');

/** events.list over a time range, recurring events expanded, one page at a time. */
export const listEventsNode = defineNode({
  type: 'calendar.list_events',
  version: 1,
  title: 'Google Calendar: list events',
  description: 'Lists the events of a calendar in a time range (recurring ones expanded), in start order, a page at a time.',
  keywords: ["today's events", 'list events', 'my calendar', 'upcoming meetings', 'agenda'],
  examples: [{ text: "List this week's calendar events" }],
  ...googleAction,
  config: z.strictObject({
    credentialId: credentialIdField,
    calendarId: calendarIdField,
    timeMin: instant.optional().describe('From (inclusive), e.g. 2026-12-03T00:00:00Z'),
    timeMax: instant.optional().describe('Until (exclusive)'),
    q: z.string().max(500).optional().describe('Free-text search'),
    maxResults: z.coerce.number().int().min(1).max(250).default(50),
    pageToken: z.string().max(1000).optional().describe('nextPageToken of the previous page'),
  }),
  output: z.object({ events: z.array(eventOutput), nextPageToken: z.string().nullable() }),
  async run(ctx) {
    const c = ctx.config;
    if (c.timeMin && c.timeMax && Date.parse(c.timeMax) <= Date.parse(c.timeMin)) throw new NonRetriableNodeError('timeMax: must be after timeMin');
    const call = serviceCall(ctx, googleSpec);
    return callGoogle(call, `calendar ${c.calendarId}`, async (cc) => {
      const res = await calendarClient(cc, 'calendar.list_events').events.list({
        calendarId: c.calendarId, singleEvents: true, orderBy: 'startTime', maxResults: c.maxResults,
        ...(c.timeMin ? { timeMin: c.timeMin } : {}), ...(c.timeMax ? { timeMax: c.timeMax } : {}), ...(c.q ? { q: c.q } : {}), ...(c.pageToken ? { pageToken: c.pageToken } : {}),
      });
      return { output: { events: (res.data.items ?? []).map(eventView), nextPageToken: res.data.nextPageToken ?? null } };
    });
  },
});
