// A worker process for the poison-run tests: the real engine with the core nodes plus one
// test-only node, `test.crash`, that kills its own process (SIGKILL, as the OOM killer would).
// Nothing outside the tests registers that node. Embedded (PGlite in KEYFLOW_DATA_DIR, in-process
// queue, restart recovery) without REDIS_URL; queue mode (Postgres + BullMQ) with it.
// Prints "crash worker ready" once it takes work, and "finished <runId> <status>" per run end.
import pino from 'pino';
import { z } from 'zod';
import { coreNodes } from '@keyflow/nodes';
import { createNodeRegistry, defineNode } from '@keyflow/nodes/contract';
import { Engine } from '../../src/engine/engine.ts';
import { InProcessEventBus } from '../../src/events/event-bus.ts';
import { BullRunQueue } from '../../src/queue/bullmq-queue.ts';
import { InProcessQueue } from '../../src/queue/in-process-queue.ts';
import { openDatabase } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

const crashNode = defineNode({
  type: 'test.crash', version: 1, title: 'Crash', description: 'Kills its process', category: 'core', kind: 'action',
  config: z.strictObject({}),
  async run() {
    process.stdout.write('crashing\n');
    process.kill(process.pid, 'SIGKILL');
    return { output: {} };
  },
});

const env = process.env;
const queueMode = Boolean(env.REDIS_URL);
const store = await openDatabase(queueMode ? { url: env.DATABASE_URL } : { dataDir: env.KEYFLOW_DATA_DIR! });
if (!queueMode) await migrateToLatest(store.db);
const bus = new InProcessEventBus();
const engine = new Engine({
  db: store.db,
  queue: queueMode ? new BullRunQueue({ url: env.REDIS_URL!, name: env.KEYFLOW_QUEUE_NAME!, lockDurationMs: Number(env.KEYFLOW_QUEUE_LOCK_MS ?? 1000) }) : new InProcessQueue(),
  bus,
  log: pino({ level: 'silent' }),
  fetch: () => Promise.reject(new Error('no network in the crash worker')),
  credentials: async () => undefined,
  registry: createNodeRegistry([...coreNodes, crashNode]),
  ...(env.KEYFLOW_MAX_RUN_CRASHES ? { maxCrashes: Number(env.KEYFLOW_MAX_RUN_CRASHES) } : {}),
});
await engine.init();
await bus.subscribeOutcomes((e) => {
  if (e.type === 'run.finished') process.stdout.write(`finished ${e.runId} ${e.status}\n`);
});
engine.startWorker(2);
if (!queueMode) await engine.recoverEmbedded();
process.stdout.write('crash worker ready\n');
process.on('SIGTERM', () => {
  void engine.close({ graceMs: 1_000 }).then(() => store.close()).then(() => process.exit(0));
});
