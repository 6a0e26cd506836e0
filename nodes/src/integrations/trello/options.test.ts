// Identity (members/me), the editor's option lists, the client's host guard, and the spec
// checker itself (so a request that breaks the spec is known to be caught).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError } from '../../contract/index.ts';
import { ServiceProblemError } from '../framework/index.ts';
import { testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import { findOptionList, integrationOfNode } from '../registry.ts';
import { TrelloClient, trelloIntegration, trelloPath } from './index.ts';
import { addFakeToken, startFakeTrello, type FakeToken, type FakeTrello } from './testing/fake-trello.ts';
import { allSpecProblems, specProblems } from './testing/spec-check.ts';

let fake: FakeTrello;
let token: FakeToken;

beforeAll(async () => {
  fake = await startFakeTrello();
  token = addFakeToken(fake, 'read');
});
afterAll(() => fake.close());
afterEach(() => {
  expect(allSpecProblems(fake.requests)).toEqual([]);
  fake.requests.length = 0;
});

const call = (secret = `${token.key}:${token.token}`) => testServiceCall(testCredential({ provider: 'trello', secret }), fake.url);

function options(name: string) {
  const found = findOptionList('trello.create_card', name);
  if (!found) throw new Error(`no option list ${name}`);
  return found.list;
}

describe('trello identity', () => {
  it('members/me names the member', async () => {
    expect(await trelloIntegration.identity(call())).toEqual({ name: 'Ada Lovelace (@ada)', accountId: fake.members[0]!.id });
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/1/members/me' });
  });

  it('a refused token is a CredentialRejectedError; a malformed credential is refused before sending', async () => {
    await expect(trelloIntegration.identity(call(`${token.key}:ATTA${'2'.repeat(64)}`))).rejects.toBeInstanceOf(CredentialRejectedError);
    await expect(trelloIntegration.identity(call('no-colon-here'))).rejects.toThrow(/not in the "<API key>:<token>" form/);
  });

  it('is the registered trello integration', () => {
    expect(integrationOfNode('trello.create_card')).toBe(trelloIntegration);
    expect(trelloIntegration.nodes.map((n) => n.type).sort()).toEqual(['trello.add_comment', 'trello.add_label', 'trello.archive_card', 'trello.create_card', 'trello.event', 'trello.find_cards', 'trello.move_card', 'trello.update_card']);
  });
});

describe('trello option lists', () => {
  it('boards: the open boards of the member', async () => {
    expect(await options('boards').list(call(), { params: {} })).toEqual({ items: [{ value: fake.boards[0]!.id, label: 'Roadmap' }] });
  });

  it("lists, labels and members of a board, filtered by search", async () => {
    const params = { boardId: fake.boards[0]!.id };
    expect((await options('lists').list(call(), { params })).items.map((i) => i.label)).toEqual(['To do', 'Done']);
    expect((await options('lists').list(call(), { params, search: 'do' })).items.map((i) => i.label)).toEqual(['To do', 'Done']);
    expect((await options('lists').list(call(), { params, search: 'one' })).items.map((i) => i.label)).toEqual(['Done']);
    expect(await options('labels').list(call(), { params })).toEqual({ items: fake.labels.map((l) => ({ value: l.id, label: l.name, meta: { color: l.color } })) });
    expect((await options('members').list(call(), { params })).items).toEqual([
      { value: fake.members[0]!.id, label: 'Ada Lovelace (@ada)' },
      { value: fake.members[1]!.id, label: 'Grace Hopper (@grace)' },
    ]);
    expect(options('lists').dependsOn).toEqual(['boardId']);
  });

  it('a board-scoped list without a board, or with a board the member cannot see, says so', async () => {
    await expect(options('lists').list(call(), { params: {} })).rejects.toThrow(/choose a board first \(boardId\)/);
    const err = (await options("labels").list(call(), { params: { boardId: "dddddddddddddddddddddddd" } }).then(() => undefined, (e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toContain('board dddddddddddddddddddddddd was not found');
  });
});

describe('the credential stays on the Trello host', () => {
  it('ids that could move the path are refused before any request', () => {
    for (const bad of ['../../1/members/me', '//evil.example', 'https://evil.example/', '5abbe4b7ddc1b351ef96141']) {
      expect(() => trelloPath(bad, 'cardId')).toThrow(ServiceProblemError);
    }
  });

  it('a path leaving the base URL is refused by the client', async () => {
    const client = new TrelloClient(call());
    await expect(client.request({ method: 'GET', path: '//evil.example/x' })).rejects.toThrow(/refused/);
    await expect(client.request({ method: 'GET', path: '../../evil' })).rejects.toThrow(/refused|leave/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the spec checker', () => {
  const ok = { method: 'POST', path: '/1/cards', query: { key: 'k', token: 't' }, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idList: '5abbe4b7ddc1b351ef961414', name: 'x' }) };

  it('accepts a request that fits and catches each kind of misfit', () => {
    expect(specProblems(ok)).toEqual([]);
    expect(specProblems({ ...ok, query: { key: 'k' } })).toEqual(['POST /cards: security APIToken wants "token" in the query']);
    expect(specProblems({ ...ok, body: JSON.stringify({ name: 'x' }) })).toEqual(['POST /cards: required idList missing']);
    expect(specProblems({ ...ok, body: JSON.stringify({ idList: 'nope', name: 'x' }) })).toEqual(['POST /cards: idList=nope does not fit the spec']);
    expect(specProblems({ ...ok, body: JSON.stringify({ idList: '5abbe4b7ddc1b351ef961414', title: 'x' }) })).toEqual(['POST /cards: title is not a parameter of this operation']);
    expect(specProblems({ ...ok, body: JSON.stringify({ idList: '5abbe4b7ddc1b351ef961414', pos: 'middle' }) })).toEqual(['POST /cards: pos=middle does not fit the spec']);
    expect(specProblems({ ...ok, method: 'PATCH' })).toEqual(['PATCH /1/cards: no such operation in the spec']);
    expect(specProblems({ ...ok, method: 'GET', path: '/1/search', body: '', query: { key: 'k', token: 't', query: 'x', cards_limit: '5000' } })).toEqual(['GET /search: cards_limit=5000 does not fit the spec']);
  });
});
