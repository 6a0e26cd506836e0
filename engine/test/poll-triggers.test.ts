// Polling triggers through the engine with the real gmail.new_message against the fake Google:
// the cursor comes from the mailbox on activation, each new message starts exactly one run,
// across an engine restart (mail arriving while it is stopped) and an expired history id, and
// two polls racing on one trigger start no message twice.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreNodes, integrationNodes } from '@keyflow/nodes';
import { createNodeRegistry } from '@keyflow/nodes/contract';
import { testCredential } from '@keyflow/nodes/integrations/testing';
import { createFakeGoogle, fakeGmail, type FakeGmailState, type FakeGoogle } from '@keyflow/nodes/testing/fake-google';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { BullRunQueue } from '../src/queue/bullmq-queue.ts';
import { InProcessQueue } from '../src/queue/in-process-queue.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { testNodes } from './support/engine.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from './support/postgres.ts';
import { dropQueue, redisUrl, requireRedis, testQueueName } from './support/redis.ts';

const registry = createNodeRegistry([...coreNodes, ...testNodes, ...integrationNodes.filter((n) => n.type === 'gmail.new_message')]);
const graph = {
  nodes: [
    { id: 'mail', type: 'gmail.new_message', version: 1, config: { labelId: 'INBOX', intervalMinutes: 5 }, position: { x: 0, y: 0 } },
    { id: 'count', type: 'test.count', version: 1, config: {}, position: { x: 0, y: 0 } },
  ],
  edges: [{ id: 'e', source: 'mail', target: 'count' }],
};

let fake: FakeGoogle;
let box: FakeGmailState;
let token: string;
beforeAll(async () => {
  fake = await createFakeGoogle();
  box = fakeGmail(fake);
  token = fake.issueToken({ scopes: ['https://www.googleapis.com/auth/gmail.readonly'] });
});
afterAll(() => fake.close());

/** When armed, holds history.list requests until `n` are waiting: two polls then surely overlap. */
const gate = { n: 0, waiting: [] as (() => void)[] };
const gatedFetch: typeof fetch = async (input, init) => {
  if (gate.n > 0 && String(input instanceof Request ? input.url : input).includes('/history')) {
    await new Promise<void>((resolve) => {
      gate.waiting.push(resolve);
      if (gate.waiting.length >= gate.n) for (const r of gate.waiting.splice(0)) r();
    });
  }
  return fetch(input, init);
};

function makeEngine(db: TestDatabase): Engine {
  return new Engine({
    serviceFetch: gatedFetch,
    db: db.db, queue: new InProcessQueue(), bus: new InProcessEventBus(), log: pino({ level: 'silent' }), registry,
    fetch: async () => { throw new Error('no fetch'); },
    credentials: async (_owner, provider) => (provider === 'google' ? testCredential({ provider: 'google', secret: token }) : undefined),
    services: { baseUrl: (s) => (s === 'google' ? fake.url : undefined) },
  });
}

async function setup(db: TestDatabase) {
  const ownerId = randomUUID();
  await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
  const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'mail', graph });
  await workflows.setActive(db.db, ownerId, wf.id, true);
  return { ownerId, workflowId: wf.id };
}

const startedFor = async (db: TestDatabase, workflowId: string) =>
  (await db.db.selectFrom('runs').select(['trigger_payload']).where('workflow_id', '=', workflowId).where('trigger', '=', 'poll').orderBy('created_at').execute())
    .map((r) => (r.trigger_payload as { messageId: string }).messageId);

