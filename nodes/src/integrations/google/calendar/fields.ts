// Config fields the Calendar nodes share, the client of one call, and event times: an RFC 3339
// time with an offset, a local time with a time zone, or a date (an all-day event).
import type { calendar_v3 } from '@googleapis/calendar';
import { z } from 'zod';
import { NonRetriableNodeError } from '../../../contract/index.ts';
import type { ServiceCall } from '../../framework/index.ts';
import { googleApiOptions } from '../client.ts';
import { googleSdk } from '../sdk.ts';
import { calendarScopes } from './scopes.ts';

export function calendarClient(call: ServiceCall, type: keyof typeof calendarScopes): calendar_v3.Calendar {
  return googleSdk().calendar({ version: 'v3', ...googleApiOptions(call, calendarScopes[type] ?? []) });
}

/** 'primary' or a calendar id (an email-like id for shared calendars). */
export const calendarIdField = z.string().trim().min(1).max(300).regex(/^[^\s/?#]+$/, 'must be a calendar id (e.g. primary or team@group.calendar.google.com)').default('primary').describe('Calendar (primary by default)');
export const eventIdField = z.string().trim().regex(/^[A-Za-z0-9_]{1,1024}$/, 'must be a Calendar event id').describe('Event id');
export const sendUpdatesField = z.enum(['none', 'all', 'externalOnly']).default('none').describe('Email the attendees about the change');

export const timeZoneField = z
  .string()
  .trim()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin')
  .describe('IANA time zone, e.g. Europe/Berlin');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export const eventTimeField = z.string().trim().refine((v) => DATE.test(v) || LOCAL.test(v) || WITH_OFFSET.test(v), 'must be a date (2026-12-03), a local time (2026-12-03T10:00) with timeZone, or a time with an offset (2026-12-03T10:00:00+01:00)');

/** A config time as Calendar's EventDateTime; a local time without a time zone is an error naming it. */
export function eventDateTime(field: string, value: string, timeZone: string | undefined): calendar_v3.Schema$EventDateTime {
  if (DATE.test(value)) return { date: value };
  if (WITH_OFFSET.test(value)) return { dateTime: value, ...(timeZone ? { timeZone } : {}) };
  if (!timeZone) throw new NonRetriableNodeError(`timeZone: ${field} "${value}" has no offset; give timeZone (e.g. Europe/Berlin) or an offset such as +01:00`);
  return { dateTime: value.length === 16 ? `${value}:00` : value, timeZone };
}

/** Refuses an end before its start when both can be compared (same kind). */
export function checkOrder(start: calendar_v3.Schema$EventDateTime, end: calendar_v3.Schema$EventDateTime): void {
  if (start.date && end.date) {
    if (end.date <= start.date) throw new NonRetriableNodeError('end: an all-day event ends on a later date than it starts (the end date is exclusive)');
    return;
  }
  if (!!start.date !== !!end.date) throw new NonRetriableNodeError('end: give both start and end as dates (all-day) or both as times');
  const offset = (d: string | null | undefined) => d && WITH_OFFSET.test(d);
  if (offset(start.dateTime) && offset(end.dateTime) && Date.parse(end.dateTime!) <= Date.parse(start.dateTime!)) throw new NonRetriableNodeError('end: must be after start');
  if (!offset(start.dateTime) && !offset(end.dateTime) && start.timeZone === end.timeZone && end.dateTime! <= start.dateTime!) throw new NonRetriableNodeError('end: must be after start');
}

export const attendeesField = z
  .preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(z.string().trim().email('must be an email address')).max(300, 'at most 300 attendees'))
  .optional()
  .describe('Attendee emails (a list, or comma-separated)');

const eventOut = z.object({
  id: z.string(), url: z.string(), status: z.string(), summary: z.string(),
  start: z.object({ date: z.string().optional(), dateTime: z.string().optional(), timeZone: z.string().optional() }),
  end: z.object({ date: z.string().optional(), dateTime: z.string().optional(), timeZone: z.string().optional() }),
  attendees: z.array(z.object({ email: z.string(), responseStatus: z.string() })),
  meetUrl: z.string().nullable(),
});
export const eventOutput = eventOut;

const clean = (t: calendar_v3.Schema$EventDateTime | undefined) => ({ ...(t?.date ? { date: t.date } : {}), ...(t?.dateTime ? { dateTime: t.dateTime } : {}), ...(t?.timeZone ? { timeZone: t.timeZone } : {}) });

/** Calendar's event as the nodes answer it. */
export function eventView(e: calendar_v3.Schema$Event): z.infer<typeof eventOut> {
  return {
    id: e.id ?? '', url: e.htmlLink ?? '', status: e.status ?? '', summary: e.summary ?? '',
    start: clean(e.start), end: clean(e.end),
    attendees: (e.attendees ?? []).map((a) => ({ email: a.email ?? '', responseStatus: a.responseStatus ?? 'needsAction' })),
    meetUrl: e.hangoutLink ?? e.conferenceData?.entryPoints?.find((p) => p.entryPointType === 'video')?.uri ?? null,
  };
}
