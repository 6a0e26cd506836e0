// The Drive and Notion polling triggers through the engine against the fakes: activation takes
// the starting cursor from the service (nothing old starts a run), each new file / page starts
// exactly one run, across an engine restart and a burst larger than one poll; a refused
// credential and a 429 write nothing and the next poll catches up; and a worker's interval tick
// starts real runs that hand the item to the next node.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreNodes, integrationNodes } from '@keyflow/nodes';
import { createNodeRegistry } from '@keyflow/nodes/contract';
import { testCredential } from '@keyflow/nodes/integrations/testing';
import { createFakeGoogle, fakeDrive, type FakeDriveFile, type FakeGoogle } from '@keyflow/nodes/testing/fake-google';
import { startFakeNotion, type FakeNotion } from '@keyflow/nodes/testing/fake-notion';
import { Engine } from '../src/engine/engine.ts';
import { InProcessEventBus } from '../src/events/event-bus.ts';
import { InProcessQueue } from '../src/queue/in-process-queue.ts';
import * as workflows from '../src/store/workflows.repo.ts';
import { testNodes } from './support/engine.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from './support/postgres.ts';

const TRIGGERS = ['drive.new_file', 'notion.page_added', 'notion.page_updated'];
const registry = createNodeRegistry([...coreNodes, ...testNodes, ...integrationNodes.filter((n) => TRIGGERS.includes(n.type))]);
const NOTION_SECRET = 'ntn_pollTestSecret0123456789';

let google: FakeGoogle;
let notion: FakeNotion;
let token: string;
let dataSourceId: string;
let databaseId: string;
/** What the lender answers: a test can revoke the secret. */
const secrets = { google: '', notion: NOTION_SECRET };

beforeAll(async () => {
  google = await createFakeGoogle();
  token = google.issueToken({ scopes: ['https://www.googleapis.com/auth/drive.readonly'] });
  secrets.google = token;
  notion = await startFakeNotion();
  notion.addToken(NOTION_SECRET);
  const made = notion.addDatabase('Docs', [{ name: 'Name', type: 'title' }]);
  databaseId = made.databaseId;
  dataSourceId = made.dataSourceIds[0]!;
});
afterAll(async () => {
  await google.close();
  await notion.close();
});

function makeEngine(db: TestDatabase): Engine {
  return new Engine({
    db: db.db, queue: new InProcessQueue(), bus: new InProcessEventBus(), log: pino({ level: 'silent' }), registry,
    fetch: async () => { throw new Error('no fetch'); },
    credentials: async (_owner, provider) => (provider === 'google' || provider === 'notion' ? testCredential({ provider, secret: secrets[provider] }) : undefined),
    services: { baseUrl: (s) => (s === 'google' ? google.url : s === 'notion' ? notion.url : undefined) },
  });
}

const graphOf = (type: string, config: Record<string, unknown>) => ({
  nodes: [
    { id: 'watch', type, version: 1, config: { intervalMinutes: 1, ...config }, position: { x: 0, y: 0 } },
    { id: 'count', type: 'test.count', version: 1, config: {}, position: { x: 0, y: 0 } },
  ],
  edges: [{ id: 'e', source: 'watch', target: 'count' }],
});

async function activate(db: TestDatabase, engine: Engine, graph: ReturnType<typeof graphOf>) {
  const ownerId = randomUUID();
  await db.db.insertInto('users').values({ id: ownerId, email: `${ownerId}@t.local`, password_hash: 'x' }).execute();
  const wf = await workflows.createWorkflow(db.db, ownerId, { name: 'watch', graph });
  await workflows.setActive(db.db, ownerId, wf.id, true);
  await engine.syncSchedules(ownerId, wf.id);
  return { ownerId, workflowId: wf.id };
}

const startedIds = async (db: TestDatabase, workflowId: string) =>
  (await db.db.selectFrom('runs').select(['trigger_payload']).where('workflow_id', '=', workflowId).where('trigger', '=', 'poll').orderBy('created_at').execute())
    .map((r) => (r.trigger_payload as { id: string }).id);

