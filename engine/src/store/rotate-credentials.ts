// Re-seals stored secrets under the keyring's primary key, after a new key was put first in
// KEYFLOW_ENCRYPTION_KEYS. Runs beside a live server: every row is written with a conditional
// UPDATE (same id AND same old ciphertext), so a secret changed mid-rotation is never
// overwritten with stale ciphertext; it is left for the next pass. Killing it at any point
// loses nothing and a re-run picks up what is left, skipping rows already on the primary key.
import { sql } from 'kysely';
import type { Keyring } from '../vault/keyring.ts';
import type { Db } from './database.ts';

export type RotationTable = 'credentials' | 'webhooks' | 'alert_settings';

export interface RotationCounts {
  /** Re-sealed under the primary key by this pass. */
  rotated: number;
  /** Already on the primary key. */
  skipped: number;
  /** Changed by someone else between read and write: left as they are for the next pass. */
  changed: number;
  /** Rows whose secret no key of the keyring opens (ids in `failures`). */
  failed: number;
}

export interface RotationProgress extends RotationCounts {
  table: RotationTable;
  batches: number;
}

export interface RotationFailure {
  table: RotationTable;
  id: string;
}

export interface RotationSummary extends RotationCounts {
  failures: RotationFailure[];
  /** Credentials rows still not on the primary key when the pass ended (0 = done). */
  remaining: number;
  /** False when webhook signing secrets were not looked at (no `primaryOnly` keyring given). */
  webhooksChecked: boolean;
}

export interface RotateOptions {
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
  /** Pause between batches, to go easy on a busy database. */
  pauseMs?: number;
  /**
   * A keyring holding only the primary key. Webhook signing secrets have no key id column, so
   * this is how a secret already on the primary key is recognised; without it they are left alone.
   */
  primaryOnly?: Keyring;
}

type Pending = { id: string; oldCiphertext: string; newCiphertext: string };

const DEFAULT_BATCH = 100;

function opensWith(keyring: Keyring, ownerId: string, ciphertext: string): boolean {
  try {
    keyring.decrypt(ownerId, ciphertext);
    return true;
  } catch {
    return false;
  }
}

function reseal(keyring: Keyring, ownerId: string, ciphertext: string): string | undefined {
  try {
    return keyring.rotate(ownerId, ciphertext).ciphertext;
  } catch {
    // InvalidToken, or a malformed owner id: either way this row cannot be rotated. Only the
    // row id is reported; the error could not hold the secret, but nothing else is needed.
    return undefined;
  }
}

// One statement per batch, one conditional write per row inside it: a row whose ciphertext
// moved on since it was read simply does not match, and RETURNING says which rows did.
async function writeCredentials(db: Db, rows: Pending[], keyId: string): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.oldCiphertext}, ${r.newCiphertext})`));
  const result = await sql<{ id: string }>`
    update credentials as c set ciphertext = v.new_ct, key_id = ${keyId}
    from (values ${values}) as v(id, old_ct, new_ct)
    where c.id = v.id and c.ciphertext = v.old_ct
    returning c.id`.execute(db);
  return new Set(result.rows.map((r) => r.id));
}

async function writeWebhooks(db: Db, rows: Pending[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.oldCiphertext}, ${r.newCiphertext})`));
  const result = await sql<{ id: string }>`
    update webhooks as w set signing_ciphertext = v.new_ct
    from (values ${values}) as v(id, old_ct, new_ct)
    where w.id = v.id and w.signing_ciphertext = v.old_ct
    returning w.id`.execute(db);
  return new Set(result.rows.map((r) => r.id));
}

