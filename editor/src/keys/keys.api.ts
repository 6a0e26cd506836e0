// The keys and connections page's server state: credentials (masked), their health from
// /api/connections, where each is used, and the OAuth services' setup. Secrets only ever go up
// (create, replace); nothing here holds one after the request.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export const AI_PROVIDERS = [
  { id: 'openai', title: 'OpenAI', placeholder: 'sk-…' },
  { id: 'anthropic', title: 'Anthropic', placeholder: 'sk-ant-…' },
  { id: 'deepseek', title: 'DeepSeek', placeholder: 'sk-…' },
  { id: 'gemini', title: 'Gemini', placeholder: 'AIza…' },
  { id: 'azure_openai', title: 'Azure OpenAI', placeholder: '32+ letters and digits' },
] as const;

export const TOKEN_SERVICES = [
  { id: 'slack', title: 'Slack', secretLabel: 'Bot or user token', placeholder: 'xoxb-…' },
  { id: 'notion', title: 'Notion', secretLabel: 'Integration secret', placeholder: 'ntn_…' },
  { id: 'trello', title: 'Trello', secretLabel: 'API key and token', placeholder: '<API key>:<token>' },
  { id: 'google', title: 'Google', secretLabel: 'Service-account JSON key (Drive and Sheets)', placeholder: '{ "type": "service_account", … }' },
  { id: 'asana', title: 'Asana', secretLabel: 'Personal access token', placeholder: '2/1234…/5678…:abcd…' },
  { id: 'telegram', title: 'Telegram', secretLabel: 'Bot token from @BotFather', placeholder: '123456789:AA…' },
  { id: 'typeform', title: 'Typeform', secretLabel: 'Personal access token', placeholder: 'tfp_…' },
  { id: 'calcom', title: 'Cal.com', secretLabel: 'API key', placeholder: 'cal_live_…' },
  { id: 'webflow', title: 'Webflow', secretLabel: 'Site API token', placeholder: '40+ letters and digits' },
] as const;

export type AiProviderId = (typeof AI_PROVIDERS)[number]['id'];
export const isAiProvider = (p: string): p is AiProviderId => AI_PROVIDERS.some((a) => a.id === p);
export const providerTitle = (p: string): string => [...AI_PROVIDERS, ...TOKEN_SERVICES].find((x) => x.id === p)?.title ?? p;

export interface Credential {
  id: string;
  provider: string;
  label: string;
  hint: string;
  status: 'unknown' | 'valid' | 'invalid';
  meta: { endpoint?: string; apiVersion?: string; deployments?: Record<string, string>; lastCheckedAt?: string; lastCheckStatus?: string; coolingSince?: string; coolingUntil?: string; coolingError?: string };
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

export type Health = 'healthy' | 'invalid' | 'rate_limited' | 'error' | 'unknown' | 'not_configured';
export interface Connection {
  id: string;
  service: string;
  label: string;
  authKind: 'token' | 'oauth2';
  status: Health;
  lastCheckedAt: string | null;
  latencyMs: number | null;
  lastError: string | null;
}
export interface OAuthService {
  service: string;
  title: string;
  status: 'configured' | 'not_configured';
  startUrl?: string;
}
export interface TestResult {
  status: 'valid' | 'invalid_key' | 'rate_limited' | 'unreachable' | 'error' | 'untested';
  latencyMs?: number;
  message: string;
}
export interface UsedIn {
  id: string;
  name: string;
  active: boolean;
  inGraph: boolean;
  lastCallAt: string | null;
}

export const keysQueryKey = ['credentials'] as const;
export const connectionsQueryKey = ['connections'] as const;

export function useCredentialList() {
  return useQuery({ queryKey: keysQueryKey, queryFn: ({ signal }) => api<{ items: Credential[] }>('GET', '/api/credentials', undefined, { signal }) });
}

export function useConnections() {
  return useQuery({ queryKey: connectionsQueryKey, queryFn: ({ signal }) => api<{ items: Connection[]; services: OAuthService[] }>('GET', '/api/connections', undefined, { signal }) });
}

export function useUsedIn(id: string, enabled: boolean) {
  return useQuery({ queryKey: ['credentials', id, 'workflows'], queryFn: ({ signal }) => api<{ items: UsedIn[] }>('GET', `/api/credentials/${id}/workflows`, undefined, { signal }), enabled });
}

export interface NewCredential {
  provider: string;
  label: string;
  secret: string;
  endpoint?: string;
  apiVersion?: string;
  /** Azure: deployment name → the model it serves. */
  deployments?: Record<string, string>;
}
export const createCredential = (body: NewCredential) => api<Credential>('POST', '/api/credentials', body);
export const updateCredential = (id: string, body: Partial<Pick<NewCredential, 'label' | 'secret' | 'endpoint' | 'apiVersion'>> & { deployments?: Record<string, string> | null }) => api<Credential>('PATCH', `/api/credentials/${id}`, body);
export const deleteCredential = (id: string) => api<void>('DELETE', `/api/credentials/${id}`);
export const testCredential = (id: string) => api<TestResult>('POST', `/api/credentials/${id}/test`);
export const disconnect = (id: string) => api<{ revoked: 'revoked' | 'not_offered' | 'failed' }>('DELETE', `/api/connections/${id}`);

/** The router's cool-down of the key's provider, while it lasts: until when, and the failure that started it. */
export function coolingDown(credential: Credential | undefined, now = Date.now()): { until: string; error: string } | undefined {
  const until = credential?.meta.coolingUntil;
  if (!until || !(Date.parse(until) > now)) return undefined;
  return { until, error: credential.meta.coolingError ?? 'repeated failures' };
}

/** The status word shown for a credential: the health row where there is one, else its test status; a cool-down in progress wins over "healthy". */
export function statusText(health: Health | undefined, credential: Credential | undefined, now = Date.now()): { word: string; tone: 'ok' | 'bad' | 'warn' | 'muted' } {
  const h = health ?? (credential?.status === 'valid' ? 'healthy' : credential?.status === 'invalid' ? 'invalid' : 'unknown');
  const last = credential?.meta.lastCheckStatus;
  if (h === 'invalid') return { word: 'Invalid', tone: 'bad' };
  if (coolingDown(credential, now)) return { word: 'Cooling down after failures', tone: 'warn' };
  if (h === 'healthy') return { word: 'Healthy', tone: 'ok' };
  if (h === 'rate_limited' || last === 'rate_limited') return { word: 'Rate limited', tone: 'warn' };
  if (h === 'error' || last === 'unreachable' || last === 'error') return { word: 'Cooling down after failures', tone: 'warn' };
  if (h === 'not_configured') return { word: 'Not configured', tone: 'muted' };
  return { word: 'Not tested yet', tone: 'muted' };
}

export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The Azure deployments box: one "deployment = model" per line (":" works too), blank lines
 * ignored. Answers the map, or the first line that is not of that form.
 */
export function parseDeployments(text: string): { map: Record<string, string> } | { error: string } {
  const map: Record<string, string> = {};
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  for (const [i, line] of lines.entries()) {
    const m = /^([^=:\s]+)\s*[=:]\s*(\S+)$/.exec(line);
    if (!m) return { error: `line ${i + 1}: write "deployment = model", e.g. "prod-mini = gpt-4o-mini"` };
    map[m[1]!] = m[2]!;
  }
  return { map };
}