describe.each(databaseKinds)('polling triggers (%s)', (_kind, createDatabase) => {
  it('one run per new message: across a restart, an expired history id, and racing polls', async () => {
    const db = await createDatabase();
    try {
      box.deliver({ from: 'old@example.com', subject: 'already there', text: 'x' });
      let engine = makeEngine(db);
      await engine.init();
      const { ownerId, workflowId } = await setup(db);
      await engine.syncSchedules(ownerId, workflowId);
      const state = await db.db.selectFrom('poll_triggers').selectAll().where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
      expect(state).toMatchObject({ node_id: 'mail', node_type: 'gmail.new_message', cursor: box.historyId(), interval_ms: 300_000 });

      const first = [box.deliver({ from: 'a@example.com', subject: '1', text: '1' }), box.deliver({ from: 'b@example.com', subject: '2', text: '2' })];
      expect((await engine.pollNow(ownerId, workflowId, 'mail')).runIds).toHaveLength(2);
      expect((await engine.pollNow(ownerId, workflowId, 'mail')).runIds).toHaveLength(0);

      // Stopped; mail arrives meanwhile; a new engine (a restart) picks up from the stored cursor.
      await engine.close({ graceMs: 200 });
      const whileDown = [1, 2, 3].map((i) => box.deliver({ from: 'c@example.com', subject: `down ${i}`, text: 'd' }));
      engine = makeEngine(db);
      await engine.init();
      await engine.restoreSchedules();
      expect((await engine.pollNow(ownerId, workflowId, 'mail')).runIds).toHaveLength(3);

      // The history id expires while stopped again: the fallback lists the newest messages, which
      // include ones already started; the stored seen ids keep them from starting again.
      await engine.close({ graceMs: 200 });
      const late = box.deliver({ from: 'd@example.com', subject: 'late', text: 'l' });
      box.expireHistoryBefore(String(Number(box.historyId()) + 1));
      engine = makeEngine(db);
      await engine.init();
      const fallback = await engine.pollNow(ownerId, workflowId, 'mail');
      box.expireHistoryBefore('0');
      expect(fallback.note).toMatch(/expired/);
      const started = await startedFor(db, workflowId);
      // 'already there' predates activation but is within the fallback's newest 100: reported, once.
      expect(started.filter((id) => [...first, ...whileDown, late].some((m) => m.id === id))).toEqual([...first, ...whileDown, late].map((m) => m.id));
      expect(new Set(started).size).toBe(started.length);

      // Two polls at once (two workers' ticks): the compare-and-set lets one write.
      const racing = [box.deliver({ from: 'e@example.com', subject: 'r1', text: 'r' }), box.deliver({ from: 'e@example.com', subject: 'r2', text: 'r' })];
      gate.n = 2;
      const outcomes = await Promise.all([engine.pollNow(ownerId, workflowId, 'mail'), engine.pollNow(ownerId, workflowId, 'mail')]);
      gate.n = 0;
      expect(outcomes.map((o) => o.skipped ?? 'wrote').sort()).toEqual(['overtaken', 'wrote']);
      expect(outcomes.flatMap((o) => o.runIds)).toHaveLength(2);
      const all = await startedFor(db, workflowId);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(expect.arrayContaining(racing.map((m) => m.id)));

      // Deactivated: the state row and the interval go; a poll writes nothing.
      await workflows.setActive(db.db, ownerId, workflowId, false);
      await engine.syncSchedules(ownerId, workflowId);
      expect(await db.db.selectFrom('poll_triggers').selectAll().where('workflow_id', '=', workflowId).execute()).toEqual([]);
      box.deliver({ from: 'f@example.com', subject: 'after', text: 'x' });
      expect(await engine.pollNow(ownerId, workflowId, 'mail')).toEqual({ runIds: [], skipped: 'inactive' });
      await engine.close({ graceMs: 200 });
    } finally {
      await db.drop();
    }
  });

  it('a failing start (no credential) refuses the activation naming the trigger; a failing poll writes nothing', async () => {
    const db = await createDatabase();
    try {
      const engine = new Engine({ db: db.db, queue: new InProcessQueue(), bus: new InProcessEventBus(), log: pino({ level: 'silent' }), registry, fetch: async () => { throw new Error('no fetch'); }, credentials: async () => undefined });
      const { ownerId, workflowId } = await setup(db);
      await expect(engine.syncSchedules(ownerId, workflowId)).rejects.toThrow(/trigger "mail" could not start polling: no google credential/);
      expect(await db.db.selectFrom('poll_triggers').selectAll().execute()).toEqual([]);
      await engine.close({ graceMs: 100 });

      const ok = makeEngine(db);
      await ok.syncSchedules(ownerId, workflowId);
      fake.failNext(503, 'backendError', 'Backend Error');
      box.deliver({ from: 'a@example.com', subject: 'x', text: 'x' });
      expect(await ok.pollNow(ownerId, workflowId, 'mail')).toEqual({ runIds: [], skipped: 'failed' });
      const row = await db.db.selectFrom('poll_triggers').select(['last_error', 'seq']).executeTakeFirstOrThrow();
      expect(row.last_error).toContain('server error');
      expect(Number(row.seq)).toBe(0);
      // The next poll takes the message.
      expect((await ok.pollNow(ownerId, workflowId, 'mail')).runIds).toHaveLength(1);
      await ok.close({ graceMs: 100 });
    } finally {
      await db.drop();
    }
  });
});

