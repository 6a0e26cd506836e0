// The Drive nodes through @googleapis/drive against the fake Google.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allSpecProblems } from '../testing/spec-check.ts';
import { CredentialRejectedError, NonRetriableNodeError, RetryAfterNodeError } from '../../../contract/index.ts';
import { testCredential, testServiceCall } from '../../framework/testing/test-context.ts';
import { clearGoogleClientCache } from '../client.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';
import { createFakeGoogle, type FakeGoogle } from '../testing/fake-google.ts';
import { fakeDrive, type FakeDriveFile } from '../testing/fake-drive.ts';
import { googleFailure, runGoogleNode } from '../testing/google-test-kit.ts';
import { downloadNode, listNode, shareNode, uploadNode } from './index.ts';
import { foldersOption, spreadsheetsOption } from './options.ts';
import { CHUNK_GRANULARITY, resumableUpload } from './upload.ts';
import { fakeSheets } from '../testing/fake-sheets.ts';
import { sheetsOfSpreadsheetOption } from '../sheets/options.ts';

let fake: FakeGoogle;
let writer: string;
let reader: string;
let folder: FakeDriveFile;
const S = GOOGLE_SCOPES;

beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(() => fake.close());
afterEach(() => {
  // Every request a test made fits the API's discovery document.
  expect(allSpecProblems(fake.requests)).toEqual([]);
});
beforeEach(() => {
  fake.requests.length = 0;
  fakeDrive(fake).files.clear();
  writer = fake.issueToken({ scopes: [S.drive] });
  reader = fake.issueToken({ scopes: [S.driveReadonly] });
  folder = fakeDrive(fake).addFile({ name: 'Reports', mimeType: 'application/vnd.google-apps.folder' });
});

const files = () => [...fakeDrive(fake).files.values()];

