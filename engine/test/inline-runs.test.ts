// A webhook "wait" run the engine executes itself (queue mode's servers): its row is written
// already claimed, its last step goes with the run's end, and its response stays in the process
// when nobody watches. Statements are counted by keyflow_db_statements_total; Redis by a
// subscriber of the deployment's outcomes channel.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbStatements } from '../src/metrics/metrics.ts';
import * as runs from '../src/store/runs.repo.ts';
import { createTestEngine, probe, type TestEngine } from './support/engine.ts';
import { redisUrl } from './support/redis.ts';

const pos = { x: 0, y: 0 };
const n = (id: string, type: string, config: unknown = {}) => ({ id, type, version: 1, config, position: pos });
const e = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

async function statementCounts(): Promise<Map<string, number>> {
  const { values } = await dbStatements.get();
  return new Map(values.map((v) => [String(v.labels.statement), v.value]));
}

/** Statements that wrote runs or steps between two counts (the test's own reads and the graph's load are not counted). */
function writes(before: Map<string, number>, after: Map<string, number>): number {
  let sum = 0;
  for (const [label, v] of after) if (/^kf_|^(insert|update) run/.test(label)) sum += v - (before.get(label) ?? 0);
  return sum;
}

/** Runs webhook → transform → respond inline and waits for its row to finish (the end comes right after the response). */
async function greetAda(t: TestEngine) {
  const { workflowId, version } = await t.save({
    nodes: [n('hook', 'core.webhook', { responseMode: 'wait' }), n('shape', 'core.transform', { fields: [{ name: 'greeting', value: 'Hello {{ $trigger.body.name }}' }] }), n('reply', 'core.respond', { status: 200, body: { said: '{{ $node.shape.output.greeting }}' } })],
    edges: [e('hook', 'shape'), e('shape', 'reply')],
  });
  const outcome = await t.engine.startAndWait({ ownerId: t.ownerId, workflowId, version, trigger: 'webhook', payload: { body: { name: 'Ada' }, headers: {}, query: {} } }, 10_000);
  expect(outcome).toMatchObject({ kind: 'response', response: { status: 200, body: { said: 'Hello Ada' } } });
  let run: { status: string; lease_until: Date | null } | undefined;
  for (let i = 0; i < 100 && run?.status !== 'succeeded'; i++) {
    run = await t.db.db.selectFrom('runs').select(['status', 'lease_until']).where('id', '=', outcome.runId).executeTakeFirst();
    if (run?.status !== 'succeeded') await new Promise((r) => setTimeout(r, 50));
  }
  return { outcome, run: run! };
}

