import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { publicHeaders } from './headers.ts';
import { isRecord } from './is-record.ts';

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Started by POST /hooks/:path; the server answers 202 at once or waits for a respond node. */
export const webhookNode = defineNode({
  type: 'core.webhook',
  version: 1,
  title: 'Webhook',
  description: 'Starts the workflow when an HTTP request reaches its URL.',
  keywords: ["webhook", "http post", "post request", "endpoint", "api endpoint", "form is posted", "form submission", "incoming request", "callback", "receives data"],
  examples: [
    { text: "When a form is posted to my webhook", config: {"method": "POST"} },
    { text: "Expose an API endpoint that other apps call", config: {"method": "POST", "responseMode": "wait"} },
  ],
  category: 'trigger',
  kind: 'trigger',
  config: z.strictObject({
    responseMode: z.enum(['accepted', 'wait']).default('accepted').describe('"accepted": 202 with the run id at once; "wait": the respond node\'s answer'),
    method: z.enum(['POST', 'GET', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    timeoutMs: z.int().min(1_000).max(120_000).optional().describe('In "wait" mode, how long the caller waits for the respond node'),
  }),
  output: z.object({ method: z.string(), headers: z.record(z.string(), z.string()), query: z.record(z.string(), z.unknown()), body: z.unknown() }),
  async run(ctx) {
    // The server hands over the request; credentials in headers must not reach stored outputs.
    const req = record(ctx.trigger);
    return {
      output: {
        method: typeof req.method === 'string' ? req.method : ctx.config.method,
        headers: publicHeaders(req.headers),
        query: record(req.query),
        body: req.body ?? null,
      },
    };
  },
});
