import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../test/support/postgres.ts';
import { fernetTimestamp } from '../vault/fernet.ts';
import { Keyring } from '../vault/keyring.ts';
import { Secret } from '../vault/secret.ts';
import { updateCredential } from './credentials.repo.ts';
import type { Db } from './database.ts';
import { rotateCredentials } from './rotate-credentials.ts';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const SEALED_AT = Date.UTC(2021, 0, 2, 3, 4, 5);
// Before the rotation the server ran on the old key alone; its clock is pinned so kept timestamps show.
const before = new Keyring([oldKey], { now: () => SEALED_AT });
const after = new Keyring([newKey, oldKey]);
const newOnly = new Keyring([newKey]);

let t: TestDatabase;
beforeAll(async () => {
  t = await createPostgresDatabase();
});
afterAll(async () => {
  await t?.drop();
});

async function owner(db: Db): Promise<string> {
  const id = randomUUID();
  await db.insertInto('users').values({ id, email: `${id}@rotate.test`, password_hash: 'x' }).execute();
  return id;
}

async function addCredential(db: Db, ownerId: string, secret: string, ring: Keyring): Promise<string> {
  const id = randomUUID();
  const sealed = ring.encrypt(ownerId, secret);
  await db.insertInto('credentials').values({ id, owner_id: ownerId, provider: 'openai', label: secret.slice(-6), ciphertext: sealed.ciphertext, key_id: sealed.keyId, hint: 'sk-…' }).execute();
  return id;
}

