// Webflow's fixed facts. Form submissions arrive from a `form_submission` webhook
// (https://developers.webflow.com/data/reference/webhooks/events/form-submission) signed with
// `x-webflow-signature: <hex HMAC-SHA256 of "<x-webflow-timestamp>:<raw body>">` and
// `x-webflow-timestamp` in milliseconds, refused when older than 5 minutes
// (https://developers.webflow.com/data/docs/working-with-webhooks, "Validating request
// signatures"): the engine's `webflow` preset. Webflow signs with the OAuth app's client secret
// (webhooks created by that app) or the secret it shows for the webhook; Keyflow does not
// register the webhook itself (secret-only): the owner stores that secret on the trigger.
// Data API v2 with a site token / OAuth token as Bearer serves the identity call,
// GET /v2/token/authorized_by.
import { bearerRequest, type JsonRequest, type ServiceCall } from '../framework/index.ts';

export const webflowSpec = {
  service: 'webflow',
  title: 'Webflow',
  defaultBaseUrl: 'https://api.webflow.com',
  apiHosts: ['api.webflow.com'] as readonly string[],
  fixAuth: 'generate a new site API token in Webflow (Site settings → Apps & integrations → API access) and save it under Keys',
} as const;

export const webflowSubject = { title: webflowSpec.title, fixAuth: webflowSpec.fixAuth };

export function webflowRequest(call: ServiceCall, req: Omit<JsonRequest, 'url'> & { path: string; what?: string }): Promise<unknown> {
  return bearerRequest(call, webflowSubject, req);
}
