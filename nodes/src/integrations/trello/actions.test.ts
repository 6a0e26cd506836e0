// The seven Trello actions against the fake Trello: what reaches Trello (checked against the
// official spec on every request), what the node answers, and how each kind of failure maps
// onto the engine's error classes — without the key or token ever showing in an error.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NodeError, NonRetriableNodeError, parseNodeConfig, RetryAfterNodeError, type AnyNodeDefinition } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential } from '../framework/testing/test-context.ts';
import { addCommentNode, addLabelNode, archiveCardNode, createCardNode, findCardsNode, moveCardNode, updateCardNode } from './index.ts';
import { addFakeToken, startFakeTrello, type FakeCard, type FakeToken, type FakeTrello } from './testing/fake-trello.ts';
import { allSpecProblems } from './testing/spec-check.ts';
import { SEARCH_PAGE_SIZE } from './actions/find-cards.node.ts';

let fake: FakeTrello;
let writer: FakeToken;
let reader: FakeToken;

beforeAll(async () => {
  fake = await startFakeTrello();
  writer = addFakeToken(fake, 'write');
  reader = addFakeToken(fake, 'read');
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.cards.length = 0;
  fake.comments.length = 0;
});
afterEach(() => {
  // Every request any test made fits the official spec.
  expect(allSpecProblems(fake.requests)).toEqual([]);
});

const board = () => fake.boards[0]!;
const todo = () => fake.lists[0]!;
const done = () => fake.lists[1]!;
const urgent = () => fake.labels[0]!;
const bug = () => fake.labels[1]!;

