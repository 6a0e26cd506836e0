// Where a credential may go. The base URL is the service's official one unless the operator set
// KEYFLOW_<SERVICE>_BASE_URL (it reaches nodes through ctx.services, never process.env). Every
// request URL is built from it with apiUrl(), which refuses a path that would leave its origin,
// so no config value (an id, a cursor, a "URL" field) can carry the token to another host.
import { NonRetriableNodeError, type ServiceSettings } from '../../contract/index.ts';
import type { Integration } from './types.ts';

/** The base URL for this integration: the operator's override or the official one. */
export function serviceBaseUrl(integration: Pick<Integration, 'service' | 'defaultBaseUrl'>, settings: ServiceSettings | undefined): string {
  return settings?.baseUrl(integration.service) ?? integration.defaultBaseUrl;
}

/** True when `url` may receive the credential: the official hosts over https, or the operator's base URL origin. */
export function isAllowedApiUrl(integration: Pick<Integration, 'apiHosts'>, baseUrl: string, url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  if (target.origin === new URL(baseUrl).origin) return true;
  return target.protocol === 'https:' && integration.apiHosts.includes(target.hostname);
}

/**
 * `path` (relative, e.g. '/v1/pages' or '1/cards') resolved against `baseUrl`, keeping the base
 * URL's path prefix. Throws when the result would leave the base URL's origin.
 */
export function apiUrl(baseUrl: string, path: string, query?: Record<string, string | undefined>): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//') || path.includes('\\')) {
    throw new NonRetriableNodeError('refused: an API path must be relative to the service (the credential is only sent to its own host)');
  }
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const url = new URL(path.replace(/^\/+/, ''), base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new NonRetriableNodeError('refused: the request would leave the service host');
  }
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** One path segment from a value that came from config: encoded, and never '.' or '..'. */
export function pathSegment(value: string, field: string): string {
  if (value === '' || value === '.' || value === '..') throw new NonRetriableNodeError(`${field} is not a valid id`);
  return encodeURIComponent(value);
}
