// One service's OAuth client as oauth4webapi sees it: the authorization server (the service's
// URLs, their origin replaced by KEYFLOW_<SERVICE>_OAUTH_URL when set), the client id, and the
// token endpoint's client authentication. Undefined when the operator configured no client.
import * as oauth from 'oauth4webapi';
import { findIntegration, type OAuthSpec } from '@keyflow/nodes';
import type { Config, ServiceName } from '../config.ts';
import { serviceNameOf } from '../integrations/service-settings.ts';

export interface OAuthApp {
  service: string;
  title: string;
  spec: OAuthSpec;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** Options for every oauth4webapi request: http only when the operator pointed the service at a test server. */
  options: { [oauth.allowInsecureRequests]?: boolean; [oauth.customFetch]: typeof fetch; signal?: AbortSignal };
  revocationUrl?: string;
}

function swapOrigin(url: string, origin: string | undefined): string {
  if (!origin) return url;
  const u = new URL(url);
  return `${origin}${u.pathname}${u.search}`;
}

/**
 * Wraps fetch so a token endpoint outside RFC 6749's shape (Slack) reads as a standard one.
 * Only JSON answers are touched; the body is parsed once here and handed on as JSON.
 */
export function normalisingFetch(spec: OAuthSpec, base: typeof fetch = fetch): typeof fetch {
  const normalise = spec.normaliseTokenResponse;
  if (!normalise) return base;
  return async (input, init) => {
    const res = await base(input, init);
    if (!(res.headers.get('content-type') ?? '').includes('json')) return res;
    const raw = (await res.json().catch(() => undefined)) as unknown;
    if (typeof raw !== 'object' || raw === null) return new Response('{}', { status: 502, headers: { 'content-type': 'application/json' } });
    const { ok, body } = normalise(raw as Record<string, unknown>);
    return new Response(JSON.stringify(body), { status: ok ? res.status : res.status === 200 ? 400 : res.status, headers: { 'content-type': 'application/json' } });
  };
}

type OAuthConfig = Pick<Config, 'oauthClients' | 'oauthUrls'> & Partial<Pick<Config, 'serviceBaseUrls'>>;

/** The origin replacing a service's token and revocation URLs: KEYFLOW_<SERVICE>_OAUTH_URL, or its base URL when the spec says so. */
function tokenOrigin(config: OAuthConfig, name: ServiceName, spec: OAuthSpec): string | undefined {
  const oauthUrl = config.oauthUrls[name];
  if (oauthUrl) return oauthUrl;
  const base = spec.tokenEndpointFollowsBaseUrl ? config.serviceBaseUrls?.[name] : undefined;
  return base ? new URL(base).origin : undefined;
}

export function oauthApp(config: OAuthConfig, service: string, fetchImpl: typeof fetch = fetch): OAuthApp | undefined {
  const integration = findIntegration(service);
  const name = serviceNameOf(service);
  const spec = integration?.oauth;
  if (!integration || !spec || !name) return undefined;
  const creds = config.oauthClients[name];
  if (!creds) return undefined;
  const origin = config.oauthUrls[name];
  const authorizationUrl = swapOrigin(spec.authorizationUrl, origin);
  const tokenUrl = swapOrigin(spec.tokenUrl, tokenOrigin(config, name, spec));
  const as: oauth.AuthorizationServer = {
    issuer: new URL(authorizationUrl).origin,
    authorization_endpoint: authorizationUrl,
    token_endpoint: tokenUrl,
    ...(spec.revocation?.style === 'rfc7009' ? { revocation_endpoint: swapOrigin(spec.revocation.url, tokenOrigin(config, name, spec)) } : {}),
  };
  const insecure = new URL(tokenUrl).protocol === 'http:';
  return {
    service,
    title: integration.title,
    spec,
    as,
    client: { client_id: creds.clientId },
    clientAuth: spec.clientAuth === 'client_secret_basic' ? oauth.ClientSecretBasic(creds.clientSecret) : oauth.ClientSecretPost(creds.clientSecret),
    options: { [oauth.customFetch]: normalisingFetch(spec, fetchImpl), ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}) },
    ...(spec.revocation ? { revocationUrl: swapOrigin(spec.revocation.url, tokenOrigin(config, name, spec)) } : {}),
  };
}

/** Every integration with an OAuth spec, and whether the operator configured its client. */
export function oauthServices(config: OAuthConfig, services: readonly { service: string; title: string; oauth?: OAuthSpec }[]): { service: string; title: string; configured: boolean }[] {
  return services.filter((s) => s.oauth).map((s) => ({ service: s.service, title: s.title, configured: oauthApp(config, s.service) !== undefined }));
}

/** Where a token of this service is revoked, with or without a configured OAuth client. */
export function revocationTarget(config: Pick<Config, 'oauthClients' | 'oauthUrls' | 'serviceBaseUrls'>, service: string): { spec: OAuthSpec; url: string; app?: OAuthApp } | undefined {
  const spec = findIntegration(service)?.oauth;
  const name = serviceNameOf(service);
  if (!spec?.revocation || !name) return undefined;
  const app = oauthApp(config, service);
  // auth.revoke is a Web API method: it lives where the operator pointed the API.
  const base = config.serviceBaseUrls[name];
  const url = spec.revocation.style === 'slack_auth_revoke' && base ? `${base.replace(/\/+$/, '')}/auth.revoke` : swapOrigin(spec.revocation.url, tokenOrigin(config, name, spec));
  return { spec, url, ...(app ? { app } : {}) };
}