async function row(db: Db, id: string) {
  return db.selectFrom('credentials').select(['owner_id', 'ciphertext', 'key_id', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
}

async function clearCredentials(db: Db): Promise<void> {
  await db.deleteFrom('credentials').execute();
}

describe('rotateCredentials', () => {
  it('re-seals old-key rows under the primary key, keeps their timestamps, and leaves current rows alone', async () => {
    await clearCredentials(t.db);
    const a = await owner(t.db);
    const b = await owner(t.db);
    const olds = await Promise.all([...Array(7).keys()].map((i) => addCredential(t.db, i % 2 ? a : b, `sk-old-secret-${i}`, before)));
    const current = await addCredential(t.db, a, 'sk-already-current', after);
    const currentBefore = await row(t.db, current);
    const oldBefore = await Promise.all(olds.map((id) => row(t.db, id)));

    const progress: number[] = [];
    const summary = await rotateCredentials(t.db, after, { batchSize: 3, onProgress: (p) => progress.push(p.rotated) });

    expect(summary).toMatchObject({ rotated: 7, skipped: 1, changed: 0, failed: 0, failures: [], remaining: 0 });
    expect(progress).toEqual([3, 6, 7]);
    for (const [i, id] of olds.entries()) {
      const r = await row(t.db, id);
      expect(r.key_id).toBe(newOnly.primaryKeyId);
      expect(newOnly.decrypt(r.owner_id, r.ciphertext)).toBe(`sk-old-secret-${i}`);
      expect(fernetTimestamp(r.ciphertext)).toBe(SEALED_AT / 1000);
      // Rotation is not a user edit.
      expect(r.updated_at).toEqual(oldBefore[i]?.updated_at);
    }
    expect(await row(t.db, current)).toEqual(currentBefore);
  });

  it('is idempotent: a second pass rotates nothing and changes nothing', async () => {
    await clearCredentials(t.db);
    const a = await owner(t.db);
    const ids = await Promise.all([1, 2, 3].map((i) => addCredential(t.db, a, `sk-idem-${i}`, before)));
    await rotateCredentials(t.db, after);
    const once = await Promise.all(ids.map((id) => row(t.db, id)));
    const summary = await rotateCredentials(t.db, after);
    expect(summary).toMatchObject({ rotated: 0, skipped: 3, failed: 0, remaining: 0 });
    expect(await Promise.all(ids.map((id) => row(t.db, id)))).toEqual(once);
  });

  it('reports a row no key opens by id only, and rotates the others', async () => {
    await clearCredentials(t.db);
    const a = await owner(t.db);
    const b = await owner(t.db);
    const good = await addCredential(t.db, a, 'sk-good-one', before);
    const lost = await addCredential(t.db, a, 'sk-sealed-under-a-lost-key', new Keyring([randomBytes(32)]));
    // A ciphertext moved to another owner's row does not open either.
    const moved = await addCredential(t.db, b, 'sk-moved-secret', before);
    await t.db.updateTable('credentials').set({ ciphertext: before.encrypt(a, 'sk-moved-secret').ciphertext }).where('id', '=', moved).execute();
    const good2 = await addCredential(t.db, b, 'sk-good-two', before);

    const summary = await rotateCredentials(t.db, after, { batchSize: 1 });

    expect(summary.rotated).toBe(2);
    expect(summary.failed).toBe(2);
    expect(summary.remaining).toBe(2);
    expect(summary.failures).toEqual(expect.arrayContaining([{ table: 'credentials', id: lost }, { table: 'credentials', id: moved }]));
    expect(JSON.stringify(summary)).not.toMatch(/sk-/);
    expect(newOnly.decrypt(a, (await row(t.db, good)).ciphertext)).toBe('sk-good-one');
    expect(newOnly.decrypt(b, (await row(t.db, good2)).ciphertext)).toBe('sk-good-two');
  });

  it('re-seals webhook signing secrets when given the primary-only keyring, skipping current ones', async () => {
    await clearCredentials(t.db);
    const a = await owner(t.db);
    const workflowId = randomUUID();
    await t.db.insertInto('workflows').values({ id: workflowId, owner_id: a, name: 'w', current_version: 1 }).execute();
    const hook = async (nodeId: string, ring: Keyring) => {
      const id = randomUUID();
      const sealed = ring.encrypt(a, `whsec-${nodeId}`).ciphertext;
      await t.db.insertInto('webhooks').values({ id, owner_id: a, workflow_id: workflowId, node_id: nodeId, path: randomUUID(), test_path: randomUUID(), signing_ciphertext: sealed }).execute();
      return { id, sealed };
    };
    const stale = await hook('old', before);
    const fresh = await hook('new', after);
    const signing = async (id: string) => (await t.db.selectFrom('webhooks').select('signing_ciphertext').where('id', '=', id).executeTakeFirstOrThrow()).signing_ciphertext ?? '';

    const unchecked = await rotateCredentials(t.db, after);
    expect(unchecked.webhooksChecked).toBe(false);
    expect(await signing(stale.id)).toBe(stale.sealed);

    // The owner's alert webhook secret (alert_settings) is re-sealed in the same pass.
    await t.db.insertInto('alert_settings').values({ owner_id: a, config: '{}', webhook_secret_ciphertext: before.encrypt(a, 'alert-secret-old').ciphertext }).execute();
    const summary = await rotateCredentials(t.db, after, { primaryOnly: newOnly });
    expect(summary).toMatchObject({ rotated: 2, skipped: 1, failed: 0, webhooksChecked: true });
    expect(newOnly.decrypt(a, await signing(stale.id))).toBe('whsec-old');
    expect(await signing(fresh.id)).toBe(fresh.sealed);
    const alertSecret = (await t.db.selectFrom('alert_settings').select('webhook_secret_ciphertext').where('owner_id', '=', a).executeTakeFirstOrThrow()).webhook_secret_ciphertext!;
    expect(newOnly.decrypt(a, alertSecret)).toBe('alert-secret-old');
  });

  it('never overwrites a secret that changed between read and write; the next pass rotates it', async () => {
    await clearCredentials(t.db);
    const a = await owner(t.db);
    const ids = await Promise.all([1, 2, 3, 4].map((i) => addCredential(t.db, a, `sk-race-${i}`, before)));
    const target = ids[2] ?? '';
    // A server still on the old key holds the row while it writes a new secret.
    const trx = await t.db.startTransaction().execute();
    await trx.updateTable('credentials').set({ ciphertext: before.encrypt(a, 'sk-race-updated').ciphertext }).where('id', '=', target).execute();

    const rotation = rotateCredentials(t.db, after);
    await waitForLockWait(t.db);
    await trx.commit().execute();
    const summary = await rotation;

    expect(summary).toMatchObject({ rotated: 3, changed: 1, remaining: 1 });
    const raced = await row(t.db, target);
    expect(raced.key_id).toBe(before.primaryKeyId);
    expect(after.decrypt(a, raced.ciphertext)).toBe('sk-race-updated');

    const next = await rotateCredentials(t.db, after);
    expect(next).toMatchObject({ rotated: 1, remaining: 0 });
    expect(newOnly.decrypt(a, (await row(t.db, target)).ciphertext)).toBe('sk-race-updated');
  });

  it('loses no update under load: concurrent secret changes during rotation all survive', async () => {
    await clearCredentials(t.db);
    const a = await owner(t.db);
    const ids = await Promise.all([...Array(200).keys()].map((i) => addCredential(t.db, a, `sk-load-${i}-v0`, before)));
    const latest = new Map(ids.map((id, i) => [id, `sk-load-${i}-v0`]));
    let stop = false;
    const WRITERS = 8;
    // Writers as a not-yet-restarted server (old key) and a restarted one (new key) would do. Each
    // owns its own rows, so "latest" is well defined without reading commit order.
    const writer = async (w: number) => {
      for (let n = 1; !stop; n++) {
        const i = w + WRITERS * (n % (ids.length / WRITERS));
        const id = ids[i] ?? '';
        const value = `sk-load-${i}-w${w}n${n}`;
        await updateCredential(t.db, a, id, { secret: new Secret(value) }, w % 2 ? before : after);
        latest.set(id, value);
      }
    };
    const writers = [...Array(WRITERS).keys()].map(writer);
    const first = await rotateCredentials(t.db, after, { batchSize: 50 });
    stop = true;
    await Promise.all(writers);
    const second = await rotateCredentials(t.db, after, { batchSize: 50 });

    expect(first.failed + second.failed).toBe(0);
    expect(second.remaining).toBe(0);
    const rows = await t.db.selectFrom('credentials').select(['id', 'ciphertext', 'key_id']).where('owner_id', '=', a).execute();
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) {
      expect(r.key_id).toBe(after.primaryKeyId);
      expect(newOnly.decrypt(a, r.ciphertext)).toBe(latest.get(r.id));
    }
  });
});

/** Resolves once some statement is waiting on a row lock (the rotation's UPDATE behind the open transaction). */
async function waitForLockWait(db: Db): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(db);
    if ((r.rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the rotation never waited on the locked row');
}
