// The run API: list, read with steps, watch live (SSE with Last-Event-ID resume), cancel,
// re-run (whole or from a node), delete.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { Invalid, runs, type RunEvent } from '@keyflow/engine';
import { listRunsQuery, rerunBody, runDetail, runIdParams, runView } from '../contract/runs.schema.ts';
import { route } from '../http/route.ts';
import type { AppEnv } from '../http/types.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function runSummary(r: runs.RunRecord) {
  return {
    id: r.id, workflowId: r.workflowId, workflowVersion: r.workflowVersion, trigger: r.trigger, status: r.status, error: r.error, output: r.output,
    costMicros: r.costMicros, rerunOf: r.rerunOf, createdAt: r.createdAt.toISOString(), startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), resumeAt: iso(r.resumeAt),
  };
}

type UsageRow = { step_id: string | null; provider: string; model: string; outcome: string; latency_ms: number; cost_micros: number | bigint | string; tokens_in: number; tokens_out: number; tokens_cache_read: number; tokens_cache_write: number; tokens_reasoning: number; created_at: Date | string };

/** A provider call of a step as the step inspector shows it (failed attempts included, at their cost). */
function usageView(u: UsageRow) {
  return {
    provider: u.provider, model: u.model, outcome: u.outcome, latencyMs: u.latency_ms, costMicros: Number(u.cost_micros),
    tokens: { input: u.tokens_in, output: u.tokens_out, cacheRead: u.tokens_cache_read, cacheWrite: u.tokens_cache_write, reasoning: u.tokens_reasoning },
    at: new Date(u.created_at).toISOString(),
  };
}

function stepSummary(s: runs.StepRecord, usage: UsageRow[] = []) {
  return {
    usage: usage.filter((u) => u.step_id === s.id).map(usageView),
    id: s.id, nodeId: s.nodeId, scope: s.scope, attempt: s.attempt, status: s.status, input: s.input, output: s.output, error: s.error,
    costMicros: s.costMicros, seq: s.seq, startedAt: s.startedAt.toISOString(), finishedAt: iso(s.finishedAt), resumeAt: iso(s.resumeAt),
  };
}

/** A persisted step as the live event it was, for replay after Last-Event-ID. */
function stepEvent(runId: string, s: runs.StepRecord): RunEvent {
  const at = (s.finishedAt ?? s.startedAt).toISOString();
  if (s.status === 'failed') return { type: 'step.failed', runId, seq: s.seq, nodeId: s.nodeId, scope: s.scope, attempt: s.attempt, at, error: s.error, willRetry: false };
  return { type: 'step.finished', runId, seq: s.seq, nodeId: s.nodeId, scope: s.scope, attempt: s.attempt, at, status: s.status === 'waiting' ? 'waiting' : 'succeeded', output: s.output, costMicros: s.costMicros };
}

/**
 * The resume point: the ids this stream sends are sequence numbers (whole numbers from 1), so
 * anything else did not come from it. `Infinity` once held a finished run's stream open.
 */
function resumeAfter(header: string | undefined, query: string | undefined): number {
  const [value, path] = header !== undefined ? [header, ['headers', 'last-event-id']] : [query, ['query', 'lastEventId']];
  if (value === undefined || value === '') return 0;
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new Invalid('invalid resume point', [{ path, message: 'must be a whole number from 0 (an event id this stream sent)' }]);
  return n;
}

// A stream outlives no run: the run's end closes it, and past this a client reconnects.
const STREAM_MAX_MS = 30 * 60_000;
const PING_MS = 15_000;

