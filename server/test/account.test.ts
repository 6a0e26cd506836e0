// Account deletion and export (issue 14 item 6): everything of the owner goes in one
// transaction and nothing of anyone else; the export holds the owner's data only, credentials
// masked. A table with an owner column that the deletion does not name fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account } from '@keyflow/engine';
import { countsFor, ownerTables, seedOwner, type SeededOwner } from './owner-data.ts';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let alice: SeededOwner;
let bob: SeededOwner;

beforeAll(async () => {
  t = await createTestApp('postgres');
  alice = await seedOwner(t, await t.signup(), 'alice');
  bob = await seedOwner(t, await t.signup(), 'bob');
}, 60_000);
afterAll(() => t?.close());

describe('account export', () => {
  it("holds the owner's workflows, runs and usage, credentials masked, and nothing of another owner", async () => {
    const res = await t.request('GET', '/api/account/export', { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="keyflow-export-/);
    const text = await res.text();
    const data = JSON.parse(text) as account.AccountExport;
    expect(data.user.id).toBe(alice.id);
    expect(data.workflows.map((w) => w.name).sort()).toEqual(['alice hook', 'alice nightly', 'alice workflow']);
    const main = data.workflows.find((w) => w.id === alice.workflowId) as { versions: unknown[] };
    expect(main.versions).toHaveLength(2);
    expect(data.runs.map((r) => r.id)).toEqual([alice.runId]);
    expect((data.runs[0] as { steps: unknown[] }).steps.length).toBeGreaterThan(0);
    expect(data.usage).toHaveLength(1);
    expect(data.credentials).toEqual([expect.objectContaining({ id: alice.credentialId, label: 'alice key' })]);
    expect(data.credentials[0]!.hint).not.toContain(alice.secret.slice(8, -4));
    // Nothing of Bob's and no secret of anyone's, anywhere in the file.
    for (const foreign of [bob.id, bob.workflowId, bob.runId, bob.credentialId, 'bob workflow']) expect(text).not.toContain(foreign);
    expect(text).not.toContain(alice.secret);
    expect(text).not.toContain('ciphertext');
    expect(text).not.toContain('password');
  });
});

describe('account deletion', () => {
  it('names every table with an owner column (a new table must be added to OWNER_TABLES)', async () => {
    const schema = (await ownerTables(t.db.db)).map((r) => `${r.table}.${r.column}`).sort();
    const listed = account.OWNER_TABLES.map((r) => `${r.table}.${r.column}`).sort();
    expect(listed).toEqual(schema);
  });

  it('refuses a wrong password and deletes nothing', async () => {
    const before = await countsFor(t.db.db, alice.id);
    const res = await t.request('DELETE', '/api/account', { token: alice.token, body: { password: 'not the password' } });
    expect(res.status).toBe(401);
    const missing = await t.request('DELETE', '/api/account', { token: alice.token, body: {} });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(['body', 'password']);
    expect(await countsFor(t.db.db, alice.id)).toEqual(before);
  });

  it("removes every row of the owner in every owner table, and leaves the other owner's untouched", async () => {
    const aliceBefore = await countsFor(t.db.db, alice.id);
    const bobBefore = await countsFor(t.db.db, bob.id);
    // The seed reaches every owner table, so "emptied" below means something for each of them.
    for (const [table, n] of Object.entries(aliceBefore)) expect(n, `no seeded row in ${table}: extend owner-data.ts`).toBeGreaterThan(0);
    const deliveriesBefore = await t.db.db.selectFrom('webhook_deliveries').select('delivery_id').execute();

    const res = await t.request('DELETE', '/api/account', { token: alice.token, body: { password: 'correct horse battery' } });
    expect(res.status).toBe(200);
    const { deleted } = (await res.json()) as { deleted: Record<string, number> };
    expect(deleted.users).toBe(1);
    expect(deleted.webhook_deliveries).toBe(1);

    const aliceAfter = await countsFor(t.db.db, alice.id);
    for (const [table, n] of Object.entries(aliceAfter)) expect(n, `${table} still holds rows of the deleted owner`).toBe(0);
    expect(await countsFor(t.db.db, bob.id)).toEqual(bobBefore);
    const deliveriesAfter = await t.db.db.selectFrom('webhook_deliveries').select('delivery_id').execute();
    expect(deliveriesAfter.map((d) => d.delivery_id)).toEqual(deliveriesBefore.map((d) => d.delivery_id).filter((d) => !d.startsWith('alice')));

    // The token is gone with the account; Bob still works and still decrypts his key.
    expect((await t.request('GET', '/api/auth/me', { token: alice.token })).status).toBe(401);
    expect((await t.request('GET', `/api/workflows/${bob.workflowId}`, { token: bob.token })).status).toBe(200);
    const bobExport = (await (await t.request('GET', '/api/account/export', { token: bob.token })).json()) as account.AccountExport;
    expect(bobExport.runs.map((r) => r.id)).toEqual([bob.runId]);
  });

  it('a queued job of a deleted owner is skipped by the worker', async () => {
    // The job's run row is gone: the worker claims nothing and writes nothing.
    await t.engine.queue.enqueue({ runId: alice.runId, ownerId: alice.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(await t.db.db.selectFrom('runs').select('id').where('id', '=', alice.runId).execute()).toEqual([]);
    expect(await t.db.db.selectFrom('run_steps').select('id').where('owner_id', '=', alice.id).execute()).toEqual([]);
  });
});
