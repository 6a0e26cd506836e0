// A fake Trello REST API on loopback, for tests. It speaks Trello's wire format as far as
// Keyflow uses it: key and token as query parameters, parameters in the query string or a JSON
// body, plain-text errors ("invalid token", "unauthorized permission requested", "invalid id",
// "invalid value for idList", "model not found", "The requested resource was not found."),
// 429 with Trello's JSON body and its x-rate-limit-* headers, search pages (cards_page), and
// webhooks (created only after the callback URL answers a HEAD with 200, like Trello).
// Every request is recorded for assertions, including the credential it carried.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. '/1/cards'. */
  path: string;
  /** Query parameters as sent (key and token included). */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text ('' when none). */
  body: string;
}

export interface FakeBoard { id: string; name: string; closed: boolean; url: string }
export interface FakeList { id: string; idBoard: string; name: string; closed: boolean; pos: number }
export interface FakeLabel { id: string; idBoard: string; name: string; color: string | null }
export interface FakeMember { id: string; username: string; fullName: string }
export interface FakeCard {
  id: string;
  idBoard: string;
  idList: string;
  name: string;
  desc: string;
  due: string | null;
  closed: boolean;
  pos: number;
  idLabels: string[];
  idMembers: string[];
  shortLink: string;
  url: string;
  shortUrl: string;
  dateLastActivity: string;
}
export interface FakeComment { id: string; idCard: string; text: string; idMemberCreator: string }
export interface FakeWebhook { id: string; idModel: string; callbackURL: string; description: string; active: boolean; token: string }

/** A credential the fake knows: 'write' tokens may change things, 'read' tokens only read. */
export interface FakeToken { key: string; token: string; scope: 'read' | 'write'; memberId: string }

export interface FakeTrelloOptions {
  /** Trello checks a webhook's callback URL with HEAD before creating it; off for unit tests. */
  checkCallbacks?: boolean;
  /** How the HEAD check reaches the callback (default: fetch); e.g. an in-memory app's request(). */
  headCheck?: (url: string) => Promise<number>;
}

