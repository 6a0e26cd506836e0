// The Gmail nodes and the polling trigger through @googleapis/gmail against the fake Google.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError, RetryAfterNodeError } from '../../../contract/index.ts';
import { serviceCallFor } from '../../framework/index.ts';
import { testCredential } from '../../framework/testing/test-context.ts';
import { findOptionList } from '../../registry.ts';
import { GOOGLE_SCOPES } from '../scopes.ts';
import { fakeGmail, type FakeGmailState } from '../testing/fake-gmail.ts';
import { createFakeGoogle, type FakeGoogle } from '../testing/fake-google.ts';
import { allSpecProblems } from '../testing/spec-check.ts';
import { googleCredential, googleFailure, runGoogleNode } from '../testing/google-test-kit.ts';
import { googleSpec } from '../spec.ts';
import { addLabelNode, getMessageNode, listMessagesNode, sendNode } from './index.ts';
import { decodeHeader } from './parse-message.ts';
import { gmailNewMessagePoll } from './new-message.trigger.ts';

let fake: FakeGoogle;
let box: FakeGmailState;
let token: string;
const S = GOOGLE_SCOPES;

beforeAll(async () => {
  fake = await createFakeGoogle();
  box = fakeGmail(fake);
});
afterAll(() => fake.close());
// Every request the nodes made fits Google's discovery document (testing/spec/).
afterEach(() => expect(allSpecProblems(fake.requests)).toEqual([]));
beforeEach(() => {
  fake.requests.length = 0;
  token = fake.issueToken({ scopes: ['openid', S.email, S.gmailModify] });
});

describe('gmail.send', () => {
  it('sends a MIME message as raw and answers { id, threadId }', async () => {
    const out = await runGoogleNode(fake, sendNode, { to: 'a@example.com, Zoë <zoe@example.com>', cc: ['c@example.com'], bcc: 'b@example.com', subject: 'Résumé ✓', text: 'hi', html: '<b>hi</b>', attachments: [{ filename: 'notes.txt', mimeType: 'text/plain', content: Buffer.from('hello').toString('base64') }] }, { secret: token });
    expect(out).toMatchObject({ id: expect.any(String), threadId: expect.any(String), labelIds: ['SENT'] });
    const sent = fake.requests.find((r) => r.path === '/gmail/v1/users/me/messages/send')!;
    expect(sent.method).toBe('POST');
    expect(sent.headers.authorization).toBe(`Bearer ${token}`);
    const raw = box.messages.find((m) => m.id === out.id)!.raw!;
    expect(raw).toMatch(/^To: a@example\.com, =\?UTF-8\?B\?[^?]+\?= <zoe@example\.com>\r\n/m);
    expect(raw).toContain('Bcc: b@example.com\r\n');
    expect(decodeHeader(/^Subject: (.*)$/m.exec(raw)![1]!.trim())).toBe('Résumé ✓');
    expect(raw).toContain('multipart/mixed');
    expect(raw).toContain('multipart/alternative');
  });

  it('refuses bad input before calling Gmail, naming the field', async () => {
    await expect(runGoogleNode(fake, sendNode, { to: [], subject: 's' }, { secret: token })).rejects.toThrow(/to/);
    await expect(runGoogleNode(fake, sendNode, { to: 'nobody', subject: 's' }, { secret: token })).rejects.toThrow(/to\[0\]/);
    await expect(runGoogleNode(fake, sendNode, { to: 'a@example.com', subject: 'x\r\nBcc: evil@example.com' }, { secret: token })).rejects.toThrow(/subject/);
    expect(fake.requests).toHaveLength(0);
  });

  it('names the missing scope without calling Gmail when the grant is recorded, and from Google’s 403 otherwise', async () => {
    const reader = fake.issueToken({ scopes: [S.gmailReadonly] });
    const pre = await googleFailure(fake, sendNode, { to: 'a@example.com', subject: 's' }, { secret: reader, grantedScopes: [S.gmailReadonly] });
    expect(pre.message).toContain(S.gmailSend);
    expect(fake.requests).toHaveLength(0);
    const told = await googleFailure(fake, sendNode, { to: 'a@example.com', subject: 's' }, { secret: reader });
    expect(told).toBeInstanceOf(NonRetriableNodeError);
    expect(told.details).toMatchObject({ kind: 'scope' });
  });

  it('refreshes a refused token once, then reports the credential rejected', async () => {
    const cred = googleCredential({ secret: 'ya29.dead', refresh: async () => token });
    const out = await runGoogleNode(fake, sendNode, { to: 'a@example.com', subject: 's', text: 't' }, cred);
    expect(out.id).toBeTruthy();
    expect(cred.refreshes).toBe(1);
    const err = await googleFailure(fake, sendNode, { to: 'a@example.com', subject: 's' }, { secret: 'ya29.dead' });
    expect(err).toBeInstanceOf(CredentialRejectedError);
  });

  it('rate limited: retry after Google’s delay, then it sends', async () => {
    fake.rateLimitNext(1, 3);
    const err = await googleFailure(fake, sendNode, { to: 'a@example.com', subject: 's' }, { secret: token });
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(3000);
    expect((await runGoogleNode(fake, sendNode, { to: 'a@example.com', subject: 's' }, { secret: token })).id).toBeTruthy();
  });
});