/** Alert webhook secrets: one per owner (the row's id is the owner's). */
async function writeAlertSecrets(db: Db, rows: Pending[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const values = sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.oldCiphertext}, ${r.newCiphertext})`));
  const result = await sql<{ id: string }>`
    update alert_settings as a set webhook_secret_ciphertext = v.new_ct
    from (values ${values}) as v(id, old_ct, new_ct)
    where a.owner_id = v.id and a.webhook_secret_ciphertext = v.old_ct
    returning a.owner_id as id`.execute(db);
  return new Set(result.rows.map((r) => r.id));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Sealed = { id: string; ownerId: string; ciphertext: string };

interface Pass {
  table: RotationTable;
  /** Up to `limit` candidate rows with id > `after`, in id order. */
  fetch(after: string | undefined, limit: number): Promise<Sealed[]>;
  /** For tables without a key id column: is this row already on the primary key? */
  isCurrent?(row: Sealed): boolean;
  write(rows: Pending[]): Promise<Set<string>>;
}

async function runPass(pass: Pass, keyring: Keyring, progress: RotationProgress, failures: RotationFailure[], opts: RotateOptions, batchSize: number): Promise<void> {
  // Keyset pagination by id: rows that fail stay off the primary key and must not be met again.
  let after: string | undefined;
  while (true) {
    const rows = await pass.fetch(after, batchSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id;
    const pending: Pending[] = [];
    for (const r of rows) {
      if (pass.isCurrent?.(r)) {
        progress.skipped++;
        continue;
      }
      const next = reseal(keyring, r.ownerId, r.ciphertext);
      if (next === undefined) {
        progress.failed++;
        failures.push({ table: pass.table, id: r.id });
      } else pending.push({ id: r.id, oldCiphertext: r.ciphertext, newCiphertext: next });
    }
    const written = await pass.write(pending);
    progress.rotated += written.size;
    progress.changed += pending.length - written.size;
    progress.batches++;
    opts.onProgress?.({ ...progress });
    if (opts.pauseMs) await pause(opts.pauseMs);
  }
}

const countWhereKey = async (db: Db, op: '=' | '<>', keyId: string): Promise<number> =>
  Number((await db.selectFrom('credentials').select((eb) => eb.fn.countAll<number>().as('n')).where('key_id', op, keyId).executeTakeFirstOrThrow()).n);

/**
 * Re-encrypts every credential (and webhook signing and alert webhook secret) not sealed under the primary key.
 * @example await rotateCredentials(db, Keyring.fromEnv(process.env.KEYFLOW_ENCRYPTION_KEYS), { batchSize: 200 })
 */
export async function rotateCredentials(db: Db, keyring: Keyring, opts: RotateOptions = {}): Promise<RotationSummary> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const primary = keyring.primaryKeyId;
  const failures: RotationFailure[] = [];

  const cred: RotationProgress = { table: 'credentials', rotated: 0, skipped: await countWhereKey(db, '=', primary), changed: 0, failed: 0, batches: 0 };
  await runPass(
    {
      table: 'credentials',
      async fetch(after, limit) {
        let q = db.selectFrom('credentials').select(['id', 'owner_id', 'ciphertext']).where('key_id', '<>', primary).orderBy('id').limit(limit);
        if (after !== undefined) q = q.where('id', '>', after);
        return (await q.execute()).map((r) => ({ id: r.id, ownerId: r.owner_id, ciphertext: r.ciphertext }));
      },
      write: (rows) => writeCredentials(db, rows, primary),
    },
    keyring,
    cred,
    failures,
    opts,
    batchSize,
  );

  const hook: RotationProgress = { table: 'webhooks', rotated: 0, skipped: 0, changed: 0, failed: 0, batches: 0 };
  const alert: RotationProgress = { table: 'alert_settings', rotated: 0, skipped: 0, changed: 0, failed: 0, batches: 0 };
  const primaryOnly = opts.primaryOnly;
  if (primaryOnly) {
    await runPass(
      {
        table: 'webhooks',
        async fetch(after, limit) {
          let q = db.selectFrom('webhooks').select(['id', 'owner_id', 'signing_ciphertext']).where('signing_ciphertext', 'is not', null).orderBy('id').limit(limit);
          if (after !== undefined) q = q.where('id', '>', after);
          return (await q.execute()).map((r) => ({ id: r.id, ownerId: r.owner_id, ciphertext: r.signing_ciphertext ?? '' }));
        },
        isCurrent: (r) => opensWith(primaryOnly, r.ownerId, r.ciphertext),
        write: (rows) => writeWebhooks(db, rows),
      },
      keyring,
      hook,
      failures,
      opts,
      batchSize,
    );
    await runPass(
      {
        table: 'alert_settings',
        async fetch(after, limit) {
          let q = db.selectFrom('alert_settings').select(['owner_id', 'webhook_secret_ciphertext']).where('webhook_secret_ciphertext', 'is not', null).orderBy('owner_id').limit(limit);
          if (after !== undefined) q = q.where('owner_id', '>', after);
          return (await q.execute()).map((r) => ({ id: r.owner_id, ownerId: r.owner_id, ciphertext: r.webhook_secret_ciphertext ?? '' }));
        },
        isCurrent: (r) => opensWith(primaryOnly, r.ownerId, r.ciphertext),
        write: (rows) => writeAlertSecrets(db, rows),
      },
      keyring,
      alert,
      failures,
      opts,
      batchSize,
    );
  }

  const sum = (k: keyof RotationCounts) => cred[k] + hook[k] + alert[k];
  return {
    rotated: sum('rotated'),
    skipped: sum('skipped'),
    changed: sum('changed'),
    failed: sum('failed'),
    failures,
    remaining: await countWhereKey(db, '<>', primary),
    webhooksChecked: primaryOnly !== undefined,
  };
}
