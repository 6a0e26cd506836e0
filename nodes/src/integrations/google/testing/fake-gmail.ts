// The Gmail v1 part of the fake Google (installed by default): one mailbox per token email
// with messages (their parts tree as the API answers it), labels, and a history log with
// increasing history ids. Routes, as in gmail__v1.json: users.getProfile, messages.send (raw),
// messages.list (q: a small subset — "from:x", "subject:x", "is:unread", bare words — with
// maxResults and opaque nextPageToken), messages.get (format full|metadata|minimal),
// messages.attachments.get, messages.modify, labels.list, history.list (startHistoryId,
// labelId, historyTypes=messageAdded, pages; 404 for an id older than `expireHistoryBefore`).
import { randomBytes } from 'node:crypto';
import type { FakeGoogle, FakeRequest } from './fake-google.ts';
import { googleError, sendJson } from './wire.ts';

const AUTH = 'https://www.googleapis.com/auth/';
const FULL = 'https://mail.google.com/';
const READ = [`${AUTH}gmail.readonly`, `${AUTH}gmail.modify`, FULL];
const SEND = [`${AUTH}gmail.send`, `${AUTH}gmail.modify`, FULL];
const MODIFY = [`${AUTH}gmail.modify`, FULL];
const LABELS = [`${AUTH}gmail.labels`, ...READ];

export interface FakePart {
  partId?: string;
  mimeType: string;
  filename?: string;
  headers?: { name: string; value: string }[];
  body?: { size?: number; data?: string; attachmentId?: string };
  parts?: FakePart[];
}

export interface FakeGmailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  snippet: string;
  historyId: string;
  internalDate: string;
  payload: FakePart;
  /** What messages.send received (the decoded MIME text), for assertions. */
  raw?: string;
  /** attachmentId → base64url bytes. */
  attachments: Map<string, string>;
}

export interface FakeIncoming {
  from: string;
  subject: string;
  text?: string;
  html?: string;
  labelIds?: string[];
  attachments?: { filename: string; mimeType: string; content: Buffer }[];
}

export interface FakeGmailState {
  messages: FakeGmailMessage[];
  labels: { id: string; name: string; type: 'system' | 'user' }[];
  history: { id: string; messagesAdded: { message: { id: string; threadId: string; labelIds: string[] } }[] }[];
  /** The mailbox's current history id. */
  historyId(): string;
  /** A message arrives (history records it as messageAdded). */
  deliver(m: FakeIncoming): FakeGmailMessage;
  /** history.list answers 404 for a startHistoryId below this (Gmail keeps about a week). */
  expireHistoryBefore(id: string): void;
}

const newId = () => randomBytes(8).toString('hex');
const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const state = new WeakMap<FakeGoogle, FakeGmailState>();

/** The Gmail state of a fake (installed by default). */
export function fakeGmail(fake: FakeGoogle): FakeGmailState {
  const s = state.get(fake);
  if (!s) throw new Error('fake Google: the Gmail module is not installed');
  return s;
}

function header(m: FakeGmailMessage, name: string): string {
  return m.payload.headers?.find((h) => h.name.toLowerCase() === name)?.value ?? '';
}

/** The small subset of Gmail search Keyflow's tests use. */
function matches(m: FakeGmailMessage, q: string): boolean {
  const text = (m.snippet + ' ' + header(m, 'subject')).toLowerCase();
  for (const term of q.trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = term.includes(':') ? [term.slice(0, term.indexOf(':')), term.slice(term.indexOf(':') + 1).toLowerCase()] : ['', term.toLowerCase()];
    if (key === 'from' && !header(m, 'from').toLowerCase().includes(value)) return false;
    if (key === 'subject' && !header(m, 'subject').toLowerCase().includes(value)) return false;
    if (key === 'is' && value === 'unread' && !m.labelIds.includes('UNREAD')) return false;
    if (key === '' && !text.includes(value)) return false;
  }
  return true;
}

function pageOf<T>(items: T[], req: FakeRequest, defaultMax: number, cap: number): { page: T[]; next?: string } {
  const max = Math.min(Number(req.query.get('maxResults') ?? defaultMax) || defaultMax, cap);
  const token = req.query.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace('offset:', '')) : 0;
  const page = items.slice(start, start + max);
  return { page, ...(start + max < items.length ? { next: b64url(`offset:${start + max}`) } : {}) };
}

function view(m: FakeGmailMessage, format: string): Record<string, unknown> {
  const base = { id: m.id, threadId: m.threadId, labelIds: m.labelIds, snippet: m.snippet, historyId: m.historyId, internalDate: m.internalDate, sizeEstimate: 1000 };
  if (format === 'minimal') return base;
  if (format === 'metadata') return { ...base, payload: { mimeType: m.payload.mimeType, headers: m.payload.headers ?? [] } };
  return { ...base, payload: m.payload };
}

