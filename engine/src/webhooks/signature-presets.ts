import { signatureConfigSchema } from './signature-config.schema.ts';
import type { SignatureConfig } from './signature-config.schema.ts';

/** Ready-made configs for senders Keyflow has known-answer vectors for. */
export const signaturePresets = {
  /** `X-Slack-Signature: v0=<hex>` over `v0:{timestamp}:{body}`. */
  slack: signatureConfigSchema.parse({
    header: 'X-Slack-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'v0=',
    timestampHeader: 'X-Slack-Request-Timestamp',
    signedPayload: 'v0:{timestamp}:{body}',
  }),
  /**
   * `X-Hub-Signature-256: sha256=<hex>` over the body. No timestamp: replay protection is
   * the caller's dedupe on `X-GitHub-Delivery`. The legacy sha1 header is deliberately unused.
   */
  github: signatureConfigSchema.parse({
    header: 'X-Hub-Signature-256',
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'sha256=',
  }),
  /**
   * Asana: `X-Hook-Signature: <hex>` over the body, under the secret its X-Hook-Secret handshake
   * delivered. No timestamp: the integration names each delivery by its events for dedupe.
   */
  asana: signatureConfigSchema.parse({
    header: 'X-Hook-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
  }),
  /**
   * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>` under the
   * webhook's secret (https://www.typeform.com/developers/webhooks/secure-your-webhooks/). No
   * timestamp: the integration dedupes on the signed `event_id`.
   */
  typeform: signatureConfigSchema.parse({
    header: 'Typeform-Signature',
    algorithm: 'sha256',
    encoding: 'base64',
    prefix: 'sha256=',
  }),
  /**
   * Cal.com: `X-Cal-Signature-256: <hex HMAC-SHA256 of the raw body>` under the secret set on
   * the webhook (https://cal.com/docs/developing/guides/automation/webhooks). No timestamp: the
   * integration dedupes on the trigger event + booking uid.
   */
  calcom: signatureConfigSchema.parse({
    header: 'X-Cal-Signature-256',
    algorithm: 'sha256',
    encoding: 'hex',
  }),
  /**
   * Webflow: `x-webflow-signature: <hex HMAC-SHA256 of "<x-webflow-timestamp>:<raw body>">`,
   * the timestamp in milliseconds, refused when more than 5 minutes off
   * (https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures).
   */
  webflow: signatureConfigSchema.parse({
    header: 'x-webflow-signature',
    algorithm: 'sha256',
    encoding: 'hex',
    timestampHeader: 'x-webflow-timestamp',
    timestampUnit: 'milliseconds',
    toleranceSeconds: 300,
    signedPayload: '{timestamp}:{body}',
  }),
  /** `Stripe-Signature: t=<ts>,v1=<hex>[,v1=…]` over `{t}.{body}`; the secret is used as text. */
  stripe: signatureConfigSchema.parse({
    header: 'Stripe-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    separator: ',',
    prefix: 'v1=',
    timestampPrefix: 't=',
    signedPayload: '{timestamp}.{body}',
  }),
  /** Standard Webhooks (Svix, Resend…): `webhook-signature: v1,<b64> [v1,<b64>…]`, base64 `whsec_` secret. */
  standardWebhooks: signatureConfigSchema.parse({
    header: 'webhook-signature',
    algorithm: 'sha256',
    encoding: 'base64',
    separator: ' ',
    prefix: 'v1,',
    timestampHeader: 'webhook-timestamp',
    idHeader: 'webhook-id',
    signedPayload: '{id}.{timestamp}.{body}',
    secretEncoding: 'base64',
    secretPrefix: 'whsec_',
  }),
} satisfies Record<string, SignatureConfig>;

export type SignaturePresetName = keyof typeof signaturePresets;