describe('gmail.list_messages', () => {
  it('searches with q, reads each message’s headers, and pages with nextPageToken', async () => {
    for (let i = 0; i < 5; i++) box.deliver({ from: `Boss <boss@example.com>`, subject: `Report ${i}`, text: `report body ${i}` });
    box.deliver({ from: 'other@example.com', subject: 'Lunch', text: 'food' });
    const first = await runGoogleNode(fake, listMessagesNode, { q: 'from:boss', maxResults: 3 }, { secret: token });
    expect(first.messages).toHaveLength(3);
    expect(first.messages[0]).toMatchObject({ from: 'Boss <boss@example.com>', subject: 'Report 4', snippet: 'report body 4', labelIds: ['INBOX', 'UNREAD'] });
    expect(first.nextPageToken).toEqual(expect.any(String));
    expect(fake.requests[0]!.query.get('q')).toBe('from:boss');
    const second = await runGoogleNode(fake, listMessagesNode, { q: 'from:boss', maxResults: 3, pageToken: first.nextPageToken }, { secret: token });
    expect(second.messages.map((m: { subject: string }) => m.subject)).toEqual(['Report 1', 'Report 0']);
    expect(second.nextPageToken).toBeNull();
  });

  it('validates maxResults and the label ids', async () => {
    await expect(runGoogleNode(fake, listMessagesNode, { maxResults: 0 }, { secret: token })).rejects.toThrow(/maxResults/);
    await expect(runGoogleNode(fake, listMessagesNode, { labelIds: 'IN BOX' }, { secret: token })).rejects.toThrow(/labelIds/);
  });

  it('missing scope and rate limit', async () => {
    const sender = fake.issueToken({ scopes: [S.gmailSend] });
    expect((await googleFailure(fake, listMessagesNode, {}, { secret: sender, grantedScopes: [S.gmailSend] })).message).toContain(S.gmailReadonly);
    fake.rateLimitNext(1, 2);
    expect(await googleFailure(fake, listMessagesNode, {}, { secret: token })).toBeInstanceOf(RetryAfterNodeError);
    expect((await runGoogleNode(fake, listMessagesNode, { maxResults: 1 }, { secret: token })).messages).toHaveLength(1);
  });
});

