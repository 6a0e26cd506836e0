// BullMQ's Queue and Worker, loaded by their own paths. BullMQ's index also loads its PostgreSQL
// backend (half a megabyte of SQL text), its Bun, node-redis and Valkey GLIDE clients, flows and
// sandboxed processors: 171 modules where these two take 101, 1.8 MB of V8 heap less in every
// process. The paths are those of the version engine/package.json pins; bullmq-core.test.ts
// fails if they move.
import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';

const require = createRequire(import.meta.url);

/** BullMQ's `Queue` (its type: `import type { Queue } from 'bullmq'`). */
export const QueueClass = (require('bullmq/dist/cjs/classes/queue.js') as Pick<typeof BullMQ, 'Queue'>).Queue;
/** BullMQ's `Worker` (its type: `import type { Worker } from 'bullmq'`). */
export const WorkerClass = (require('bullmq/dist/cjs/classes/worker.js') as Pick<typeof BullMQ, 'Worker'>).Worker;
