// The Calendar nodes through @googleapis/calendar against the fake Google.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError, RetryAfterNodeError } from '../../../contract/index.ts';
import { serviceCallFor } from '../../framework/index.ts';
import { testCredential } from '../../framework/testing/test-context.ts';
import { findOptionList } from '../../registry.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';
import { googleSpec } from '../spec.ts';
import { fakeCalendar, type FakeCalendarState } from '../testing/fake-calendar.ts';
import { createFakeGoogle, type FakeGoogle } from '../testing/fake-google.ts';
import { allSpecProblems } from '../testing/spec-check.ts';
import { googleCredential, googleFailure, runGoogleNode } from '../testing/google-test-kit.ts';
import { createEventNode, deleteEventNode, listEventsNode, updateEventNode } from './index.ts';

let fake: FakeGoogle;
let cal: FakeCalendarState;
let token: string;
const S = GOOGLE_SCOPES;

beforeAll(async () => {
  fake = await createFakeGoogle();
  cal = fakeCalendar(fake);
});
afterAll(() => fake.close());
// Every request the nodes made fits Google's discovery document (testing/spec/).
afterEach(() => expect(allSpecProblems(fake.requests)).toEqual([]));
beforeEach(() => {
  fake.requests.length = 0;
  token = fake.issueToken({ scopes: ['openid', S.email, S.calendar] });
});

const primary = () => cal.calendars.get('ada@example.com')!;

