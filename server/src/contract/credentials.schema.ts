// Bodies and responses of the credentials API. A secret goes in once and never comes back: the
// responses carry only the mask (`hint`) and allow-listed, non-secret meta. Format checks catch
// a key pasted into the wrong provider; their messages describe the format, never the value.
import { z } from 'zod';
import { BOT_TOKEN, looksLikeServiceAccountKey, serviceAccountKeyProblem } from '@keyflow/nodes';

export const aiProviders = ['openai', 'anthropic', 'deepseek', 'gemini', 'azure_openai'] as const;
export const credentialProviders = [...aiProviders, 'slack', 'notion', 'trello', 'asana', 'google', 'telegram', 'typeform', 'calcom', 'webflow'] as const;
export type CredentialProvider = (typeof credentialProviders)[number];

const token = (prefix: string, min: number) => new RegExp(`^${prefix}[A-Za-z0-9_-]{${min},}$`);

const secretRules: Record<CredentialProvider, { test: (s: string) => boolean; message: string }> = {
  openai: { test: (s) => !s.startsWith('sk-ant-') && token('sk-', 20).test(s), message: 'an OpenAI key starts with "sk-" followed by at least 20 letters, digits, "-" or "_"' },
  anthropic: { test: (s) => token('sk-ant-', 20).test(s), message: 'an Anthropic key starts with "sk-ant-" followed by at least 20 letters, digits, "-" or "_"' },
  deepseek: { test: (s) => !s.startsWith('sk-ant-') && token('sk-', 16).test(s), message: 'a DeepSeek key starts with "sk-" followed by at least 16 letters or digits' },
  gemini: { test: (s) => token('AIza', 30).test(s), message: 'a Gemini API key starts with "AIza" followed by at least 30 letters, digits, "-" or "_"' },
  azure_openai: { test: (s) => /^[A-Za-z0-9]{32,128}$/.test(s), message: 'an Azure OpenAI key is 32 to 128 letters and digits' },
  slack: { test: (s) => /^xox[bp]-[A-Za-z0-9-]{10,}$/.test(s), message: 'a Slack token starts with "xoxb-" (bot) or "xoxp-" (user)' },
  notion: { test: (s) => /^(ntn_|secret_)[A-Za-z0-9]{20,}$/.test(s), message: 'a Notion integration secret starts with "ntn_" or "secret_"' },
  trello: {
    test: (s) => /^[0-9a-f]{32}:(ATTA[A-Za-z0-9]{20,}|[0-9a-f]{64})$/i.test(s),
    message: 'a Trello credential is "<API key>:<token>": the 32-character API key, a colon, then the token (ATTA… or 64 hex characters)',
  },
  asana: { test: (s) => /^\d+\/\d+(\/\d+)?:[A-Za-z0-9]{16,}$/.test(s), message: 'an Asana personal access token looks like "2/1234…/5678…:abcd…"' },
  telegram: { test: (s) => BOT_TOKEN.test(s), message: 'a Telegram bot token is "<bot id>:<secret>" as @BotFather gives it (digits, a colon, then at least 30 letters, digits, "-" or "_")' },
  typeform: { test: (s) => /^tfp_[A-Za-z0-9_-]{20,}$/.test(s), message: 'a Typeform personal access token starts with "tfp_"' },
  calcom: { test: (s) => /^cal_(live|test)_[A-Za-z0-9]{16,}$/.test(s), message: 'a Cal.com API key starts with "cal_live_" (or "cal_test_")' },
  webflow: { test: (s) => /^[A-Za-z0-9]{40,128}$/.test(s), message: 'a Webflow API token is 40 or more letters and digits' },
  // A service-account JSON key is checked field by field in secretProblem.
  google: { test: (s) => /^ya29\.[A-Za-z0-9._-]{20,}$/.test(s), message: 'a Google credential is a service-account JSON key (the file Google downloads) or an OAuth access token ("ya29.…"); or connect Google under Connections' },
};

/** True for text that is a mask shown by this API (or any text with its ellipsis): never a key. */
export function looksMasked(secret: string): boolean {
  return secret.includes('…');
}

/** Why `secret` is not a plausible key for `provider`, or undefined. Never quotes the value. */
export function secretProblem(provider: CredentialProvider, secret: string): string | undefined {
  if (looksMasked(secret)) return 'this is a masked value; paste the full key';
  if (provider !== 'google' && /\s/.test(secret)) return 'must not contain spaces or line breaks';
  // Service-account keys: the fields that are missing or wrong, by name (never the key itself).
  if (provider === 'google' && looksLikeServiceAccountKey(secret)) return serviceAccountKeyProblem(secret);
  const rule = secretRules[provider];
  return rule.test(secret) ? undefined : rule.message;
}

const AZURE_HOST_SUFFIXES = ['.openai.azure.com', '.cognitiveservices.azure.com', '.services.ai.azure.com'];

/**
 * Why an Azure endpoint is refused, or undefined. A DNS name over https only: the key is sent
 * there on every call, so literal IPs and localhost (SSRF targets) are out.
 */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'must be a URL like https://<resource>.openai.azure.com';
  }
  if (url.protocol !== 'https:') return 'must start with https://';
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.search || url.hash) return 'must not have a query string or fragment';
  const host = url.hostname.toLowerCase();
  if (host.startsWith('[') || /^[\d.]+$/.test(host) || !host.includes('.') || host === 'localhost' || host.endsWith('.localhost')) {
    return 'must be a DNS name such as <resource>.openai.azure.com, not an IP address or localhost';
  }
  // The key goes only to its own service's hosts (a DNS name could point anywhere, private ranges included).
  if (!AZURE_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)) {
    return `must be an Azure OpenAI resource host (<resource>${AZURE_HOST_SUFFIXES.join(', <resource>')})`;
  }
  return undefined;
}

