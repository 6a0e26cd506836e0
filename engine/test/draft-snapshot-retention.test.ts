// Retention of draft snapshots (issue 10): a test run of an unsaved graph stores it as a hidden
// negative-numbered workflow version. Once no run references one any more (its runs aged out or
// were deleted) the run pruner deletes it, past a grace period, keeping each workflow's newest
// snapshot so that no snapshot number is ever handed out twice.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as runs from '../src/store/runs.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { databaseKinds, type TestDatabase } from './support/postgres.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe.each(databaseKinds)('draft snapshot retention (%s)', (_kind, createDatabase) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  it('deletes snapshots no run references once past the grace period, keeps referenced, fresh and newest ones, and never reuses a number', async () => {
    db = await createDatabase();
    const d = db.db;
    const ownerId = randomUUID();
    await d.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
    const wf = await workflows.createWorkflow(d, ownerId, { name: 'w', graph: { nodes: [], edges: [] } });
    const graph = (name: string) => ({ nodes: [{ id: name, type: 'core.manual', version: 1, config: {}, position: { x: 0, y: 0 } }], edges: [] });
    const snapshot = (name: string) => workflows.saveDraftSnapshot(d, ownerId, wf.id, graph(name));
    const run = async (version: number, ageDays: number) => {
      const id = await runs.insertRun(d, { ownerId, workflowId: wf.id, workflowVersion: version, trigger: 'manual', triggerPayload: {} });
      await d.updateTable('runs').set({ status: 'succeeded', created_at: new Date(Date.now() - ageDays * DAY) }).where('id', '=', id).execute();
      return id;
    };
    const age = (version: number, ms: number) => d.updateTable('workflow_versions').set({ created_at: new Date(Date.now() - ms) }).where('workflow_id', '=', wf.id).where('version', '=', version).execute();
    const negatives = async () => (await d.selectFrom('workflow_versions').select('version').where('workflow_id', '=', wf.id).orderBy('version', 'desc').execute()).map((r) => r.version);

    const aged = await snapshot('aged'); // its only run is past the 30-day retention
    const used = await snapshot('used'); // a recent run uses it
    const fresh = await snapshot('fresh'); // no run yet, but made a moment ago
    const deleted = await snapshot('deleted'); // its run was deleted by its owner
    const newest = await snapshot('newest'); // no run, old, but the newest snapshot
    expect([aged, used, fresh, deleted, newest]).toEqual([-1, -2, -3, -4, -5]);
    await run(aged, 40);
    await run(used, 1);
    await runs.deleteRun(d, ownerId, await run(deleted, 1));
    for (const v of [aged, used, deleted, newest]) await age(v, 2 * HOUR);

    expect(await runs.pruneRuns(d, { days: 30 })).toBe(1);
    expect(await negatives()).toEqual([1, used, fresh, newest]);

    // The same graph again reuses its snapshot and counts as fresh; a new graph takes a new number.
    await age(fresh, 2 * HOUR);
    expect(await snapshot('fresh')).toBe(fresh);
    expect(await snapshot('another')).toBe(-6);
    await runs.pruneRuns(d, { days: 30 });
    expect(await negatives()).toEqual([1, used, fresh, -6]);

    // The newest snapshot stays even when unused and old (its number is the floor for the next one).
    await age(-6, 2 * HOUR);
    await age(fresh, 2 * HOUR);
    await runs.pruneRuns(d, {});
    expect(await negatives()).toEqual([1, used, -6]);
    expect(await snapshot('aged')).toBe(-7);
  });
});