export function runRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tag = 'runs';

  route(app, { method: 'get', path: '/api/runs', tag, summary: 'List runs (filter by workflow, status, trigger, time)', query: listRunsQuery, response: z.object({ items: z.array(runView), nextCursor: z.string().nullable() }) }, async (c, { query, user }) => {
    if (query.cursor && !runs.isValidRunCursor(query.cursor)) throw new Invalid('invalid query', [{ path: ['query', 'cursor'], message: 'is not a cursor returned by this API' }]);
    const date = (v: string | undefined) => (v ? new Date(v) : undefined);
    // One more than the page: whether a next page exists, without a count.
    const items = await runs.listRuns(c.get('services').db, user.id, { workflowId: query.workflowId, status: query.status, trigger: query.trigger, from: date(query.from), to: date(query.to), before: date(query.before), cursor: query.cursor, limit: query.limit + 1 });
    const page = items.slice(0, query.limit);
    return c.json({ items: page.map(runSummary), nextCursor: items.length > query.limit ? runs.runCursor(page[page.length - 1]!) : null });
  });

  route(app, { method: 'get', path: '/api/runs/:id', tag, summary: 'A run with its steps', params: runIdParams, response: runDetail }, async (c, { params, user }) => {
    const { db } = c.get('services');
    // Every provider call of the run's steps, failed ones too: the inspector shows each failover.
    // Both reads are the owner's alone, so they go together (an unknown run is a 404 either way).
    const [run, usage] = await Promise.all([runs.getRunWithSteps(db, user.id, params.id), runs.listRunUsage(db, user.id, params.id) as Promise<UsageRow[]>]);
    return c.json({ ...runSummary(run), triggerPayload: run.triggerPayload, steps: run.steps.map((s) => stepSummary(s, usage)) });
  });

  route(app, { method: 'get', path: '/api/runs/:id/events', tag, summary: 'Live run events (SSE); resumes after Last-Event-ID', params: runIdParams }, async (c, { params, user }) => {
    const { db, engine } = c.get('services');
    await runs.getRun(db, user.id, params.id);
    const after = resumeAfter(c.req.header('last-event-id'), c.req.query('lastEventId'));
    return streamSSE(c, async (stream) => {
      let lastSent = after;
      const pending: RunEvent[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      // Subscribe first, then replay what is stored: nothing falls between the two.
      const unsubscribe = await engine.bus.subscribeRun(params.id, (e) => {
        pending.push(e);
        wake?.();
      });
      // Executors publish step events only while a run is watched; one that started unwatched
      // may have stored steps this stream never heard of. Fill any gap from the rows first.
      const fillGap = async (upTo: number) => {
        const stored = await runs.loadSteps(db, params.id);
        for (const s of stored.filter((x) => x.seq > lastSent && x.seq < upTo).sort((a, b) => a.seq - b.seq)) await send(stepEvent(params.id, s));
      };
      const send = async (e: RunEvent): Promise<void> => {
        // The end ends the stream even when the client says it has seen it already.
        if (e.type === 'run.finished') ended = true;
        if (e.seq > 0 && e.seq <= lastSent) return;
        if (e.seq > lastSent + 1 && e.type !== 'step.started') await fillGap(e.seq);
        if (e.seq > 0) lastSent = e.seq;
        await stream.writeSSE({ event: e.type, data: JSON.stringify(e), ...(e.seq > 0 ? { id: String(e.seq) } : {}) });
      };
      /** Replays stored steps after lastSent and, for a finished run, its end; true when it has ended. */
      const replayStored = async (): Promise<boolean> => {
        const run = await runs.getRunWithSteps(db, user.id, params.id);
        for (const s of run.steps.filter((x) => x.seq > lastSent).sort((a, b) => a.seq - b.seq)) await send(stepEvent(run.id, s));
        if (!runs.TERMINAL.includes(run.status)) return false;
        const eventSeq = (await db.selectFrom('runs').select('event_seq').where('id', '=', run.id).executeTakeFirst())?.event_seq ?? 0;
        await send({ type: 'run.finished', runId: run.id, seq: Math.max(eventSeq, lastSent + 1), status: run.status, costMicros: run.costMicros, ...(run.error ? { error: run.error } : {}) });
        return true;
      };
      stream.onAbort(() => {
        ended = true;
        wake?.();
      });
      try {
        if (await replayStored()) return;
        const deadline = Date.now() + STREAM_MAX_MS;
        while (!ended && Date.now() < deadline) {
          while (pending.length > 0 && !ended) await send(pending.shift()!);
          if (ended) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, PING_MS).unref();
          });
          wake = undefined;
          if (pending.length > 0 || ended) continue;
          // Quiet for a while: a run end lost on the way (pub/sub drops it when Redis blips)
          // must not keep the stream open until the deadline. The rows say whether it ended.
          if (await replayStored()) break;
          await stream.writeSSE({ event: 'ping', data: '{}' });
        }
      } finally {
        unsubscribe();
      }
    });
  });

  route(app, { method: 'post', path: '/api/runs/:id/cancel', tag, summary: 'Cancel a queued, parked or running run', params: runIdParams, response: runView }, async (c, { params, user }) => {
    const run = await c.get('services').engine.cancel(user.id, params.id);
    return c.json(runSummary(run));
  });

  route(app, { method: 'post', path: '/api/runs/:id/rerun', tag, summary: 'Run again; with fromNodeId, reuse the steps before that node', params: runIdParams, body: rerunBody.optional(), status: 202, response: z.object({ runId: z.uuid() }) }, async (c, { params, body, user }) => {
    const runId = await c.get('services').engine.rerun(user.id, params.id, body?.fromNodeId);
    return c.json({ runId }, 202);
  });

  route(app, { method: 'delete', path: '/api/runs/:id', tag, summary: 'Delete a run and its steps', params: runIdParams, status: 204 }, async (c, { params, user }) => {
    await runs.deleteRun(c.get('services').db, user.id, params.id);
    return c.body(null, 204);
  });

  return app;
}
