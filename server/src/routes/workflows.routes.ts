// The workflow API: CRUD with immutable versions, activation, export and import.
import { Hono } from 'hono';
import { z } from 'zod';
import { Invalid, NotFound, users, webhooks, workflows } from '@keyflow/engine';
import { signatureConfigSchema, signaturePresets, signingKey } from '@keyflow/engine/webhooks';
import { manualRunBody, webhookNodeParams, webhookSignatureBody, webhookView } from '../contract/runs.schema.ts';
import { scheduleFloorProblem, validateGraph } from '@keyflow/engine/graph';
import { defaultRegistry, placeholdersOf, webhookTriggerTypes } from '@keyflow/nodes';
import {
  activateBody,
  createWorkflowBody,
  importWorkflowBody,
  listWorkflowsQuery,
  renameWorkflowBody,
  updateWorkflowBody,
  versionDetail,
  versionParams,
  versionReadParams,
  versionSummary,
  workflowDetail,
  workflowExport,
  workflowIdParams,
  workflowList,
  workflowSummary,
} from '../contract/workflows.schema.ts';
import { issuesOf, route } from '../http/route.ts';
import { forgetWebhooks } from './webhooks.routes.ts';
import { activateTriggers, deactivateTriggers } from '../integrations/trigger-activations.ts';
import type { AppEnv } from '../http/types.ts';

/** Webhook trigger node ids of a (validated) graph: core.webhook and integration triggers (slack.event…). */
function webhookNodes(graph: unknown): string[] {
  return ((graph as { nodes: { id: string; type: string }[] }).nodes ?? []).filter((n) => webhookTriggerTypes.includes(n.type)).map((n) => n.id);
}

/** The operator's limits on a saved graph (KEYFLOW_MIN_SCHEDULE_SECONDS, KEYFLOW_MAX_WORKFLOW_NODES). */
function graphLimits(config: { minScheduleSeconds: number; maxWorkflowNodes: number }): { minScheduleSeconds: number; maxNodes: number } {
  return { minScheduleSeconds: config.minScheduleSeconds, maxNodes: config.maxWorkflowNodes };
}

/** Validates a graph document or throws Invalid naming every fault under `body.graph`. */
export function checkGraph(graph: unknown, limits: { minScheduleSeconds: number; maxNodes?: number }): unknown {
  const result = validateGraph(graph, defaultRegistry, limits);
  if (!result.ok) throw new Invalid('the graph has problems', result.issues.map((i) => ({ path: ['body', 'graph', ...i.path], message: i.message })));
  return result.graph;
}

/**
 * A stored version may predate the schedule floor (or a raised one): activating or restoring
 * it is refused while any of its schedules fires faster, naming the node and its cron field.
 */
function checkStoredSchedules(graph: unknown, version: number, minScheduleSeconds: number, path: (string | number)[]): void {
  const nodes = (graph as { nodes?: { id: string; type: string; disabled?: boolean; config?: { cron?: unknown; timezone?: unknown } }[] }).nodes ?? [];
  const issues: { path: (string | number)[]; message: string }[] = [];
  nodes.forEach((n, i) => {
    if (n.type !== 'core.schedule' || n.disabled || typeof n.config?.cron !== 'string') return;
    const problem = scheduleFloorProblem(n.config.cron, typeof n.config.timezone === 'string' ? n.config.timezone : 'UTC', minScheduleSeconds);
    if (problem) issues.push({ path, message: `version ${version}, node '${n.id}' (nodes[${i}].config.cron): ${problem}` });
  });
  if (issues.length > 0) throw new Invalid('the schedule fires too often', issues);
}

/** Imported placeholders (core.unsupported…) cannot run: a workflow holding one is not activated. */
function checkNoPlaceholders(graph: unknown, version: number, path: (string | number)[]): void {
  const found = placeholdersOf(graph);
  if (found.length === 0) return;
  const names = found.map((p) => `'${p.name ?? p.id}' (${p.originalType})`).join(', ');
  throw new Invalid(`version ${version} holds ${found.length} imported placeholder node(s) Keyflow cannot run: ${names}; replace them before activating`, found.map((p) => ({ path, message: `node '${p.id}' is a placeholder for ${p.originalType}` })));
}

