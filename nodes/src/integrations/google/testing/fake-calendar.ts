// The Calendar v3 part of the fake Google (installed by default): calendars with events, and
// the routes Keyflow uses, as in calendar__v3.json — events.insert (conferenceDataVersion,
// sendUpdates), events.patch, events.list (timeMin/timeMax overlap, q, singleEvents +
// orderBy=startTime, maxResults, opaque nextPageToken), events.delete (410 when already
// deleted), calendarList.list. Google's checks: a missing or empty time range is a 400
// ("Missing end time." / timeRangeEmpty), a dateTime without offset needs a valid timeZone.
import { randomBytes } from 'node:crypto';
import type { FakeGoogle, FakeRequest } from './fake-google.ts';
import { googleError, sendJson } from './wire.ts';

const AUTH = 'https://www.googleapis.com/auth/';
const WRITE = [`${AUTH}calendar`, `${AUTH}calendar.events`];
const READ = [...WRITE, `${AUTH}calendar.readonly`, `${AUTH}calendar.events.readonly`];

export interface FakeEventTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface FakeEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary: string;
  description?: string;
  location?: string;
  start: FakeEventTime;
  end: FakeEventTime;
  attendees?: { email: string; responseStatus: string }[];
  conferenceData?: Record<string, unknown>;
  hangoutLink?: string;
  htmlLink: string;
}

export interface FakeCalendarState {
  calendars: Map<string, { id: string; summary: string; primary: boolean; events: Map<string, FakeEvent> }>;
  /** Query parameters of the last insert/patch/delete (sendUpdates, conferenceDataVersion). */
  lastWrite?: URLSearchParams;
  addEvent(calendarId: string, e: Partial<FakeEvent> & { summary: string; start: FakeEventTime; end: FakeEventTime }): FakeEvent;
}

const state = new WeakMap<FakeGoogle, FakeCalendarState>();

export function fakeCalendar(fake: FakeGoogle): FakeCalendarState {
  const s = state.get(fake);
  if (!s) throw new Error('fake Google: the Calendar module is not installed');
  return s;
}

const validZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Milliseconds of an event time (a local dateTime read as UTC: good enough for ordering in tests). */
function instant(t: FakeEventTime): number {
  if (t.date) return Date.parse(`${t.date}T00:00:00Z`);
  const dt = t.dateTime ?? '';
  return Date.parse(/[zZ]|[+-]\d{2}:\d{2}$/.test(dt) ? dt : `${dt}Z`);
}

/** Google's check of an event's times; the error message, or undefined. */
function timeProblem(start: FakeEventTime | undefined, end: FakeEventTime | undefined): string | undefined {
  if (!start || (!start.date && !start.dateTime)) return 'Missing start time.';
  if (!end || (!end.date && !end.dateTime)) return 'Missing end time.';
  for (const t of [start, end]) {
    if (t.timeZone && !validZone(t.timeZone)) return 'Invalid time zone definition for start time.';
    if (t.dateTime && !/[zZ]|[+-]\d{2}:\d{2}$/.test(t.dateTime) && !t.timeZone) return 'Missing time zone definition for start time.';
  }
  if (instant(end) <= instant(start)) return 'The specified time range is empty.';
  return undefined;
}

