// The credentials API: bring-your-own keys, stored sealed per owner and shown only masked.
import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { aiRouter, checkConnection, credentials, hasIdentityCheck, Invalid, ProviderError, users, type IssueDetail, type ProviderCredential, type ProviderId } from '@keyflow/engine';
import { InvalidToken, Secret } from '@keyflow/engine/vault';
import {
  aiProviders,
  credentialProviders,
  connectionProblems,
  createCredentialBody,
  credentialIdParams,
  credentialList,
  credentialSummary,
  credentialTestResult,
  credentialUsage,
  looksMasked,
  normalizeEndpoint,
  secretProblem,
  updateCredentialBody,
  type CredentialProvider,
  type TestOutcome,
} from '../contract/credentials.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv, Services } from '../http/types.ts';

const isProvider = (p: string): p is CredentialProvider => (credentialProviders as readonly string[]).includes(p);
const isAiProvider = (p: string): p is ProviderId => (aiProviders as readonly string[]).includes(p);
const TEST_TIMEOUT_MS = 20_000;

type TestResult = { status: TestOutcome; latencyMs?: number; message: string };

/**
 * Messages are built from the error's kind and HTTP status only: a provider's own error text
 * can quote part of the key, so it never reaches the response or the log.
 */
function outcomeOf(err: unknown): { status: TestOutcome; message: string } {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return { status: 'unreachable', message: 'the provider did not answer in time' };
  if (!(err instanceof ProviderError)) return { status: 'error', message: 'the test failed unexpectedly' };
  const http = err.status !== undefined ? ` (HTTP ${err.status})` : '';
  switch (err.kind) {
    case 'auth':
      return { status: 'invalid_key', message: `${err.provider} rejected the key${http}` };
    case 'rate_limited':
      return { status: 'rate_limited', message: `${err.provider} is rate limiting this key${http}; try again later` };
    case 'timeout':
      return { status: 'unreachable', message: `${err.provider} did not answer in time` };
    case 'connection':
      return { status: 'unreachable', message: `could not connect to ${err.provider}` };
    case 'not_found':
      return { status: 'error', message: `${err.provider} answered "not found"${http}; check the endpoint` };
    case 'server':
      return { status: 'error', message: `${err.provider} had a server error${http}` };
    default:
      return { status: 'error', message: `${err.provider} refused the test call${http}` };
  }
}

/** Runs the provider's cheap live call with the decrypted key, and records the outcome. */
async function testCredential(services: Services, ownerId: string, id: string, log: Logger): Promise<TestResult> {
  const current = await credentials.getCredential(services.db, ownerId, id);
  const provider = current.provider;
  if (hasIdentityCheck(provider)) {
    // Integrations: their identity call (Slack auth.test…), recorded as the connection's health.
    const r = await checkConnection(services.integrations, ownerId, id);
    const status: TestOutcome = r.health === 'healthy' ? 'valid' : r.health === 'invalid' ? 'invalid_key' : r.health === 'rate_limited' ? 'rate_limited' : r.health === 'not_configured' ? 'untested' : 'error';
    return { status, message: r.message, ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}) };
  }
  if (!isAiProvider(provider)) return { status: 'untested', message: `live test not available for ${provider} yet` };
  let credential: ProviderCredential;
  try {
    const opened = await credentials.openCredential(services.db, ownerId, id, services.keyring);
    credential = { apiKey: opened.secret, ...(opened.meta.endpoint ? { baseUrl: opened.meta.endpoint } : {}), ...(opened.meta.apiVersion ? { apiVersion: opened.meta.apiVersion } : {}) };
  } catch (err) {
    if (!(err instanceof InvalidToken)) throw err;
    await credentials.recordCheck(services.db, ownerId, id, { outcome: 'error' });
    return { status: 'error', latencyMs: 0, message: 'the stored key could not be decrypted; enter it again' };
  }
  const started = performance.now();
  let result: { status: TestOutcome; message: string };
  try {
    await services.providers[provider].testKey(credential, AbortSignal.timeout(TEST_TIMEOUT_MS));
    result = { status: 'valid', message: 'the key works' };
  } catch (err) {
    result = outcomeOf(err);
    log.warn({ credentialId: id, provider, outcome: result.status, errorName: err instanceof Error ? err.name : typeof err }, 'credential test failed');
  }
  const latencyMs = Math.round(performance.now() - started);
  const status = result.status === 'valid' ? 'valid' : result.status === 'invalid_key' ? 'invalid' : undefined;
  await credentials.recordCheck(services.db, ownerId, id, { outcome: result.status, status });
  return { ...result, latencyMs };
}

