// Cal.com's fixed facts. Webhooks are created by the owner in Cal.com (Settings → Developer →
// Webhooks) with a secret they choose; each delivery carries `X-Cal-Signature-256: <hex
// HMAC-SHA256(raw body, secret)>` (https://cal.com/docs/developing/guides/automation/webhooks),
// the engine's `calcom` preset. Keyflow does not register the webhook itself (secret-only trigger):
// the owner pastes the same secret into the trigger. API v2 with an API key as Bearer
// (https://cal.com/docs/api-reference/v2/introduction) serves the identity call, GET /v2/me.
import { bearerRequest, type JsonRequest, type ServiceCall } from '../framework/index.ts';

export const calcomSpec = {
  service: 'calcom',
  title: 'Cal.com',
  defaultBaseUrl: 'https://api.cal.com',
  apiHosts: ['api.cal.com'] as readonly string[],
  fixAuth: 'create a new API key in Cal.com (Settings → Developer → API keys) and save it under Keys',
} as const;

export const calcomSubject = { title: calcomSpec.title, fixAuth: calcomSpec.fixAuth };

export function calcomRequest(call: ServiceCall, req: Omit<JsonRequest, 'url'> & { path: string; what?: string }): Promise<unknown> {
  return bearerRequest(call, calcomSubject, req);
}
