import { describe, expect, it } from 'vitest';
import * as bullmq from 'bullmq';
import { QueueClass, WorkerClass } from './bullmq-core.ts';

describe('bullmq-core', () => {
  it('loads the very classes BullMQ exports (the pinned version still has these paths)', () => {
    expect(QueueClass).toBe(bullmq.Queue);
    expect(WorkerClass).toBe(bullmq.Worker);
  });
});
