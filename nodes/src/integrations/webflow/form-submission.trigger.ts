// webflow.form_submission: started by a Webflow form_submission webhook. The server checks
// x-webflow-signature over "<timestamp>:<raw body>" and refuses a timestamp more than 5 minutes
// off (the `webflow` preset); receive() filters by site and form name and names the run by the
// submission id, so Webflow's retries start no second run.
import { z } from 'zod';
import { defineNode } from '../../contract/index.ts';
import { isRecord } from '../../core/is-record.ts';
import { credentialIdField, type InboundDecision, type InboundRequest, type InboundWebhook, deliveredEvent } from '../framework/index.ts';

export const webflowFormConfig = z.strictObject({
  credentialId: credentialIdField,
  siteId: z.string().regex(/^[0-9a-f]{24}$/i, 'must be a Webflow site id (24 hexadecimal characters)').optional().describe('Only submissions from this site'),
  formName: z.string().min(1).max(200).optional().describe('Only submissions of the form with this name (as named in the Designer)'),
});

const delivery = z.looseObject({
  triggerType: z.string(),
  payload: z.looseObject({
    id: z.string().min(1).max(100),
    name: z.string(),
    siteId: z.string(),
    formId: z.string().optional(),
    pageId: z.string().optional(),
    publishedPath: z.string().optional(),
    submittedAt: z.string().optional(),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
});

export interface WebflowSubmission {
  id: string;
  formName: string;
  formId: string | null;
  siteId: string;
  pageId: string | null;
  publishedPath: string | null;
  submittedAt: string | null;
  data: Record<string, unknown>;
}

export function toWebflowSubmission(body: unknown): WebflowSubmission | undefined {
  const parsed = delivery.safeParse(body);
  if (!parsed.success || parsed.data.triggerType !== 'form_submission') return undefined;
  const p = parsed.data.payload;
  return { id: p.id, formName: p.name, formId: p.formId ?? null, siteId: p.siteId, pageId: p.pageId ?? null, publishedPath: p.publishedPath ?? null, submittedAt: p.submittedAt ?? null, data: p.data };
}

export function receiveWebflowSubmission(req: InboundRequest, rawConfig: unknown): InboundDecision {
  const config = webflowFormConfig.safeParse(rawConfig);
  if (!config.success) return { kind: 'ignore', reason: 'the trigger config is invalid' };
  if (isRecord(req.body) && typeof req.body.triggerType === 'string' && req.body.triggerType !== 'form_submission') return { kind: 'ignore', reason: `event ${req.body.triggerType} is not form_submission` };
  const submission = toWebflowSubmission(req.body);
  if (!submission) return { kind: 'answer', status: 400, body: { error: { code: 'invalid_delivery', message: 'the body is not a Webflow form_submission delivery' } } };
  const { siteId, formName } = config.data;
  if (siteId && submission.siteId !== siteId) return { kind: 'ignore', reason: `the submission is from site ${submission.siteId}, not ${siteId}` };
  if (formName && submission.formName !== formName) return { kind: 'ignore', reason: `the form is "${submission.formName}", not "${formName}"` };
  return { kind: 'run', deliveryId: `webflow:${submission.id}` };
}

export const webflowFormInbound: InboundWebhook = { signature: { preset: 'webflow' }, receive: receiveWebflowSubmission };

export const webflowFormTrigger = defineNode({
  type: 'webflow.form_submission',
  version: 1,
  title: 'Webflow: form submitted',
  description: 'Starts the workflow when a visitor submits a form on your Webflow site. Add a form_submission webhook with this trigger\'s URL in Webflow and store its signing secret here.',
  keywords: ['webflow', 'webflow form', 'form submission', 'website form', 'contact form submitted', 'webflow lead', 'site form'],
  examples: [
    { text: 'When someone submits the contact form on my Webflow site', config: { formName: 'Contact' } },
    { text: 'Send Webflow form submissions to Slack' },
  ],
  sampleEvent: { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body: { triggerType: 'form_submission', payload: { id: '6750a1b2c3d4e5f6a7b8c9d0', name: 'Contact form', siteId: '62749158efef318abc8d5a0f', formId: '6750a1b2c3d4e5f6a7b8c9d1', pageId: '6750a1b2c3d4e5f6a7b8c9d2', publishedPath: '/contact', submittedAt: '2026-12-01T09:30:00.000Z', data: { Name: 'Ada Lovelace', Email: 'ada@example.com', Message: 'We would like a demo; budget about 25k.' } } } },
  category: 'trigger',
  kind: 'trigger',
  credential: { provider: 'webflow', optional: true },
  config: webflowFormConfig,
  output: z.object({
    id: z.string(),
    formName: z.string(),
    formId: z.string().nullable(),
    siteId: z.string(),
    pageId: z.string().nullable(),
    publishedPath: z.string().nullable(),
    submittedAt: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  }),
  async run(ctx) {
    return { output: deliveredEvent(ctx.trigger, toWebflowSubmission, 'webflow.form_submission was started without a Webflow form submission (runs start from verified Webflow webhook deliveries)') };
  },
});