describe('gmail.get_message', () => {
  it('answers headers, text, HTML and attachments (contents on request)', async () => {
    const m = box.deliver({ from: 'ann@example.com', subject: 'Invoice', text: 'see attached', html: '<p>see attached</p>', attachments: [{ filename: 'inv.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.7') }] });
    const out = await runGoogleNode(fake, getMessageNode, { messageId: m.id }, { secret: token });
    expect(out).toMatchObject({ id: m.id, from: 'ann@example.com', subject: 'Invoice', text: 'see attached', html: '<p>see attached</p>' });
    expect(out.attachments).toEqual([{ filename: 'inv.pdf', mimeType: 'application/pdf', size: 8, partId: '2', attachmentId: expect.any(String) }]);
    const withFiles = await runGoogleNode(fake, getMessageNode, { messageId: m.id, includeAttachments: true }, { secret: token });
    expect(Buffer.from(withFiles.attachments[0].content, 'base64').toString()).toBe('%PDF-1.7');
    await expect(runGoogleNode(fake, getMessageNode, { messageId: m.id, includeAttachments: true, maxAttachmentBytes: 4 }, { secret: token })).rejects.toThrow(/maxAttachmentBytes/);
  });

  it('names the message that is not there, and refuses a malformed id', async () => {
    const err = await googleFailure(fake, getMessageNode, { messageId: 'abc123' }, { secret: token });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('message abc123');
    await expect(runGoogleNode(fake, getMessageNode, { messageId: '../x' }, { secret: token })).rejects.toThrow(/messageId/);
  });
});

describe('gmail.add_label', () => {
  it('adds labels by id or name and removes UNREAD', async () => {
    const m = box.deliver({ from: 'ann@example.com', subject: 'x', text: 'y' });
    const out = await runGoogleNode(fake, addLabelNode, { messageId: m.id, labelIds: 'invoices, Label_2', removeLabelIds: ['UNREAD'] }, { secret: token });
    expect(out.labelIds.sort()).toEqual(['INBOX', 'Label_1', 'Label_2']);
  });

  it('names an unknown label, needs gmail.modify', async () => {
    const m = box.deliver({ from: 'ann@example.com', subject: 'x', text: 'y' });
    await expect(runGoogleNode(fake, addLabelNode, { messageId: m.id, labelIds: ['Nope'] }, { secret: token })).rejects.toThrow(/labelIds: no label "Nope"/);
    await expect(runGoogleNode(fake, addLabelNode, { messageId: m.id }, { secret: token })).rejects.toThrow(/labelIds/);
    const reader = fake.issueToken({ scopes: [S.gmailReadonly] });
    expect((await googleFailure(fake, addLabelNode, { messageId: m.id, labelIds: ['INBOX'] }, { secret: reader, grantedScopes: [S.gmailReadonly] })).message).toContain(S.gmailModify);
  });
});

