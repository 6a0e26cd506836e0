// A fake Webflow Data API v2 on loopback: GET /v2/token/authorized_by with a Bearer token
// (401 { code: 'not_authorized', message }), and signed form_submission deliveries
// (x-webflow-timestamp in ms, x-webflow-signature = hex HMAC-SHA256 of "<timestamp>:<body>").
import { createHmac, randomBytes } from 'node:crypto';
import { postDelivery, startFakeHttp, type FakeRequest } from '../../framework/testing/fake-http.ts';

export interface FakeWebflow {
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly token: string;
  close(): Promise<void>;
}

export const webflowSignature = (secret: string, timestamp: string, body: string) => createHmac('sha256', secret).update(`${timestamp}:${body}`).digest('hex');

export const WEBFLOW_SITE = '580e63e98c9a982ac9b8b741';

/** A form_submission delivery body as Webflow sends it. */
export function webflowDelivery(formName: string, data: Record<string, unknown>, id = randomBytes(12).toString('hex')): string {
  return JSON.stringify({
    triggerType: 'form_submission',
    payload: { name: formName, siteId: WEBFLOW_SITE, data, submittedAt: new Date().toISOString(), id, formId: '65429eadebe8a9f3a30f62d0', formElementId: '4e038d2c-6a1e-4953-7be9-a59a2b453177', pageId: '65429eadebe8a9f3a30f62d1', publishedPath: '/contact' },
  });
}

/** POSTs a delivery signed at `timestamp` (default now) with `secret`, as Webflow does. */
export function deliverWebflow(url: string, secret: string, body: string, timestamp = String(Date.now())) {
  return postDelivery(url, body, { 'x-webflow-timestamp': timestamp, 'x-webflow-signature': webflowSignature(secret, timestamp, body) });
}

export async function startFakeWebflow(): Promise<FakeWebflow> {
  const token = randomBytes(32).toString('hex');
  const http = await startFakeHttp((req) => {
    if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, body: { code: 'not_authorized', message: 'Request not authorized' } };
    if (req.method === 'GET' && req.path === '/v2/token/authorized_by') return { status: 200, body: { id: '545bbecb7bdd6769632504a7', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } };
    return { status: 404, body: { code: 'route_not_found', message: 'Requested route not found' } };
  });
  return { url: http.url, requests: http.requests, token, close: http.close };
}
