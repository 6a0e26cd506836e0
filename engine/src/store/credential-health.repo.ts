// A credential's health, as the last identity check or run saw it. Every function filters by
// owner. The message stored is one we wrote (built from the service's error code), never a
// service's raw body, so it holds nothing secret.
import { NotFound } from '../errors.ts';
import type { Db } from './database.ts';

export const healthStates = ['healthy', 'invalid', 'rate_limited', 'error', 'unknown'] as const;
export type Health = (typeof healthStates)[number];

export interface HealthUpdate {
  health: Health;
  latencyMs?: number;
  error?: string;
  at?: Date;
  /** When the periodic check should look again. */
  nextAt?: Date;
}

const MAX_ERROR_CHARS = 1000;

/** Records a check's outcome; `invalid` also sets the credential's status, `healthy` sets it valid. */
export async function recordHealth(db: Db, ownerId: string, id: string, update: HealthUpdate): Promise<void> {
  const at = update.at ?? new Date();
  const r = await db
    .updateTable('credentials')
    .set({
      health: update.health,
      health_checked_at: at,
      health_latency_ms: update.latencyMs ?? null,
      health_error: update.health === 'healthy' ? null : (update.error ?? null)?.slice(0, MAX_ERROR_CHARS) ?? null,
      ...(update.nextAt ? { health_next_at: update.nextAt } : {}),
      ...(update.health === 'invalid' ? { status: 'invalid' } : update.health === 'healthy' ? { status: 'valid' } : {}),
    })
    .where('owner_id', '=', ownerId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new NotFound('credential');
}

/** After a successful call: a rate-limited credential is healthy again (one conditional update, no row touched otherwise). */
export async function clearRateLimited(db: Db, ownerId: string, id: string, at: Date = new Date()): Promise<void> {
  await db.updateTable('credentials').set({ health: 'healthy', health_error: null, health_checked_at: at }).where('owner_id', '=', ownerId).where('id', '=', id).where('health', '=', 'rate_limited').execute();
}

export interface HealthRow {
  id: string;
  provider: string;
  label: string;
  authKind: string;
  status: string;
  health: Health;
  checkedAt: Date | null;
  latencyMs: number | null;
  error: string | null;
}

const asHealth = (h: string): Health => ((healthStates as readonly string[]).includes(h) ? (h as Health) : 'unknown');

export async function listHealth(db: Db, ownerId: string): Promise<HealthRow[]> {
  const rows = await db
    .selectFrom('credentials')
    .select(['id', 'provider', 'label', 'auth_kind', 'status', 'health', 'health_checked_at', 'health_latency_ms', 'health_error'])
    .where('owner_id', '=', ownerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, provider: r.provider, label: r.label, authKind: r.auth_kind, status: r.status, health: asHealth(r.health), checkedAt: r.health_checked_at, latencyMs: r.health_latency_ms, error: r.health_error }));
}

/** Credentials of these providers whose next check is due (or never happened), oldest due first. */
export async function dueForCheck(db: Db, providers: readonly string[], now: Date, limit: number): Promise<{ id: string; ownerId: string; provider: string }[]> {
  if (providers.length === 0) return [];
  const rows = await db
    .selectFrom('credentials')
    .select(['id', 'owner_id', 'provider'])
    .where('provider', 'in', [...providers])
    .where((eb) => eb.or([eb('health_next_at', 'is', null), eb('health_next_at', '<=', now)]))
    .orderBy('health_next_at', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, ownerId: r.owner_id, provider: r.provider }));
}

/**
 * Claims one credential's check: pushes its next check to `until` if it is still due, so two
 * processes never check the same credential at once. True when this caller won.
 */
export async function claimCheck(db: Db, id: string, now: Date, until: Date): Promise<boolean> {
  const r = await db
    .updateTable('credentials')
    .set({ health_next_at: until })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('health_next_at', 'is', null), eb('health_next_at', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
