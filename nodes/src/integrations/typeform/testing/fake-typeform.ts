// A fake Typeform API on loopback: Bearer personal tokens, GET /me, PUT/DELETE
// /forms/{form_id}/webhooks/{tag} ({ url, enabled, secret, verify_ssl }), Typeform's error body
// { code, description }; deliver() posts a form_response signed as Typeform signs it
// (Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>).
import { createHmac, randomUUID } from 'node:crypto';
import { postDelivery, startFakeHttp, type FakeRequest } from '../../framework/testing/fake-http.ts';

export interface FakeTypeformWebhook { formId: string; tag: string; url: string; enabled: boolean; secret: string | undefined; verifySsl: boolean }

export interface FakeTypeform {
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly token: string;
  readonly forms: string[];
  readonly webhooks: FakeTypeformWebhook[];
  /** Posts a form_response to the form's webhook, signed with its secret (or `secret`). */
  deliver(formId: string, answers: unknown[], opts?: { secret?: string; eventId?: string; tamper?: (body: string) => string }): Promise<{ status: number; body: string; eventId: string }>;
  close(): Promise<void>;
}

export function typeformSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;
}

/** A form_response delivery body as Typeform sends it. */
export function typeformDelivery(formId: string, answers: unknown[], eventId: string = randomUUID()): string {
  return JSON.stringify({
    event_id: eventId,
    event_type: 'form_response',
    form_response: {
      form_id: formId,
      token: 'a3a12ec67a1365927098a606107fac15',
      landed_at: new Date().toISOString(),
      submitted_at: new Date().toISOString(),
      hidden: { source: 'ad' },
      calculated: { score: 9 },
      definition: { id: formId, title: 'Feedback', fields: [{ id: 'q1', ref: 'rating_ref', title: 'How do you rate us?', type: 'opinion_scale' }, { id: 'q2', ref: 'email_ref', title: 'Email', type: 'email' }, { id: 'q3', ref: 'likes_ref', title: 'What do you like?', type: 'multiple_choice' }] },
      answers,
    },
  });
}

export async function startFakeTypeform(): Promise<FakeTypeform> {
  const token = `tfp_${randomUUID().replace(/-/g, '')}canary`;
  const forms = ['u6nXL7', 'Pq9Rs2'];
  const webhooks: FakeTypeformWebhook[] = [];
  const err = (status: number, code: string, description: string) => ({ status, body: { code, description } });
  const http = await startFakeHttp((req) => {
    if (req.headers.authorization !== `Bearer ${token}`) return err(401, 'AUTHENTICATION_FAILED', 'Authentication credentials not found on the Request Headers');
    if (req.method === 'GET' && req.path === '/me') return { status: 200, body: { alias: 'Ada', email: 'ada@example.com', language: 'en' } };
    const m = /^\/forms\/([^/]+)\/webhooks\/([^/]+)$/.exec(req.path);
    if (!m) return err(404, 'NOT_FOUND', 'Endpoint not found');
    const [, formId, tag] = m as unknown as [string, string, string];
    if (!forms.includes(formId)) return err(404, 'FORM_NOT_FOUND', 'Non existing form with uid ' + formId);
    const at = webhooks.findIndex((w) => w.formId === formId && w.tag === tag);
    if (req.method === 'PUT') {
      const b = (req.json ?? {}) as Record<string, unknown>;
      if (typeof b.url !== 'string') return err(400, 'VALIDATION_ERROR', 'url is required');
      const hook = { formId, tag, url: b.url, enabled: b.enabled === true, secret: typeof b.secret === 'string' ? b.secret : undefined, verifySsl: b.verify_ssl === true };
      if (at >= 0) webhooks[at] = hook;
      else webhooks.push(hook);
      return { status: at >= 0 ? 200 : 201, body: { id: randomUUID(), form_id: formId, tag, url: hook.url, enabled: hook.enabled, verify_ssl: hook.verifySsl } };
    }
    if (req.method === 'DELETE') {
      if (at < 0) return err(404, 'NOT_FOUND', 'Webhook not found');
      webhooks.splice(at, 1);
      return { status: 204 };
    }
    return err(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
  });
  return {
    url: http.url,
    requests: http.requests,
    token,
    forms,
    webhooks,
    async deliver(formId, answers, opts = {}) {
      const hook = webhooks.find((w) => w.formId === formId && w.enabled);
      if (!hook) throw new Error(`fake Typeform: form ${formId} has no enabled webhook`);
      const eventId: string = opts.eventId ?? randomUUID();
      const body = typeformDelivery(formId, answers, eventId);
      const signature = typeformSignature(opts.secret ?? hook.secret ?? '', body);
      return { ...(await postDelivery(hook.url, opts.tamper ? opts.tamper(body) : body, { 'Typeform-Signature': signature })), eventId };
    },
    close: http.close,
  };
}

/** Answers as Typeform sends them for the fake's three questions. */
export const sampleTypeformAnswers = (rating: number) => [
  { type: 'number', number: rating, field: { id: 'q1', type: 'opinion_scale', ref: 'rating_ref' } },
  { type: 'email', email: 'lead@example.com', field: { id: 'q2', type: 'email', ref: 'email_ref' } },
  { type: 'choices', choices: { labels: ['Speed', 'Price'] }, field: { id: 'q3', type: 'multiple_choice', ref: 'likes_ref' } },
];