describe('drive.upload', () => {
  it('uploads a small file in one multipart request into the folder', async () => {
    const out = await runGoogleNode(fake, uploadNode, { name: 'notes.txt', content: 'héllo', folderId: folder.id }, { secret: writer });
    expect(out).toMatchObject({ name: 'notes.txt', mimeType: 'text/plain', size: 6, parents: [folder.id], uploadMethod: 'multipart' });
    const stored = files().find((f) => f.name === 'notes.txt')!;
    expect(stored.content.toString('utf8')).toBe('héllo');
    const sent = fake.requests.find((r) => r.path === '/upload/drive/v3/files')!;
    expect(sent.query.get('uploadType')).toBe('multipart');
    expect(String(sent.headers['content-type'])).toMatch(/^multipart\/related; boundary=/);
  });

  it('a retried step answers the file its earlier attempt made instead of uploading it twice', async () => {
    const first = await runGoogleNode(fake, uploadNode, { name: 'once.txt', content: 'a' }, { secret: writer }, 'run-1:node-up:0');
    const retry = await runGoogleNode(fake, uploadNode, { name: 'once.txt', content: 'a' }, { secret: writer }, 'run-1:node-up:0');
    expect(retry.id).toBe(first.id);
    expect(files().filter((f) => f.name === 'once.txt')).toHaveLength(1);
    // Another run (another idempotency key) uploads its own.
    await runGoogleNode(fake, uploadNode, { name: 'once.txt', content: 'a' }, { secret: writer }, 'run-2:node-up:0');
    expect(files().filter((f) => f.name === 'once.txt')).toHaveLength(2);
  });

  it('decodes base64 content (binary from an earlier step)', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    await runGoogleNode(fake, uploadNode, { name: 'b.bin', content: bytes.toString('base64'), contentEncoding: 'base64', mimeType: 'application/octet-stream' }, { secret: writer });
    expect(files().find((f) => f.name === 'b.bin')!.content).toEqual(bytes);
  });

  it('uploads a file above 5 MB through a resumable session, in 256 KiB-multiple chunks', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024 + 123);
    const out = await runGoogleNode(fake, uploadNode, { name: 'big.txt', content: big }, { secret: writer });
    expect(out.uploadMethod).toBe('resumable');
    expect(files().find((f) => f.name === 'big.txt')!.content.length).toBe(big.length);
    const start = fake.requests.find((r) => r.method === 'POST' && r.path === '/upload/drive/v3/files')!;
    expect(start.query.get('uploadType')).toBe('resumable');
    expect(start.headers['x-upload-content-length']).toBe(String(big.length));
    const puts = fake.requests.filter((r) => r.method === 'PUT');
    expect(puts.map((p) => p.headers['content-range'])).toEqual([`bytes 0-${4 * 1024 * 1024 - 1}/${big.length}`, `bytes ${4 * 1024 * 1024}-${big.length - 1}/${big.length}`]);
    // The session URI is the authorisation: the token is not sent with the chunks.
    expect(puts.every((p) => p.headers.authorization === undefined)).toBe(true);
  });

  it('resumes a session after a failed chunk from where Drive says it is', async () => {
    const bytes = Buffer.alloc(3 * CHUNK_GRANULARITY + 10, 7);
    fakeDrive(fake).failNextChunks(1);
    const call = testServiceCall(testCredential({ provider: 'google', secret: writer }), fake.url);
    const { file } = await resumableUpload(call, { name: 'resumed.bin', mimeType: 'application/octet-stream', bytes }, CHUNK_GRANULARITY);
    expect(file.name).toBe('resumed.bin');
    expect(files().find((f) => f.name === 'resumed.bin')!.content).toEqual(bytes);
    const ranges = fake.requests.filter((r) => r.method === 'PUT').map((r) => r.headers['content-range']);
    expect(ranges[1]).toBe(`bytes */${bytes.length}`);
    expect(ranges[2]).toBe(`bytes 0-${CHUNK_GRANULARITY - 1}/${bytes.length}`);
  });

  it('refuses a file above the 50 MiB limit before calling Google', async () => {
    const err = await googleFailure(fake, uploadNode, { name: 'huge', content: Buffer.alloc(51 * 1024 * 1024).toString('base64'), contentEncoding: 'base64' }, { secret: writer }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/content/);
    expect(fake.requests).toHaveLength(0);
  });

  it('names the missing scope (a read-only token) and the folder Google cannot find', async () => {
    const scope = await googleFailure(fake, uploadNode, { name: 'a.txt', content: 'a' }, { secret: reader });
    expect(scope.details).toMatchObject({ kind: 'scope' });
    const missing = await googleFailure(fake, uploadNode, { name: 'a.txt', content: 'a', folderId: '1nofoldernofolder' }, { secret: writer });
    expect(missing).toBeInstanceOf(NonRetriableNodeError);
    expect(missing.message).toContain('folder 1nofoldernofolder');
  });

  it('works with a service-account key', async () => {
    clearGoogleClientCache();
    const out = await runGoogleNode(fake, uploadNode, { name: 'sa.txt', content: 'sa' }, { secret: fake.serviceAccountKey() });
    expect(out.name).toBe('sa.txt');
  });
});