describe('gmail.new_message polling', () => {
  const call = () => serviceCallFor(googleSpec, testCredential({ provider: 'google', secret: token }), { baseUrl: (s: string) => (s === "google" ? fake.url : undefined) }, AbortSignal.timeout(10_000));

  it('starts at the mailbox’s current history id, then reports each new INBOX message once', async () => {
    box.deliver({ from: 'old@example.com', subject: 'before activation', text: 'x' });
    const { cursor } = await gmailNewMessagePoll.start(call(), { config: {} });
    expect(cursor).toBe(box.historyId());
    const a = box.deliver({ from: 'a@example.com', subject: 'A', text: 'a' });
    box.deliver({ from: 'spam@example.com', subject: 'S', text: 's', labelIds: ['SPAM'] });
    const b = box.deliver({ from: 'b@example.com', subject: 'B', text: 'b' });
    const first = await gmailNewMessagePoll.poll(call(), { config: {}, cursor, seen: new Set() });
    expect(first.items.map((i) => i.id)).toEqual([a.id, b.id]);
    expect(first.items[0]!.payload).toMatchObject({ messageId: a.id, from: 'a@example.com', subject: 'A' });
    expect(first.cursor).toBe(box.historyId());
    expect(fake.requests.find((r) => r.path.endsWith('/history'))!.query.get('labelId')).toBe('INBOX');
    const again = await gmailNewMessagePoll.poll(call(), { config: {}, cursor: first.cursor, seen: new Set([a.id, b.id]) });
    expect(again.items).toEqual([]);
  });

  it('after an expired history id falls back to a bounded list, skips what was seen, and says so', async () => {
    const { cursor } = await gmailNewMessagePoll.start(call(), { config: {} });
    const seenMsg = box.deliver({ from: 'a@example.com', subject: 'seen', text: 'a' });
    const fresh = box.deliver({ from: 'b@example.com', subject: 'fresh', text: 'b' });
    box.expireHistoryBefore(String(Number(box.historyId()) + 1));
    const out = await gmailNewMessagePoll.poll(call(), { config: {}, cursor, seen: new Set([seenMsg.id]) });
    expect(out.items.map((i) => i.id)).toContain(fresh.id);
    expect(out.items.map((i) => i.id)).not.toContain(seenMsg.id);
    expect(out.note).toMatch(/expired/);
    expect(out.cursor).toBe(box.historyId());
    expect(fake.requests.some((r) => r.path.endsWith('/messages') && r.query.get('maxResults') === '100')).toBe(true);
    box.expireHistoryBefore('0');
  });

  it('a bad config is refused naming the field', () => {
    expect(() => gmailNewMessagePoll.intervalMs({ intervalMinutes: 0 })).toThrow(/intervalMinutes/);
    expect(() => gmailNewMessagePoll.intervalMs({ labelId: 'IN BOX' })).toThrow(/labelId/);
    expect(gmailNewMessagePoll.intervalMs({})).toBe(60_000);
  });

  it('a refused token fails the poll as a rejected credential (the engine records it, writes nothing)', async () => {
    const dead = serviceCallFor(googleSpec, testCredential({ provider: 'google', secret: 'ya29.dead' }), { baseUrl: (s: string) => (s === "google" ? fake.url : undefined) }, AbortSignal.timeout(10_000));
    await expect(gmailNewMessagePoll.poll(dead, { config: {}, cursor: '1', seen: new Set() })).rejects.toBeInstanceOf(CredentialRejectedError);
  });
});

describe('gmail options', () => {
  it('lists the mailbox labels for the editor, searchable, for the Gmail nodes', async () => {
    const found = findOptionList('gmail.add_label', 'labels')!;
    expect(found.integration.service).toBe('google');
    const call = serviceCallFor(googleSpec, testCredential({ provider: 'google', secret: token }), { baseUrl: (s: string) => (s === 'google' ? fake.url : undefined) }, AbortSignal.timeout(10_000));
    const all = await found.list.list(call, { params: {} });
    expect(all.items).toContainEqual({ value: 'Label_1', label: 'Invoices', meta: { type: 'user' } });
    expect((await found.list.list(call, { search: 'follow', params: {} })).items.map((i) => i.value)).toEqual(['Label_2']);
  });
});

describe('every Gmail action: bad auth, missing scope, rate limit then success', () => {
  const cases = () => {
    const m = box.deliver({ from: 'ann@example.com', subject: 'table', text: 'y' });
    return [
      [sendNode, { to: 'a@example.com', subject: 's' }, S.gmailSend],
      [listMessagesNode, { maxResults: 1 }, S.gmailReadonly],
      [getMessageNode, { messageId: m.id }, S.gmailReadonly],
      [addLabelNode, { messageId: m.id, labelIds: ['Label_1'] }, S.gmailModify],
    ] as const;
  };

  it.each(['gmail.send', 'gmail.list_messages', 'gmail.get_message', 'gmail.add_label'])('%s', async (type) => {
    const [node, config, scope] = cases().find(([n]) => n.type === type)!;
    expect(await googleFailure(fake, node, config, { secret: 'ya29.not-a-token' })).toBeInstanceOf(CredentialRejectedError);
    const other = fake.issueToken({ scopes: [S.calendar] });
    const missing = await googleFailure(fake, node, config, { secret: other, grantedScopes: [S.calendar] });
    expect(missing).toBeInstanceOf(NonRetriableNodeError);
    expect(missing.message).toContain(scope);
    fake.rateLimitNext(1, 2);
    expect(await googleFailure(fake, node, config, { secret: token })).toBeInstanceOf(RetryAfterNodeError);
    expect(await runGoogleNode(fake, node, config, { secret: token })).toBeTruthy();
  });
});
