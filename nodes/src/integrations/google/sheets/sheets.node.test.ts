// The Sheets nodes through @googleapis/sheets against the fake Google: what reaches Google,
// what the node answers, and each failure's engine class and message.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allSpecProblems } from '../testing/spec-check.ts';
import { CredentialRejectedError, NodeError, NonRetriableNodeError, RetryAfterNodeError } from '../../../contract/index.ts';
import { clearGoogleClientCache } from '../client.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';
import { createFakeGoogle, type FakeGoogle } from '../testing/fake-google.ts';
import { fakeSheets, type FakeSpreadsheet } from '../testing/fake-sheets.ts';
import { googleCredential, googleFailure, runGoogleNode } from '../testing/google-test-kit.ts';
import { appendRowsNode, readRangeNode, updateRangeNode } from './index.ts';

let fake: FakeGoogle;
let sheet: FakeSpreadsheet;
let token: string;
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
  sheet = fakeSheets(fake).addSpreadsheet('Leads', { Leads: [['Name', 'Email', 'Score'], ['Ada', 'ada@example.com', 9]], Other: [] });
  token = fake.issueToken({ scopes: ['openid', S.email, S.spreadsheets] });
});

const grid = () => sheet.sheets.get('Leads')!;

describe('sheets.append_rows', () => {
  it('appends rows after the table and answers updatedRows', async () => {
    const out = await runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [['Grace', 'grace@example.com', '7'], ['Linus', 'linus@example.com', 5]] }, { secret: token });
    expect(out).toEqual({ spreadsheetId: sheet.spreadsheetId, updatedRange: 'Leads!A3:C4', updatedRows: 2, updatedCells: 6 });
    // USER_ENTERED by default: "7" became a number, as the Sheets UI would store it.
    expect(grid()[2]).toEqual(['Grace', 'grace@example.com', 7]);
    const sent = fake.requests.find((r) => r.path.endsWith(':append'))!;
    expect(sent.method).toBe('POST');
    expect(decodeURIComponent(sent.path)).toBe(`/v4/spreadsheets/${sheet.spreadsheetId}/values/Leads!A:C:append`);
    expect(sent.query.get('valueInputOption')).toBe('USER_ENTERED');
    expect(sent.query.get('insertDataOption')).toBe('INSERT_ROWS');
    expect(sent.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('lays out objects by the header row and names keys that are not columns', async () => {
    await runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [{ Email: 'g@example.com', Name: 'Grace' }] }, { secret: token });
    expect(grid()[2]).toEqual(['Grace', 'g@example.com', '']);
    const err = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [{ Nmae: 'x' }] }, { secret: token });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('"Nmae" is not a column');
  });

  it('accepts the spreadsheet URL and rows as JSON text (an expression result)', async () => {
    const out = await runGoogleNode(fake, appendRowsNode, { spreadsheetId: `https://docs.google.com/spreadsheets/d/${sheet.spreadsheetId}/edit#gid=0`, range: 'Leads', rows: '[["Bob","b@example.com",1]]' }, { secret: token });
    expect(out.updatedRows).toBe(1);
  });

  it('refuses bad config before calling Google, naming the field', async () => {
    await expect(runGoogleNode(fake, appendRowsNode, { spreadsheetId: 'x', range: 'A1', rows: [['a']] }, { secret: token })).rejects.toThrow(/spreadsheetId/);
    await expect(runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'A1', rows: [] }, { secret: token })).rejects.toThrow(/rows/);
    expect(fake.requests).toHaveLength(0);
  });

  it("passes Google's validation message on (a range it cannot parse)", async () => {
    const err = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Nope!A1', rows: [['a']] }, { secret: token });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('Unable to parse range: Nope!A1');
  });

  it('names the spreadsheet when Google does not find it', async () => {
    const err = await googleFailure(fake, appendRowsNode, { spreadsheetId: '1missingmissingmissing', range: 'A1', rows: [['a']] }, { secret: token });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('spreadsheet 1missingmissingmissing');
    expect(err.details).toMatchObject({ kind: 'not_found' });
  });

  it('refreshes a refused OAuth token once, then reports the credential as rejected', async () => {
    const dead = fake.issueToken({ scopes: [S.spreadsheets] });
    fake.tokens.get(dead)!.revoked = true;
    // The refresh brings a live token: the call succeeds on the second try.
    const cred = googleCredential({ secret: dead, refresh: async () => token });
    const out = await runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [['x']] }, cred);
    expect(out.updatedRows).toBe(1);
    expect(cred.refreshes).toBe(1);
    // Nothing to refresh: rejected, naming the credential and how to fix it.
    const err = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'A1', rows: [['a']] }, { secret: dead });
    expect(err).toBeInstanceOf(CredentialRejectedError);
    expect(err.message).toMatch(/reconnect Google under Connections/);
  });

  it('names the missing scope: from the recorded grant without calling, or from Google’s 403', async () => {
    const readOnly = fake.issueToken({ scopes: [S.spreadsheetsReadonly] });
    const pre = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'A1', rows: [['a']] }, { secret: readOnly, grantedScopes: [S.spreadsheetsReadonly] });
    expect(pre).toBeInstanceOf(NonRetriableNodeError);
    expect(pre.message).toContain(S.spreadsheets);
    expect(fake.requests).toHaveLength(0);
    const told = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'A1', rows: [['a']] }, { secret: readOnly });
    expect(told).toBeInstanceOf(NonRetriableNodeError);
    expect(told.details).toMatchObject({ kind: 'scope', code: 'insufficientPermissions' });
    expect(told.message).toMatch(/reconnect Google/);
  });

  it('retries after Google’s delay when rate limited, then succeeds', async () => {
    fake.rateLimitNext(1, 7, 'userRateLimitExceeded');
    const err = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [['x']] }, { secret: token });
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(7000);
    expect(grid()).toHaveLength(2);
    const out = await runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [['x']] }, { secret: token });
    expect(out.updatedRows).toBe(1);
  });

  it('retries a backend error (5xx) with backoff', async () => {
    fake.failNext(503, 'backendError', 'Backend Error');
    const err = await googleFailure(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'A1', rows: [['a']] }, { secret: token });
    expect(err).toBeInstanceOf(NodeError);
    expect(err).not.toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('server error (HTTP 503)');
  });

  it('works with a service-account key: a JWT exchange, then the call', async () => {
    clearGoogleClientCache();
    const key = fake.serviceAccountKey();
    const out = await runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [['SA']] }, { secret: key });
    expect(out.updatedRows).toBe(1);
    await runGoogleNode(fake, appendRowsNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A:C', rows: [['SA2']] }, { secret: key });
    const grants = fake.requests.filter((r) => r.path === '/token');
    // One exchange for both calls (the JWT client keeps its hour-long token), asking for the node's scope only.
    expect(grants).toHaveLength(1);
    const assertion = new URLSearchParams(grants[0]!.body.toString()).get('assertion')!;
    expect(JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString()).scope).toBe(S.spreadsheets);
  });
});

