// One owner's flood must not starve another owner: with a backlog of 200 runs from owner A,
// owner B's single run, enqueued last, finishes near the front in both dispatch modes.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { BullRunQueue } from '../src/queue/bullmq-queue.ts';
import { InProcessQueue } from '../src/queue/in-process-queue.ts';
import type { RunQueue } from '../src/queue/run-queue.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.ts';
import { waitUntil } from './support/processes.ts';
import { dropQueue, redisUrl, requireRedis, testQueueName } from './support/redis.ts';

const BACKLOG = 200;
const pos = { x: 0, y: 0 };
const cheapGraph = {
  nodes: [
    { id: 'start', type: 'core.manual', version: 1, config: {}, position: pos },
    { id: 'shape', type: 'core.transform', version: 1, config: { fields: [{ name: 'n', value: 1 }] }, position: pos },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'shape' }],
};

describe('fairness between owners', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let db: TestDatabase;

  beforeAll(async () => {
    await requireRedis();
    db = await createPostgresDatabase();
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  afterAll(async () => {
    await db?.drop();
  });

  function bullQueue(name = testQueueName('fairness')): RunQueue {
    cleanups.push(() => dropQueue(name));
    return new BullRunQueue({ url: redisUrl, name, lockDurationMs: 5_000 });
  }

  function engineOn(queue: RunQueue, opts: { orphanAfterMs?: number } = {}): Engine {
    return new Engine({
      db: db.db, queue, bus: new InProcessEventBus(), log: pino({ level: 'silent' }),
      fetch: () => Promise.reject(new Error('no node here fetches')), credentials: async () => undefined, ...opts,
    });
  }

  async function allFinished(ownerIds: string[], expected: number) {
    await waitUntil(`all ${expected} runs to finish`, async () => {
      const open = await db.db.selectFrom('runs').select((eb) => eb.fn.countAll<string>().as('n')).where('owner_id', 'in', ownerIds).where('finished_at', 'is', null).executeTakeFirstOrThrow();
      return Number(open.n) === 0 ? true : undefined;
    }, 25_000, 100);
    const done = await db.db.selectFrom('runs').select(['id', 'owner_id', 'status', 'finished_at']).where('owner_id', 'in', ownerIds).orderBy('finished_at').orderBy('id').execute();
    expect(done).toHaveLength(expected);
    expect(done.every((r) => r.status === 'succeeded')).toBe(true);
    return done;
  }

  const start = (engine: Engine, o: { ownerId: string; workflowId: string }) => engine.startRun({ ownerId: o.ownerId, workflowId: o.workflowId, version: 1, trigger: 'manual', payload: {} });

  async function newOwner(label: string): Promise<{ ownerId: string; workflowId: string }> {
    const ownerId = randomUUID();
    await db.db.insertInto('users').values({ id: ownerId, email: `${label}-${ownerId}@test.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(db.db, ownerId, { name: `fairness ${label}`, graph: cheapGraph });
    return { ownerId, workflowId: wf.id };
  }

  it.each([
    ['in-process', () => new InProcessQueue()],
    ['BullMQ', bullQueue],
  ] as const)('serves owner B before most of owner A\'s backlog (%s queue)', async (_mode, makeQueue) => {
    const engine = engineOn(makeQueue());
    cleanups.push(() => engine.close({ graceMs: 2_000 }));
    await engine.init();
    const a = await newOwner('a');
    const b = await newOwner('b');

    // The whole backlog is queued before the worker starts, so the order served is the
    // queue's choice alone and not a race between enqueueing and executing.
    for (let i = 0; i < BACKLOG; i++) await start(engine, a);
    const bRun = await start(engine, b);
    engine.startWorker(1);

    const done = await allFinished([a.ownerId, b.ownerId], BACKLOG + 1);
    const bFinishedAt = done.find((r) => r.id === bRun)!.finished_at!;
    const aBeforeB = done.filter((r) => r.owner_id === a.ownerId && r.finished_at! < bFinishedAt).length;
    // First-in-first-out would put B behind all 200.
    expect(aBeforeB).toBeLessThan(20);
  }, 40_000);

  it('does not hold an owner back after the sweeper re-enqueued its waiting backlog (BullMQ)', async () => {
    const name = testQueueName('fairness');
    const a = await newOwner('a');
    const b = await newOwner('b');
    // A backlog that waited past orphanAfterMs: every sweep re-enqueues each of its runs,
    // whose jobs are still in the queue.
    const first = engineOn(bullQueue(name), { orphanAfterMs: 0 });
    for (let i = 0; i < 50; i++) await start(first, a);
    await first.sweep();
    await first.sweep();
    first.startWorker(1);
    await allFinished([a.ownerId], 50);
    await first.close({ graceMs: 2_000 });

    // Later, on the same queue with nothing waiting: A's one run, enqueued first, must not
    // sit behind B's five.
    const second = engineOn(bullQueue(name));
    cleanups.push(() => second.close({ graceMs: 2_000 }));
    const aRun = await start(second, a);
    for (let i = 0; i < 5; i++) await start(second, b);
    second.startWorker(1);
    const done = await allFinished([a.ownerId, b.ownerId], 56);
    const later = done.slice(50);
    expect(later.map((r) => r.owner_id === a.ownerId)).toEqual([true, false, false, false, false, false]);
    expect(later[0]!.id).toBe(aRun);
  }, 40_000);
});