export interface FakeTrello {
  /** Origin, e.g. http://127.0.0.1:53211 (what KEYFLOW_TRELLO_BASE_URL would be). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly boards: FakeBoard[];
  readonly lists: FakeList[];
  readonly labels: FakeLabel[];
  readonly members: FakeMember[];
  readonly cards: FakeCard[];
  readonly comments: FakeComment[];
  readonly webhooks: FakeWebhook[];
  readonly tokens: FakeToken[];
  /** The app secret Trello signs webhook deliveries with (the API key's OAuth secret). */
  readonly appSecret: string;
  /** The next `count` requests answer 429 like Trello's token limit, announcing a window of `intervalMs` (Trello's is 10 s). */
  rateLimitNext(count?: number, intervalMs?: number): void;
  /** The next `count` requests answer `status` with a plain-text body. */
  failNext(status: number, body: string, count?: number): void;
  /** Posts an action to a webhook's callback URL, signed as Trello signs it; returns the status. */
  deliver(webhookId: string, action: Record<string, unknown>, model?: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

const TRELLO_ID = /^[0-9a-f]{24}$/i;

function newId(): string {
  // Trello ids are 24 hex digits (a Mongo ObjectId).
  return randomBytes(12).toString('hex');
}

/** The signature Trello sends in X-Trello-Webhook: base64 HMAC-SHA1 of body + callback URL. */
export function trelloSignature(appSecret: string, body: string, callbackUrl: string): string {
  return createHmac('sha1', appSecret).update(body + callbackUrl, 'utf8').digest('base64');
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Trello takes every parameter from the query string or from a JSON body. */
function params(query: Record<string, string>, body: string, contentType: string): Record<string, string> {
  const out = { ...query };
  if (body !== '' && contentType.includes('json')) {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

function idList(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',');
}

function position(value: string | undefined, existing: number[]): number {
  if (value === undefined || value === 'bottom') return (existing.length ? Math.max(...existing) : 0) + 65536;
  if (value === 'top') return (existing.length ? Math.min(...existing) : 65536) / 2;
  return Number(value);
}

export async function startFakeTrello(options: FakeTrelloOptions = {}): Promise<FakeTrello> {
  const requests: RecordedRequest[] = [];
  const me: FakeMember = { id: newId(), username: 'ada', fullName: 'Ada Lovelace' };
  const other: FakeMember = { id: newId(), username: 'grace', fullName: 'Grace Hopper' };
  const board: FakeBoard = { id: newId(), name: 'Roadmap', closed: false, url: 'https://trello.com/b/AbCd1234/roadmap' };
  const board2: FakeBoard = { id: newId(), name: 'Archive', closed: true, url: 'https://trello.com/b/EfGh5678/archive' };
  const boards = [board, board2];
  const lists: FakeList[] = [
    { id: newId(), idBoard: board.id, name: 'To do', closed: false, pos: 16384 },
    { id: newId(), idBoard: board.id, name: 'Done', closed: false, pos: 32768 },
  ];
  const labels: FakeLabel[] = [
    { id: newId(), idBoard: board.id, name: 'urgent', color: 'red' },
    { id: newId(), idBoard: board.id, name: 'bug', color: 'orange' },
  ];
  const members = [me, other];
  const boardMembers = new Map<string, string[]>([[board.id, [me.id, other.id]], [board2.id, [me.id]]]);
  const cards: FakeCard[] = [];
  const comments: FakeComment[] = [];
  const webhooks: FakeWebhook[] = [];
  const tokens: FakeToken[] = [];
  const appSecret = randomBytes(32).toString('hex');
  let rateLimited = 0;
  let rateWindowMs = 10_000;
  let failures: { status: number; body: string; count: number } | undefined;

  const cardView = (c: FakeCard) => ({ ...c, labels: labels.filter((l) => c.idLabels.includes(l.id)) });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const body = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, headers: { ...req.headers }, body });

    if (failures && failures.count > 0) {
      failures.count -= 1;
      return text(res, failures.status, failures.body);
    }
    if (rateLimited > 0) {
      rateLimited -= 1;
      return json(res, 429, { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' }, {
        'x-rate-limit-api-token-interval-ms': String(rateWindowMs),
        'x-rate-limit-api-token-max': '100',
        'x-rate-limit-api-token-remaining': '0',
      });
    }

    let p: Record<string, string>;
    try {
      p = params(query, body, String(req.headers['content-type'] ?? ''));
    } catch {
      return text(res, 400, 'Invalid JSON');
    }
    if (!url.pathname.startsWith('/1/')) return text(res, 404, 'The requested resource was not found.');
    if (!p.key) return text(res, 401, 'invalid key');
    const cred = tokens.find((t) => t.key === p.key);
    if (!cred) return text(res, 401, 'invalid key');
    if (!p.token || cred.token !== p.token) return text(res, 401, 'invalid token');
    const method = req.method ?? 'GET';
    const writes = method !== 'GET' && method !== 'HEAD';
    if (writes && cred.scope !== 'write') return text(res, 401, 'unauthorized permission requested');

    const parts = url.pathname.slice(3).split('/').filter(Boolean);
    const [resource, id, sub] = parts;
    if (id !== undefined && id !== 'me' && resource !== 'tokens' && !TRELLO_ID.test(id)) return text(res, 400, 'invalid id');

    // members/me and members/{id}
    if (resource === 'members' && method === 'GET') {
      const member = id === 'me' ? members.find((m) => m.id === cred.memberId) : members.find((m) => m.id === id);
      if (!member) return text(res, 404, 'model not found');
      if (sub === 'boards') return json(res, 200, boards.filter((b) => boardMembers.get(b.id)?.includes(member.id)).filter((b) => p.filter !== 'open' || !b.closed));
      if (sub === undefined) return json(res, 200, member);
    }
    if (resource === 'boards' && method === 'GET' && id) {
      const b = boards.find((x) => x.id === id);
      if (!b || !boardMembers.get(b.id)?.includes(cred.memberId)) return text(res, 404, 'model not found');
      if (sub === 'lists') return json(res, 200, lists.filter((l) => l.idBoard === id && (p.filter !== 'open' || !l.closed)));
      if (sub === 'labels') return json(res, 200, labels.filter((l) => l.idBoard === id));
      if (sub === 'members') return json(res, 200, (boardMembers.get(id) ?? []).map((mid) => members.find((m) => m.id === mid)));
    }
    if (resource === 'cards' && id === undefined && method === 'POST') {
      const list = p.idList && TRELLO_ID.test(p.idList) ? lists.find((l) => l.id === p.idList) : undefined;
      if (!list) return text(res, 400, 'invalid value for idList');
      if (p.name !== undefined && p.name.length > 16384) return text(res, 400, 'invalid value for name');
      if (p.due !== undefined && p.due !== '' && Number.isNaN(Date.parse(p.due))) return text(res, 400, 'invalid value for due');
      for (const l of idList(p.idLabels)) if (!labels.some((x) => x.id === l && x.idBoard === list.idBoard)) return text(res, 400, 'invalid value for idLabels');
      for (const m of idList(p.idMembers)) if (!boardMembers.get(list.idBoard)?.includes(m)) return text(res, 400, 'invalid value for idMembers');
      const cid = newId();
      const shortLink = randomBytes(4).toString('hex');
      const card: FakeCard = {
        id: cid,
        idBoard: list.idBoard,
        idList: list.id,
        name: p.name ?? '',
        desc: p.desc ?? '',
        due: p.due ? new Date(p.due).toISOString() : null,
        closed: false,
        pos: position(p.pos, cards.filter((c) => c.idList === list.id).map((c) => c.pos)),
        idLabels: idList(p.idLabels),
        idMembers: idList(p.idMembers),
        shortLink,
        url: `https://trello.com/c/${shortLink}/${cards.length + 1}-${(p.name ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        shortUrl: `https://trello.com/c/${shortLink}`,
        dateLastActivity: new Date().toISOString(),
      };
      cards.push(card);
      return json(res, 200, cardView(card));
    }
    if (resource === 'cards' && id) {
      const card = cards.find((c) => c.id === id);
      if (!card || !boardMembers.get(card.idBoard)?.includes(cred.memberId)) return text(res, 404, 'The requested resource was not found.');
      if (method === 'GET' && sub === undefined) return json(res, 200, cardView(card));
      if (method === 'PUT' && sub === undefined) {
        if (p.idList !== undefined) {
          const list = TRELLO_ID.test(p.idList) ? lists.find((l) => l.id === p.idList) : undefined;
          if (!list) return text(res, 400, 'invalid value for idList');
          card.idList = list.id;
          card.idBoard = list.idBoard;
        }
        if (p.name !== undefined) {
          if (p.name === '') return text(res, 400, 'invalid value for name');
          card.name = p.name;
        }
        if (p.desc !== undefined) card.desc = p.desc;
        if (p.due !== undefined) {
          if (p.due !== '' && p.due !== 'null' && Number.isNaN(Date.parse(p.due))) return text(res, 400, 'invalid value for due');
          card.due = p.due === '' || p.due === 'null' ? null : new Date(p.due).toISOString();
        }
        if (p.closed !== undefined) card.closed = p.closed === 'true';
        if (p.pos !== undefined) card.pos = position(p.pos, cards.filter((c) => c.idList === card.idList && c !== card).map((c) => c.pos));
        if (p.idLabels !== undefined) card.idLabels = idList(p.idLabels);
        if (p.idMembers !== undefined) card.idMembers = idList(p.idMembers);
        card.dateLastActivity = new Date().toISOString();
        return json(res, 200, cardView(card));
      }
      if (method === 'POST' && sub === 'actions' && parts[3] === 'comments') {
        if (!p.text) return text(res, 400, 'invalid value for text');
        const comment: FakeComment = { id: newId(), idCard: card.id, text: p.text, idMemberCreator: cred.memberId };
        comments.push(comment);
        return json(res, 200, { id: comment.id, idMemberCreator: cred.memberId, type: 'commentCard', date: new Date().toISOString(), data: { text: p.text, card: { id: card.id, name: card.name } } });
      }
      if (method === 'POST' && sub === 'idLabels') {
        const label = p.value && TRELLO_ID.test(p.value) ? labels.find((l) => l.id === p.value && l.idBoard === card.idBoard) : undefined;
        if (!label) return text(res, 400, 'invalid value for value');
        if (card.idLabels.includes(label.id)) return text(res, 400, 'that label is already on the card');
        card.idLabels.push(label.id);
        return json(res, 200, card.idLabels);
      }
    }
    if (resource === 'search' && method === 'GET') {
      if (!p.query || p.query.length > 16384) return text(res, 400, 'invalid value for query');
      const limit = p.cards_limit === undefined ? 10 : Number(p.cards_limit);
      const page = p.cards_page === undefined ? 0 : Number(p.cards_page);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return text(res, 400, 'invalid value for cards_limit');
      if (!Number.isInteger(page) || page < 0 || page > 100) return text(res, 400, 'invalid value for cards_page');
      const words = p.query.toLowerCase().split(/\s+/).filter(Boolean);
      const boardsAllowed = p.idBoards && p.idBoards !== 'mine' ? p.idBoards.split(',') : [...boardMembers].filter(([, m]) => m.includes(cred.memberId)).map(([b]) => b);
      const hits = cards
        .filter((c) => boardsAllowed.includes(c.idBoard) && !c.closed)
        .filter((c) => words.every((w) => `${c.name} ${c.desc}`.toLowerCase().includes(w)));
      return json(res, 200, { options: { terms: words.map((text) => ({ text })), modelTypes: ['cards'], partial: p.partial === 'true' }, cards: hits.slice(page * limit, page * limit + limit).map(cardView) });
    }
    if (resource === 'webhooks' && method === 'POST' && id === undefined) {
      if (!p.idModel || !TRELLO_ID.test(p.idModel)) return text(res, 400, 'invalid value for idModel');
      if (!boards.some((b) => b.id === p.idModel) && !lists.some((l) => l.id === p.idModel) && !cards.some((c) => c.id === p.idModel)) return text(res, 400, 'invalid value for idModel');
      if (!p.callbackURL || !/^https?:\/\//.test(p.callbackURL)) return text(res, 400, 'invalid value for callbackURL');
      if (webhooks.some((w) => w.idModel === p.idModel && w.callbackURL === p.callbackURL && w.token === cred.token)) return text(res, 400, 'A webhook with that callback, model, and token already exists');
      if (options.checkCallbacks) {
        let status = 0;
        try {
          status = options.headCheck ? await options.headCheck(p.callbackURL) : (await fetch(p.callbackURL, { method: 'HEAD' })).status;
        } catch {
          status = 0;
        }
        if (status !== 200) return text(res, 400, `URL (${p.callbackURL}) did not return 200 status code, got ${status}`);
      }
      const hook: FakeWebhook = { id: newId(), idModel: p.idModel, callbackURL: p.callbackURL, description: p.description ?? '', active: p.active !== 'false', token: cred.token };
      webhooks.push(hook);
      const { token: _token, ...view } = hook;
      return json(res, 200, { ...view, consecutiveFailures: 0, firstConsecutiveFailDate: null });
    }
    if (resource === 'tokens' && id && sub === 'webhooks' && method === 'GET') {
      if (id !== cred.token) return text(res, 401, 'invalid token');
      return json(res, 200, webhooks.filter((w) => w.token === cred.token).map(({ token: _t, ...view }) => view));
    }
    if (resource === 'webhooks' && id && method === 'GET') {
      const hook = webhooks.find((w) => w.id === id && w.token === cred.token);
      if (!hook) return text(res, 404, 'model not found');
      const { token: _t, ...view } = hook;
      return json(res, 200, view);
    }
    if (resource === 'webhooks' && id && method === 'DELETE') {
      const at = webhooks.findIndex((w) => w.id === id && w.token === cred.token);
      if (at < 0) return text(res, 404, 'model not found');
      webhooks.splice(at, 1);
      return json(res, 200, { _value: null });
    }
    return text(res, 404, 'The requested resource was not found.');
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => text(res, 500, `fake-trello: ${String(err)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    boards,
    lists,
    labels,
    members,
    cards,
    comments,
    webhooks,
    tokens,
    appSecret,
    rateLimitNext(count = 1, intervalMs = 10_000) {
      rateLimited = count;
      rateWindowMs = intervalMs;
    },
    failNext(status, body, count = 1) {
      failures = { status, body, count };
    },
    async deliver(webhookId, action, model = {}) {
      const hook = webhooks.find((w) => w.id === webhookId);
      if (!hook) throw new Error(`fake-trello: no webhook ${webhookId}`);
      const body = JSON.stringify({ action, model: { id: hook.idModel, ...model }, webhook: { id: hook.id, idModel: hook.idModel, callbackURL: hook.callbackURL, description: hook.description, active: hook.active } });
      const res = await fetch(hook.callbackURL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trello-webhook': trelloSignature(appSecret, body, hook.callbackURL) },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A key and token in the forms Trello issues (32 hex, ATTA… token), registered with the fake. */
export function addFakeToken(fake: FakeTrello, scope: 'read' | 'write' = 'write', memberId = fake.members[0]!.id): FakeToken {
  const token: FakeToken = { key: randomBytes(16).toString('hex'), token: `ATTA${randomBytes(32).toString('hex')}`, scope, memberId };
  fake.tokens.push(token);
  return token;
}
