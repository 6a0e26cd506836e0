// Cal.com: an API-key credential (identity only) and the calcom.booking trigger, secret-only:
// the owner creates the webhook in Cal.com and stores its secret on the trigger.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import { defineIntegration, type ServiceCall } from '../framework/index.ts';
import { calcomBookingInbound, calcomBookingTrigger } from './booking.trigger.ts';
import { calcomRequest, calcomSpec } from './spec.ts';

const me = z.looseObject({ status: z.string().optional(), data: z.looseObject({ id: z.number(), username: z.string().nullish(), email: z.string().optional(), name: z.string().nullish() }) });

async function calcomIdentity(call: ServiceCall) {
  const parsed = me.safeParse(await calcomRequest(call, { method: 'GET', path: 'v2/me' }));
  if (!parsed.success) throw new NodeError('Cal.com answered /v2/me with something that is not a user', { details: { service: 'calcom' } });
  const { id, username, email, name } = parsed.data.data;
  return { name: name ?? username ?? email ?? `user ${id}`, accountId: String(id) };
}

export const calcomIntegration = defineIntegration({
  service: calcomSpec.service,
  title: calcomSpec.title,
  credentialKinds: ['token'],
  defaultBaseUrl: calcomSpec.defaultBaseUrl,
  apiHosts: calcomSpec.apiHosts,
  identity: calcomIdentity,
  options: {},
  nodes: [calcomBookingTrigger],
  inbound: { 'calcom.booking': calcomBookingInbound },
});

export { receiveCalcomBooking, toCalcomBooking, calcomBookingTrigger } from './booking.trigger.ts';
