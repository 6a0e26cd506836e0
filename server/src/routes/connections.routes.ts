// Connections (issue 9): the health of every credential, the OAuth connect flow (start and
// callback, bound to the signed-in session), disconnect with revocation, and the editor's
// dynamic option lists (GET /api/nodes/:type/options/:name), each checking that the
// credential is the caller's.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { AppError, BadRequest, credentialHealth, Forbidden, Invalid, NotFound, oauthFlows, openForCheck, openTokenSet, OAuthFlowError, TooManyRequests, users, workflows } from '@keyflow/engine';
import { CredentialRejectedError, NodeError, RetryAfterNodeError } from '@keyflow/nodes/contract';
import { findOptionList, integrations, serviceCallFor, type OAuthSpec } from '@keyflow/nodes';
import { aiProviders } from '../contract/credentials.schema.ts';
import { connectionIdParams, connectionList, disconnectResult, oauthCallbackQuery, oauthStartQuery, optionPage, optionParams, optionQuery, serviceParams } from '../contract/connections.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv, AuthUser, Services } from '../http/types.ts';

const OPTIONS_TIMEOUT_MS = 20_000;

/** The flow is bound to the browser session that started it; an API token has none. */
function sessionIdOf(user: AuthUser): string {
  if (user.via !== 'session' || !user.sessionToken) throw new Forbidden('connect services from a signed-in browser session (the OAuth flow is bound to it)');
  return createHash('sha256').update(`oauth-session:${user.sessionToken}`).digest('hex');
}

function oauthAppOf(services: Services, service: string) {
  const integration = integrations.find((i) => i.service === service);
  if (!integration?.oauth) throw new NotFound('OAuth service');
  return oauthFlows.oauthApp(services.config, service);
}

