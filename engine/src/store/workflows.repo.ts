// Workflows and their immutable versions. Every function takes the owner's id and filters by
// it: another owner's workflow is indistinguishable from a missing one.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Conflict, NotFound } from '../errors.ts';
import type { Db } from './database.ts';
import { decodeKeyset, encodeKeyset } from './keyset.ts';

export interface WorkflowSummary {
  id: string;
  name: string;
  active: boolean;
  currentVersion: number;
  activeVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkflowDetail extends WorkflowSummary {
  graph: unknown;
}

export interface VersionSummary {
  version: number;
  note: string | null;
  createdAt: Date;
}

type Row = { id: string; name: string; active: boolean; current_version: number; active_version: number | null; created_at: Date; updated_at: Date };
const columns = ['id', 'name', 'active', 'current_version', 'active_version', 'created_at', 'updated_at'] as const;

function summary(r: Row): WorkflowSummary {
  return { id: r.id, name: r.name, active: r.active, currentVersion: r.current_version, activeVersion: r.active_version, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Keyset cursor over (updated_at desc, id desc), with updated_at to the microsecond. */
const encodeCursor = (r: WorkflowSummary, micros: string): string => encodeKeyset(r.updatedAt, r.id, micros);
const decodeCursor = decodeKeyset;
export const isValidCursor = (cursor: string): boolean => decodeCursor(cursor) !== undefined;

/** The latest run of a workflow, for the list screen. */
export interface LastRun {
  id: string;
  status: string;
  createdAt: Date;
  finishedAt: Date | null;
}
export type WorkflowListItem = WorkflowSummary & { lastRun: LastRun | null };

export async function listWorkflows(
  db: Db,
  ownerId: string,
  opts: { limit: number; cursor?: string | undefined; name?: string | undefined; active?: boolean | undefined },
): Promise<{ items: WorkflowListItem[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('workflows')
    .select(columns)
    .select(sql<string>`(extract(epoch from updated_at) * 1000000)::int8::text`.as('updated_us'))
    .where('owner_id', '=', ownerId);
  if (opts.name) q = q.where('name', 'ilike', `%${opts.name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (opts.active !== undefined) q = q.where('active', '=', opts.active);
  const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
  if (after) {
    // The cursor's exact time (a cursor from before it carried one: its milliseconds).
    const at = after[2] ? sql<Date>`(timestamptz 'epoch' + (${after[2]} || ' microseconds')::interval)` : sql<Date>`${after[0]}::timestamptz`;
    q = q.where('updated_at', '<=', at).where(sql<boolean>`(updated_at, id) < (${at}, ${after[1]}::uuid)`);
  }
  const rows = await q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(opts.limit + 1).execute();
  const items = rows.slice(0, opts.limit).map(summary);
  const lastRow = rows[opts.limit - 1];
  const last = await lastRuns(db, ownerId, items.map((w) => w.id));
  return { items: items.map((w) => ({ ...w, lastRun: last.get(w.id) ?? null })), nextCursor: rows.length > opts.limit && lastRow ? encodeCursor(items[items.length - 1]!, lastRow.updated_us) : null };
}

/**
 * The newest run of each given workflow of the owner: one probe of the (workflow_id, created_at)
 * index per workflow of the page (a lateral LIMIT 1), never a pass over the owner's runs. The
 * owner check sits outside the probe: inside, Postgres would AND in the owner's whole run index.
 */
async function lastRuns(db: Db, ownerId: string, workflowIds: string[]): Promise<Map<string, LastRun>> {
  if (workflowIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; workflow_id: string; status: string; created_at: Date; finished_at: Date | null }>`
    select r.id, r.workflow_id, r.status, r.created_at, r.finished_at
    from unnest(${workflowIds}::uuid[]) as w(id)
    cross join lateral (
      select id, owner_id, workflow_id, status, created_at, finished_at from runs
      where workflow_id = w.id
      order by created_at desc, id desc limit 1) r
    where r.owner_id = ${ownerId}`.execute(db);
  return new Map(rows.map((r) => [r.workflow_id, { id: r.id, status: r.status, createdAt: r.created_at, finishedAt: r.finished_at ?? null }]));
}

/** Renames without a new version: the name is not part of the graph. */
export async function renameWorkflow(db: Db, ownerId: string, id: string, name: string): Promise<WorkflowSummary> {
  const row = await db.updateTable('workflows').set({ name, updated_at: new Date() }).where('owner_id', '=', ownerId).where('id', '=', id).returning(columns).executeTakeFirst();
  if (!row) throw new NotFound('workflow');
  return summary(row);
}

export async function createWorkflow(db: Db, ownerId: string, input: { name: string; graph: unknown; note?: string }): Promise<WorkflowDetail> {
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('workflows').values({ id, owner_id: ownerId, name: input.name, current_version: 1 }).returning(columns).executeTakeFirstOrThrow();
    await trx.insertInto('workflow_versions').values({ workflow_id: id, version: 1, owner_id: ownerId, graph: JSON.stringify(input.graph), note: input.note ?? null }).execute();
    return { ...summary(row), graph: input.graph };
  });
}

export async function getWorkflow(db: Db, ownerId: string, id: string): Promise<WorkflowDetail> {
  const row = await db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.current_version'))
    .select(['w.id', 'w.name', 'w.active', 'w.current_version', 'w.active_version', 'w.created_at', 'w.updated_at', 'v.graph'])
    .where('w.owner_id', '=', ownerId)
    .where('w.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new NotFound('workflow');
  return { ...summary(row), graph: row.graph };
}

/** Saves a new version over `baseVersion`; a stale base answers Conflict and writes nothing. */
export async function saveWorkflow(db: Db, ownerId: string, id: string, input: { name?: string | undefined; graph: unknown; baseVersion: number; note?: string }): Promise<WorkflowDetail> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('workflows').select(columns).where('owner_id', '=', ownerId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFound('workflow');
    if (current.current_version !== input.baseVersion) {
      throw new Conflict(`workflow was saved since version ${input.baseVersion}; the current version is ${current.current_version}`);
    }
    const version = current.current_version + 1;
    await trx.insertInto('workflow_versions').values({ workflow_id: id, version, owner_id: ownerId, graph: JSON.stringify(input.graph), note: input.note ?? null }).execute();
    const row = await trx
      .updateTable('workflows')
      .set({ current_version: version, updated_at: new Date(), ...(input.name !== undefined ? { name: input.name } : {}) })
      .where('owner_id', '=', ownerId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    return { ...summary(row), graph: input.graph };
  });
}

export async function deleteWorkflow(db: Db, ownerId: string, id: string): Promise<void> {
  const r = await db.deleteFrom('workflows').where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) !== 1) throw new NotFound('workflow');
}

/** Marks a version (default: the current one) as the one production triggers run. */
export async function setActive(db: Db, ownerId: string, id: string, active: boolean, version?: number): Promise<WorkflowSummary> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('workflows').select(columns).where('owner_id', '=', ownerId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFound('workflow');
    const activeVersion = active ? (version ?? current.current_version) : current.active_version;
    if (active && version !== undefined) {
      const exists = await trx.selectFrom('workflow_versions').select('version').where('workflow_id', '=', id).where('version', '=', version).executeTakeFirst();
      if (!exists) throw new NotFound(`version ${version}`);
    }
    const row = await trx
      .updateTable('workflows')
      .set({ active, active_version: activeVersion, updated_at: new Date() })
      .where('owner_id', '=', ownerId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    return summary(row);
  });
}

export async function listVersions(db: Db, ownerId: string, id: string): Promise<VersionSummary[]> {
  await assertOwned(db, ownerId, id);
  const rows = await db.selectFrom('workflow_versions').select(['version', 'note', 'created_at']).where('owner_id', '=', ownerId).where('workflow_id', '=', id).where('version', '>', 0).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, note: r.note, createdAt: r.created_at }));
}

export async function getVersion(db: Db, ownerId: string, id: string, version: number): Promise<VersionSummary & { graph: unknown }> {
  const row = await db
    .selectFrom('workflow_versions')
    .select(['version', 'note', 'created_at', 'graph'])
    .where('owner_id', '=', ownerId)
    .where('workflow_id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new NotFound(`workflow version ${version}`);
  return { version: row.version, note: row.note, createdAt: row.created_at, graph: row.graph };
}

/**
 * A test run's copy of an unsaved (draft) graph, already validated: a version numbered below
 * zero, so it is never the current, active, listed or restorable one, and the graph cache and
 * re-runs treat it like any immutable version. The same graph again reuses its snapshot.
 */
export async function saveDraftSnapshot(db: Db, ownerId: string, id: string, graph: unknown): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const wf = await trx.selectFrom('workflows').select('id').where('owner_id', '=', ownerId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!wf) throw new NotFound('workflow');
    const json = JSON.stringify(graph);
    const same = await trx
      .selectFrom('workflow_versions')
      .select('version')
      .where('owner_id', '=', ownerId)
      .where('workflow_id', '=', id)
      .where('version', '<', 0)
      .where(sql<boolean>`graph = ${json}::jsonb`)
      .orderBy('version')
      .limit(1)
      .executeTakeFirst();
    if (same) {
      // Reused: counts as new for the pruner's grace period (the run row is inserted just after).
      await trx.updateTable('workflow_versions').set({ created_at: new Date() }).where('workflow_id', '=', id).where('version', '=', same.version).execute();
      return same.version;
    }
    const low = await trx.selectFrom('workflow_versions').select(sql<number>`coalesce(min(version), 0)::int`.as('v')).where('workflow_id', '=', id).executeTakeFirstOrThrow();
    const version = Math.min(low.v, 0) - 1;
    await trx.insertInto('workflow_versions').values({ workflow_id: id, version, owner_id: ownerId, graph: json, note: 'test run of an unsaved draft' }).execute();
    return version;
  });
}

/** How long a draft snapshot is kept before a run row has to reference it (it is made just before its run). */
export const DRAFT_SNAPSHOT_GRACE_MS = 60 * 60_000;

/**
 * Retention of draft snapshots (issue 10): one no run references any more (its runs were
 * pruned or deleted) is deleted once past the grace period. The lowest-numbered (newest)
 * snapshot of each workflow is kept, so a snapshot number is never handed out twice: the
 * process-wide graph cache keys graphs by (workflow, version) and would otherwise run an old graph.
 */
export async function pruneDraftSnapshots(db: Db, opts: { graceMs?: number } = {}): Promise<number> {
  const before = new Date(Date.now() - (opts.graceMs ?? DRAFT_SNAPSHOT_GRACE_MS));
  const r = await sql`
    delete from workflow_versions v
    where v.version < 0
      and v.created_at < ${before}
      and v.version > (select min(l.version) from workflow_versions l where l.workflow_id = v.workflow_id)
      and not exists (select 1 from runs r where r.workflow_id = v.workflow_id and r.workflow_version = v.version)`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}

async function assertOwned(db: Db, ownerId: string, id: string): Promise<void> {
  const row = await db.selectFrom('workflows').select('id').where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('workflow');
}

export async function countWorkflows(db: Db, ownerId: string): Promise<number> {
  const r = await db.selectFrom('workflows').select(sql<number>`count(*)::int`.as('n')).where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
  return r.n;
}
