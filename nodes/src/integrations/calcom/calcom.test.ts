// Cal.com: event filtering and the run's name, the booking output, identity against the fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import type { InboundRequest } from '../framework/index.ts';
import { calcomBookingTrigger, receiveCalcomBooking } from './booking.trigger.ts';
import { calcomIntegration } from './index.ts';
import { calcomDelivery, startFakeCalcom, type FakeCalcom } from './testing/fake-calcom.ts';

let fake: FakeCalcom;
beforeAll(async () => {
  fake = await startFakeCalcom();
});
afterAll(() => fake.close());

const inbound = (body: string): InboundRequest => ({ method: 'POST', headers: {}, body: JSON.parse(body), rawBody: Buffer.from(body), url: 'https://keyflow.test/hooks/x', now: new Date() });

describe('calcom.booking', () => {
  it('keeps only the chosen events (default BOOKING_CREATED) and names the run by event and uid', () => {
    expect(receiveCalcomBooking(inbound(calcomDelivery('BOOKING_CREATED', 'uid-1')), {})).toEqual({ kind: 'run', deliveryId: 'calcom:BOOKING_CREATED:uid-1' });
    expect(receiveCalcomBooking(inbound(calcomDelivery('BOOKING_CANCELLED', 'uid-1')), {})).toMatchObject({ kind: 'ignore', reason: expect.stringContaining('BOOKING_CANCELLED') });
    expect(receiveCalcomBooking(inbound(calcomDelivery('BOOKING_CANCELLED', 'uid-1')), { events: ['BOOKING_CANCELLED'] })).toEqual({ kind: 'run', deliveryId: 'calcom:BOOKING_CANCELLED:uid-1' });
    expect(receiveCalcomBooking(inbound('{"triggerEvent":"PING","payload":{}}'), {})).toMatchObject({ kind: 'ignore' });
    expect(receiveCalcomBooking(inbound('{"x":1}'), {})).toMatchObject({ kind: 'answer', status: 400 });
  });

  it('outputs the booking with its attendees, times and organizer', async () => {
    const body = JSON.parse(calcomDelivery('BOOKING_CREATED', 'uid-2'));
    const { output } = await calcomBookingTrigger.run(createIntegrationTestContext({}, { trigger: { body } }) as never);
    expect(output).toMatchObject({ event: 'BOOKING_CREATED', uid: 'uid-2', title: expect.stringContaining('30 Min'), attendees: [{ name: 'Grace', email: 'grace@example.com' }], organizer: { email: 'ada@example.com' }, startTime: expect.any(String) });
  });

  it('identity is GET /v2/me with the API key; a wrong key is CredentialRejectedError', async () => {
    expect(await calcomIntegration.identity(testServiceCall(testCredential({ provider: 'calcom', secret: fake.apiKey }), fake.url))).toEqual({ name: 'Ada Lovelace', accountId: '5' });
    await expect(calcomIntegration.identity(testServiceCall(testCredential({ provider: 'calcom', secret: 'cal_live_wrong' }), fake.url))).rejects.toBeInstanceOf(CredentialRejectedError);
  });
});