describe('drive.list', () => {
  beforeEach(() => {
    for (let i = 0; i < 5; i++) fakeDrive(fake).addFile({ name: `invoice-${i}.pdf`, mimeType: 'application/pdf', parents: [folder.id] });
    fakeDrive(fake).addFile({ name: 'old invoice.pdf', mimeType: 'application/pdf', parents: [folder.id], trashed: true });
    fakeDrive(fake).addFile({ name: 'cat.png', mimeType: 'image/png' });
  });

  it('answers one page with its nextPageToken, and the next page from it', async () => {
    const first = await runGoogleNode(fake, listNode, { query: "name contains 'invoice'", folderId: folder.id, pageSize: 3 }, { secret: reader });
    expect(first.files.map((f: { name: string }) => f.name)).toEqual(['invoice-0.pdf', 'invoice-1.pdf', 'invoice-2.pdf']);
    expect(first.nextPageToken).toEqual(expect.any(String));
    expect(fake.requests[0]!.query.get('q')).toBe(`(name contains 'invoice') and '${folder.id}' in parents and trashed = false`);
    const second = await runGoogleNode(fake, listNode, { query: "name contains 'invoice'", folderId: folder.id, pageSize: 3, pageToken: first.nextPageToken }, { secret: reader });
    expect(second.files.map((f: { name: string }) => f.name)).toEqual(['invoice-3.pdf', 'invoice-4.pdf']);
    expect(second.nextPageToken).toBeNull();
  });

  it('follows every page with all, up to maxFiles', async () => {
    const out = await runGoogleNode(fake, listNode, { folderId: folder.id, all: true, maxFiles: 4 }, { secret: reader });
    expect(out.files).toHaveLength(4);
    const all = await runGoogleNode(fake, listNode, { query: "mimeType = 'application/pdf'", all: true }, { secret: reader });
    expect(all.files).toHaveLength(5);
  });

  it("passes Drive's refusal of a query it cannot read", async () => {
    const err = await googleFailure(fake, listNode, { query: 'fullText has nonsense' }, { secret: reader });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('Invalid Value');
  });

  it('rate limited: retries after the delay, then succeeds', async () => {
    fake.rateLimitNext(1, 3);
    const err = await googleFailure(fake, listNode, {}, { secret: reader });
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(3000);
    expect((await runGoogleNode(fake, listNode, {}, { secret: reader })).files.length).toBeGreaterThan(0);
  });

  it('a refused token is a rejected credential', async () => {
    fake.tokens.get(reader)!.revoked = true;
    expect(await googleFailure(fake, listNode, {}, { secret: reader })).toBeInstanceOf(CredentialRejectedError);
  });
});

describe('drive.download', () => {
  it('answers text content as utf8 and binary as base64', async () => {
    const txt = fakeDrive(fake).addFile({ name: 'a.txt', mimeType: 'text/plain', content: Buffer.from('hi there') });
    expect(await runGoogleNode(fake, downloadNode, { fileId: txt.id }, { secret: reader })).toMatchObject({ name: 'a.txt', encoding: 'utf8', content: 'hi there', size: 8 });
    const bin = fakeDrive(fake).addFile({ name: 'b.png', mimeType: 'image/png', content: Buffer.from([137, 80, 78, 71]) });
    expect(await runGoogleNode(fake, downloadNode, { fileId: `https://drive.google.com/file/d/${bin.id}/view` }, { secret: reader })).toMatchObject({ encoding: 'base64', content: Buffer.from([137, 80, 78, 71]).toString('base64') });
    expect(fake.requests.filter((r) => r.query.get('alt') === 'media').every((r) => r.headers.authorization === `Bearer ${reader}`)).toBe(true);
  });

  it('refuses a file above maxBytes with a clear error, without downloading it', async () => {
    const f = fakeDrive(fake).addFile({ name: 'big.bin', content: Buffer.alloc(2048) });
    const err = await googleFailure(fake, downloadNode, { fileId: f.id, maxBytes: 1000 }, { secret: reader });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('big.bin is 2048 bytes, larger than maxBytes (1000)');
    expect(fake.requests.some((r) => r.query.get('alt') === 'media')).toBe(false);
  });

  it('exports a Google Doc as text', async () => {
    const doc = fakeDrive(fake).addFile({ name: 'Plan', mimeType: 'application/vnd.google-apps.document', exports: { 'text/plain': 'the plan' } });
    expect(await runGoogleNode(fake, downloadNode, { fileId: doc.id }, { secret: reader })).toMatchObject({ mimeType: 'text/plain', content: 'the plan' });
  });

  it('stops reading an export (no size known up front) past maxBytes', async () => {
    const doc = fakeDrive(fake).addFile({ name: 'Long doc', mimeType: 'application/vnd.google-apps.document', exports: { 'text/plain': 'y'.repeat(5000) } });
    const err = await googleFailure(fake, downloadNode, { fileId: doc.id, maxBytes: 1000 }, { secret: reader });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('Long doc is larger than maxBytes (1000 bytes)');
  });

  it('names the file Google does not find', async () => {
    const err = await googleFailure(fake, downloadNode, { fileId: '1nonexistentfile' }, { secret: reader });
    expect(err.message).toContain('file 1nonexistentfile');
  });
});

