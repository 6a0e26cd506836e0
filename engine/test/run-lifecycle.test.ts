import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as runs from '../src/store/runs.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createPostgresDatabase();
});
afterAll(() => db.drop());

describe('run retention', () => {
  it('deletes finished runs past the age limit and beyond the per-workflow count, never unfinished ones', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const day = 86_400_000;
    const make = async (ageDays: number, status: string) => {
      const id = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
      await db.db.updateTable('runs').set({ status, created_at: new Date(Date.now() - ageDays * day) }).where('id', '=', id).execute();
      return id;
    };
    const old = await make(40, 'succeeded');
    const oldButRunning = await make(40, 'running');
    const recent = await Promise.all([1, 2, 3, 4].map((d) => make(d, 'failed')));
    expect(await runs.pruneRuns(db.db, { days: 30 })).toBe(1);
    expect(await runs.pruneRuns(db.db, { keepPerWorkflow: 2 })).toBe(2);
    const left = (await db.db.selectFrom('runs').select('id').execute()).map((r) => r.id).sort();
    expect(left).toEqual([oldButRunning, recent[0]!, recent[1]!].sort());
    expect(left).not.toContain(old);
  });
});

describe('run retention in batches', () => {
  it('prunes in bounded batches, oldest first, until nothing old is left, per workflow too', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const wf2 = await workflows.createWorkflow(db.db, ownerId, { name: 'w2', graph: { nodes: [], edges: [] } });
    const day = 86_400_000;
    const make = async (workflowId: string, ageDays: number, status: string) => {
      const id = await runs.insertRun(db.db, { ownerId, workflowId, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
      await db.db.updateTable('runs').set({ status, created_at: new Date(Date.now() - ageDays * day) }).where('id', '=', id).execute();
      await runs.insertStep(db.db, { runId: id, ownerId, nodeId: 'n', scope: '', attempt: 1, status: 'succeeded', input: null, output: { ok: true }, error: undefined, costMicros: 0, seq: 1, startedAt: new Date(), finishedAt: new Date() });
      return id;
    };
    const old = await Promise.all([41, 42, 43, 44, 45].map((d) => make(wf.id, d, 'succeeded')));
    const waiting = await make(wf.id, 50, 'waiting');
    const recent = await make(wf.id, 1, 'succeeded');
    const batches: number[] = [];
    expect(await runs.pruneRuns(db.db, { days: 30 }, { batch: 2, onBatch: (n) => batches.push(n) })).toBe(5);
    // 2 + 2 + 1: the short batch ends it; no batch is larger than asked.
    expect(batches).toEqual([2, 2, 1]);
    const left = (await db.db.selectFrom('runs').select('id').where('workflow_id', '=', wf.id).execute()).map((r) => r.id).sort();
    expect(left).toEqual([waiting, recent].sort());
    // The steps went with their runs.
    expect(await db.db.selectFrom('run_steps').select('id').where('run_id', 'in', old).execute()).toEqual([]);

    const second = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((d) => make(wf2.id, d, 'failed')));
    expect(await runs.pruneRuns(db.db, { keepPerWorkflow: 2 }, { batch: 2 })).toBe(5);
    const kept = (await db.db.selectFrom('runs').select('id').where('workflow_id', '=', wf2.id).execute()).map((r) => r.id).sort();
    expect(kept).toEqual([second[0]!, second[1]!].sort());
  });
});

describe('run list keyset pages', () => {
  it('pages through runs that share a created_at without skipping or repeating one', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const at = new Date(Date.now() - 60_000);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
      // Five share one instant: a page boundary falls among them.
      await db.db.updateTable('runs').set({ created_at: i < 5 ? at : new Date(at.getTime() - i * 1000) }).where('id', '=', id).execute();
      ids.push(id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const items = await runs.listRuns(db.db, ownerId, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...items.map((r) => r.id));
      if (items.length < 3) break;
      cursor = runs.runCursor(items[items.length - 1]!);
    }
    expect(seen.length).toBe(7);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(runs.isValidRunCursor('nonsense')).toBe(false);
    await expect(runs.listRuns(db.db, ownerId, { limit: 3, cursor: 'nonsense' })).rejects.toThrow(/cursor/);
  });
});

describe('run list keyset pages, microseconds', () => {
  it('pages through runs created within one millisecond (created_at keeps microseconds; a JS Date does not)', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
      // 100 µs apart, all inside one millisecond.
      await sql`update runs set created_at = '2026-12-01T10:00:00.123000Z'::timestamptz + make_interval(secs => ${i * 100} / 1e6) where id = ${id}`.execute(db.db);
      ids.push(id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const items = await runs.listRuns(db.db, ownerId, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...items.map((r) => r.id));
      if (items.length < 2) break;
      cursor = runs.runCursor(items[items.length - 1]!);
    }
    expect(seen).toEqual([...ids].reverse());
  });
});