describe('inline webhook runs (queue mode)', () => {
  let t: TestEngine;
  let sub: Redis;
  const outcomes: { type: string; runId: string }[] = [];
  beforeAll(async () => {
    t = await createTestEngine('queue', { inlineRuns: 4 });
    sub = new Redis(redisUrl);
    await sub.subscribe(`kf:{${t.queueName!}}:ev:outcomes`);
    sub.on('message', (_channel: string, message: string) => outcomes.push(JSON.parse(message) as { type: string; runId: string }));
  });
  afterAll(async () => {
    await sub?.quit();
    await t?.close();
  });

  it('writes the run claimed, the last step with its end, and keeps the unwatched response and end in the process', async () => {
    const before = await statementCounts();
    const { outcome, run } = await greetAda(t);
    expect(run.status).toBe('succeeded');
    const steps = await t.db.db.selectFrom('run_steps').select(['node_id', 'status']).where('run_id', '=', outcome.runId).orderBy('seq').execute();
    expect(steps.map((s) => `${s.node_id}:${s.status}`)).toEqual(['hook:succeeded', 'shape:succeeded', 'reply:succeeded']);

    const after = await statementCounts();
    const delta = (label: string) => (after.get(label) ?? 0) - (before.get(label) ?? 0);
    expect(delta('kf_insert_claimed_run')).toBe(1);
    expect(delta('kf_insert_run')).toBe(0);
    expect(delta('kf_claim_run')).toBe(0);
    // The respond step, the run's last, went with the run's end: one statement for both.
    expect(delta('kf_finish_run_with_step')).toBe(1);
    expect(delta('kf_finish_run')).toBe(0);
    // The trigger's row rode with the transform's: one two-row insert, no statement of its own.
    expect(delta('kf_insert_steps_2')).toBe(1);
    expect(delta('kf_insert_step')).toBe(0);
    expect(writes(before, after)).toBe(3);

    // Nobody else waits for it or watches it: neither its response nor its end went through Redis.
    await new Promise((r) => setTimeout(r, 300));
    expect(outcomes.filter((o) => o.runId === outcome.runId).map((o) => o.type)).toEqual([]);
  });

  it('writes a webhook → respond run in two statements: its row, then its end with both step rows', async () => {
    const { workflowId, version } = await t.save({
      nodes: [n('hook', 'core.webhook', { responseMode: 'wait' }), n('reply', 'core.respond', { status: 200, body: { said: '{{ $trigger.body.name }}' } })],
      edges: [e('hook', 'reply')],
    });
    const before = await statementCounts();
    const outcome = await t.engine.startAndWait({ ownerId: t.ownerId, workflowId, version, trigger: 'webhook', payload: { body: { name: 'Ada' }, headers: {}, query: {} } }, 10_000);
    expect(outcome).toMatchObject({ kind: 'response', response: { status: 200, body: { said: 'Ada' } } });
    let steps: { node_id: string; status: string }[] = [];
    for (let i = 0; i < 100 && steps.length < 2; i++) {
      steps = await t.db.db.selectFrom('run_steps').select(['node_id', 'status']).where('run_id', '=', outcome.runId).orderBy('seq').execute();
      if (steps.length < 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(steps.map((s) => `${s.node_id}:${s.status}`)).toEqual(['hook:succeeded', 'reply:succeeded']);
    const after = await statementCounts();
    const delta = (label: string) => (after.get(label) ?? 0) - (before.get(label) ?? 0);
    expect(delta('kf_finish_run_with_steps_2')).toBe(1);
    expect(writes(before, after)).toBe(2);
  });

  it('writes the row of a schedule trigger before its successors start (it reads the clock)', async () => {
    const { workflowId, version } = await t.save({
      nodes: [n('tick', 'core.schedule', { cron: '0 * * * *', timezone: 'UTC' }), n('shape', 'core.transform', { fields: [{ name: 'at', value: '{{ $node.tick.output.scheduledAt }}' }] }), n('reply', 'core.respond', { status: 200, body: {} })],
      edges: [e('tick', 'shape'), e('shape', 'reply')],
    });
    const before = await statementCounts();
    const outcome = await t.engine.startAndWait({ ownerId: t.ownerId, workflowId, version, trigger: 'webhook', payload: {} }, 10_000);
    expect(outcome).toMatchObject({ kind: 'response' });
    for (let i = 0; i < 100 && ((await statementCounts()).get('kf_finish_run_with_step') ?? 0) === (before.get('kf_finish_run_with_step') ?? 0); i++) await new Promise((r) => setTimeout(r, 50));
    const after = await statementCounts();
    expect((after.get('kf_insert_step') ?? 0) - (before.get('kf_insert_step') ?? 0)).toBe(2);
    expect((after.get('kf_insert_steps_2') ?? 0) - (before.get('kf_insert_steps_2') ?? 0)).toBe(0);
  });

  it('publishes the end of an inline run that someone started watching while it ran', async () => {
    probe.reset();
    const gate = probe.barrier('inline-watch');
    const { workflowId, version } = await t.save({
      nodes: [n('hook', 'core.webhook', { responseMode: 'wait' }), n('reply', 'core.respond', { status: 202, body: { ok: true } }), n('after', 'test.block', { name: 'inline-watch' })],
      edges: [e('hook', 'reply'), e('reply', 'after')],
    });
    const outcome = await t.engine.startAndWait({ ownerId: t.ownerId, workflowId, version, trigger: 'webhook', payload: { body: {}, headers: {}, query: {} } }, 10_000);
    expect(outcome).toMatchObject({ kind: 'response', response: { status: 202 } });
    // The run is held in `after`: a watcher (SSE elsewhere) subscribes now, then the run ends.
    const finished = t.waitFor(outcome.runId, (ev) => ev.type === 'run.finished');
    await new Promise((r) => setTimeout(r, 200));
    gate.release();
    await finished;
    for (let i = 0; i < 50 && !outcomes.some((o) => o.runId === outcome.runId); i++) await new Promise((r) => setTimeout(r, 50));
    expect(outcomes.filter((o) => o.runId === outcome.runId).map((o) => o.type)).toEqual(['run.finished']);
  });
});

describe('inline webhook runs (embedded)', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine('embedded', { inlineRuns: 4 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes the run claimed without a lease: no claim statement, no queue', async () => {
    const before = await statementCounts();
    const { run } = await greetAda(t);
    expect(run).toEqual({ status: 'succeeded', lease_until: null });
    const after = await statementCounts();
    const delta = (label: string) => (after.get(label) ?? 0) - (before.get(label) ?? 0);
    expect(delta('kf_insert_claimed_run')).toBe(1);
    expect(delta('kf_insert_run') + delta('kf_claim_run')).toBe(0);
    expect(writes(before, after)).toBe(3);
  });

  it('resumes at the next start a run a dead process had written claimed (no lease to wait out)', async () => {
    const { workflowId, version } = await t.save({
      nodes: [n('hook', 'core.webhook', { responseMode: 'wait' }), n('reply', 'core.respond', { status: 200, body: {} })],
      edges: [e('hook', 'reply')],
    });
    // What a process that died right after writing its inline run leaves behind.
    const runId = crypto.randomUUID();
    await runs.insertClaimedRun(t.db.db, { id: runId, ownerId: t.ownerId, workflowId, workflowVersion: version, trigger: 'webhook', triggerPayload: { body: {}, headers: {}, query: {} } }, undefined);
    expect(await t.engine.recoverEmbedded()).toBeGreaterThanOrEqual(1);
    let status: string | undefined;
    for (let i = 0; i < 100 && status !== 'succeeded'; i++) {
      status = (await t.db.db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst())?.status;
      if (status !== 'succeeded') await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe('succeeded');
  });
});