describe('sheets.read_range', () => {
  it('answers the cells, and objects keyed by the header row', async () => {
    const reader = fake.issueToken({ scopes: [S.spreadsheetsReadonly] });
    const out = await runGoogleNode(fake, readRangeNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A1:C', headerRow: true }, { secret: reader });
    expect(out.values).toEqual([['Name', 'Email', 'Score'], ['Ada', 'ada@example.com', 9]]);
    expect(out.rows).toEqual([{ Name: 'Ada', Email: 'ada@example.com', Score: 9 }]);
    expect(fake.requests[0]!.query.get('valueRenderOption')).toBe('FORMATTED_VALUE');
  });

  it('answers an empty range as no values', async () => {
    const out = await runGoogleNode(fake, readRangeNode, { spreadsheetId: sheet.spreadsheetId, range: 'Other!A1:B2' }, { secret: token });
    expect(out.values).toEqual([]);
  });

  it('a broader grant (drive) satisfies the read scope', async () => {
    const driveToken = fake.issueToken({ scopes: [S.drive] });
    const out = await runGoogleNode(fake, readRangeNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A1:A1' }, { secret: driveToken, grantedScopes: [S.drive] });
    expect(out.values).toEqual([['Name']]);
  });
});

describe('sheets.update_range', () => {
  it('overwrites the cells of the range', async () => {
    const out = await runGoogleNode(fake, updateRangeNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!C2', values: [[10]], valueInputOption: 'RAW' }, { secret: token });
    expect(out).toMatchObject({ updatedRange: 'Leads!C2:C2', updatedCells: 1 });
    expect(grid()[1]).toEqual(['Ada', 'ada@example.com', 10]);
    const sent = fake.requests.at(-1)!;
    expect(sent.method).toBe('PUT');
    expect(sent.query.get('valueInputOption')).toBe('RAW');
  });

  it('refuses values bigger than the range (Google’s message)', async () => {
    const err = await googleFailure(fake, updateRangeNode, { spreadsheetId: sheet.spreadsheetId, range: 'Leads!A2:A2', values: [['a'], ['b']] }, { secret: token });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('Requested writing within range');
  });
});