export function workflowRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tag = 'workflows';

  route(app, { method: 'get', path: '/api/workflows', tag, summary: 'List workflows (paginated; filter by name and active)', query: listWorkflowsQuery, response: workflowList }, async (c, { query, user }) => {
    if (query.cursor && !workflows.isValidCursor(query.cursor)) throw new Invalid('invalid query', [{ path: ['query', 'cursor'], message: 'is not a cursor returned by this API' }]);
    return c.json(await workflows.listWorkflows(c.get('services').db, user.id, query));
  });

  route(app, { method: 'post', path: '/api/workflows', tag, summary: 'Create a workflow (version 1)', body: createWorkflowBody, response: workflowDetail, status: 201 }, async (c, { body, user }) => {
    const { db } = c.get('services');
    const wf = await workflows.createWorkflow(db, user.id, { name: body.name, graph: checkGraph(body.graph, graphLimits(c.get('services').config)) });
    await webhooks.ensureWebhooks(db, user.id, wf.id, webhookNodes(wf.graph));
    await users.audit(db, user.id, 'workflow.create', { type: 'workflow', id: wf.id });
    return c.json(wf, 201);
  });

  route(app, { method: 'post', path: '/api/workflows/import', tag, summary: 'Import a workflow exported as JSON', body: importWorkflowBody, response: workflowDetail, status: 201 }, async (c, { body, user }) => {
    const { db } = c.get('services');
    const wf = await workflows.createWorkflow(db, user.id, { name: body.name, graph: checkGraph(body.graph, graphLimits(c.get('services').config)), note: 'imported' });
    await webhooks.ensureWebhooks(db, user.id, wf.id, webhookNodes(wf.graph));
    await users.audit(db, user.id, 'workflow.import', { type: 'workflow', id: wf.id });
    return c.json(wf, 201);
  });

  route(app, { method: 'get', path: '/api/workflows/:id', tag, summary: 'Get a workflow with its current graph', params: workflowIdParams, response: workflowDetail }, async (c, { params, user }) =>
    c.json(await workflows.getWorkflow(c.get('services').db, user.id, params.id)),
  );

  route(app, { method: 'put', path: '/api/workflows/:id', tag, summary: 'Save a new version over baseVersion (409 when stale)', params: workflowIdParams, body: updateWorkflowBody, response: workflowDetail }, async (c, { params, body, user }) => {
    const { db } = c.get('services');
    const graph = checkGraph(body.graph, graphLimits(c.get('services').config));
    const wf = await workflows.saveWorkflow(db, user.id, params.id, { name: body.name, graph, baseVersion: body.baseVersion });
    await webhooks.ensureWebhooks(db, user.id, wf.id, webhookNodes(graph));
    forgetWebhooks(wf.id);
    await users.audit(db, user.id, 'workflow.save', { type: 'workflow', id: wf.id }, { version: wf.currentVersion });
    return c.json(wf);
  });

  route(app, { method: 'patch', path: '/api/workflows/:id', tag, summary: 'Rename a workflow (no new version: the name is not part of the graph)', params: workflowIdParams, body: renameWorkflowBody, response: workflowSummary }, async (c, { params, body, user }) => {
    const { db } = c.get('services');
    const wf = await workflows.renameWorkflow(db, user.id, params.id, body.name);
    await users.audit(db, user.id, 'workflow.rename', { type: 'workflow', id: wf.id });
    return c.json(wf);
  });

  route(app, { method: 'delete', path: '/api/workflows/:id', tag, summary: 'Delete a workflow, its versions and runs', params: workflowIdParams, status: 204 }, async (c, { params, user }) => {
    const { db, engine } = c.get('services');
    const wf = await workflows.getWorkflow(db, user.id, params.id);
    await engine.removeSchedules(user.id, params.id);
    // Webhooks registered at a service (Trello) are deleted there before their rows go.
    await deactivateTriggers(c.get('services'), user.id, params.id, wf.activeVersion);
    await workflows.deleteWorkflow(db, user.id, params.id);
    forgetWebhooks(params.id);
    await users.audit(db, user.id, 'workflow.delete', { type: 'workflow', id: params.id });
    return c.body(null, 204);
  });

  route(app, { method: 'post', path: '/api/workflows/:id/activate', tag, summary: 'Activate the current (or a given) version for production triggers', params: workflowIdParams, body: activateBody.optional(), response: workflowSummary }, async (c, { params, body, user }) => {
    const services = c.get('services');
    const { db, config } = services;
    // Owner-checked first (404 for anyone else's workflow), then the floor on the version that would go live.
    const before = await workflows.getWorkflow(db, user.id, params.id);
    const version = body?.version ?? before.currentVersion;
    const stored = (await workflows.getVersion(db, user.id, params.id, version)).graph;
    const where = body?.version === undefined ? ['body'] : ['body', 'version'];
    checkStoredSchedules(stored, version, config.minScheduleSeconds, where);
    checkNoPlaceholders(stored, version, where);
    const wf = await workflows.setActive(db, user.id, params.id, true, body?.version);
    // Before registering at a service: it may probe the URL at once (Trello's HEAD), which must see the workflow active.
    forgetWebhooks(wf.id);
    // Triggers that register a webhook at their service (Trello): the old version's go, the new one's come.
    if (before.active && before.activeVersion !== null) await deactivateTriggers(services, user.id, wf.id, before.activeVersion);
    try {
      await activateTriggers(services, user.id, wf.id, wf.activeVersion ?? wf.currentVersion);
      // Schedules, and polling triggers asking their service where to start (Gmail's historyId).
      await services.engine.syncSchedules(user.id, wf.id);
    } catch (err) {
      await workflows.setActive(db, user.id, wf.id, false);
      forgetWebhooks(wf.id);
      await deactivateTriggers(services, user.id, wf.id, wf.activeVersion ?? wf.currentVersion);
      await services.engine.syncSchedules(user.id, wf.id);
      throw err;
    }
    forgetWebhooks(wf.id);
    await users.audit(db, user.id, 'workflow.activate', { type: 'workflow', id: wf.id }, { version: wf.activeVersion });
    return c.json(wf);
  });

  route(app, { method: 'post', path: '/api/workflows/:id/deactivate', tag, summary: 'Stop production triggers', params: workflowIdParams, response: workflowSummary }, async (c, { params, user }) => {
    const { db } = c.get('services');
    const wf = await workflows.setActive(db, user.id, params.id, false);
    forgetWebhooks(wf.id);
    await deactivateTriggers(c.get('services'), user.id, wf.id, wf.activeVersion);
    await c.get('services').engine.syncSchedules(user.id, wf.id);
    await users.audit(db, user.id, 'workflow.deactivate', { type: 'workflow', id: wf.id });
    return c.json(wf);
  });

  route(app, { method: 'get', path: '/api/workflows/:id/versions', tag, summary: 'List versions, newest first', params: workflowIdParams, response: z.object({ items: z.array(versionSummary) }) }, async (c, { params, user }) =>
    c.json({ items: await workflows.listVersions(c.get('services').db, user.id, params.id) }),
  );

  route(app, { method: 'get', path: '/api/workflows/:id/versions/:n', tag, summary: 'Get one version with its graph (below zero: the draft snapshot a test run ran on)', params: versionReadParams, response: versionDetail }, async (c, { params, user }) =>
    c.json(await workflows.getVersion(c.get('services').db, user.id, params.id, params.n)),
  );

  route(app, { method: 'post', path: '/api/workflows/:id/versions/:n/restore', tag, summary: 'Save an old version as the new current version', params: versionParams, response: workflowDetail }, async (c, { params, user }) => {
    const { db, config } = c.get('services');
    const old = await workflows.getVersion(db, user.id, params.id, params.n);
    checkStoredSchedules(old.graph, params.n, config.minScheduleSeconds, ['params', 'n']);
    const current = await workflows.getWorkflow(db, user.id, params.id);
    const wf = await workflows.saveWorkflow(db, user.id, params.id, { graph: old.graph, baseVersion: current.currentVersion, note: `restored from version ${params.n}` });
    forgetWebhooks(wf.id);
    await users.audit(db, user.id, 'workflow.restore', { type: 'workflow', id: wf.id }, { from: params.n, version: wf.currentVersion });
    return c.json(wf);
  });

  route(app, { method: 'get', path: '/api/workflows/:id/export', tag, summary: 'Download the workflow as JSON', params: workflowIdParams, response: workflowExport }, async (c, { params, user }) => {
    const wf = await workflows.getWorkflow(c.get('services').db, user.id, params.id);
    const file = wf.name.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'workflow';
    c.header('Content-Disposition', `attachment; filename="${file}.keyflow.json"`);
    return c.json({ keyflow: 1 as const, name: wf.name, graph: wf.graph, exportedAt: new Date().toISOString() });
  });

  route(app, { method: 'post', path: '/api/workflows/:id/run', tag, summary: 'Run by hand (the current version, a given one, or an unsaved draft graph) with a payload', params: workflowIdParams, body: manualRunBody.optional(), status: 202, response: z.object({ runId: z.uuid() }) }, async (c, { params, body, user }) => {
    const { db, engine } = c.get('services');
    const wf = await workflows.getWorkflow(db, user.id, params.id);
    let version = body?.version ?? wf.currentVersion;
    if (body?.version) await workflows.getVersion(db, user.id, wf.id, version);
    // The editor's unsaved graph: checked as a save is, run as a draft snapshot (pins apply: a manual run).
    if (body?.graph !== undefined) version = await workflows.saveDraftSnapshot(db, user.id, wf.id, checkGraph(body.graph, graphLimits(c.get('services').config)));
    const runId = await engine.startRun({ ownerId: user.id, workflowId: wf.id, version, trigger: 'manual', payload: body?.payload ?? {} });
    return c.json({ runId }, 202);
  });

  route(app, { method: 'get', path: '/api/workflows/:id/webhooks', tag, summary: 'Webhook URLs of the workflow (production and test)', params: workflowIdParams, response: z.array(webhookView) }, async (c, { params, user }) => {
    const { db, config } = c.get('services');
    await workflows.getWorkflow(db, user.id, params.id);
    const hooks = await webhooks.listWebhooks(db, user.id, params.id);
    // Webhooks are served on their own origin when one is configured (KEYFLOW_WEBHOOK_URL).
    const origin = config.webhookUrl ?? config.publicUrl;
    return c.json(hooks.map((h) => ({ nodeId: h.nodeId, url: `${origin}/hooks/${h.path}`, testUrl: `${origin}/hooks/test/${h.testPath}`, signed: h.signingCiphertext !== null })));
  });

  route(app, { method: 'put', path: '/api/workflows/:id/webhooks/:nodeId/signature', tag, summary: 'Require an HMAC signature on a webhook (preset or custom config); the secret is stored encrypted', params: webhookNodeParams, body: webhookSignatureBody, response: webhookView.pick({ nodeId: true, signed: true }) }, async (c, { params, body, user }) => {
    const { db, keyring } = c.get('services');
    // A hosted form or chat page is opened by people, who sign nothing: a secret would never be checked.
    const wf = await workflows.getWorkflow(db, user.id, params.id);
    const hosted = ((wf.graph as { nodes?: { id: string; type: string }[] }).nodes ?? []).find((n) => n.id === params.nodeId && (n.type === 'core.form' || n.type === 'core.chat'));
    if (hosted) throw new Invalid(`a ${hosted.type} trigger takes no signature: its page is opened by people`, [{ path: ['params', 'nodeId'], message: `is a ${hosted.type} trigger` }]);
    const parsed = body.preset ? { success: true as const, data: signaturePresets[body.preset] } : signatureConfigSchema.safeParse(body.config ?? {});
    if (!parsed.success) throw new Invalid('invalid signature config', issuesOf(parsed.error, ['body', 'config']));
    // A secret that yields an empty or guessable HMAC key would let anyone sign.
    const key = signingKey(parsed.data, body.secret);
    if (typeof key === 'string') throw new Invalid(`the signing secret ${key}`, [{ path: ['body', 'secret'], message: `the signing secret ${key}` }]);
    const { ciphertext } = keyring.encrypt(user.id, body.secret);
    if (!(await webhooks.setSignature(db, user.id, params.id, params.nodeId, { signature: parsed.data as Record<string, unknown>, signingCiphertext: ciphertext }))) throw new NotFound('webhook');
    // The public route caches a path's state for a second: the new secret applies at once.
    forgetWebhooks(params.id);
    await users.audit(db, user.id, 'webhook.signature_set', { type: 'webhook', id: `${params.id}/${params.nodeId}` });
    return c.json({ nodeId: params.nodeId, signed: true });
  });

  route(app, { method: 'delete', path: '/api/workflows/:id/webhooks/:nodeId/signature', tag, summary: 'Stop requiring a signature on a webhook', params: webhookNodeParams, status: 204 }, async (c, { params, user }) => {
    const { db } = c.get('services');
    if (!(await webhooks.setSignature(db, user.id, params.id, params.nodeId, { signature: null, signingCiphertext: null }))) throw new NotFound('webhook');
    forgetWebhooks(params.id);
    return c.body(null, 204);
  });

  return app;
}