export function installFakeCalendar(fake: FakeGoogle): FakeCalendarState {
  const calendars: FakeCalendarState['calendars'] = new Map();
  const primary = { id: 'ada@example.com', summary: 'Ada', primary: true, events: new Map<string, FakeEvent>() };
  calendars.set(primary.id, primary);
  calendars.set('team@group.calendar.google.com', { id: 'team@group.calendar.google.com', summary: 'Team', primary: false, events: new Map() });
  const make = (calendarId: string, e: Partial<FakeEvent> & { summary: string; start: FakeEventTime; end: FakeEventTime }): FakeEvent => {
    const id = e.id ?? randomBytes(13).toString('hex');
    const event: FakeEvent = { status: 'confirmed', ...e, id, htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendarId}`).toString('base64url')}` };
    calendars.get(calendarId)!.events.set(id, event);
    return event;
  };
  const s: FakeCalendarState = { calendars, addEvent: make };
  state.set(fake, s);

  const calendarOf = (req: FakeRequest) => {
    const id = decodeURIComponent(req.match[1]!);
    return id === 'primary' ? primary : calendars.get(id);
  };
  const base = '^\\/calendar\\/v3\\/calendars\\/([^/]+)\\/events';
  type Body = Partial<Pick<FakeEvent, 'summary' | 'description' | 'location' | 'start' | 'end'>> & { attendees?: { email?: string }[]; conferenceData?: { createRequest?: { requestId?: string; conferenceSolutionKey?: { type?: string } } } };
  const sendUpdates = (req: FakeRequest) => {
    const v = req.query.get('sendUpdates');
    return v === null || ['all', 'externalOnly', 'none'].includes(v);
  };

  fake.route({
    method: 'POST', path: new RegExp(`${base}$`), scopes: WRITE,
    handle: (req, res) => {
      const cal = calendarOf(req);
      if (!cal) return googleError(res, 404, 'notFound', 'Not Found');
      if (!sendUpdates(req)) return googleError(res, 400, 'invalidParameter', 'Invalid value for: sendUpdates');
      s.lastWrite = req.query;
      const body = req.json() as Body;
      const problem = timeProblem(body.start, body.end);
      if (problem) return googleError(res, 400, problem.includes('empty') ? 'timeRangeEmpty' : 'required', problem);
      const withMeet = req.query.get('conferenceDataVersion') === '1' && body.conferenceData?.createRequest?.conferenceSolutionKey?.type === 'hangoutsMeet';
      const code = randomBytes(5).toString('hex');
      const e = make(cal.id, {
        summary: body.summary ?? '', start: body.start!, end: body.end!,
        ...(body.description !== undefined ? { description: body.description } : {}), ...(body.location !== undefined ? { location: body.location } : {}),
        ...(body.attendees ? { attendees: body.attendees.map((a) => ({ email: a.email ?? '', responseStatus: 'needsAction' })) } : {}),
        ...(withMeet ? { hangoutLink: `https://meet.google.com/${code}`, conferenceData: { entryPoints: [{ entryPointType: 'video', uri: `https://meet.google.com/${code}` }], conferenceSolution: { key: { type: 'hangoutsMeet' } } } } : {}),
      });
      sendJson(res, 200, { kind: 'calendar#event', ...e });
    },
  });
  fake.route({
    method: 'PATCH', path: new RegExp(`${base}\\/([^/]+)$`), scopes: WRITE,
    handle: (req, res) => {
      const e = calendarOf(req)?.events.get(decodeURIComponent(req.match[2]!));
      if (!e || e.status === 'cancelled') return googleError(res, 404, 'notFound', 'Not Found');
      s.lastWrite = req.query;
      const body = req.json() as Body;
      const next = { ...e, ...body, ...(body.attendees ? { attendees: body.attendees.map((a) => ({ email: a.email ?? '', responseStatus: 'needsAction' })) } : {}) } as FakeEvent;
      const problem = timeProblem(next.start, next.end);
      if (problem) return googleError(res, 400, problem.includes('empty') ? 'timeRangeEmpty' : 'required', problem);
      calendarOf(req)!.events.set(e.id, next);
      sendJson(res, 200, { kind: 'calendar#event', ...next });
    },
  });
  fake.route({
    method: 'DELETE', path: new RegExp(`${base}\\/([^/]+)$`), scopes: WRITE,
    handle: (req, res) => {
      const e = calendarOf(req)?.events.get(decodeURIComponent(req.match[2]!));
      if (!e) return googleError(res, 404, 'notFound', 'Not Found');
      if (e.status === 'cancelled') return googleError(res, 410, 'deleted', 'Resource has been deleted');
      s.lastWrite = req.query;
      e.status = 'cancelled';
      res.writeHead(204).end();
    },
  });
  fake.route({
    method: 'GET', path: new RegExp(`${base}$`), scopes: READ,
    handle: (req, res) => {
      const cal = calendarOf(req);
      if (!cal) return googleError(res, 404, 'notFound', 'Not Found');
      if (req.query.get('orderBy') === 'startTime' && req.query.get('singleEvents') !== 'true') return googleError(res, 400, 'badRequest', 'The requested ordering is not available for the particular query.');
      const min = req.query.get('timeMin');
      const max = req.query.get('timeMax');
      for (const t of [min, max]) if (t !== null && (Number.isNaN(Date.parse(t)) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(t))) return googleError(res, 400, 'badRequest', 'Bad Request');
      const q = req.query.get('q')?.toLowerCase();
      const events = [...cal.events.values()]
        .filter((e) => e.status === 'confirmed')
        .filter((e) => (min === null || instant(e.end) > Date.parse(min)) && (max === null || instant(e.start) < Date.parse(max)))
        .filter((e) => !q || `${e.summary} ${e.description ?? ''} ${e.location ?? ''}`.toLowerCase().includes(q))
        .sort((a, b) => instant(a.start) - instant(b.start));
      const size = Math.min(Number(req.query.get('maxResults') ?? 250) || 250, 2500);
      const token = req.query.get('pageToken');
      const from = token ? Number(Buffer.from(token, 'base64url').toString().replace('events:', '')) : 0;
      const page = events.slice(from, from + size);
      sendJson(res, 200, { kind: 'calendar#events', summary: cal.summary, items: page.map((e) => ({ kind: 'calendar#event', ...e })), ...(from + size < events.length ? { nextPageToken: Buffer.from(`events:${from + size}`).toString('base64url') } : {}) });
    },
  });
  fake.route({
    method: 'GET', path: /^\/calendar\/v3\/users\/me\/calendarList$/, scopes: READ,
    handle: (_req, res) => sendJson(res, 200, { kind: 'calendar#calendarList', items: [...calendars.values()].map((c) => ({ id: c.id, summary: c.summary, primary: c.primary || undefined, accessRole: 'owner', timeZone: 'Europe/Berlin' })) }),
  });
  return s;
}
