// typeform.response: started by a Typeform webhook on one form. Activation (below) creates the
// webhook with a random secret Keyflow returns to the server (stored sealed as the trigger's
// secret); the server checks Typeform-Signature over the raw body (the `typeform` preset); the
// run is named by the signed `event_id`, so Typeform's retries start no second run.
import { z } from 'zod';
import { defineNode, NonRetriableNodeError } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';
import { credentialIdField, pathSegment, randomSecret, ServiceProblemError, type InboundDecision, type InboundRequest, type InboundWebhook, type ServiceCall, type TriggerActivation, deliveredEvent } from '../framework/index.ts';
import { typeformRequest } from './spec.ts';

export const typeformResponseConfig = z.strictObject({
  credentialId: credentialIdField,
  formId: z.string().regex(/^[A-Za-z0-9]{4,32}$/, 'must be a Typeform form id (the part after /to/ in the form link)').describe('The form to watch (its id, e.g. "u6nXL7")'),
});

const answer = z.looseObject({ type: z.string(), field: z.looseObject({ id: z.string(), ref: z.string().optional(), type: z.string().optional() }) });
const delivery = z.looseObject({
  event_id: z.string().min(1).max(200),
  event_type: z.string(),
  form_response: z.looseObject({
    form_id: z.string(),
    token: z.string().optional(),
    landed_at: z.string().optional(),
    submitted_at: z.string().optional(),
    hidden: z.record(z.string(), z.unknown()).optional(),
    calculated: z.looseObject({ score: z.number().optional() }).optional(),
    definition: z.looseObject({ title: z.string().optional(), fields: z.array(z.looseObject({ id: z.string(), ref: z.string().optional(), title: z.string().optional() })).optional() }).optional(),
    answers: z.array(answer).max(1000).default([]),
  }),
});

/** An answer's value: Typeform keys it by the answer's type (text, email, choice, choices…). */
function valueOf(a: z.infer<typeof answer>): unknown {
  const v = (a as Record<string, unknown>)[a.type];
  if (a.type === 'choice' && isRecord(v)) return v.label ?? v.other ?? null;
  if (a.type === 'choices' && isRecord(v)) return [...(Array.isArray(v.labels) ? v.labels : []), ...(typeof v.other === 'string' ? [v.other] : [])];
  return v ?? null;
}

export interface TypeformResponse {
  eventId: string;
  formId: string;
  formTitle: string | null;
  responseToken: string | null;
  submittedAt: string | null;
  /** Answers by the question's title (its ref when the definition has no title). */
  fields: Record<string, unknown>;
  /** The same answers by field ref. */
  byRef: Record<string, unknown>;
  hidden: Record<string, unknown>;
  score: number | null;
  raw: Record<string, unknown>;
}

export function toTypeformResponse(body: unknown): TypeformResponse | undefined {
  const parsed = delivery.safeParse(body);
  if (!parsed.success) return undefined;
  const r = parsed.data.form_response;
  const titles = new Map((r.definition?.fields ?? []).map((f) => [f.id, f.title]));
  const fields: Record<string, unknown> = {};
  const byRef: Record<string, unknown> = {};
  for (const a of r.answers) {
    const ref = a.field.ref ?? a.field.id;
    fields[titles.get(a.field.id) ?? ref] = valueOf(a);
    byRef[ref] = valueOf(a);
  }
  return {
    eventId: parsed.data.event_id,
    formId: r.form_id,
    formTitle: r.definition?.title ?? null,
    responseToken: r.token ?? null,
    submittedAt: r.submitted_at ?? null,
    fields,
    byRef,
    hidden: r.hidden ?? {},
    score: r.calculated?.score ?? null,
    raw: r,
  };
}

