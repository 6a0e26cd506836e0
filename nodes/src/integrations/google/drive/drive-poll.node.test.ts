// drive.new_file and drive.file_updated polling through @googleapis/drive against the fake Drive
// (files.list with time queries and orderBy, as Drive answers them).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, RetryAfterNodeError } from '../../../contract/index.ts';
import { serviceCallFor, type PollTrigger } from '../../framework/index.ts';
import { testCredential } from '../../framework/testing/test-context.ts';
import { findPoll } from '../../registry.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';
import { googleSpec } from '../spec.ts';
import { fakeDrive, type FakeDriveFile, type FakeDriveState } from '../testing/fake-drive.ts';
import { createFakeGoogle, type FakeGoogle } from '../testing/fake-google.ts';
import { allSpecProblems } from '../testing/spec-check.ts';
import { MAX_PER_POLL } from './file-poll.ts';
import { driveFileUpdatedPoll } from './file-updated.trigger.ts';
import { driveNewFilePoll } from './new-file.trigger.ts';

let fake: FakeGoogle;
let drive: FakeDriveState;
let token: string;
let folder: FakeDriveFile;

beforeAll(async () => {
  fake = await createFakeGoogle();
  drive = fakeDrive(fake);
});
afterAll(() => fake.close());
afterEach(() => expect(allSpecProblems(fake.requests)).toEqual([]));
beforeEach(() => {
  fake.requests.length = 0;
  drive.files.clear();
  token = fake.issueToken({ scopes: [GOOGLE_SCOPES.driveReadonly] });
  folder = drive.addFile({ name: 'Invoices', mimeType: 'application/vnd.google-apps.folder' });
});

const call = (secret = token) => serviceCallFor(googleSpec, testCredential({ provider: 'google', secret }), { baseUrl: (s: string) => (s === 'google' ? fake.url : undefined) }, AbortSignal.timeout(10_000));
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const add = (name: string, over: Partial<FakeDriveFile> = {}) => drive.addFile({ name, mimeType: 'application/pdf', parents: [folder.id], content: Buffer.from(name), ...over });

/** Polls like the engine: the cursor and the seen ids carried from one poll to the next. */
async function pollAll(poll: PollTrigger, config: unknown, cursor: string, seen = new Set<string>()) {
  const out = await poll.poll(call(), { config, cursor, seen });
  for (const i of out.items) seen.add(i.id);
  return { ...out, ids: out.items.map((i) => i.id), seen };
}

