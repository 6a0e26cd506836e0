import { z } from 'zod';
import { defineNode } from '../contract/index.ts';
import { NonRetriableNodeError } from '../contract/errors.ts';
import { headerRecordSchema } from './headers.ts';

// Resolved against both schemes, because the webhook's own URL may be either: `http:evil.test`
// is relative to an http base but another site from an https one.
const BASES = ['http://webhook.keyflow.invalid/hooks/x', 'https://webhook.keyflow.invalid/hooks/x'];

/** True when a browser following `target` from a webhook URL would leave the webhook's origin. */
function leavesOrigin(target: string): boolean {
  return BASES.some((base) => {
    try {
      return new URL(target, base).origin !== new URL(base).origin;
    } catch {
      return true; // what a browser cannot parse is not a redirect we vouch for
    }
  });
}

/** The URL a `Refresh: 5; url=…` header sends the browser to, if any. */
function refreshTarget(value: string): string | undefined {
  const m = /^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(value);
  const target = m?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2');
  return target ? target : undefined;
}

/** Sets the webhook's answer in "wait" mode; the workflow may continue after it. */
export const respondNode = defineNode({
  type: 'core.respond',
  version: 1,
  title: 'Respond to webhook',
  description: 'Answers the webhook caller (when the webhook waits for a response).',
  keywords: ["respond", "reply to the caller", "return the result", "answer the request", "returns", "response"],
  examples: [
    { text: "Return the result to the caller", config: {"status": 200, "body": "{{ $trigger.body }}"} },
  ],
  category: 'core',
  kind: 'respond',
  config: z.strictObject({
    status: z.int().min(200).max(599).default(200),
    headers: headerRecordSchema.optional(),
    body: z.unknown().describe('Text, or a value sent as JSON'),
    allowExternalRedirect: z
      .boolean()
      .default(false)
      .describe('Let a 3xx answer (or a Refresh header) send the caller to another site. Off by default, so a webhook URL cannot serve as an open redirect.'),
  }),
  async run(ctx) {
    const headers = { ...ctx.config.headers };
    if (!ctx.config.allowExternalRedirect) {
      for (const [name, value] of Object.entries(headers)) {
        const lower = name.toLowerCase();
        const target = lower === 'location' && ctx.config.status >= 300 && ctx.config.status < 400 ? value : lower === 'refresh' ? refreshTarget(value) : undefined;
        if (target !== undefined && leavesOrigin(target)) {
          throw new NonRetriableNodeError(`the ${name} header sends the caller to another site (${target.slice(0, 200)}); set allowExternalRedirect on this node to allow it`, { details: { field: `headers.${name}` } });
        }
      }
    }
    const response = { status: ctx.config.status, headers, body: ctx.config.body ?? null };
    return { output: response, response };
  },
});