function secretOf(t: FakeToken): string {
  return `${t.key}:${t.token}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function run(node: AnyNodeDefinition, config: Record<string, unknown>, token: FakeToken = writer): Promise<any> {
  const credential = testCredential({ provider: 'trello', secret: secretOf(token) });
  const ctx = createIntegrationTestContext(parseNodeConfig(node, config), { credential, baseUrls: { trello: fake.url } });
  // The nodes are all actions; the cast only spares the union of result types.
  return ((await node.run(ctx as never)) as { output: unknown }).output;
}

async function failure(node: AnyNodeDefinition, config: Record<string, unknown>, token: FakeToken = writer): Promise<NodeError> {
  const err = await run(node, config, token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NodeError);
  const text = JSON.stringify({ message: (err as Error).message, details: (err as NodeError).details, cause: String((err as Error).cause ?? '') });
  // Trello puts the credential in the URL: neither half may reach an error.
  for (const part of [token.key, token.token]) expect(text).not.toContain(part);
  return err as NodeError;
}

async function seedCard(overrides: Partial<FakeCard> = {}): Promise<FakeCard> {
  const out = (await run(createCardNode, { listId: todo().id, name: 'Seed card' })) as { id: string };
  const card = fake.cards.find((c) => c.id === out.id)!;
  Object.assign(card, overrides);
  fake.requests.length = 0;
  return card;
}

describe('trello.create_card', () => {
  it('creates the card with the pinned fields and the extras, and answers { id, url }', async () => {
    const out = await run(createCardNode, {
      listId: todo().id,
      name: 'Ship it',
      description: 'From **Keyflow** with a very long text '.repeat(50),
      due: '2025-02-01T17:00:00Z',
      labelIds: [urgent().id, bug().id],
      memberIds: [fake.members[1]!.id],
      position: 'top',
    });
    const card = fake.cards[0]!;
    expect(out).toMatchObject({ id: card.id, url: card.url, listId: todo().id, boardId: board().id, labelIds: [urgent().id, bug().id], memberIds: [fake.members[1]!.id] });
    expect(card).toMatchObject({ name: 'Ship it', due: '2025-02-01T17:00:00.000Z', idList: todo().id });
    const req = fake.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', path: '/1/cards', query: { key: writer.key, token: writer.token } });
    // User text travels in the body, not the URL.
    expect(JSON.parse(req.body)).toMatchObject({ idList: todo().id, name: 'Ship it', pos: 'top', idLabels: `${urgent().id},${bug().id}` });
    expect(Object.keys(req.query).sort()).toEqual(['key', 'token']);
  });

  it('refuses a config that is not Trello-shaped before calling anything', () => {
    expect(() => parseNodeConfig(createCardNode, { listId: 'not-an-id', name: 'x' })).toThrow(/listId: must be a Trello list id/);
    expect(() => parseNodeConfig(createCardNode, { listId: todo().id, name: '' })).toThrow(/name: a card needs a name/);
    expect(() => parseNodeConfig(createCardNode, { listId: todo().id, name: 'x', due: 'next tuesday' })).toThrow(/due: must be an ISO 8601 date/);
    expect(() => parseNodeConfig(createCardNode, { listId: todo().id, name: 'x', token: 'abc' })).toThrow(/unknown field 'token'/);
    expect(fake.requests).toHaveLength(0);
  });

  it('passes Trello\'s validation message on without retry (a list id that does not exist)', async () => {
    const err = await failure(createCardNode, { listId: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'x' });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toBe('Trello refused the request: invalid value for idList');
    expect(err.details).toMatchObject({ service: 'trello', kind: 'validation', status: 400 });
  });
});

describe('trello.update_card, move_card, archive_card', () => {
  it('update_card sends only the fields given; null clears the due date', async () => {
    const card = await seedCard({ due: '2025-01-05T00:00:00.000Z', desc: 'keep me' });
    const out = await run(updateCardNode, { cardId: card.id, name: 'Renamed', due: null, labelIds: [bug().id] });
    expect(out).toMatchObject({ id: card.id, name: 'Renamed', due: null, labelIds: [bug().id] });
    expect(card.desc).toBe('keep me');
    expect(JSON.parse(fake.requests[0]!.body)).toEqual({ name: 'Renamed', due: null, idLabels: bug().id });
    expect(() => parseNodeConfig(updateCardNode, { cardId: card.id })).toThrow(/say what to change/);
  });

  it('move_card moves the card to another list', async () => {
    const card = await seedCard();
    const out = await run(moveCardNode, { cardId: card.id, listId: done().id, position: 'bottom' });
    expect(out).toMatchObject({ id: card.id, listId: done().id });
    expect(card.idList).toBe(done().id);
    expect(fake.requests[0]).toMatchObject({ method: 'PUT', path: `/1/cards/${card.id}` });
  });

  it('archive_card closes the card, and archived: false restores it', async () => {
    const card = await seedCard();
    expect(await run(archiveCardNode, { cardId: card.id })).toMatchObject({ id: card.id, closed: true });
    expect(card.closed).toBe(true);
    expect(await run(archiveCardNode, { cardId: card.id, archived: false })).toMatchObject({ closed: false });
  });

  it('a card that does not exist is "not found", naming the card', async () => {
    const missing = 'bbbbbbbbbbbbbbbbbbbbbbbb';
    for (const [node, config] of [
      [updateCardNode, { cardId: missing, name: 'x' }],
      [moveCardNode, { cardId: missing, listId: done().id }],
      [archiveCardNode, { cardId: missing }],
      [addCommentNode, { cardId: missing, text: 'hi' }],
      [addLabelNode, { cardId: missing, labelId: urgent().id }],
    ] as const) {
      const err = await failure(node, config);
      expect(err).toBeInstanceOf(NonRetriableNodeError);
      expect(err.message).toContain(`card ${missing} was not found`);
      expect(err.details).toMatchObject({ kind: 'not_found', what: `card ${missing}` });
    }
  });
});

describe('trello.add_comment and add_label', () => {
  it('add_comment posts the text and answers the comment action', async () => {
    const card = await seedCard();
    const out = await run(addCommentNode, { cardId: card.id, text: 'Looks good ✅' });
    expect(fake.comments).toEqual([expect.objectContaining({ idCard: card.id, text: 'Looks good ✅' })]);
    expect(out).toMatchObject({ id: fake.comments[0]!.id, cardId: card.id, text: 'Looks good ✅' });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: `/1/cards/${card.id}/actions/comments` });
  });

  it('add_label adds the label and keeps the others; a retry after it landed is a success', async () => {
    const card = await seedCard({ idLabels: [bug().id] });
    expect(await run(addLabelNode, { cardId: card.id, labelId: urgent().id })).toEqual({ cardId: card.id, labelId: urgent().id, labelIds: [bug().id, urgent().id], alreadyThere: false });
    expect(await run(addLabelNode, { cardId: card.id, labelId: urgent().id })).toMatchObject({ labelIds: [bug().id, urgent().id], alreadyThere: true });
  });

  it('add_label with a label of no board of the card is a validation error', async () => {
    const card = await seedCard();
    const err = await failure(addLabelNode, { cardId: card.id, labelId: 'cccccccccccccccccccccccc' });
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.details).toMatchObject({ kind: 'validation' });
  });
});

describe('trello.find_cards', () => {
  it('searches and pages through cards_page until the limit', async () => {
    const list = todo();
    for (let i = 0; i < SEARCH_PAGE_SIZE * 2 + 30; i += 1) {
      fake.cards.push({ id: i.toString(16).padStart(24, 'e'), idBoard: list.idBoard, idList: list.id, name: `Invoice ${i}`, desc: '', due: null, closed: false, pos: i, idLabels: [], idMembers: [], shortLink: `s${i}`, url: `https://trello.com/c/s${i}`, shortUrl: `https://trello.com/c/s${i}`, dateLastActivity: '' });
    }
    fake.cards.push({ ...fake.cards[0]!, id: 'f'.repeat(24), name: 'Unrelated' });

    const all = await run(findCardsNode, { query: 'invoice', limit: 1000 });
    expect(all.count).toBe(SEARCH_PAGE_SIZE * 2 + 30);
    expect(all.truncated).toBe(false);
    expect(all.cards[0]).toMatchObject({ id: fake.cards[0]!.id, name: 'Invoice 0', listId: list.id });
    expect(fake.requests.map((r) => r.query.cards_page)).toEqual(['0', '1', '2']);
    expect(fake.requests[0]!.query).toMatchObject({ query: 'invoice', modelTypes: 'cards', idBoards: 'mine', cards_limit: String(SEARCH_PAGE_SIZE) });

    fake.requests.length = 0;
    const some = await run(findCardsNode, { query: 'invoice', limit: 150 });
    expect(some.count).toBe(150);
    expect(some.truncated).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it('a search with no hits answers an empty list after one request', async () => {
    expect(await run(findCardsNode, { query: 'nothing-like-this', boardIds: [board().id] })).toEqual({ cards: [], count: 0, truncated: false });
    expect(fake.requests).toHaveLength(1);
  });
});

