// A fake Cal.com on loopback: GET /v2/me with a Bearer API key (Cal.com's { status, data }
// envelope, 401 { status: 'error', error: { code, message } }), and signed booking deliveries
// (X-Cal-Signature-256: hex HMAC-SHA256 of the body with the webhook's secret).
import { createHmac, randomUUID } from 'node:crypto';
import { postDelivery, startFakeHttp, type FakeRequest } from '../../framework/testing/fake-http.ts';

export interface FakeCalcom {
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly apiKey: string;
  close(): Promise<void>;
}

export const calcomSignature = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** A booking delivery body as Cal.com sends it. */
export function calcomDelivery(triggerEvent: string, uid: string = randomUUID()): string {
  const start = new Date(Date.now() + 86_400_000);
  return JSON.stringify({
    triggerEvent,
    createdAt: new Date().toISOString(),
    payload: {
      type: '30min',
      title: '30 Min Meeting between Ada and Grace',
      description: '',
      startTime: start.toISOString(),
      endTime: new Date(start.getTime() + 30 * 60_000).toISOString(),
      organizer: { id: 5, name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/London' },
      attendees: [{ name: 'Grace', email: 'grace@example.com', timeZone: 'America/New_York', language: { locale: 'en' } }],
      location: 'integrations:daily',
      uid,
      bookingId: 91,
      status: triggerEvent === 'BOOKING_CANCELLED' ? 'CANCELLED' : 'ACCEPTED',
      responses: { name: { value: 'Grace' }, email: { value: 'grace@example.com' } },
    },
  });
}

/** POSTs a delivery to `url` signed with `secret`, as Cal.com does. */
export const deliverCalcom = (url: string, secret: string, body: string) => postDelivery(url, body, { 'X-Cal-Signature-256': calcomSignature(secret, body) });

export async function startFakeCalcom(): Promise<FakeCalcom> {
  const apiKey = `cal_live_${randomUUID().replace(/-/g, '')}`;
  const http = await startFakeHttp((req) => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { status: 'error', timestamp: new Date().toISOString(), path: req.path, error: { code: 'UnauthorizedException', message: 'Invalid API Key' } } };
    if (req.method === 'GET' && req.path === '/v2/me') return { status: 200, body: { status: 'success', data: { id: 5, username: 'ada', email: 'ada@example.com', name: 'Ada Lovelace', timeZone: 'Europe/London' } } };
    return { status: 404, body: { status: 'error', error: { code: 'NotFoundException', message: 'Cannot GET ' + req.path } } };
  });
  return { url: http.url, requests: http.requests, apiKey, close: http.close };
}
