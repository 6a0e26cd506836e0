import { z } from 'zod';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN_PLACEHOLDERS = new Set(['body', 'timestamp', 'id']);

/**
 * How one webhook's sender signs its deliveries, stored per webhook. Covers the common
 * HMAC schemes: a single header (`sha256=<hex>`), a header with several parts
 * (`t=…,v1=…,v1=…` or `v1,<b64> v1,<b64>`), and a timestamp either in its own header or
 * inside the signature header.
 */
export const signatureConfigSchema = z
  .object({
    /** Header carrying the signature, matched case-insensitively. */
    header: z.string().min(1),
    algorithm: z.enum(['sha256', 'sha1', 'sha512']),
    /** Encoding of the digest; compared as the canonical lower-case hex / padded base64. */
    encoding: z.enum(['hex', 'base64']),
    /** Each signature starts with this, e.g. `sha256=`, `v0=`, `v1=`, `v1,`. */
    prefix: z.string().min(1).optional(),
    /** Splits a header holding several parts; any one matching signature passes (key rotation). */
    separator: z.string().min(1).optional(),
    /** Header carrying the unix timestamp (seconds, or see timestampUnit). */
    timestampHeader: z.string().min(1).optional(),
    /** Unit of the timestamp: seconds (Slack, Stripe) or milliseconds (Webflow's x-webflow-timestamp). */
    timestampUnit: z.enum(['seconds', 'milliseconds']).optional(),
    /** Or: the part of the signature header that carries it, e.g. `t=` (needs `separator`). */
    timestampPrefix: z.string().min(1).optional(),
    /** Header whose value fills `{id}` in the signed payload (Standard Webhooks `webhook-id`). */
    idHeader: z.string().min(1).optional(),
    /** Allowed clock difference in both directions. */
    toleranceSeconds: z.number().int().positive().max(86_400).default(300),
    /** What was signed: `{body}` is the raw bytes, `{timestamp}` and `{id}` the header values. */
    signedPayload: z.string().default('{body}'),
    /** How the stored secret becomes the HMAC key. */
    secretEncoding: z.enum(['utf8', 'base64']).default('utf8'),
    /** Stripped from the secret before decoding when present, e.g. `whsec_`. */
    secretPrefix: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    const names = [...config.signedPayload.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    for (const name of names) {
      if (!KNOWN_PLACEHOLDERS.has(name)) issue(`unknown placeholder {${name}}`, 'signedPayload');
    }
    if (names.filter((n) => n === 'body').length !== 1) issue('must contain {body} exactly once', 'signedPayload');
    const hasTimestampSource = config.timestampHeader !== undefined || config.timestampPrefix !== undefined;
    // A timestamp that is not signed can be rewritten by a replayer, so its check would be theatre.
    if (names.includes('timestamp') !== hasTimestampSource) {
      issue('{timestamp} in signedPayload and a timestamp source (timestampHeader or timestampPrefix) go together', 'signedPayload');
    }
    if (config.timestampHeader !== undefined && config.timestampPrefix !== undefined) {
      issue('use timestampHeader or timestampPrefix, not both', 'timestampPrefix');
    }
    if (config.timestampPrefix !== undefined && config.separator === undefined) {
      issue('timestampPrefix needs a separator', 'timestampPrefix');
    }
    if (names.includes('id') !== (config.idHeader !== undefined)) {
      issue('{id} in signedPayload and idHeader go together', 'idHeader');
    }
  });

/** A stored config as written by a user (defaults may be left out). */
export type SignatureConfigInput = z.input<typeof signatureConfigSchema>;

/** A validated config with defaults applied: what `verifySignature` takes. */
export type SignatureConfig = z.output<typeof signatureConfigSchema>;
