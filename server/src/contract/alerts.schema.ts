// Alert settings (issue 14): which events alert the owner, and where alerts go. Every section is
// optional on save; an omitted section or field keeps its value.
import { z } from 'zod';

const webhookUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials in it');

export const alertSettingsBody = z.strictObject({
  email: z.strictObject({ enabled: z.boolean().optional(), to: z.email().max(320).nullable().optional().describe('defaults to the account email') }).optional(),
  slack: z.strictObject({ enabled: z.boolean().optional(), credentialId: z.uuid().nullable().optional().describe('a Slack connection of yours'), channel: z.string().min(1).max(200).regex(/^[#@]?[\w.-]+$/, 'must be a channel name or id, e.g. #alerts').nullable().optional() }).optional(),
  webhook: z.strictObject({
    enabled: z.boolean().optional(),
    url: webhookUrl.nullable().optional(),
    secret: z.string().min(16).max(200).regex(/^[\x21-\x7e]+$/, 'printable characters without spaces').nullable().optional().describe('HMAC-SHA256 key for X-Keyflow-Signature; write-only, null removes it'),
  }).optional(),
  workflowFailures: z.strictObject({ enabled: z.boolean().optional(), mode: z.enum(['first', 'threshold']).optional(), count: z.int().min(1).max(1000).optional(), minutes: z.int().min(1).max(10_080).optional() }).optional(),
  budget: z.strictObject({ enabled: z.boolean().optional(), thresholds: z.array(z.int().min(1).max(1000)).min(1).max(10).optional().describe('percent of the monthly budget, e.g. [80, 100]') }).optional(),
  credentialInvalid: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  providerCooldown: z.strictObject({ enabled: z.boolean().optional(), minutes: z.int().min(1).max(10_080).optional() }).optional(),
});

export const alertSettingsResponse = z.object({
  email: z.object({ enabled: z.boolean(), to: z.string().nullable(), configured: z.boolean().describe('whether this server has SMTP (KEYFLOW_SMTP_URL)') }),
  slack: z.object({ enabled: z.boolean(), credentialId: z.string().nullable(), channel: z.string().nullable() }),
  webhook: z.object({ enabled: z.boolean(), url: z.string().nullable(), hasSecret: z.boolean() }),
  workflowFailures: z.object({ enabled: z.boolean(), mode: z.enum(['first', 'threshold']), count: z.number(), minutes: z.number() }),
  budget: z.object({ enabled: z.boolean(), thresholds: z.array(z.number()) }),
  credentialInvalid: z.object({ enabled: z.boolean() }),
  providerCooldown: z.object({ enabled: z.boolean(), minutes: z.number() }),
  updatedAt: z.string().nullable(),
});

export const alertEventsResponse = z.object({
  items: z.array(z.object({ id: z.string(), kind: z.string(), subject: z.string(), link: z.string().nullable(), suppressed: z.number(), deliveries: z.array(z.unknown()), createdAt: z.string() })),
});

export const activityQuery = z.strictObject({ hours: z.coerce.number().int().min(1).max(168).default(24).describe('how many hours back (1–168)') });

export const activityResponse = z.object({
  from: z.string(),
  to: z.string(),
  hours: z.array(z.object({ hour: z.string(), runs: z.number(), failed: z.number(), costMicros: z.number() })),
  totals: z.object({ runs: z.number(), failed: z.number(), costMicros: z.number() }),
  health: z.record(z.string(), z.number()).describe('the caller’s credentials by health'),
});
