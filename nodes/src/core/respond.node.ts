import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { headerRecordSchema } from './headers.ts';

/** Sets the webhook's answer in "wait" mode; the workflow may continue after it. */
export const respondNode = defineNode({
  type: 'core.respond',
  version: 1,
  title: 'Respond to webhook',
  description: 'Answers the webhook caller (when the webhook waits for a response).',
  category: 'core',
  kind: 'respond',
  config: z.strictObject({
    status: z.int().min(200).max(599).default(200),
    headers: headerRecordSchema.optional(),
    body: z.unknown().describe('Text, or a value sent as JSON'),
  }),
  async run(ctx) {
    const response = { status: ctx.config.status, headers: { ...ctx.config.headers }, body: ctx.config.body ?? null };
    return { output: response, response };
  },
});