/** The node types of a workflow's current version (the owner's only). */
async function nodeTypesOf(services: Services, ownerId: string, workflowId: string): Promise<string[]> {
  const wf = await workflows.getWorkflow(services.db, ownerId, workflowId);
  const nodes = (wf.graph as { nodes?: unknown }).nodes;
  return Array.isArray(nodes) ? nodes.map((n) => (n as { type?: unknown }).type).filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The scopes one connect asks for: the workflow's nodes' (`workflowId`), a named subset
 * (`scopes`), or undefined for the service's full list.
 */
async function scopesToAsk(services: Services, ownerId: string, spec: OAuthSpec, query: { workflowId?: string | undefined; scopes?: string | undefined }): Promise<string[] | undefined> {
  if (query.workflowId === undefined && query.scopes === undefined) return undefined;
  if (!spec.scopesFor) throw new Invalid('this service asks for a fixed set of scopes', [{ path: ['query', query.workflowId !== undefined ? 'workflowId' : 'scopes'], message: 'is not supported by this service' }]);
  if (query.workflowId !== undefined && query.scopes !== undefined) throw new Invalid('give workflowId or scopes, not both', [{ path: ['query', 'scopes'], message: 'leave out when workflowId is given' }]);
  if (query.workflowId !== undefined) return spec.scopesFor(await nodeTypesOf(services, ownerId, query.workflowId));
  const asked = query.scopes!.split(/\s+/).filter(Boolean);
  const unknown = asked.filter((s) => !spec.scopes.includes(s));
  if (unknown.length > 0) throw new Invalid('unknown scopes', [{ path: ['query', 'scopes'], message: `not offered by this service: ${unknown.slice(0, 5).join(', ')}` }]);
  return [...new Set(asked)];
}

const redirectUriOf = (services: Services, service: string) => `${services.config.publicUrl}/api/oauth/${service}/callback`;

function statusOf(row: credentialHealth.HealthRow): 'healthy' | 'invalid' | 'rate_limited' | 'error' | 'unknown' | 'not_configured' {
  if (integrations.some((i) => i.service === row.provider)) return row.health;
  if ((aiProviders as readonly string[]).includes(row.provider)) return row.status === 'valid' ? 'healthy' : row.status === 'invalid' ? 'invalid' : 'unknown';
  return 'not_configured';
}

/** An upstream failure of an option list, as an HTTP answer that says what to do. */
function optionsError(err: unknown): AppError {
  if (err instanceof CredentialRejectedError) return new AppError('credential_rejected', 409, err.message);
  if (err instanceof RetryAfterNodeError) return new TooManyRequests(err.message, Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  if (err instanceof NodeError) return new AppError(err.retryable ? 'upstream_unavailable' : 'upstream_refused', err.retryable ? 502 : 422, err.message);
  return new AppError('upstream_unavailable', 502, 'the service could not be reached');
}

export function connectionRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tag = 'connections';

  route(app, { method: 'get', path: '/api/connections', tag, summary: "Every credential with its service, health (healthy, invalid, rate limited, not configured), last check, latency and last error; and each OAuth service's setup", response: connectionList }, async (c, { user }) => {
    const services = c.get('services');
    const rows = await credentialHealth.listHealth(services.db, user.id);
    return c.json({
      items: rows.map((r) => ({ id: r.id, service: r.provider, label: r.label, authKind: r.authKind === 'oauth2' ? 'oauth2' : 'token', status: statusOf(r), lastCheckedAt: r.checkedAt?.toISOString() ?? null, latencyMs: r.latencyMs, lastError: r.error })),
      services: integrations
        .filter((i) => i.oauth)
        .map((i) => {
          const configured = oauthFlows.oauthApp(services.config, i.service) !== undefined;
          return { service: i.service, title: i.title, status: configured ? 'configured' : 'not_configured', ...(configured ? { startUrl: `/api/oauth/${i.service}/start` } : {}) };
        }),
    });
  });

  route(app, { method: 'delete', path: '/api/connections/:id', tag, summary: 'Disconnect: revoke the token at the service where it offers that, then delete the credential', params: connectionIdParams, response: disconnectResult }, async (c, { params, user }) => {
    const services = c.get('services');
    const row = await services.db.selectFrom('credentials').select(['provider', 'auth_kind', 'ciphertext']).where('owner_id', '=', user.id).where('id', '=', params.id).executeTakeFirst();
    if (!row) throw new NotFound('credential');
    let revoked: 'revoked' | 'not_offered' | 'failed' = 'not_offered';
    const integration = integrations.find((i) => i.service === row.provider);
    const revocation = integration?.oauth?.revocation;
    if (revocation) {
      const plaintext = services.keyring.decrypt(user.id, row.ciphertext);
      // A pasted secret the endpoint does not take (a Google service-account key) is never sent there.
      const revocable = row.auth_kind === 'oauth2' || (revocation.pastedSecret?.(plaintext) ?? true);
      if (revocable) {
        const tokens = row.auth_kind === 'oauth2' ? openTokenSet(plaintext) : { accessToken: plaintext };
        revoked = await oauthFlows.revokeTokens(oauthFlows.revocationTarget(services.config, row.provider), tokens, services.integrations.fetch);
      }
    }
    const r = await services.db.deleteFrom('credentials').where('owner_id', '=', user.id).where('id', '=', params.id).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new NotFound('credential');
    await users.audit(services.db, user.id, 'credential.disconnect', { type: 'credential', id: params.id }, { provider: row.provider, revoked });
    return c.json({ revoked });
  });

  route(app, { method: 'get', path: '/api/oauth/:service/start', tag, summary: "Starts connecting a service: redirects to its consent page with a single-use state bound to this session (PKCE where supported)", params: serviceParams, query: oauthStartQuery, status: 302 }, async (c, { params, query, user }) => {
    const services = c.get('services');
    const oauthApp = oauthAppOf(services, params.service);
    if (!oauthApp) throw new AppError('not_configured', 409, `${params.service} OAuth is not configured on this server: set KEYFLOW_${params.service.toUpperCase()}_CLIENT_ID and _CLIENT_SECRET, or paste a token under Keys`);
    const scopes = await scopesToAsk(services, user.id, oauthApp.spec, query);
    const url = await oauthFlows.startFlow(services.db, services.keyring, oauthApp, { ownerId: user.id, sessionId: sessionIdOf(user), redirectUri: redirectUriOf(services, params.service), ...(query.label ? { label: query.label } : {}), ...(scopes ? { scopes } : {}) });
    return c.redirect(url, 302);
  });

  route(app, { method: 'get', path: '/api/oauth/:service/callback', tag, summary: 'Where the service returns: checks the state, exchanges the code, stores the tokens as your credential, redirects to the editor', params: serviceParams, query: oauthCallbackQuery, status: 302 }, async (c, { params, user }) => {
    const services = c.get('services');
    const back = (q: Record<string, string>) => c.redirect(`${services.config.publicUrl}/connections?${new URLSearchParams(q).toString()}`, 302);
    const oauthApp = oauthAppOf(services, params.service);
    if (!oauthApp) return back({ error: 'not_configured', service: params.service });
    try {
      const done = await oauthFlows.finishFlow(services.db, services.keyring, oauthApp, { ownerId: user.id, sessionId: sessionIdOf(user), redirectUri: redirectUriOf(services, params.service), callback: new URL(c.req.url) });
      await users.audit(services.db, user.id, 'credential.connect', { type: 'credential', id: done.credentialId }, { provider: params.service });
      return back({ connected: params.service, credentialId: done.credentialId });
    } catch (err) {
      if (!(err instanceof OAuthFlowError)) throw err;
      c.get('log').warn({ service: params.service, code: err.code }, 'oauth callback refused');
      return back({ error: err.code, service: params.service });
    }
  });

  route(app, { method: 'get', path: '/api/nodes/:type/options/:name', tag, summary: "A node's dynamic option list (channels, databases…) from the service, with the caller's credential", params: optionParams, query: optionQuery, response: optionPage }, async (c, { params, query, user }) => {
    const services = c.get('services');
    const found = findOptionList(params.type, params.name);
    if (!found) throw new NotFound('option list');
    const { integration, list } = found;
    let credentialId = query.credentialId;
    if (!credentialId) {
      const mine = await services.db.selectFrom('credentials').select('id').where('owner_id', '=', user.id).where('provider', '=', integration.service).limit(2).execute();
      if (mine.length === 0) throw new NotFound(`${integration.service} credential (connect ${integration.title} first)`);
      if (mine.length > 1) throw new BadRequest(`you have several ${integration.service} credentials: pass credentialId`);
      credentialId = mine[0]!.id;
    }
    const owned = await services.db.selectFrom('credentials').select('provider').where('owner_id', '=', user.id).where('id', '=', credentialId).executeTakeFirst();
    // Another owner's credential and a credential of another service are both "not yours here".
    if (!owned || owned.provider !== integration.service) throw new NotFound('credential');
    const credential = await openForCheck(services.db, services.keyring, services.integrations.lender, user.id, credentialId);
    if (!credential) throw new NotFound('credential');
    const paramsOf: Record<string, string> = {};
    for (const dep of list.dependsOn ?? []) {
      const v = (query as Record<string, unknown>)[dep];
      if (typeof v !== 'string' || v === '') throw new BadRequest(`this list needs ${dep}`);
      paramsOf[dep] = v;
    }
    try {
      const page = await list.list(serviceCallFor(integration, credential, services.integrations.settings, AbortSignal.timeout(OPTIONS_TIMEOUT_MS), services.integrations.fetch), { ...(query.cursor ? { cursor: query.cursor } : {}), ...(query.search ? { search: query.search } : {}), params: paramsOf });
      return c.json(page);
    } catch (err) {
      if (err instanceof CredentialRejectedError) await credentialHealth.recordHealth(services.db, user.id, credentialId, { health: 'invalid', error: err.message }).catch(() => undefined);
      throw optionsError(err);
    }
  });

  return app;
}