export function installFakeGmail(fake: FakeGoogle): FakeGmailState {
  let counter = 1000;
  let expiredBefore = 0;
  const next = () => String((counter += 7));
  const messages: FakeGmailMessage[] = [];
  const history: FakeGmailState['history'] = [];
  const labels: FakeGmailState['labels'] = [
    { id: 'INBOX', name: 'INBOX', type: 'system' }, { id: 'SENT', name: 'SENT', type: 'system' }, { id: 'UNREAD', name: 'UNREAD', type: 'system' }, { id: 'SPAM', name: 'SPAM', type: 'system' },
    { id: 'Label_1', name: 'Invoices', type: 'user' }, { id: 'Label_2', name: 'Follow up', type: 'user' },
  ];
  const add = (m: Omit<FakeGmailMessage, 'historyId' | 'internalDate'>): FakeGmailMessage => {
    const full: FakeGmailMessage = { ...m, historyId: next(), internalDate: String(Date.now()) };
    messages.unshift(full);
    history.push({ id: full.historyId, messagesAdded: [{ message: { id: full.id, threadId: full.threadId, labelIds: [...full.labelIds] } }] });
    return full;
  };
  const s: FakeGmailState = {
    messages,
    labels,
    history,
    historyId: () => String(counter),
    deliver(inc) {
      const attachments = new Map<string, string>();
      const bodies: FakePart[] = [];
      if (inc.text !== undefined) bodies.push({ mimeType: 'text/plain', headers: [{ name: 'Content-Type', value: 'text/plain; charset="UTF-8"' }], body: { size: Buffer.byteLength(inc.text), data: b64url(inc.text) } });
      if (inc.html !== undefined) bodies.push({ mimeType: 'text/html', headers: [{ name: 'Content-Type', value: 'text/html; charset="UTF-8"' }], body: { size: Buffer.byteLength(inc.html), data: b64url(inc.html) } });
      const files: FakePart[] = (inc.attachments ?? []).map((a) => {
        const attachmentId = `ANGjdJ${newId()}`;
        attachments.set(attachmentId, b64url(a.content));
        return { mimeType: a.mimeType, filename: a.filename, headers: [{ name: 'Content-Disposition', value: `attachment; filename="${a.filename}"` }], body: { size: a.content.length, attachmentId } };
      });
      const children = [...bodies, ...files].map((p, i) => ({ ...p, partId: String(i) }));
      const headers = [{ name: 'From', value: inc.from }, { name: 'To', value: 'ada@example.com' }, { name: 'Subject', value: inc.subject }, { name: 'Date', value: new Date().toUTCString() }];
      const payload: FakePart = children.length === 1 && !files.length ? { ...children[0]!, partId: '', headers: [...headers, ...(children[0]!.headers ?? [])] } : { partId: '', mimeType: 'multipart/mixed', headers, parts: children };
      const id = newId();
      return add({ id, threadId: id, labelIds: inc.labelIds ?? ['INBOX', 'UNREAD'], snippet: (inc.text ?? inc.html ?? '').slice(0, 100), payload, attachments });
    },
    expireHistoryBefore(id) {
      expiredBefore = Number(id);
    },
  };
  state.set(fake, s);

  const user = '^\\/gmail\\/v1\\/users\\/([^/]+)';
  const find = (id: string) => messages.find((m) => m.id === id);
  const me = (req: FakeRequest, res: Parameters<typeof sendJson>[0]): boolean => {
    if (decodeURIComponent(req.match[1]!) === 'me' || decodeURIComponent(req.match[1]!) === req.token?.email) return true;
    googleError(res, 403, 'forbidden', 'Delegation denied for ' + req.token?.email);
    return false;
  };

  fake.route({
    method: 'GET', path: new RegExp(`${user}\\/profile$`), scopes: [...READ, ...SEND, `${AUTH}gmail.labels`],
    handle: (req, res) => void (me(req, res) && sendJson(res, 200, { emailAddress: req.token!.email, messagesTotal: messages.length, threadsTotal: messages.length, historyId: s.historyId() })),
  });
  fake.route({
    method: 'POST', path: new RegExp(`${user}\\/messages\\/send$`), scopes: SEND,
    handle: (req, res) => {
      if (!me(req, res)) return;
      const body = req.json() as { raw?: unknown; threadId?: unknown };
      if (typeof body.raw !== 'string' || body.raw === '') return googleError(res, 400, 'invalidArgument', "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
      const raw = Buffer.from(body.raw, 'base64url').toString('utf8');
      if (!/^To:/im.test(raw)) return googleError(res, 400, 'invalidArgument', 'Invalid To header');
      const subject = /^Subject: (.*(?:\r\n .*)*)/m.exec(raw)?.[1]?.replace(/\r\n /g, ' ') ?? '';
      const id = newId();
      const m = add({ id, threadId: typeof body.threadId === 'string' ? body.threadId : id, labelIds: ['SENT'], snippet: '', payload: { mimeType: 'message/rfc822', headers: [{ name: 'Subject', value: subject }] }, raw, attachments: new Map() });
      sendJson(res, 200, { id: m.id, threadId: m.threadId, labelIds: m.labelIds });
    },
  });
  fake.route({
    method: 'GET', path: new RegExp(`${user}\\/messages$`), scopes: READ,
    handle: (req, res) => {
      if (!me(req, res)) return;
      const q = req.query.get('q') ?? '';
      const labelIds = req.query.getAll('labelIds');
      const found = messages.filter((m) => matches(m, q) && labelIds.every((l) => m.labelIds.includes(l)));
      const { page, next: token } = pageOf(found, req, 100, 500);
      sendJson(res, 200, { ...(page.length ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}), ...(token ? { nextPageToken: token } : {}), resultSizeEstimate: found.length });
    },
  });
  fake.route({
    method: 'GET', path: new RegExp(`${user}\\/messages\\/([^/]+)$`), scopes: READ,
    handle: (req, res) => {
      if (!me(req, res)) return;
      const m = find(decodeURIComponent(req.match[2]!));
      if (!m) return googleError(res, 404, 'notFound', 'Requested entity was not found.');
      const format = req.query.get('format') ?? 'full';
      if (!['full', 'metadata', 'minimal', 'raw'].includes(format)) return googleError(res, 400, 'invalidArgument', `Invalid value at 'format' (${format})`);
      sendJson(res, 200, view(m, format));
    },
  });
  fake.route({
    method: 'GET', path: new RegExp(`${user}\\/messages\\/([^/]+)\\/attachments\\/([^/]+)$`), scopes: READ,
    handle: (req, res) => {
      if (!me(req, res)) return;
      const data = find(decodeURIComponent(req.match[2]!))?.attachments.get(decodeURIComponent(req.match[3]!));
      if (data === undefined) return googleError(res, 404, 'notFound', 'Requested entity was not found.');
      sendJson(res, 200, { attachmentId: req.match[3], size: Buffer.from(data, 'base64url').length, data });
    },
  });
  fake.route({
    method: 'POST', path: new RegExp(`${user}\\/messages\\/([^/]+)\\/modify$`), scopes: MODIFY,
    handle: (req, res) => {
      if (!me(req, res)) return;
      const m = find(decodeURIComponent(req.match[2]!));
      if (!m) return googleError(res, 404, 'notFound', 'Requested entity was not found.');
      const body = req.json() as { addLabelIds?: string[]; removeLabelIds?: string[] };
      for (const l of [...(body.addLabelIds ?? []), ...(body.removeLabelIds ?? [])]) if (!labels.some((x) => x.id === l)) return googleError(res, 400, 'invalidArgument', `Invalid label: ${l}`);
      m.labelIds = [...new Set([...m.labelIds.filter((l) => !(body.removeLabelIds ?? []).includes(l)), ...(body.addLabelIds ?? [])])];
      m.historyId = next();
      sendJson(res, 200, view(m, 'minimal'));
    },
  });
  fake.route({
    method: 'GET', path: new RegExp(`${user}\\/labels$`), scopes: LABELS,
    handle: (req, res) => void (me(req, res) && sendJson(res, 200, { labels: labels.map((l) => ({ id: l.id, name: l.name, type: l.type })) })),
  });
  fake.route({
    method: 'GET', path: new RegExp(`${user}\\/history$`), scopes: READ,
    handle: (req, res) => {
      if (!me(req, res)) return;
      const start = req.query.get('startHistoryId');
      if (!start || !/^\d+$/.test(start)) return googleError(res, 400, 'invalidArgument', 'Invalid startHistoryId');
      if (Number(start) < expiredBefore) return googleError(res, 404, 'notFound', 'Requested entity was not found.');
      const label = req.query.get('labelId');
      const types = req.query.getAll('historyTypes');
      const records = history
        .filter((h) => Number(h.id) > Number(start))
        .filter((h) => types.length === 0 || types.includes('messageAdded'))
        .filter((h) => !label || h.messagesAdded.some((a) => a.message.labelIds.includes(label)));
      const { page, next: token } = pageOf(records, req, 100, 500);
      sendJson(res, 200, { ...(page.length ? { history: page } : {}), historyId: s.historyId(), ...(token ? { nextPageToken: token } : {}) });
    },
  });
  return s;
}
