// Schedules fire once per tick however many workers run, in their time zone, and stop when
// the workflow is deactivated.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { RedisEventBus } from '../src/events/redis-event-bus.ts';
import { BullRunQueue } from '../src/queue/bullmq-queue.ts';
import { InProcessQueue } from '../src/queue/in-process-queue.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { testRegistry } from './support/engine.ts';
import { createPostgresDatabase, type TestDatabase } from './support/postgres.ts';
import { dropQueue, redisUrl, requireRedis, testQueueName } from './support/redis.ts';

const graph = {
  nodes: [
    { id: 'tick', type: 'core.schedule', version: 1, config: { cron: '* * * * * *', timezone: 'Europe/Berlin' }, position: { x: 0, y: 0 } },
    { id: 'count', type: 'test.count', version: 1, config: {}, position: { x: 0, y: 0 } },
  ],
  edges: [{ id: 'e', source: 'tick', target: 'count' }],
};

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function setup(db: TestDatabase) {
  const ownerId = randomUUID();
  await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
  const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'cron', graph });
  await workflows.setActive(db.db, ownerId, wf.id, true);
  return { ownerId, workflowId: wf.id };
}

function makeEngine(db: TestDatabase, queue: InProcessQueue | BullRunQueue, bus: InProcessEventBus | RedisEventBus) {
  return new Engine({ db: db.db, queue, bus, log: pino({ level: 'silent' }), fetch: async () => { throw new Error('no fetch'); }, credentials: async () => undefined, registry: testRegistry });
}

const scheduleRuns = (db: TestDatabase, workflowId: string) =>
  db.db.selectFrom('runs').select(['trigger_payload', 'created_at']).where('workflow_id', '=', workflowId).where('trigger', '=', 'schedule').execute();

describe('schedules', () => {
  it('embedded: a timer fires every tick with the cron and time zone in the payload, and stops on deactivate', async () => {
    const db = await createPostgresDatabase();
    cleanups.push(() => db.drop());
    const engine = makeEngine(db, new InProcessQueue(), new InProcessEventBus());
    cleanups.push(() => engine.close({ graceMs: 500 }));
    await engine.init();
    engine.startWorker(4);
    const { ownerId, workflowId } = await setup(db);
    await engine.syncSchedules(ownerId, workflowId);
    await new Promise((r) => setTimeout(r, 2600));
    const fired = await scheduleRuns(db, workflowId);
    expect(fired.length).toBeGreaterThanOrEqual(2);
    expect(fired[0]!.trigger_payload).toMatchObject({ cron: '* * * * * *', timezone: 'Europe/Berlin' });
    await workflows.setActive(db.db, ownerId, workflowId, false);
    await engine.syncSchedules(ownerId, workflowId);
    const after = (await scheduleRuns(db, workflowId)).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await scheduleRuns(db, workflowId)).length).toBe(after);
    expect(await db.db.selectFrom('schedules').selectAll().execute()).toEqual([]);
  });

  it('queue mode: three workers on one queue fire each tick once', async () => {
    await requireRedis();
    const db = await createPostgresDatabase();
    cleanups.push(() => db.drop());
    const name = testQueueName('sched');
    cleanups.push(() => dropQueue(name)); // runs after the engines close (cleanups run in reverse)
    const engines = [0, 1, 2].map(() => makeEngine(db, new BullRunQueue({ url: redisUrl, name }), new RedisEventBus(redisUrl, name)));
    for (const e of engines) {
      cleanups.push(() => e.close({ graceMs: 500 }));
      await e.init();
      e.startWorker(2);
    }
    const { ownerId, workflowId } = await setup(db);
    await engines[0]!.syncSchedules(ownerId, workflowId);
    await new Promise((r) => setTimeout(r, 3500));
    await workflows.setActive(db.db, ownerId, workflowId, false);
    await engines[1]!.syncSchedules(ownerId, workflowId);
    const fired = await scheduleRuns(db, workflowId);
    expect(fired.length).toBeGreaterThanOrEqual(2);
    // ~4 ticks in 3.5 s: three workers each firing would give three times as many.
    expect(fired.length).toBeLessThanOrEqual(5);
    const ticks = fired.map((r) => (r.trigger_payload as { firedAt: string }).firedAt);
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});