describe('workflow list keyset pages, microseconds', () => {
  it('pages through workflows updated within one millisecond, and still reads a cursor without microseconds', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const wf = await workflows.createWorkflow(db.db, ownerId, { name: `w${i}`, graph: { nodes: [], edges: [] } });
      // 100 µs apart, all inside one millisecond.
      await sql`update workflows set updated_at = '2026-12-01T10:00:00.123000Z'::timestamptz + make_interval(secs => ${i * 100} / 1e6) where id = ${wf.id}`.execute(db.db);
      ids.push(wf.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { items, nextCursor } = await workflows.listWorkflows(db.db, ownerId, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...items.map((w) => w.id));
      if (!nextCursor) break;
      cursor = nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    // A cursor made before cursors carried microseconds: its millisecond, then ids.
    const old = Buffer.from(JSON.stringify(['2026-12-01T10:00:00.124Z', 'ffffffff-ffff-4fff-bfff-ffffffffffff'])).toString('base64url');
    expect(workflows.isValidCursor(old)).toBe(true);
    expect((await workflows.listWorkflows(db.db, ownerId, { limit: 10, cursor: old })).items.map((w) => w.id)).toEqual([...ids].reverse());
    const forged = Buffer.from(JSON.stringify(['2026-12-01T10:00:00.124Z', ids[0], "1'; drop table workflows;--"])).toString('base64url');
    expect(workflows.isValidCursor(forged)).toBe(false);
  });
});

