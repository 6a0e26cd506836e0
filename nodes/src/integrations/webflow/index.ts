// Webflow: a token credential (identity only) and the webflow.form_submission trigger,
// secret-only: the owner adds the webhook in Webflow and stores its signing secret here.
import { z } from 'zod';
import { NodeError } from '../../contract/index.ts';
import { defineIntegration, type ServiceCall } from '../framework/index.ts';
import { webflowFormInbound, webflowFormTrigger } from './form-submission.trigger.ts';
import { webflowRequest, webflowSpec } from './spec.ts';

const authorizedBy = z.looseObject({ id: z.string(), email: z.string().optional(), firstName: z.string().optional(), lastName: z.string().optional() });

async function webflowIdentity(call: ServiceCall) {
  const parsed = authorizedBy.safeParse(await webflowRequest(call, { method: 'GET', path: 'v2/token/authorized_by' }));
  if (!parsed.success) throw new NodeError('Webflow answered /v2/token/authorized_by with something that is not a user', { details: { service: 'webflow' } });
  const { id, email, firstName, lastName } = parsed.data;
  const name = [firstName, lastName].filter(Boolean).join(' ');
  return { name: name || email || `user ${id}`, accountId: id };
}

export const webflowIntegration = defineIntegration({
  service: webflowSpec.service,
  title: webflowSpec.title,
  credentialKinds: ['token'],
  defaultBaseUrl: webflowSpec.defaultBaseUrl,
  apiHosts: webflowSpec.apiHosts,
  identity: webflowIdentity,
  options: {},
  nodes: [webflowFormTrigger],
  inbound: { 'webflow.form_submission': webflowFormInbound },
});

export { receiveWebflowSubmission, toWebflowSubmission, webflowFormTrigger } from './form-submission.trigger.ts';
