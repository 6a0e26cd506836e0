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
