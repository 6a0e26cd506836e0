// Stored credentials (bring-your-own keys). The secret is sealed with the owner's derived key
// before it reaches a query and is only ever handed back wrapped in a Secret; every other read
// returns the mask. Every function filters by owner: another owner's row is a NotFound.
import { randomUUID } from 'node:crypto';
import { NotFound } from '../errors.ts';
import type { Keyring } from '../vault/keyring.ts';
import { Secret } from '../vault/secret.ts';
import type { Db } from './database.ts';

export type CredentialStatus = 'unknown' | 'valid' | 'invalid';

/** The non-secret facts kept beside a credential. Nothing else from the jsonb is ever returned. */
export interface CredentialMeta {
  endpoint?: string;
  apiVersion?: string;
  lastCheckedAt?: string;
  lastCheckStatus?: string;
  /** Azure: deployment name → the model it serves (not secret; validated by the API on save). */
  deployments?: Record<string, string>;
}

export interface CredentialSummary {
  id: string;
  provider: string;
  label: string;
  /** The mask, e.g. `sk-…abcd`. */
  hint: string;
  status: CredentialStatus;
  meta: CredentialMeta;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

const columns = ['id', 'provider', 'label', 'hint', 'status', 'meta', 'created_at', 'updated_at', 'last_used_at'] as const;
type Row = { id: string; provider: string; label: string; hint: string; status: string; meta: Record<string, unknown>; created_at: Date; updated_at: Date; last_used_at: Date | null };

const metaKeys = ['endpoint', 'apiVersion', 'lastCheckedAt', 'lastCheckStatus'] as const;

/** Allow-lists the stored jsonb, so a field written by mistake can never reach a response. */
function pickMeta(raw: unknown): CredentialMeta {
  const meta: CredentialMeta = {};
  if (raw === null || typeof raw !== 'object') return meta;
  const source = raw as Record<string, unknown>;
  for (const key of metaKeys) {
    const value = source[key];
    if (typeof value === 'string') meta[key] = value;
  }
  const deployments = source.deployments;
  if (deployments !== null && typeof deployments === 'object' && !Array.isArray(deployments)) {
    const map = Object.fromEntries(Object.entries(deployments as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    if (Object.keys(map).length > 0) meta.deployments = map;
  }
  return meta;
}

function statusOf(value: string): CredentialStatus {
  return value === 'valid' || value === 'invalid' ? value : 'unknown';
}

function summary(r: Row): CredentialSummary {
  return {
    id: r.id,
    provider: r.provider,
    label: r.label,
    hint: r.hint,
    status: statusOf(r.status),
    meta: pickMeta(r.meta),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastUsedAt: r.last_used_at,
  };
}

export async function listCredentials(db: Db, ownerId: string): Promise<CredentialSummary[]> {
  const rows = await db.selectFrom('credentials').select(columns).where('owner_id', '=', ownerId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(summary);
}

export async function getCredential(db: Db, ownerId: string, id: string): Promise<CredentialSummary> {
  const row = await db.selectFrom('credentials').select(columns).where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('credential');
  return summary(row);
}

/** Seals `secret` under the owner's key and stores it with its mask as the hint. */
export async function createCredential(
  db: Db,
  ownerId: string,
  input: { provider: string; label: string; secret: Secret; meta?: Pick<CredentialMeta, 'endpoint' | 'apiVersion' | 'deployments'> },
  keyring: Keyring,
): Promise<CredentialSummary> {
  const sealed = keyring.encrypt(ownerId, input.secret.reveal());
  const row = await db
    .insertInto('credentials')
    .values({
      id: randomUUID(),
      owner_id: ownerId,
      provider: input.provider,
      label: input.label,
      ciphertext: sealed.ciphertext,
      key_id: sealed.keyId,
      hint: input.secret.masked,
      meta: JSON.stringify(pickMeta(input.meta ?? {})),
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
  return summary(row);
}

/**
 * Changes label, connection details and/or the secret. A new secret is re-sealed, and resets the
 * status and last check, which were about the old key.
 */
export async function updateCredential(
  db: Db,
  ownerId: string,
  id: string,
  patch: { label?: string | undefined; secret?: Secret | undefined; endpoint?: string | undefined; apiVersion?: string | undefined; deployments?: Record<string, string> | null | undefined },
  keyring: Keyring,
): Promise<CredentialSummary> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('credentials').select(['meta']).where('owner_id', '=', ownerId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFound('credential');
    const meta = pickMeta(current.meta);
    if (patch.endpoint !== undefined) meta.endpoint = patch.endpoint;
    if (patch.apiVersion !== undefined) meta.apiVersion = patch.apiVersion;
    if (patch.deployments === null) delete meta.deployments;
    else if (patch.deployments !== undefined) meta.deployments = patch.deployments;
    const sealed = patch.secret ? keyring.encrypt(ownerId, patch.secret.reveal()) : undefined;
    if (sealed) {
      delete meta.lastCheckedAt;
      delete meta.lastCheckStatus;
    }
    const row = await trx
      .updateTable('credentials')
      .set({
        updated_at: new Date(),
        meta: JSON.stringify(meta),
        ...(patch.label !== undefined ? { label: patch.label } : {}),
        ...(sealed && patch.secret ? { ciphertext: sealed.ciphertext, key_id: sealed.keyId, hint: patch.secret.masked, status: 'unknown' } : {}),
      })
      .where('owner_id', '=', ownerId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    return summary(row);
  });
}

export async function deleteCredential(db: Db, ownerId: string, id: string): Promise<void> {
  const r = await db.deleteFrom('credentials').where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  if (Number(r.numDeletedRows) !== 1) throw new NotFound('credential');
}

/**
 * The credential with its decrypted secret, for the duration of one call. Throws NotFound, or the
 * vault's generic InvalidToken when the ciphertext does not open for this owner.
 */
export async function openCredential(db: Db, ownerId: string, id: string, keyring: Keyring): Promise<CredentialSummary & { secret: Secret }> {
  const row = await db.selectFrom('credentials').select([...columns, 'ciphertext']).where('owner_id', '=', ownerId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound('credential');
  return { ...summary(row), secret: new Secret(keyring.decrypt(ownerId, row.ciphertext)) };
}

/** Records a live check: its outcome and time in meta; `status` only when the check was conclusive. */
export async function recordCheck(db: Db, ownerId: string, id: string, check: { outcome: string; status?: CredentialStatus | undefined; at?: Date }): Promise<CredentialSummary> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('credentials').select(['meta']).where('owner_id', '=', ownerId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw new NotFound('credential');
    const meta: CredentialMeta = { ...pickMeta(current.meta), lastCheckedAt: (check.at ?? new Date()).toISOString(), lastCheckStatus: check.outcome };
    const row = await trx
      .updateTable('credentials')
      .set({ meta: JSON.stringify(meta), ...(check.status ? { status: check.status } : {}) })
      .where('owner_id', '=', ownerId)
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    return summary(row);
  });
}

/** Touches last_used_at when the engine lends the credential to a call. */
export async function markUsed(db: Db, ownerId: string, id: string, at: Date = new Date()): Promise<void> {
  await db.updateTable('credentials').set({ last_used_at: at }).where('owner_id', '=', ownerId).where('id', '=', id).execute();
}
