// Every Sheets and Drive action, each failure Google can answer, in one table: a refused token
// (refreshed once, then the credential is rejected), a missing scope (Google's 403, and the
// recorded grant checked before any request), a rate limit (retried after Retry-After, then it
// succeeds), and a config error named before any request.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError, RetryAfterNodeError, type AnyNodeDefinition } from '../../contract/index.ts';
import { downloadNode, listNode, shareNode, uploadNode } from './drive/index.ts';
import { googleNodeScopes } from './node-scopes.ts';
import { GOOGLE_SCOPES as S } from './scopes.ts';
import { appendRowsNode, readRangeNode, updateRangeNode } from './sheets/index.ts';
import { createFakeGoogle, type FakeGoogle } from './testing/fake-google.ts';
import { fakeDrive } from './testing/fake-drive.ts';
import { fakeSheets } from './testing/fake-sheets.ts';
import { googleCredential, googleFailure, runGoogleNode } from './testing/google-test-kit.ts';
import { allSpecProblems } from './testing/spec-check.ts';

let fake: FakeGoogle;
let spreadsheetId: string;
let fileId: string;

beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fakeDrive(fake).files.clear();
  spreadsheetId = fakeSheets(fake).addSpreadsheet('T', { Sheet1: [['a', 'b']] }).spreadsheetId;
  fileId = fakeDrive(fake).addFile({ name: 'f.txt', mimeType: 'text/plain', content: Buffer.from('x') }).id;
});
afterEach(() => {
  expect(allSpecProblems(fake.requests)).toEqual([]);
});

interface Case {
  node: AnyNodeDefinition;
  config: () => Record<string, unknown>;
  /** A config the node's schema refuses, and the field the message must name. */
  bad: () => Record<string, unknown>;
  field: string;
  /** A scope Google refuses the call with. */
  tooNarrow: string;
}

const cases: Case[] = [
  { node: appendRowsNode, config: () => ({ spreadsheetId, range: 'Sheet1!A:B', rows: [['1', '2']] }), bad: () => ({ spreadsheetId, range: '', rows: [['1']] }), field: 'range', tooNarrow: S.spreadsheetsReadonly },
  { node: readRangeNode, config: () => ({ spreadsheetId, range: 'Sheet1!A1:B2' }), bad: () => ({ spreadsheetId: 'no', range: 'A1' }), field: 'spreadsheetId', tooNarrow: S.gmailSend },
  { node: updateRangeNode, config: () => ({ spreadsheetId, range: 'Sheet1!A1', values: [['z']] }), bad: () => ({ spreadsheetId, range: 'A1', values: [] }), field: 'values', tooNarrow: S.spreadsheetsReadonly },
  { node: uploadNode, config: () => ({ name: 'n.txt', content: 'hi' }), bad: () => ({ name: '', content: 'hi' }), field: 'name', tooNarrow: S.driveReadonly },
  { node: listNode, config: () => ({ pageSize: 5 }), bad: () => ({ pageSize: 5000 }), field: 'pageSize', tooNarrow: S.spreadsheets },
  { node: downloadNode, config: () => ({ fileId }), bad: () => ({ fileId, maxBytes: 0 }), field: 'maxBytes', tooNarrow: S.spreadsheets },
  { node: shareNode, config: () => ({ fileId, type: 'anyone' }), bad: () => ({ fileId, type: 'domain' }), field: 'domain', tooNarrow: S.driveReadonly },
];

describe.each(cases)('$node.type', (c) => {
  const scopes = () => [...(googleNodeScopes[c.node.type] ?? [])];

  it('succeeds with a token holding its scopes', async () => {
    const out = await runGoogleNode(fake, c.node, c.config(), { secret: fake.issueToken({ scopes: scopes() }), grantedScopes: scopes() });
    expect(out).toBeTruthy();
  });

  it('a refused token: one refresh, then CredentialRejectedError', async () => {
    const dead = fake.issueToken({ scopes: scopes() });
    fake.tokens.get(dead)!.revoked = true;
    const cred = googleCredential({ secret: dead, refresh: async () => undefined });
    const err = await runGoogleNode(fake, c.node, c.config(), cred).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialRejectedError);
    expect(cred.refreshes).toBe(1);
  });

  it('a missing scope: named from the grant before calling, and from Google’s 403', async () => {
    const narrow = fake.issueToken({ scopes: [c.tooNarrow] });
    const pre = await googleFailure(fake, c.node, c.config(), { secret: narrow, grantedScopes: [c.tooNarrow] });
    expect(pre).toBeInstanceOf(NonRetriableNodeError);
    expect(pre.message).toContain(scopes()[0]!);
    expect(fake.requests).toHaveLength(0);
    const told = await googleFailure(fake, c.node, c.config(), { secret: narrow });
    expect(told.details).toMatchObject({ kind: 'scope' });
  });

  it('rate limited: RetryAfterNodeError with Google’s delay, then success', async () => {
    const token = fake.issueToken({ scopes: scopes() });
    fake.rateLimitNext(1, 2);
    const err = await googleFailure(fake, c.node, c.config(), { secret: token });
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(2000);
    expect(await runGoogleNode(fake, c.node, c.config(), { secret: token })).toBeTruthy();
  });

  it('a bad config is refused naming the field, before any request', async () => {
    await expect(runGoogleNode(fake, c.node, c.bad(), { secret: fake.issueToken({ scopes: scopes() }) })).rejects.toThrow(new RegExp(c.field));
    expect(fake.requests).toHaveLength(0);
  });
});
