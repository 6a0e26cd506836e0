// Typeform's fixed facts. Create API with a personal access token as Bearer
// (https://www.typeform.com/developers/get-started/personal-access-token/); webhooks are
// `PUT /forms/{form_id}/webhooks/{tag}` with url, enabled, secret, verify_ssl and deleted with
// DELETE on the same path (https://www.typeform.com/developers/webhooks/reference/create-or-update-webhook/).
// Deliveries carry `Typeform-Signature: sha256=<base64 HMAC-SHA256(raw body, secret)>`
// (https://www.typeform.com/developers/webhooks/secure-your-webhooks/): the engine's `typeform` preset.
import { bearerRequest, type JsonRequest, type ServiceCall } from '../framework/index.ts';

export const typeformSpec = {
  service: 'typeform',
  title: 'Typeform',
  defaultBaseUrl: 'https://api.typeform.com',
  apiHosts: ['api.typeform.com', 'api.eu.typeform.com'] as readonly string[],
  fixAuth: 'create a personal access token at admin.typeform.com → Account → Personal tokens (scopes: accounts:read, forms:read, webhooks:read, webhooks:write) and save it under Keys',
} as const;

export const typeformSubject = { title: typeformSpec.title, fixAuth: typeformSpec.fixAuth };

/** One Typeform API request: Bearer personal token, errors `{ code, description }`. */
export function typeformRequest(call: ServiceCall, req: Omit<JsonRequest, 'url'> & { path: string; what?: string }): Promise<unknown> {
  return bearerRequest(call, typeformSubject, { ...req, scope: 'webhooks:write' });
}
