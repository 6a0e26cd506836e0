// Typeform: a personal-token credential, the typeform.response trigger (webhook created on
// activation with a Keyflow-generated secret; Typeform-Signature checked by the engine's preset).
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import { defineIntegration, type ServiceCall } from '../framework/index.ts';
import { typeformRequest } from './spec.ts';
import { typeformResponseActivation, typeformResponseInbound, typeformResponseTrigger } from './response.trigger.ts';
import { typeformSpec } from './spec.ts';

const me = z.looseObject({ alias: z.string().optional(), email: z.string().optional(), user_id: z.string().optional() });

async function typeformIdentity(call: ServiceCall) {
  const parsed = me.safeParse(await typeformRequest(call, { method: 'GET', path: 'me' }));
  if (!parsed.success) throw new NodeError('Typeform answered /me with something that is not an account', { details: { service: 'typeform' } });
  return { name: parsed.data.alias ?? parsed.data.email ?? 'Typeform account', ...(parsed.data.user_id ? { accountId: parsed.data.user_id } : {}) };
}

export const typeformIntegration = defineIntegration({
  service: typeformSpec.service,
  title: typeformSpec.title,
  credentialKinds: ['token'],
  defaultBaseUrl: typeformSpec.defaultBaseUrl,
  apiHosts: typeformSpec.apiHosts,
  identity: typeformIdentity,
  options: {},
  nodes: [typeformResponseTrigger],
  inbound: { 'typeform.response': typeformResponseInbound },
  activations: { 'typeform.response': typeformResponseActivation },
});

export { receiveTypeformResponse, toTypeformResponse, typeformResponseTrigger } from './response.trigger.ts';