describe('interval ticks', () => {
  it('a worker’s tick of a polling spec polls: new mail starts its run without anyone calling pollNow', async () => {
    const db = await createPostgresDatabase();
    const engine = makeEngine(db);
    try {
      await engine.init();
      engine.startWorker(2);
      const { ownerId, workflowId } = await setup(db);
      await engine.syncSchedules(ownerId, workflowId);
      // The stored interval is minutes; tick the same spec faster here.
      await engine.queue.upsertSchedule({ workflowId, nodeId: 'mail', ownerId, cron: '', timezone: 'UTC', everyMs: 100, poll: true });
      const m = box.deliver({ from: 'tick@example.com', subject: 'ticked', text: 't' });
      let started: string[] = [];
      for (let i = 0; i < 100 && started.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        started = await startedFor(db, workflowId);
      }
      expect(started).toEqual([m.id]);
      await new Promise((r) => setTimeout(r, 400));
      expect(await startedFor(db, workflowId)).toEqual([m.id]);
    } finally {
      await engine.close({ graceMs: 200 });
      await db.drop();
    }
  });

  it('the embedded queue ticks a polling spec every everyMs and stops on remove', async () => {
    const q = new InProcessQueue();
    const ticks: string[] = [];
    q.process({ run: async () => undefined, tick: async (spec) => void ticks.push(spec.nodeId) }, { concurrency: 1 });
    await q.upsertSchedule({ workflowId: 'w', nodeId: 'n', ownerId: 'o', cron: '', timezone: 'UTC', everyMs: 50, poll: true });
    await new Promise((r) => setTimeout(r, 280));
    await q.removeSchedule('w', 'n');
    const seen = ticks.length;
    expect(seen).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 150));
    expect(ticks.length).toBe(seen);
    await q.close({ graceMs: 10 });
  });

  it('queue mode: two workers on one BullMQ queue tick a polling spec once per interval, as a poll', async () => {
    await requireRedis();
    const name = testQueueName('poll');
    const queues = [new BullRunQueue({ url: redisUrl, name }), new BullRunQueue({ url: redisUrl, name })];
    const ticks: { nodeId: string; poll: boolean | undefined }[] = [];
    try {
      for (const q of queues) q.process({ run: async () => undefined, tick: async (spec) => void ticks.push({ nodeId: spec.nodeId, poll: spec.poll }) }, { concurrency: 1 });
      await queues[0]!.upsertSchedule({ workflowId: 'w', nodeId: 'n', ownerId: 'o', cron: '', timezone: 'UTC', everyMs: 300, poll: true });
      await new Promise((r) => setTimeout(r, 1400));
      await queues[1]!.removeSchedule('w', 'n');
      const seen = ticks.length;
      expect(seen).toBeGreaterThanOrEqual(2);
      // ~4-5 intervals: both workers ticking each would double it.
      expect(seen).toBeLessThanOrEqual(6);
      expect(ticks.every((t) => t.nodeId === 'n' && t.poll === true)).toBe(true);
      await new Promise((r) => setTimeout(r, 700));
      expect(ticks.length).toBe(seen);
    } finally {
      for (const q of queues) await q.close({ graceMs: 200 });
      await dropQueue(name);
    }
  });
});
