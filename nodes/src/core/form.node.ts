import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { formFieldsSchema } from './form-fields.ts';
import { isRecord } from './is-record.ts';

/** Started when a visitor submits the form Keyflow serves at the trigger's URL (GET shows it, POST submits). */
export const formNode = defineNode({
  type: 'core.form',
  version: 1,
  title: 'Form submitted',
  description: 'Serves a form at a public URL and starts the workflow with each submission.',
  keywords: ["form", "form input", "form submission", "form submitted", "submits a form", "fills out a form", "fill in a form", "web form", "online form", "contact form", "signup form", "survey", "questionnaire", "application form", "job application", "applications", "registration", "uploaded via a form", "based on a form input", "feedback form", "lead form"],
  examples: [
    { text: "When someone submits the contact form", config: { title: 'Contact us', fields: [{ label: 'Name', name: 'name', type: 'text', required: true }, { label: 'Email', name: 'email', type: 'email', required: true }, { label: 'Message', name: 'message', type: 'textarea', required: true }] } },
    { text: "Job application submissions from a form", config: { title: 'Apply', fields: [{ label: 'Full name', name: 'name', type: 'text', required: true }, { label: 'Email', name: 'email', type: 'email', required: true }, { label: 'Role', name: 'role', type: 'text', required: true }, { label: 'About you', name: 'about', type: 'textarea' }] } },
  ],
  sampleEvent: { fields: { Name: 'Ada Lovelace', Email: 'ada@example.com', Message: 'We would like a demo next week; our budget is about 25,000 USD.' }, submittedAt: '2026-12-01T09:30:00.000Z' },
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject({
    title: z.string().min(1).max(200).default('Form').describe('The heading of the form page'),
    description: z.string().max(2_000).optional().describe('Text under the heading'),
    fields: formFieldsSchema,
    buttonLabel: z.string().min(1).max(60).default('Submit'),
    respondWith: z
      .enum(['message', 'respond'])
      .default('message')
      .describe('"message": show the thank-you message at once; "respond": wait for the workflow\'s Respond node and show its answer'),
    message: z.string().min(1).max(2_000).default('Thank you, your answer was received.').describe('The thank-you message ("message" mode)'),
    timeoutMs: z.int().min(1_000).max(120_000).optional().describe('In "respond" mode, how long the visitor waits for the Respond node'),
  }),
  output: z.object({ fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])), submittedAt: z.string() }),
  async run(ctx) {
    // The server has checked the submission against the fields; a manual run passes what it was given.
    const t = isRecord(ctx.trigger) ? ctx.trigger : {};
    return { output: { fields: isRecord(t.fields) ? t.fields : {}, submittedAt: typeof t.submittedAt === 'string' ? t.submittedAt : ctx.now().toISOString() } };
  },
});