describe('per-owner queue quota', () => {
  it('refuses new runs once an owner has too many waiting, leaving other owners alone', async () => {
    const pino = (await import('pino')).default;
    const { Engine } = await import('../src/engine/engine.ts');
    const { InProcessQueue } = await import('../src/queue/in-process-queue.ts');
    const { InProcessEventBus } = await import('../src/events/event-bus.ts');
    const engine = new Engine({ db: db.db, queue: new InProcessQueue(), bus: new InProcessEventBus(), log: pino({ level: 'silent' }), fetch: async () => { throw new Error('unused'); }, credentials: async () => undefined, maxQueuedPerOwner: 3 });
    const owners = [randomUUID(), randomUUID()];
    for (const id of owners) await db.db.insertInto('users').values({ id, email: `${id}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, owners[0]!, { name: 'w', graph: { nodes: [], edges: [] } });
    const wf2 = await workflows.createWorkflow(db.db, owners[1]!, { name: 'w', graph: { nodes: [], edges: [] } });
    // No worker: everything stays queued.
    for (let i = 0; i < 3; i++) await engine.startRun({ ownerId: owners[0]!, workflowId: wf.id, version: 1, trigger: 'manual', payload: {} });
    await expect(engine.startRun({ ownerId: owners[0]!, workflowId: wf.id, version: 1, trigger: 'manual', payload: {} })).rejects.toMatchObject({ status: 429 });
    await expect(engine.startRun({ ownerId: owners[1]!, workflowId: wf2.id, version: 1, trigger: 'manual', payload: {} })).resolves.toMatch(/-/);
    expect((await db.db.selectFrom('runs').select('id').where('owner_id', '=', owners[0]!).execute()).length).toBe(3);
    await engine.close({ graceMs: 10 });
  });
});

describe('embedded recovery', () => {
  it('re-runs, after a restart, a run left running with one step done, resuming from that step', async () => {
    const pino = (await import('pino')).default;
    const { Engine } = await import('../src/engine/engine.ts');
    const { InProcessQueue } = await import('../src/queue/in-process-queue.ts');
    const { InProcessEventBus } = await import('../src/events/event-bus.ts');
    const { testRegistry, probe } = await import('./support/engine.ts');
    probe.reset();
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const pos = { x: 0, y: 0 };
    const graph = { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }, { id: 'one', type: 'test.count', version: 1, config: { label: 'one' }, position: pos }, { id: 'two', type: 'test.count', version: 1, config: { label: 'two' }, position: pos }], edges: [{ id: 'a', source: 'start', target: 'one' }, { id: 'b', source: 'one', target: 'two' }] };
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph });
    // The state a crash leaves: the run is 'running' and 'one' (and the trigger) are checkpointed.
    const runId = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
    await db.db.updateTable('runs').set({ status: 'running', started_at: new Date(Date.now() - 60_000) }).where('id', '=', runId).execute();
    const at = new Date();
    await runs.insertStep(db.db, { runId, ownerId, nodeId: 'start', scope: '', attempt: 1, status: 'succeeded', input: {}, output: {}, error: undefined, costMicros: 0, seq: 1, startedAt: at, finishedAt: at, branch: 'main' });
    await runs.insertStep(db.db, { runId, ownerId, nodeId: 'one', scope: '', attempt: 1, status: 'succeeded', input: {}, output: { label: 'one' }, error: undefined, costMicros: 0, seq: 2, startedAt: at, finishedAt: at, branch: 'main' });
    const engine = new Engine({ db: db.db, queue: new InProcessQueue(), bus: new InProcessEventBus(), log: pino({ level: 'silent' }), fetch: async () => { throw new Error('unused'); }, credentials: async () => undefined, registry: testRegistry });
    await engine.init();
    engine.startWorker(2);
    expect(await engine.recoverEmbedded()).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 200; i++) {
      const r = await db.db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow();
      if (r.status === 'succeeded') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const steps = await db.db.selectFrom('run_steps').select(['node_id']).where('run_id', '=', runId).orderBy('seq').execute();
    expect(steps.map((s) => s.node_id)).toEqual(['start', 'one', 'two']);
    expect([...probe.calls.keys()].filter((k) => k.endsWith(':one'))).toEqual([]);
    expect([...probe.calls.keys()].filter((k) => k.endsWith(':two'))).toHaveLength(1);
    await engine.close({ graceMs: 100 });
  });
});

describe('claiming a run', () => {
  it('is fresh only on the first claim, and never for a finished run', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const id = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
    expect((await runs.claimRun(db.db, id))?.fresh).toBe(true);
    expect((await runs.claimRun(db.db, id))?.fresh).toBe(false);
    await runs.finishRun(db.db, id, { status: 'succeeded', costMicros: 0, eventSeq: 1 });
    expect(await runs.claimRun(db.db, id)).toBeUndefined();
  });

  it('counts the earlier executions that never ended, except those an orderly stop handed back', async () => {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const id = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
    expect((await runs.claimRun(db.db, id))?.crashes).toBe(0);
    // Claimed again while 'running': the first execution died.
    expect((await runs.claimRun(db.db, id))?.crashes).toBe(1);
    await runs.releaseClaims(db.db, [id]);
    expect((await runs.claimRun(db.db, id))?.crashes).toBe(1);
    expect((await runs.claimRun(db.db, id))?.crashes).toBe(2);
    // A park is a clean end: the count starts over.
    await runs.parkRun(db.db, id, new Date(), 2);
    expect((await runs.claimRun(db.db, id))?.crashes).toBe(0);
  });
});

describe('re-running a run', () => {
  async function setup(maxQueuedPerOwner: number) {
    const pino = (await import('pino')).default;
    const { Engine } = await import('../src/engine/engine.ts');
    const { InProcessQueue } = await import('../src/queue/in-process-queue.ts');
    const { InProcessEventBus } = await import('../src/events/event-bus.ts');
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const pos = { x: 0, y: 0 };
    const graph = { nodes: [{ id: 'start', type: 'core.manual', version: 1, config: {}, position: pos }], edges: [] };
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'w', graph });
    const finishedId = await runs.insertRun(db.db, { ownerId, workflowId: wf.id, workflowVersion: 1, trigger: 'manual', triggerPayload: {} });
    await runs.finishRun(db.db, finishedId, { status: 'succeeded', costMicros: 0, eventSeq: 1 });
    // No worker: whatever is enqueued stays queued, and counts against the quota.
    const engine = new Engine({ db: db.db, queue: new InProcessQueue(), bus: new InProcessEventBus(), log: pino({ level: 'silent' }), fetch: async () => { throw new Error('unused'); }, credentials: async () => undefined, maxQueuedPerOwner });
    const reruns = async () => (await db.db.selectFrom('runs').select('id').where('rerun_of', '=', finishedId).execute()).length;
    return { engine, ownerId, workflowId: wf.id, finishedId, reruns };
  }

  it('from an unknown node answers 404 and writes nothing', async () => {
    const { engine, ownerId, finishedId, reruns } = await setup(10);
    await expect(engine.rerun(ownerId, finishedId, 'no-such-node')).rejects.toMatchObject({ status: 404 });
    expect(await reruns()).toBe(0);
    await engine.close({ graceMs: 10 });
  });

  it("goes through the owner's queue quota, and a refused one writes nothing", async () => {
    const { engine, ownerId, workflowId, finishedId, reruns } = await setup(1);
    await engine.startRun({ ownerId, workflowId, version: 1, trigger: 'manual', payload: {} });
    await expect(engine.rerun(ownerId, finishedId)).rejects.toMatchObject({ status: 429 });
    await expect(engine.rerun(ownerId, finishedId, 'start')).rejects.toMatchObject({ status: 429 });
    expect(await reruns()).toBe(0);
    await engine.close({ graceMs: 10 });
  });
});
