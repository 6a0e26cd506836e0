// calcom.booking: started by a Cal.com webhook the owner created with a secret. The server checks
// X-Cal-Signature-256 (the `calcom` preset); receive() keeps the chosen trigger events (others are
// answered 200 and start nothing) and names the run by event + booking uid, so Cal.com's retries
// of one event start no second run.
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';
import { credentialIdField, type InboundDecision, type InboundRequest, type InboundWebhook, deliveredEvent } from '../framework/index.ts';

export const CALCOM_EVENTS = ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED', 'BOOKING_PAID', 'MEETING_ENDED'] as const;

export const calcomBookingConfig = z.strictObject({
  credentialId: credentialIdField,
  events: z.array(z.enum(CALCOM_EVENTS)).min(1).max(CALCOM_EVENTS.length).optional().describe('Which Cal.com events start a run (default: BOOKING_CREATED)'),
});

const person = z.looseObject({ name: z.string().optional(), email: z.string().optional(), timeZone: z.string().optional() });
const delivery = z.looseObject({
  triggerEvent: z.string().min(1).max(100),
  createdAt: z.string().optional(),
  payload: z.looseObject({
    uid: z.string().optional(),
    bookingId: z.number().optional(),
    title: z.string().optional(),
    type: z.string().optional(),
    description: z.string().nullish(),
    startTime: z.string().optional(),
    endTime: z.string().optional(),
    location: z.string().nullish(),
    status: z.string().optional(),
    organizer: person.optional(),
    attendees: z.array(person).max(1000).default([]),
    responses: z.record(z.string(), z.unknown()).optional(),
  }),
});

export interface CalcomBooking {
  event: string;
  createdAt: string | null;
  uid: string | null;
  bookingId: number | null;
  title: string | null;
  eventType: string | null;
  startTime: string | null;
  endTime: string | null;
  location: string | null;
  status: string | null;
  organizer: z.infer<typeof person> | null;
  attendees: z.infer<typeof person>[];
  responses: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function toCalcomBooking(body: unknown): CalcomBooking | undefined {
  const parsed = delivery.safeParse(body);
  if (!parsed.success) return undefined;
  const p = parsed.data.payload;
  return {
    event: parsed.data.triggerEvent,
    createdAt: parsed.data.createdAt ?? null,
    uid: p.uid ?? null,
    bookingId: p.bookingId ?? null,
    title: p.title ?? null,
    eventType: p.type ?? null,
    startTime: p.startTime ?? null,
    endTime: p.endTime ?? null,
    location: p.location ?? null,
    status: p.status ?? null,
    organizer: p.organizer ?? null,
    attendees: p.attendees,
    responses: p.responses ?? {},
    payload: p,
  };
}

export function receiveCalcomBooking(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const config = calcomBookingConfig.safeParse(rawConfig);
  if (!config.success) return { kind: 'ignore', reason: 'the trigger config is invalid' };
  // Cal.com's "Ping test" button sends { triggerEvent: 'PING' }: a verified ping starts nothing.
  if (isRecord(req.body) && req.body.triggerEvent === 'PING') return { kind: 'ignore', reason: 'Cal.com ping' };
  const booking = toCalcomBooking(req.body);
  if (!booking) return { kind: 'answer', status: 400, body: { error: { code: 'invalid_delivery', message: 'the body is not a Cal.com webhook delivery (triggerEvent and payload)' } } };
  const wanted: readonly string[] = config.data.events ?? ['BOOKING_CREATED'];
  if (!wanted.includes(booking.event)) return { kind: 'ignore', reason: `event ${booking.event} is not among ${wanted.join(', ')}` };
  const id = booking.uid ?? (booking.bookingId !== null ? String(booking.bookingId) : undefined);
  return { kind: 'run', ...(id ? { deliveryId: `calcom:${booking.event}:${id}` } : {}) };
}

export const calcomBookingInbound: InboundWebhook = { signature: { preset: 'calcom' }, receive: receiveCalcomBooking };

const personOut = z.object({ name: z.string().optional(), email: z.string().optional(), timeZone: z.string().optional() }).loose();

export const calcomBookingTrigger = defineNode({
  type: 'calcom.booking',
  version: 1,
  title: 'Cal.com: booking created, rescheduled or cancelled',
  description: 'Starts the workflow when a Cal.com booking is made, moved or cancelled. Create a webhook in Cal.com (Settings → Developer → Webhooks) with this trigger\'s URL and a secret, and store the same secret here.',
  keywords: ['cal.com', 'calcom', 'cal com booking', 'new booking', 'meeting booked', 'meeting guest', 'appointment scheduled', 'booking cancelled', 'rescheduled meeting'],
  examples: [
    { text: 'When someone books a meeting on Cal.com' },
    { text: 'Add each meeting guest from a Cal.com booking', config: { events: ['BOOKING_CREATED', 'BOOKING_RESCHEDULED'] } },
  ],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { triggerEvent: 'BOOKING_CREATED', createdAt: '2026-12-01T09:30:00.000Z', payload: { uid: 'bk_2p8sQ1sample', bookingId: 4711, title: 'Intro call between Grace and Ada', type: 'intro-call', description: 'Wants to talk about the Q1 rollout', startTime: '2026-12-08T15:00:00Z', endTime: '2026-12-08T15:30:00Z', location: 'https://cal.com/video/sample', status: 'ACCEPTED', organizer: { name: 'Grace Hopper', email: 'grace@example.com', timeZone: 'Europe/London' }, attendees: [{ name: 'Ada Lovelace', email: 'ada@example.com', timeZone: 'Europe/London' }, { name: 'Charles Babbage', email: 'charles@example.com', timeZone: 'Europe/London' }], responses: { name: 'Ada Lovelace', email: 'ada@example.com', notes: 'Budget about 25k' } } } },
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'calcom', optional: true },
  config: calcomBookingConfig,
  output: z.object({
    event: z.string(),
    createdAt: z.string().nullable(),
    uid: z.string().nullable(),
    bookingId: z.number().nullable(),
    title: z.string().nullable(),
    eventType: z.string().nullable(),
    startTime: z.string().nullable(),
    endTime: z.string().nullable(),
    location: z.string().nullable(),
    status: z.string().nullable(),
    organizer: personOut.nullable(),
    attendees: z.array(personOut),
    responses: z.record(z.string(), z.unknown()),
    payload: z.record(z.string(), z.unknown()),
  }),
  async run(ctx) {
    return { output: deliveredEvent(ctx.trigger, toCalcomBooking, 'calcom.booking was started without a Cal.com booking (runs start from verified Cal.com webhook deliveries)') };
  },
});