export function apiVersionProblem(apiVersion: string): string | undefined {
  return /^(\d{4}-\d{2}-\d{2}(-preview)?|preview|latest|v1)$/.test(apiVersion) ? undefined : 'must be an Azure api-version such as "2024-10-21" or "2025-01-01-preview"';
}

/** `https://x.openai.azure.com/` and `https://x.openai.azure.com` are the same endpoint. */
export const normalizeEndpoint = (endpoint: string): string => endpoint.replace(/\/+$/, '');

const label = z.string().trim().min(1, 'must not be empty').max(100);
/** Azure deployment names: letters, digits, '-', '_', '.', up to 64 (Azure's own rule). */
const AZURE_DEPLOYMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/**
 * An Azure credential's deployments: deployment name → the model it serves (a model id of the
 * price table's azure_openai entries, checked by the route). The router prices a call by the
 * model and sends only these names.
 */
export const azureDeployments = z
  .record(z.string().regex(AZURE_DEPLOYMENT, 'a deployment name is 1 to 64 letters, digits, "-", "_" or "."'), z.string().trim().min(1, 'name the model this deployment serves').max(100))
  .refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 50, 'list 1 to 50 deployments');
const secret = z.string().trim().min(1, 'must not be empty').max(8192);
const endpoint = z.string().trim().max(500);
const apiVersion = z.string().trim().max(40);

type Issue = { path: string[]; message: string };

/** Problems with the connection fields for `provider`; `complete` asks for both Azure fields. */
export function connectionProblems(provider: CredentialProvider, b: { endpoint?: string | undefined; apiVersion?: string | undefined; deployments?: unknown }, complete: boolean): Issue[] {
  const issues: Issue[] = [];
  if (provider !== 'azure_openai') {
    if (b.deployments !== undefined) issues.push({ path: ['deployments'], message: 'is only used by azure_openai' });
    if (b.endpoint !== undefined) issues.push({ path: ['endpoint'], message: 'is only used by azure_openai' });
    if (b.apiVersion !== undefined) issues.push({ path: ['apiVersion'], message: 'is only used by azure_openai' });
    return issues;
  }
  if (b.endpoint === undefined) {
    if (complete) issues.push({ path: ['endpoint'], message: 'is required for azure_openai (https://<resource>.openai.azure.com)' });
  } else {
    const problem = endpointProblem(b.endpoint);
    if (problem) issues.push({ path: ['endpoint'], message: problem });
  }
  if (b.apiVersion === undefined) {
    if (complete) issues.push({ path: ['apiVersion'], message: 'is required for azure_openai (e.g. "2024-10-21")' });
  } else {
    const problem = apiVersionProblem(b.apiVersion);
    if (problem) issues.push({ path: ['apiVersion'], message: problem });
  }
  return issues;
}

export const createCredentialBody = z
  .strictObject({ provider: z.enum(credentialProviders), label, secret, endpoint: endpoint.optional(), apiVersion: apiVersion.optional(), deployments: azureDeployments.optional() })
  .superRefine((b, ctx) => {
    const problem = secretProblem(b.provider, b.secret);
    if (problem) ctx.addIssue({ code: 'custom', path: ['secret'], message: problem });
    for (const issue of connectionProblems(b.provider, b, true)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** The provider is fixed at creation; its format checks run in the handler, which knows it. */
export const updateCredentialBody = z
  .strictObject({ label: label.optional(), secret: secret.optional(), endpoint: endpoint.optional(), apiVersion: apiVersion.optional(), deployments: azureDeployments.nullable().optional().describe('null removes the map') })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'send at least one of label, secret, endpoint, apiVersion, deployments');

export const credentialIdParams = z.strictObject({ id: z.uuid() });

export const credentialSummary = z.object({
  id: z.uuid(),
  provider: z.enum(credentialProviders),
  label: z.string(),
  /** The mask, e.g. `sk-…abcd`. */
  hint: z.string(),
  status: z.enum(['unknown', 'valid', 'invalid']),
  meta: z.object({
    endpoint: z.string().optional(), apiVersion: z.string().optional(), deployments: z.record(z.string(), z.string()).optional(), lastCheckedAt: z.string().optional(), lastCheckStatus: z.string().optional(),
    /** The router's cool-down of this provider after repeated failures: since, until (ISO) and the failure that started it. */
    coolingSince: z.string().optional(), coolingUntil: z.string().optional(), coolingError: z.string().optional(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const credentialList = z.object({ items: z.array(credentialSummary) });

export const testOutcomes = ['valid', 'invalid_key', 'rate_limited', 'unreachable', 'error', 'untested'] as const;
export type TestOutcome = (typeof testOutcomes)[number];
export const credentialTestResult = z.object({ status: z.enum(testOutcomes), latencyMs: z.int().optional(), message: z.string() });

/** Where a credential is used: workflows whose saved graph names it, and workflows that called with it. */
export const credentialUsage = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      active: z.boolean(),
      /** The current version of the graph names this credential in a node's config. */
      inGraph: z.boolean(),
      /** The last AI call made with this key by a run of the workflow, or null. */
      lastCallAt: z.string().nullable(),
    }),
  ),
});