describe.each(databaseKinds)('Drive and Notion polling triggers (%s)', (_kind, createDatabase) => {
  it('drive.new_file: one run per new file, across a restart and a burst; failures write nothing', async () => {
    const db = await createDatabase();
    const drive = fakeDrive(google);
    const folder = drive.addFile({ name: 'Inbox', mimeType: 'application/vnd.google-apps.folder' });
    const add = (name: string) => drive.addFile({ name, mimeType: 'application/pdf', parents: [folder.id] });
    try {
      add('already there.pdf');
      let engine = makeEngine(db);
      await engine.init();
      const { ownerId, workflowId } = await activate(db, engine, graphOf('drive.new_file', { folderId: folder.id, fileType: 'pdf' }));
      const poll = () => engine.pollNow(ownerId, workflowId, 'watch');
      expect((await poll()).runIds).toEqual([]);

      const first = [add('a.pdf'), add('b.pdf')];
      expect((await poll()).runIds).toHaveLength(2);
      expect((await poll()).runIds).toHaveLength(0);

      // A refused token: nothing written, the error kept on the trigger; then a 429.
      secrets.google = 'ya29.revoked';
      const late = add('while refused.pdf');
      expect(await poll()).toEqual({ runIds: [], skipped: 'failed' });
      const row = await db.db.selectFrom('poll_triggers').select(['last_error', 'seq']).where('workflow_id', '=', workflowId).executeTakeFirstOrThrow();
      expect(row.last_error).toMatch(/Google/);
      secrets.google = token;
      google.rateLimitNext(1, 30);
      expect(await poll()).toEqual({ runIds: [], skipped: 'failed' });
      expect((await db.db.selectFrom('poll_triggers').select(['seq']).where('workflow_id', '=', workflowId).executeTakeFirstOrThrow()).seq).toBe(row.seq);

      // Stopped; a burst of 120 files arrives (more than one poll takes); a new engine picks up.
      await engine.close({ graceMs: 200 });
      const burst: FakeDriveFile[] = Array.from({ length: 120 }, (_, i) => add(`burst ${i}.pdf`));
      engine = makeEngine(db);
      await engine.init();
      await engine.restoreSchedules();
      const sizes: number[] = [];
      for (let i = 0; i < 4; i++) sizes.push((await poll()).runIds.length);
      expect(sizes).toEqual([50, 50, 21, 0]);
      const started = await startedIds(db, workflowId);
      expect(new Set(started).size).toBe(started.length);
      expect([...started].sort()).toEqual([...first, late, ...burst].map((f) => f.id).sort());
      await engine.close({ graceMs: 200 });
    } finally {
      secrets.google = token;
      await db.drop();
    }
  });

  it('notion.page_added and notion.page_updated: pages after activation once, edits once per edit time', async () => {
    const db = await createDatabase();
    try {
      notion.addPage(dataSourceId, { Name: [{ text: { content: 'old' } }] });
      const engine = makeEngine(db);
      await engine.init();
      const added = await activate(db, engine, graphOf('notion.page_added', { databaseId }));
      const updated = await activate(db, engine, graphOf('notion.page_updated', { databaseId }));
      const p = notion.addPage(dataSourceId, { Name: [{ text: { content: 'new' } }] });
      expect((await engine.pollNow(added.ownerId, added.workflowId, 'watch')).runIds).toHaveLength(1);
      expect((await engine.pollNow(added.ownerId, added.workflowId, 'watch')).runIds).toHaveLength(0);
      expect(await startedIds(db, added.workflowId)).toEqual([p]);
      // The new page counts as an update too; an edit two minutes later is another.
      expect((await engine.pollNow(updated.ownerId, updated.workflowId, 'watch')).runIds).toHaveLength(1);
      notion.advanceClock(120_000);
      notion.touchPage(p);
      expect((await engine.pollNow(updated.ownerId, updated.workflowId, 'watch')).runIds).toHaveLength(1);
      expect((await engine.pollNow(updated.ownerId, updated.workflowId, 'watch')).runIds).toHaveLength(0);
      expect((await engine.pollNow(added.ownerId, added.workflowId, 'watch')).runIds).toHaveLength(0);
      await engine.close({ graceMs: 200 });
    } finally {
      await db.drop();
    }
  });
});

describe('interval ticks', () => {
  it('a worker’s tick polls Drive and the started run hands the file to the next node', async () => {
    const db = await createPostgresDatabase();
    const engine = makeEngine(db);
    const drive = fakeDrive(google);
    const folder = drive.addFile({ name: 'Ticked', mimeType: 'application/vnd.google-apps.folder' });
    try {
      await engine.init();
      engine.startWorker(2);
      const { ownerId, workflowId } = await activate(db, engine, graphOf('drive.new_file', { folderId: folder.id }));
      await engine.queue.upsertSchedule({ workflowId, nodeId: 'watch', ownerId, cron: '', timezone: 'UTC', everyMs: 100, poll: true });
      const f = drive.addFile({ name: 'ticked.pdf', mimeType: 'application/pdf', parents: [folder.id] });
      let run: { id: string; status: string } | undefined;
      for (let i = 0; i < 100 && run?.status !== 'succeeded'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        run = await db.db.selectFrom('runs').select(['id', 'status']).where('workflow_id', '=', workflowId).executeTakeFirst();
      }
      expect(run?.status).toBe('succeeded');
      const step = await db.db.selectFrom('run_steps').select(['output']).where('run_id', '=', run!.id).where('node_id', '=', 'count').executeTakeFirstOrThrow();
      expect(step.output).toMatchObject({ input: { id: f.id, name: 'ticked.pdf', mimeType: 'application/pdf', parents: [folder.id] } });
      await new Promise((r) => setTimeout(r, 400));
      expect(await startedIds(db, workflowId)).toEqual([f.id]);
    } finally {
      await engine.close({ graceMs: 200 });
      await db.drop();
    }
  });
});