export function credentialRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tag = 'credentials';
  // A deployment must name a model the price table knows for Azure, or its calls could not be priced.
  const unknownDeploymentModels = (deployments: Record<string, string>): IssueDetail[] => {
    const catalog = aiRouter.loadCatalog();
    return Object.entries(deployments)
      .filter(([, model]) => !catalog.find(`azure_openai/${model}`))
      .map(([name, model]) => ({ path: ['body', 'deployments', name], message: `"${model}" is not an Azure OpenAI model in the price table (e.g. gpt-4o, gpt-4o-mini, gpt-4.1)` }));
  };

  route(app, { method: 'get', path: '/api/credentials', tag, summary: 'List credentials (masked)', response: credentialList }, async (c, { user }) =>
    c.json({ items: await credentials.listCredentials(c.get('services').db, user.id) }),
  );

  route(app, { method: 'post', path: '/api/credentials', tag, summary: 'Store a key, sealed for this owner; answers the masked form', body: createCredentialBody, response: credentialSummary, status: 201 }, async (c, { body, user }) => {
    const { db, keyring } = c.get('services');
    if (body.deployments) {
      const issues = unknownDeploymentModels(body.deployments);
      if (issues.length > 0) throw new Invalid('invalid body', issues);
    }
    const meta =
      body.provider === 'azure_openai' && body.endpoint !== undefined && body.apiVersion !== undefined
        ? { endpoint: normalizeEndpoint(body.endpoint), apiVersion: body.apiVersion, ...(body.deployments ? { deployments: body.deployments } : {}) }
        : {};
    const cred = await credentials.createCredential(db, user.id, { provider: body.provider, label: body.label, secret: new Secret(body.secret), meta }, keyring);
    await users.audit(db, user.id, 'credential.create', { type: 'credential', id: cred.id }, { provider: cred.provider });
    return c.json(cred, 201);
  });

  route(app, { method: 'get', path: '/api/credentials/:id', tag, summary: 'Get one credential (masked)', params: credentialIdParams, response: credentialSummary }, async (c, { params, user }) =>
    c.json(await credentials.getCredential(c.get('services').db, user.id, params.id)),
  );

  route(
    app,
    { method: 'patch', path: '/api/credentials/:id', tag, summary: 'Rename, replace the key, or change Azure connection details; an echoed mask never overwrites the key', params: credentialIdParams, body: updateCredentialBody, response: credentialSummary },
    async (c, { params, body, user }) => {
      const { db, keyring } = c.get('services');
      const current = await credentials.getCredential(db, user.id, params.id);
      const provider = isProvider(current.provider) ? current.provider : undefined;
      if (!provider) throw new Invalid('this credential has an unknown provider; delete it and add it again');
      // A form that shows the mask sends it back unchanged: that means "keep the key".
      const secret = body.secret !== undefined && body.secret !== current.hint && !looksMasked(body.secret) ? body.secret : undefined;
      const issues: IssueDetail[] = connectionProblems(provider, body, false).map((i) => ({ path: ['body', ...i.path], message: i.message }));
      if (body.deployments) issues.push(...unknownDeploymentModels(body.deployments));
      if (secret !== undefined) {
        const problem = secretProblem(provider, secret);
        if (problem) issues.push({ path: ['body', 'secret'], message: problem });
      }
      const endpoint = body.endpoint !== undefined ? normalizeEndpoint(body.endpoint) : undefined;
      // Pointing a stored key at a new host would let whoever edits the endpoint collect the key.
      if (endpoint !== undefined && endpoint !== current.meta.endpoint && secret === undefined) {
        issues.push({ path: ['body', 'secret'], message: 'enter the key again to use it with a new endpoint' });
      }
      if (issues.length > 0) throw new Invalid('invalid body', issues);
      const cred = await credentials.updateCredential(db, user.id, params.id, { label: body.label, secret: secret !== undefined ? new Secret(secret) : undefined, endpoint, apiVersion: body.apiVersion, deployments: body.deployments }, keyring);
      const changed = [body.label !== undefined && 'label', secret !== undefined && 'secret', endpoint !== undefined && 'endpoint', body.apiVersion !== undefined && 'apiVersion', body.deployments !== undefined && 'deployments'].filter((f): f is string => typeof f === 'string');
      await users.audit(db, user.id, 'credential.update', { type: 'credential', id: cred.id }, { fields: changed });
      return c.json(cred);
    },
  );

  route(app, { method: 'delete', path: '/api/credentials/:id', tag, summary: 'Delete a credential', params: credentialIdParams, status: 204 }, async (c, { params, user }) => {
    const { db } = c.get('services');
    await credentials.deleteCredential(db, user.id, params.id);
    await users.audit(db, user.id, 'credential.delete', { type: 'credential', id: params.id });
    return c.body(null, 204);
  });

  route(
    app,
    { method: 'get', path: '/api/credentials/:id/workflows', tag, summary: 'Where the credential is used: workflows whose current graph names it, and workflows whose runs called with it', params: credentialIdParams, response: credentialUsage },
    async (c, { params, user }) => {
      const { db } = c.get('services');
      await credentials.getCredential(db, user.id, params.id); // 404 for another owner's id
      // Integration nodes name their credential as config.credentialId; AI nodes use the owner's
      // keys through the router, so their use shows in the usage events instead.
      const named = await db
        .selectFrom('workflows as w')
        .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.current_version'))
        .select(['w.id', 'w.name', 'w.active'])
        .where('w.owner_id', '=', user.id)
        .where('v.owner_id', '=', user.id)
        .where(sql<boolean>`jsonb_path_exists(v.graph, '$.nodes[*].config.credentialId ? (@ == $id)', jsonb_build_object('id', ${params.id}::text))`)
        .execute();
      const called = await db
        .selectFrom('usage_events as u')
        .innerJoin('workflows as w', 'w.id', 'u.workflow_id')
        .select(['w.id', 'w.name', 'w.active', (eb) => eb.fn.max('u.created_at').as('lastCallAt')])
        .where('u.owner_id', '=', user.id)
        .where('w.owner_id', '=', user.id)
        .where('u.credential_id', '=', params.id)
        .groupBy(['w.id', 'w.name', 'w.active'])
        .execute();
      const byId = new Map<string, { id: string; name: string; active: boolean; inGraph: boolean; lastCallAt: string | null }>();
      for (const w of named) byId.set(w.id, { id: w.id, name: w.name, active: w.active, inGraph: true, lastCallAt: null });
      for (const w of called) {
        const at = w.lastCallAt === null ? null : new Date(w.lastCallAt as unknown as string | Date).toISOString();
        const seen = byId.get(w.id);
        if (seen) seen.lastCallAt = at;
        else byId.set(w.id, { id: w.id, name: w.name, active: w.active, inGraph: false, lastCallAt: at });
      }
      return c.json({ items: [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)) });
    },
  );

  route(app, { method: 'post', path: '/api/credentials/:id/test', tag, summary: 'Try the key against its provider and record the outcome', params: credentialIdParams, response: credentialTestResult }, async (c, { params, user }) => {
    const services = c.get('services');
    const result = await testCredential(services, user.id, params.id, c.get('log'));
    await users.audit(services.db, user.id, 'credential.test', { type: 'credential', id: params.id }, { status: result.status });
    return c.json(result);
  });

  return app;
}