describe('drive.share', () => {
  it('gives a user a role, with Drive’s notification mail', async () => {
    const f = fakeDrive(fake).addFile({ name: 'r.pdf' });
    const out = await runGoogleNode(fake, shareNode, { fileId: f.id, emailAddress: 'client@example.com', role: 'commenter', emailMessage: 'For you' }, { secret: writer });
    expect(out).toMatchObject({ fileId: f.id, type: 'user', role: 'commenter', emailAddress: 'client@example.com' });
    expect(f.permissions[0]).toMatchObject({ emailAddress: 'client@example.com', notified: true, emailMessage: 'For you' });
  });

  it('shares with anyone with the link without a notification flag', async () => {
    const f = fakeDrive(fake).addFile({ name: 'pub.pdf' });
    await runGoogleNode(fake, shareNode, { fileId: f.id, type: 'anyone' }, { secret: writer });
    expect(fake.requests.at(-1)!.query.has('sendNotificationEmail')).toBe(false);
    expect(f.permissions[0]).toMatchObject({ type: 'anyone', role: 'reader' });
  });

  it('refuses a user share without an email, naming the field', async () => {
    await expect(runGoogleNode(fake, shareNode, { fileId: '1abcdefghijk', type: 'user' }, { secret: writer })).rejects.toThrow(/emailAddress/);
  });

  it('names the missing scope of a read-only token', async () => {
    const f = fakeDrive(fake).addFile({ name: 'r.pdf' });
    const err = await googleFailure(fake, shareNode, { fileId: f.id, emailAddress: 'a@example.com' }, { secret: reader, grantedScopes: [S.driveReadonly] });
    expect(err.message).toContain(S.drive);
  });
});

describe('option lists', () => {
  it('pages the folders with Drive’s nextPageToken and filters by name', async () => {
    for (let i = 0; i < 120; i++) fakeDrive(fake).addFile({ name: `Folder ${String(i).padStart(3, '0')}`, mimeType: 'application/vnd.google-apps.folder' });
    const call = testServiceCall(testCredential({ provider: 'google', secret: reader }), fake.url);
    const first = await foldersOption.list(call, { params: {} });
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await foldersOption.list(call, { params: {}, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(21);
    expect(second.nextCursor).toBeUndefined();
    const found = await foldersOption.list(call, { params: {}, search: "Rep'orts" });
    expect(found.items).toEqual([]);
    expect(fake.requests.at(-1)!.query.get('q')).toContain("name contains 'Rep\\'orts'");
  });

  it('lists spreadsheets and the sheets of one', async () => {
    const s = fakeSheets(fake).addSpreadsheet('Budget', { Q1: [], Q2: [] });
    const call = testServiceCall(testCredential({ provider: 'google', secret: fake.issueToken({ scopes: [S.driveMetadataReadonly, S.spreadsheetsReadonly] }) }), fake.url);
    expect((await spreadsheetsOption.list(call, { params: {} })).items).toEqual([{ value: s.spreadsheetId, label: 'Budget', meta: expect.any(Object) }]);
    expect((await sheetsOfSpreadsheetOption.list(call, { params: { spreadsheetId: s.spreadsheetId } })).items.map((i) => i.value)).toEqual(['Q1', 'Q2']);
  });
});