describe('calendar.create_event', () => {
  it('creates an event in a time zone, with attendees and no Meet link by default; answers { id, url }', async () => {
    const out = await runGoogleNode(fake, createEventNode, { summary: 'Planning', start: '2026-12-03T10:00', end: '2026-12-03T11:30', timeZone: 'Europe/Berlin', attendees: 'a@example.com, b@example.com' }, { secret: token });
    expect(out).toMatchObject({ id: expect.any(String), url: expect.stringContaining('https://www.google.com/calendar/event?eid='), summary: 'Planning', meetUrl: null });
    expect(out.start).toEqual({ dateTime: '2026-12-03T10:00:00', timeZone: 'Europe/Berlin' });
    expect(out.attendees.map((a: { email: string }) => a.email)).toEqual(['a@example.com', 'b@example.com']);
    const sent = fake.requests.find((r) => r.method === 'POST')!;
    expect(sent.path).toBe('/calendar/v3/calendars/primary/events');
    expect(sent.query.get('conferenceDataVersion')).toBe('0');
    expect(sent.query.get('sendUpdates')).toBe('none');
    expect(JSON.parse(sent.body.toString())).not.toHaveProperty('conferenceData');
    expect(primary().events.get(out.id)!.summary).toBe('Planning');
  });

  it('adds a Meet link only when asked; all-day dates; offsets without a time zone', async () => {
    const meet = await runGoogleNode(fake, createEventNode, { summary: 'Call', start: '2026-12-03T10:00:00+01:00', end: '2026-12-03T10:30:00+01:00', conference: true }, { secret: token });
    expect(meet.meetUrl).toMatch(/^https:\/\/meet\.google\.com\//);
    const allDay = await runGoogleNode(fake, createEventNode, { calendarId: 'team@group.calendar.google.com', summary: 'Offsite', start: '2026-12-10', end: '2026-12-12' }, { secret: token });
    expect(allDay.start).toEqual({ date: '2026-12-10' });
    expect(cal.calendars.get('team@group.calendar.google.com')!.events.has(allDay.id)).toBe(true);
  });

  it.each([
    [{ summary: 'x', start: '2026-12-03T10:00', end: '2026-12-03T11:00' }, /timeZone/],
    [{ summary: 'x', start: '2026-12-03T10:00', end: '2026-12-03T09:00', timeZone: 'Europe/Berlin' }, /end: must be after start/],
    [{ summary: 'x', start: '2026-12-03', end: '2026-12-03T09:00:00Z' }, /end: give both/],
    [{ summary: 'x', start: 'tomorrow', end: '2026-12-03T09:00:00Z' }, /start/],
    [{ summary: 'x', start: '2026-12-03T10:00', end: '2026-12-03T11:00', timeZone: 'Mars/Olympus' }, /timeZone/],
    [{ summary: '', start: '2026-12-03', end: '2026-12-04' }, /summary/],
    [{ summary: 'x', start: '2026-12-03', end: '2026-12-04', attendees: ['not-mail'] }, /attendees/],
  ])('refuses bad input before calling Google, naming the field (%#)', async (config, field) => {
    await expect(runGoogleNode(fake, createEventNode, config, { secret: token })).rejects.toThrow(field);
    expect(fake.requests).toHaveLength(0);
  });

  it('missing scope: named before the call (recorded grant) and from Google’s 403', async () => {
    const reader = fake.issueToken({ scopes: [S.calendarReadonly] });
    const config = { summary: 'x', start: '2026-12-03', end: '2026-12-04' };
    expect((await googleFailure(fake, createEventNode, config, { secret: reader, grantedScopes: [S.calendarReadonly] })).message).toContain(S.calendarEvents);
    const told = await googleFailure(fake, createEventNode, config, { secret: reader });
    expect(told.details).toMatchObject({ kind: 'scope' });
  });

  it('bad auth: one refresh, then rejected; rate limit then success', async () => {
    const config = { summary: 'x', start: '2026-12-03', end: '2026-12-04' };
    const cred = googleCredential({ secret: 'ya29.dead', refresh: async () => token });
    expect((await runGoogleNode(fake, createEventNode, config, cred)).id).toBeTruthy();
    expect(cred.refreshes).toBe(1);
    expect(await googleFailure(fake, createEventNode, config, { secret: 'ya29.dead' })).toBeInstanceOf(CredentialRejectedError);
    fake.rateLimitNext(1, 4);
    const limited = await googleFailure(fake, createEventNode, config, { secret: token });
    expect(limited).toBeInstanceOf(RetryAfterNodeError);
    expect((limited as RetryAfterNodeError).retryAfterMs).toBe(4000);
    expect((await runGoogleNode(fake, createEventNode, config, { secret: token })).id).toBeTruthy();
  });

  it('names an unknown calendar', async () => {
    const err = await googleFailure(fake, createEventNode, { calendarId: 'nobody@example.com', summary: 'x', start: '2026-12-03', end: '2026-12-04' }, { secret: token });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('calendar nobody@example.com');
  });
});

describe('calendar.update_event and delete_event', () => {
  it('patches only what is given, and deletes (a second delete is still fine)', async () => {
    const e = cal.addEvent('ada@example.com', { summary: 'Old', description: 'keep', start: { dateTime: '2026-12-05T09:00:00Z' }, end: { dateTime: '2026-12-05T10:00:00Z' } });
    const out = await runGoogleNode(fake, updateEventNode, { eventId: e.id, summary: 'New', start: '2026-12-05T14:00', end: '2026-12-05T15:00', timeZone: 'America/New_York', sendUpdates: 'all' }, { secret: token });
    expect(out).toMatchObject({ id: e.id, summary: 'New', start: { dateTime: '2026-12-05T14:00:00', timeZone: 'America/New_York' } });
    expect(primary().events.get(e.id)!.description).toBe('keep');
    expect(JSON.parse(fake.requests.at(-1)!.body.toString())).toEqual({ summary: 'New', start: { dateTime: '2026-12-05T14:00:00', timeZone: 'America/New_York' }, end: { dateTime: '2026-12-05T15:00:00', timeZone: 'America/New_York' } });
    expect(cal.lastWrite!.get('sendUpdates')).toBe('all');
    await expect(runGoogleNode(fake, updateEventNode, { eventId: e.id, start: '2026-12-05T14:00:00Z' }, { secret: token })).rejects.toThrow(/end: give start and end together/);
    await expect(runGoogleNode(fake, updateEventNode, { eventId: e.id }, { secret: token })).rejects.toThrow(/at least one field/);

    expect(await runGoogleNode(fake, deleteEventNode, { eventId: e.id }, { secret: token })).toEqual({ id: e.id, deleted: true });
    expect(primary().events.get(e.id)!.status).toBe('cancelled');
    expect(await runGoogleNode(fake, deleteEventNode, { eventId: e.id }, { secret: token })).toEqual({ id: e.id, deleted: true });
    const missing = await googleFailure(fake, updateEventNode, { eventId: 'nosuchevent', summary: 'x' }, { secret: token });
    expect(missing.message).toContain('event nosuchevent');
    await expect(runGoogleNode(fake, deleteEventNode, { eventId: 'bad id!' }, { secret: token })).rejects.toThrow(/eventId/);
  });
});

describe('calendar.list_events', () => {
  it('lists a time range in start order, a page at a time', async () => {
    const team = 'team@group.calendar.google.com';
    for (const d of ['2027-01-04', '2027-01-02', '2027-01-03', '2027-01-09']) cal.addEvent(team, { summary: `on ${d}`, start: { dateTime: `${d}T09:00:00Z` }, end: { dateTime: `${d}T10:00:00Z` } });
    const first = await runGoogleNode(fake, listEventsNode, { calendarId: team, timeMin: '2027-01-01T00:00:00Z', timeMax: '2027-01-08T00:00:00Z', maxResults: 2 }, { secret: fake.issueToken({ scopes: [S.calendarReadonly] }) });
    expect(first.events.map((e: { summary: string }) => e.summary)).toEqual(['on 2027-01-02', 'on 2027-01-03']);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const req = fake.requests.at(-1)!;
    expect(req.query.get('singleEvents')).toBe('true');
    expect(req.query.get('orderBy')).toBe('startTime');
    const second = await runGoogleNode(fake, listEventsNode, { calendarId: team, timeMin: '2027-01-01T00:00:00Z', timeMax: '2027-01-08T00:00:00Z', maxResults: 2, pageToken: first.nextPageToken }, { secret: token });
    expect(second.events.map((e: { summary: string }) => e.summary)).toEqual(['on 2027-01-04']);
    expect(second.nextPageToken).toBeNull();
  });

  it('validates the range; missing scope; rate limit then success', async () => {
    await expect(runGoogleNode(fake, listEventsNode, { timeMin: '2027-01-02T00:00:00Z', timeMax: '2027-01-01T00:00:00Z' }, { secret: token })).rejects.toThrow(/timeMax/);
    await expect(runGoogleNode(fake, listEventsNode, { timeMin: '2027-01-02' }, { secret: token })).rejects.toThrow(/timeMin/);
    const mailOnly = fake.issueToken({ scopes: [S.gmailSend] });
    expect((await googleFailure(fake, listEventsNode, {}, { secret: mailOnly, grantedScopes: [S.gmailSend] })).message).toContain(S.calendarReadonly);
    fake.rateLimitNext(1, 1);
    expect(await googleFailure(fake, listEventsNode, {}, { secret: token })).toBeInstanceOf(RetryAfterNodeError);
    expect((await runGoogleNode(fake, listEventsNode, {}, { secret: token })).events).toEqual(expect.any(Array));
  });
});

describe('calendar options', () => {
  it('lists the calendars (the primary one as "primary") for the Calendar nodes', async () => {
    // Every node with a calendarId field has the list the editor's dropdown asks for (editor option-lists.ts).
    for (const n of [createEventNode, updateEventNode, listEventsNode, deleteEventNode]) expect(findOptionList(n.type, 'calendars'), n.type).toBeDefined();
    expect(findOptionList('gmail.new_message', 'labels')).toBeDefined();
    const found = findOptionList('calendar.create_event', 'calendars')!;
    const call = serviceCallFor(googleSpec, testCredential({ provider: 'google', secret: token }), { baseUrl: (s: string) => (s === 'google' ? fake.url : undefined) }, AbortSignal.timeout(10_000));
    const page = await found.list.list(call, { params: {} });
    expect(page.items.map((i) => [i.value, i.label])).toEqual([['primary', 'Ada'], ['team@group.calendar.google.com', 'Team']]);
    expect((await found.list.list(call, { search: 'tea', params: {} })).items).toHaveLength(1);
  });
});

describe('every Calendar action: bad auth, missing scope, rate limit then success', () => {
  const cases = () => {
    const e = cal.addEvent('ada@example.com', { summary: 'table', start: { dateTime: '2026-12-07T09:00:00Z' }, end: { dateTime: '2026-12-07T10:00:00Z' } });
    return [
      [createEventNode, { summary: 'x', start: '2026-12-03', end: '2026-12-04' }, S.calendarEvents],
      [updateEventNode, { eventId: e.id, summary: 'y' }, S.calendarEvents],
      [listEventsNode, { maxResults: 1 }, S.calendarReadonly],
      [deleteEventNode, { eventId: e.id }, S.calendarEvents],
    ] as const;
  };

  it.each(['calendar.create_event', 'calendar.update_event', 'calendar.list_events', 'calendar.delete_event'])('%s', async (type) => {
    const [node, config, scope] = cases().find(([n]) => n.type === type)!;
    expect(await googleFailure(fake, node, config, { secret: 'ya29.not-a-token' })).toBeInstanceOf(CredentialRejectedError);
    const other = fake.issueToken({ scopes: [S.gmailSend] });
    const missing = await googleFailure(fake, node, config, { secret: other, grantedScopes: [S.gmailSend] });
    expect(missing).toBeInstanceOf(NonRetriableNodeError);
    expect(missing.message).toContain(scope);
    fake.rateLimitNext(1, 2);
    expect(await googleFailure(fake, node, config, { secret: token })).toBeInstanceOf(RetryAfterNodeError);
    expect(await runGoogleNode(fake, node, config, { secret: token })).toBeTruthy();
  });
});