export function receiveTypeformResponse(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const config = typeformResponseConfig.safeParse(rawConfig);
  if (!config.success) return { kind: 'ignore', reason: 'the trigger config is invalid' };
  const response = toTypeformResponse(req.body);
  if (!response) return { kind: 'answer', status: 400, body: { error: { code: 'invalid_delivery', message: 'the body is not a Typeform webhook delivery (event_id and form_response)' } } };
  if (isRecord(req.body) && req.body.event_type !== 'form_response') return { kind: 'ignore', reason: `event type ${String(req.body.event_type)} is not form_response` };
  if (response.formId !== config.data.formId) return { kind: 'ignore', reason: `the response is for form ${response.formId}, not ${config.data.formId}` };
  return { kind: 'run', deliveryId: `typeform:${response.eventId}` };
}

export const typeformResponseInbound: InboundWebhook = { signature: { preset: 'typeform' }, receive: receiveTypeformResponse };

/** The webhook's tag at Typeform: one per form, so a re-activation updates it in place. */
const TAG = 'keyflow';

function formOf(config: unknown): string {
  const parsed = typeformResponseConfig.safeParse(config);
  if (!parsed.success) throw new ServiceProblemError({ kind: 'validation', message: `invalid typeform.response config: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
  return pathSegment(parsed.data.formId, 'formId');
}

export const typeformResponseActivation: TriggerActivation = {
  async activate(call: ServiceCall, { config, callbackUrl }) {
    const form = formOf(config);
    const secret = randomSecret(32);
    await typeformRequest(call, { method: 'PUT', path: `forms/${form}/webhooks/${TAG}`, what: `form ${form}`, body: { url: callbackUrl, enabled: true, secret, verify_ssl: true } });
    return { externalId: `${form}/${TAG}`, secret };
  },
  async deactivate(call: ServiceCall, { config }) {
    const form = formOf(config);
    try {
      await typeformRequest(call, { method: 'DELETE', path: `forms/${form}/webhooks/${TAG}`, what: `the webhook of form ${form}` });
    } catch (err) {
      // Gone already (deleted by hand): what deactivation wants.
      if (err instanceof NonRetriableNodeError && /was not found/.test(err.message)) return;
      throw err;
    }
  },
};

export const typeformResponseTrigger = defineNode({
  type: 'typeform.response',
  version: 1,
  title: 'Typeform: form response received',
  description: 'Starts the workflow when someone submits a Typeform form. Answers arrive as fields by question title (and by ref); activating the workflow creates the form\'s webhook.',
  keywords: ['typeform', 'typeform response', 'typeform submission', 'form submitted', 'survey response', 'feedback form', 'new typeform entry', 'quiz answers'],
  examples: [
    { text: 'When someone submits my Typeform', config: { formId: 'u6nXL7' } },
    { text: 'Capture positive feedback from Typeform' },
  ],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { event_id: '01JDX3S7Q9SAMPLE0000000000', event_type: 'form_response', form_response: { form_id: 'u6nXL7', token: 'a3a12ec67a1365927098a606107fac15', landed_at: '2026-12-01T09:28:00Z', submitted_at: '2026-12-01T09:30:00Z', hidden: {}, calculated: { score: 9 }, definition: { title: 'Customer feedback', fields: [{ id: 'Fh3zT1', ref: 'rating', title: 'How likely are you to recommend us?' }, { id: 'Kq8wP2', ref: 'comment', title: 'What did you like most?' }] }, answers: [{ type: 'number', number: 9, field: { id: 'Fh3zT1', ref: 'rating', type: 'opinion_scale' } }, { type: 'text', text: 'The onboarding call was excellent.', field: { id: 'Kq8wP2', ref: 'comment', type: 'long_text' } }] } } },
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'typeform', optional: true },
  config: typeformResponseConfig,
  output: z.object({
    eventId: z.string(),
    formId: z.string(),
    formTitle: z.string().nullable(),
    responseToken: z.string().nullable(),
    submittedAt: z.string().nullable(),
    fields: z.record(z.string(), z.unknown()),
    byRef: z.record(z.string(), z.unknown()),
    hidden: z.record(z.string(), z.unknown()),
    score: z.number().nullable(),
    raw: z.record(z.string(), z.unknown()),
  }),
  async run(ctx) {
    return { output: deliveredEvent(ctx.trigger, toTypeformResponse, 'typeform.response was started without a Typeform response (runs start from verified Typeform webhook deliveries)') };
  },
});
