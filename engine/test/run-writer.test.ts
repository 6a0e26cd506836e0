// Group commit of run rows across runs (RunWriter): the inserts of runs executed at once and the
// ends of runs that come in the same turn of the event loop, or while one is in flight, go together in one statement; a bad row fails
// only its own run. Statements are counted by keyflow_db_statements_total.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunWriter } from '../src/executor/run-writer.ts';
import { dbStatements } from '../src/metrics/metrics.ts';
import * as runs from '../src/store/runs.repo.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { databaseKinds, type TestDatabase } from './support/postgres.ts';

async function statementCounts(): Promise<Map<string, number>> {
  const { values } = await dbStatements.get();
  return new Map(values.map((v) => [String(v.labels.statement), v.value]));
}

/** The kf_ statements run since `before`, by name (those run once or more). */
async function statementsSince(before: Map<string, number>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [label, v] of await statementCounts()) if (label.startsWith('kf_') && v > (before.get(label) ?? 0)) out[label] = v - (before.get(label) ?? 0);
  return out;
}

describe.each(databaseKinds)('RunWriter on %s', (_kind, create) => {
  let t: TestDatabase;
  let writer: RunWriter;
  let ownerId: string;
  let workflowId: string;
  beforeAll(async () => {
    t = await create();
    writer = new RunWriter(t.db);
    ownerId = randomUUID();
    await t.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@test.local`, password_hash: 'x' }).execute();
    workflowId = (await workflows.createWorkflow(t.db, ownerId, { name: 'w', graph: { nodes: [], edges: [] } })).id;
  });
  afterAll(async () => t?.drop());

  const newRun = (over: Partial<runs.NewRun> = {}) => ({ id: randomUUID(), ownerId, workflowId, workflowVersion: 1, trigger: 'webhook', triggerPayload: { n: 1 }, ...over });
  const step = (runId: string, nodeId: string): runs.NewStep => ({
    runId, ownerId, nodeId, scope: '', attempt: 1, status: 'succeeded', input: null, output: { nodeId }, error: null, costMicros: 0, seq: 1, startedAt: new Date(), finishedAt: new Date(),
  });
  const statusOf = async (ids: string[]) => {
    const rows = await t.db.selectFrom('runs').select(['id', 'status', 'output']).where('id', 'in', ids).execute();
    return ids.map((id) => rows.find((r) => r.id === id)?.status ?? 'missing');
  };

  it('inserts the runs that start in the same turn in one statement', async () => {
    const before = await statementCounts();
    const rows = Array.from({ length: 5 }, () => newRun());
    const claimed = await Promise.all(rows.map((r) => writer.insertClaimed(r, 5_000)));
    expect(claimed.map((c) => [c.id, c.status, c.fresh])).toEqual(rows.map((r) => [r.id, 'running', true]));
    // Inserts gather to the end of the event loop's turn (GroupCommit's gather): all five go together.
    expect(await statementsSince(before)).toEqual({ kf_insert_claimed_runs_5: 1 });
    // The records are built from what was written and the times the database returned: as a read of the row gives them.
    for (const c of claimed) expect(c).toEqual({ ...(await runs.getRun(t.db, ownerId, c.id)), fresh: true, crashes: 0 });
    const leases = await t.db.selectFrom('runs').select(['lease_until', 'unfinished_claims']).where('id', 'in', rows.map((r) => r.id)).execute();
    expect(leases.every((l) => l.lease_until !== null && l.unfinished_claims === 1)).toBe(true);
  });

  it('fails only the run whose row is bad when a group insert fails', async () => {
    const good = [newRun(), newRun(), newRun()];
    const bad = newRun({ workflowId: randomUUID() }); // no such workflow: the foreign key refuses it
    const results = await Promise.allSettled([writer.insertClaimed(newRun(), undefined), ...[good[0]!, bad, good[1]!, good[2]!].map((r) => writer.insertClaimed(r, undefined))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await statusOf([...good.map((r) => r.id), bad.id])).toEqual(['running', 'running', 'running', 'missing']);
  });

  it('ends the runs that end in the same turn in one statement, with their step rows', async () => {
    const rows = Array.from({ length: 4 }, () => newRun());
    for (const r of rows) await runs.insertClaimedRun(t.db, r, undefined);
    const before = await statementCounts();
    await Promise.all(rows.map((r, i) => writer.finish(r.id, { status: 'succeeded', output: { i }, costMicros: i, eventSeq: 3, response: i === 0 ? { status: 200 } : undefined }, [step(r.id, 'reply')])));
    // Ends gather to the end of the event loop's turn (GroupCommit's gather): all four go together.
    expect(await statementsSince(before)).toEqual({ kf_finish_runs_4_4: 1 });
    const ended = await t.db.selectFrom('runs').select(['id', 'status', 'output', 'cost_micros', 'event_seq', 'response', 'finished_at', 'unfinished_claims']).where('id', 'in', rows.map((r) => r.id)).execute();
    for (const [i, r] of rows.entries()) {
      expect(ended.find((e) => e.id === r.id)).toMatchObject({ status: 'succeeded', output: { i }, cost_micros: i, event_seq: 3, response: i === 0 ? { status: 200 } : null, unfinished_claims: 0 });
    }
    expect(ended.every((e) => e.finished_at !== null)).toBe(true);
    const steps = await t.db.selectFrom('run_steps').select(['run_id', 'node_id']).where('run_id', 'in', rows.map((r) => r.id)).execute();
    expect(steps).toHaveLength(4);
  });

  it('writes the rows beyond the ones that ride with an end first, for every run of a group', async () => {
    const rows = [newRun(), newRun(), newRun()];
    for (const r of rows) await runs.insertClaimedRun(t.db, r, undefined);
    const many = (runId: string) => Array.from({ length: 6 }, (_, i) => step(runId, `n${i}`));
    await Promise.all(rows.map((r) => writer.finish(r.id, { status: 'failed', error: { message: 'x' }, costMicros: 0, eventSeq: 9 }, many(r.id))));
    expect(await statusOf(rows.map((r) => r.id))).toEqual(['failed', 'failed', 'failed']);
    const steps = await t.db.selectFrom('run_steps').select('run_id').where('run_id', 'in', rows.map((r) => r.id)).execute();
    expect(steps).toHaveLength(18);
  });

  it('fails only the end whose rows are bad when a group end fails', async () => {
    const rows = [newRun(), newRun(), newRun(), newRun()];
    for (const r of rows) await runs.insertClaimedRun(t.db, r, undefined);
    const end = { status: 'succeeded' as const, costMicros: 0, eventSeq: 2 };
    // The third end carries a step of a run that does not exist: the foreign key refuses it.
    const results = await Promise.allSettled(rows.map((r, i) => writer.finish(r.id, end, [step(i === 2 ? randomUUID() : r.id, 'reply')])));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await statusOf(rows.map((r) => r.id))).toEqual(['succeeded', 'succeeded', 'running', 'succeeded']);
  });
});