// The same four failures for every action: Trello's own wire answers, mapped.
const everyAction = (card: () => string): [string, AnyNodeDefinition, () => Record<string, unknown>][] => [
  ['create_card', createCardNode, () => ({ listId: todo().id, name: 'x' })],
  ['update_card', updateCardNode, () => ({ cardId: card(), name: 'y' })],
  ['move_card', moveCardNode, () => ({ cardId: card(), listId: done().id })],
  ['archive_card', archiveCardNode, () => ({ cardId: card() })],
  ['add_comment', addCommentNode, () => ({ cardId: card(), text: 'hi' })],
  ['add_label', addLabelNode, () => ({ cardId: card(), labelId: urgent().id })],
  ['find_cards', findCardsNode, () => ({ query: 'x' })],
];

describe('every action maps Trello failures', () => {
  let cardId = '';
  beforeEach(async () => {
    cardId = (await seedCard()).id;
  });

  for (const [name, node, config] of everyAction(() => cardId)) {
    it(`${name}: a refused token is a CredentialRejectedError naming the credential and the fix`, async () => {
      const revoked: FakeToken = { ...writer, token: `ATTA${'0'.repeat(64)}` };
      const err = await failure(node, config(), revoked);
      expect(err).toBeInstanceOf(CredentialRejectedError);
      expect(err.message).toMatch(/^Trello rejected credential 00000000-0000-4000-8000-00000000c0de \(invalid token\); create a new token/);
      expect(err.retryable).toBe(false);
    });

    // find_cards only reads, which a read token may do (tested below).
    if (name !== 'find_cards') it(`${name}: a token without the needed permission names it`, async () => {
      const err = await failure(node, config(), reader);
      expect(err).toBeInstanceOf(NonRetriableNodeError);
      expect(err).not.toBeInstanceOf(CredentialRejectedError);
      expect(err.message).toContain('needs the "write" permission');
      expect(err.details).toMatchObject({ kind: 'scope', scope: 'write', status: 401 });
    });

    it(`${name}: 429 waits for Trello's rate window, then the retry succeeds`, async () => {
      fake.rateLimitNext(1, 2_500);
      const err = await failure(node, config());
      expect(err).toBeInstanceOf(RetryAfterNodeError);
      // Trello sends no Retry-After: the token window it announces is the wait.
      expect((err as RetryAfterNodeError).retryAfterMs).toBe(2_500);
      expect(err.details).toMatchObject({ kind: 'rate_limited', status: 429, code: 'API_TOKEN_LIMIT_EXCEEDED' });
      await expect(run(node, config())).resolves.toBeDefined();
    });

    it(`${name}: a 5xx is retried with backoff`, async () => {
      fake.failNext(503, 'Service Unavailable');
      const err = await failure(node, config());
      expect(err.retryable).toBe(true);
      expect(err).not.toBeInstanceOf(NonRetriableNodeError);
      expect(err.message).toContain('HTTP 503');
    });
  }

  it('find_cards works with a read-only token', async () => {
    await expect(run(findCardsNode, { query: 'seed' }, reader)).resolves.toMatchObject({ count: 1 });
  });

  it('a network fault is retried, and its message cannot carry the URL', async () => {
    const credential = testCredential({ provider: 'trello', secret: secretOf(writer) });
    const ctx = createIntegrationTestContext(parseNodeConfig(createCardNode, { listId: todo().id, name: 'x' }), { credential, baseUrls: { trello: 'http://127.0.0.1:9' } });
    const err = await createCardNode.run(ctx).then(() => undefined, (e: unknown) => e as NodeError);
    expect(err).toBeInstanceOf(NodeError);
    expect(err!.retryable).toBe(true);
    expect(err!.message).toMatch(/^could not reach Trello: network error/);
    expect(JSON.stringify({ m: err!.message, d: err!.details, c: String(err!.cause) })).not.toContain(writer.token);
  });
});