describe('drive.new_file polling', () => {
  it('reports nothing that existed at activation, then each new file in the folder once, with its metadata', async () => {
    add('old.pdf', { createdTime: ago(10_000) });
    add('older.pdf', { createdTime: ago(3_600_000) });
    const config = { folderId: folder.id };
    const { cursor } = await driveNewFilePoll.start(call(), { config });
    const list = fake.requests.find((r) => r.path === '/drive/v3/files')!;
    expect(list.query.get('orderBy')).toBe('createdTime desc');
    expect(list.query.get('q')).toBe(`'${folder.id}' in parents and trashed = false and mimeType != 'application/vnd.google-apps.folder'`);
    expect((await pollAll(driveNewFilePoll, config, cursor)).ids).toEqual([]);

    const a = add('a.pdf');
    add('elsewhere.pdf', { parents: ['root'] });
    add('binned.pdf', { trashed: true });
    add('Sub', { mimeType: 'application/vnd.google-apps.folder' });
    const first = await pollAll(driveNewFilePoll, config, cursor);
    expect(first.ids).toEqual([a.id]);
    expect(first.items[0]!.payload).toEqual({ id: a.id, name: 'a.pdf', mimeType: 'application/pdf', size: 5, createdTime: a.createdTime, modifiedTime: a.modifiedTime, webViewLink: `https://drive.google.com/file/d/${a.id}/view`, parents: [folder.id] });
    const q = fake.requests.filter((r) => r.path === '/drive/v3/files').at(-1)!;
    expect(q.query.get('q')).toMatch(/ and createdTime >= '\d{4}-\d\d-\d\dT[\d:.]+Z'$/);
    expect(q.query.get('orderBy')).toBe('createdTime');
    expect((await pollAll(driveNewFilePoll, config, first.cursor, first.seen)).ids).toEqual([]);
    // The cursor alone (a lost seen list) does not repeat it either.
    expect((await pollAll(driveNewFilePoll, config, first.cursor)).ids).toEqual([]);
  });

  it('narrows to a kind (images) or an exact MIME type', async () => {
    const { cursor } = await driveNewFilePoll.start(call(), { config: { folderId: folder.id, fileType: 'image' } });
    const png = add('p.png', { mimeType: 'image/png' });
    add('d.pdf');
    expect((await pollAll(driveNewFilePoll, { folderId: folder.id, fileType: 'image' }, cursor)).ids).toEqual([png.id]);
    const csv = add('c.csv', { mimeType: 'text/csv' });
    expect((await pollAll(driveNewFilePoll, { folderId: folder.id, mimeType: 'text/csv' }, cursor)).ids).toEqual([csv.id]);
    expect(() => driveNewFilePoll.intervalMs({ mimeType: 'pdf please' })).toThrow(/mimeType/);
    expect(() => driveNewFilePoll.intervalMs({ fileType: 'spreadsheetz' })).toThrow(/fileType/);
    expect(driveNewFilePoll.intervalMs({ intervalMinutes: 5 })).toBe(300_000);
  });

  it('a burst of files with equal timestamps is split over polls: none lost, none twice', async () => {
    const config = { folderId: folder.id };
    const { cursor: start } = await driveNewFilePoll.start(call(), { config });
    const when = new Date(Date.now() + 1000).toISOString();
    const burst = Array.from({ length: MAX_PER_POLL * 2 + 10 }, (_, i) => add(`f${i}.pdf`, { createdTime: i < 30 ? ago(500) : when }));
    let cursor = start;
    const seen = new Set<string>();
    const got: string[] = [];
    const notes: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await pollAll(driveNewFilePoll, config, cursor, seen);
      got.push(...out.ids);
      notes.push(out.note);
      cursor = out.cursor;
    }
    expect(got.slice(0, MAX_PER_POLL)).toHaveLength(MAX_PER_POLL);
    expect(notes[0]).toMatch(/rest follow/);
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual(burst.map((f) => f.id).sort());
  });

  it('a refused token is a rejected credential; a 429 is retried later; the cursor is untouched by a failure', async () => {
    const { cursor } = await driveNewFilePoll.start(call(), { config: { folderId: folder.id } });
    await expect(driveNewFilePoll.poll(call('ya29.dead'), { config: { folderId: folder.id }, cursor, seen: new Set() })).rejects.toBeInstanceOf(CredentialRejectedError);
    fake.rateLimitNext(1, 7);
    await expect(driveNewFilePoll.poll(call(), { config: { folderId: folder.id }, cursor, seen: new Set() })).rejects.toBeInstanceOf(RetryAfterNodeError);
    const a = add('after.pdf');
    expect((await pollAll(driveNewFilePoll, { folderId: folder.id }, cursor)).ids).toEqual([a.id]);
  });

  it('is registered as a polling trigger of the google integration, asking the read-only Drive scope', async () => {
    expect(findPoll('drive.new_file')?.integration.service).toBe('google');
    expect(findPoll('drive.file_updated')?.integration.service).toBe('google');
    const { scopesForNodeTypes } = await import('../node-scopes.ts');
    expect(scopesForNodeTypes(['drive.new_file'])).toContain(GOOGLE_SCOPES.driveReadonly);
    expect(scopesForNodeTypes(['drive.new_file'])).not.toContain(GOOGLE_SCOPES.drive);
  });
});

describe('drive.file_updated polling', () => {
  it('reports each change of a file (id@modifiedTime): two edits are two runs, an unchanged file none', async () => {
    const doc = add('report.pdf', { createdTime: ago(60_000) });
    const config = { folderId: folder.id };
    const { cursor } = await driveFileUpdatedPoll.start(call(), { config });
    expect((await pollAll(driveFileUpdatedPoll, config, cursor)).ids).toEqual([]);
    drive.touch(doc.id, ago(1000));
    const first = await pollAll(driveFileUpdatedPoll, config, cursor);
    expect(first.ids).toEqual([`${doc.id}@${doc.modifiedTime}`]);
    expect(first.items[0]!.payload).toMatchObject({ id: doc.id, name: 'report.pdf' });
    expect((await pollAll(driveFileUpdatedPoll, config, first.cursor, first.seen)).ids).toEqual([]);
    drive.touch(doc.id);
    const second = await pollAll(driveFileUpdatedPoll, config, first.cursor, first.seen);
    expect(second.ids).toEqual([`${doc.id}@${doc.modifiedTime}`]);
    expect(fake.requests.filter((r) => r.path === '/drive/v3/files').at(-1)!.query.get('q')).toContain('modifiedTime >= ');
  });
});
