import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as bullmq from 'bullmq';
import { packageFilesLoadedBy } from '../../test/support/loaded-modules.ts';
import { QueueClass, WorkerClass } from './bullmq-core.ts';

describe('bullmq-core', () => {
  it('loads the very classes BullMQ exports (the pinned version still has these paths)', () => {
    expect(QueueClass).toBe(bullmq.Queue);
    expect(WorkerClass).toBe(bullmq.Worker);
  });

  it("keeps BullMQ's index and its PostgreSQL backend out of a process that imports the queue", () => {
    const loaded = packageFilesLoadedBy(fileURLToPath(new URL('./bullmq-queue.ts', import.meta.url)), 'bullmq');
    expect(loaded).toContain('dist/cjs/classes/worker.js');
    expect(loaded).not.toContain('dist/cjs/index.js');
    expect(loaded.filter((f) => f.startsWith('dist/cjs/postgres/'))).toEqual([]);
  });
});
