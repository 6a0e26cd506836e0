// Connections (issue 9): every credential's health, the OAuth connect flow, option lists.
import { z } from 'zod';

export const connectionStatuses = ['healthy', 'invalid', 'rate_limited', 'error', 'unknown', 'not_configured'] as const;

export const connectionView = z.object({
  id: z.uuid(),
  service: z.string(),
  label: z.string(),
  authKind: z.enum(['token', 'oauth2']),
  status: z.enum(connectionStatuses),
  lastCheckedAt: z.string().nullable(),
  latencyMs: z.int().nullable(),
  lastError: z.string().nullable(),
});

export const oauthServiceView = z.object({ service: z.string(), title: z.string(), status: z.enum(['configured', 'not_configured']), startUrl: z.string().optional() });

export const connectionList = z.object({ items: z.array(connectionView), services: z.array(oauthServiceView) });

export const serviceParams = z.strictObject({ service: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'must be a service id like "slack"') });

export const oauthStartQuery = z.strictObject({
  label: z.string().trim().min(1).max(100).optional(),
  /** Ask only for the scopes this workflow's nodes need (services with incremental authorisation, e.g. Google). */
  workflowId: z.uuid('must be a workflow id').optional(),
  /** Or name the scopes (space-separated), each one the service's own list offers. */
  scopes: z.string().trim().min(1).max(4000).optional(),
});

/** What the service sends back; validated by oauth4webapi, bounded here. */
export const oauthCallbackQuery = z.looseObject({
  state: z.string().max(500).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});

export const connectionIdParams = z.strictObject({ id: z.uuid() });

export const disconnectResult = z.object({ revoked: z.enum(['revoked', 'not_offered', 'failed']) });

export const optionParams = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, "must be a node type like 'slack.post_message'"),
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be an option list name'),
});

/** credentialId, paging, search; any other key is a dependency parameter (e.g. databaseId). */
export const optionQuery = z
  .object({ credentialId: z.uuid('must be the id of one of your credentials').optional(), cursor: z.string().max(500).optional(), search: z.string().max(200).optional() })
  .catchall(z.string().max(500));

export const optionPage = z.object({
  items: z.array(z.object({ value: z.string(), label: z.string(), meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() })),
  nextCursor: z.string().optional(),
});
