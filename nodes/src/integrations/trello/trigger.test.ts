// trello.event: Trello's signature (a fixed known-answer vector computed outside this code),
// the delivery decision (HEAD check, signature, date window, replay, filters), and the webhook's
// life with activation against the fake Trello, which HEAD-checks the callback and signs what
// it delivers as Trello does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError, parseNodeConfig } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import {
  decideTrelloDelivery,
  memoryReplayGuard,
  trelloEventConfig,
  trelloEventTrigger,
  trelloIntegration,
  trelloWebhookSignature,
  verifyTrelloSignature,
  type TrelloDeliveryDecision,
  type TrelloDeliveryInput,
} from './index.ts';
import { addFakeToken, startFakeTrello, trelloSignature, type FakeToken, type FakeTrello } from './testing/fake-trello.ts';
import { allSpecProblems } from './testing/spec-check.ts';

// Known answer, computed with Python's hmac module and with `openssl dgst -sha1 -hmac … -binary | base64`
// (both gave the same value), from Trello's documented rule: base64(HMAC-SHA1(secret, body + callbackURL)).
const VECTOR = {
  secret: '2f1e6b3c9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1',
  body: '{"action":{"id":"5f0c1a2b3c4d5e6f7a8b9c0d","type":"createCard","date":"2025-01-01T00:00:00.000Z","data":{"card":{"name":"Café ☕"}}},"model":{"id":"5abbe4b7ddc1b351ef961414"}}',
  callbackUrl: 'https://hooks.keyflow.example/hooks/AbCdEfGhIjKlMnOpQrStUvWxYz012345',
  signature: 'og+q7b4MNyjx/tRQ5BRtvjzu1WE=',
};
const bytes = (s: string) => new TextEncoder().encode(s);

describe('X-Trello-Webhook signature', () => {
  it('matches the known-answer vector (UTF-8 body, non-ASCII text included)', async () => {
    expect(await trelloWebhookSignature(VECTOR.secret, VECTOR.body, VECTOR.callbackUrl)).toBe(VECTOR.signature);
    expect(await verifyTrelloSignature(VECTOR.secret, bytes(VECTOR.body), VECTOR.callbackUrl, VECTOR.signature)).toBe(true);
    // The fake signs with node:crypto: it agrees.
    expect(trelloSignature(VECTOR.secret, VECTOR.body, VECTOR.callbackUrl)).toBe(VECTOR.signature);
  });

  it.each([
    ['one byte of the body changed', VECTOR.secret, `${VECTOR.body} `, VECTOR.callbackUrl, VECTOR.signature],
    ['another secret', `${VECTOR.secret}x`, VECTOR.body, VECTOR.callbackUrl, VECTOR.signature],
    ['another callback URL (trailing slash)', VECTOR.secret, VECTOR.body, `${VECTOR.callbackUrl}/`, VECTOR.signature],
    ['no header', VECTOR.secret, VECTOR.body, VECTOR.callbackUrl, undefined],
    ['an empty header', VECTOR.secret, VECTOR.body, VECTOR.callbackUrl, ''],
    ['a truncated signature', VECTOR.secret, VECTOR.body, VECTOR.callbackUrl, VECTOR.signature.slice(0, 20)],
    ['not base64', VECTOR.secret, VECTOR.body, VECTOR.callbackUrl, '!!!not-base64!!!'],
    ['the digest in hex', VECTOR.secret, VECTOR.body, VECTOR.callbackUrl, 'a20faaedbe0c3728f1fed450e41451b6f8f3bb55'],
    ['an empty secret', '', VECTOR.body, VECTOR.callbackUrl, VECTOR.signature],
  ])('refuses %s, without throwing', async (_name, secret, body, url, header) => {
    await expect(verifyTrelloSignature(secret, bytes(body), url, header)).resolves.toBe(false);
  });
});

const MODEL = '5abbe4b7ddc1b351ef961414';
const LIST_A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const NOW = new Date('2025-01-01T00:10:00.000Z');

function action(overrides: Record<string, unknown> = {}) {
  return { id: '5f0c1a2b3c4d5e6f7a8b9c0d', type: 'createCard', date: '2025-01-01T00:09:00.000Z', idMemberCreator: '5c0000000000000000000001', data: { card: { id: 'c1', name: 'New' }, list: { id: LIST_A } }, memberCreator: { id: '5c0000000000000000000001', username: 'ada', fullName: 'Ada' }, ...overrides };
}

async function signed(body: unknown, config: Record<string, unknown> = {}, extra: Partial<TrelloDeliveryInput> = {}): Promise<TrelloDeliveryDecision> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return decideTrelloDelivery({
    method: 'POST',
    headers: { 'x-trello-webhook': await trelloWebhookSignature(VECTOR.secret, raw, VECTOR.callbackUrl) },
    rawBody: bytes(raw),
    callbackUrl: VECTOR.callbackUrl,
    appSecret: VECTOR.secret,
    config: trelloEventConfig.parse({ modelId: MODEL, ...config }),
    now: NOW,
    ...extra,
  });
}

describe('decideTrelloDelivery', () => {
  const config = trelloEventConfig.parse({ modelId: MODEL });
  const base = { headers: {}, rawBody: new Uint8Array(), callbackUrl: VECTOR.callbackUrl, appSecret: VECTOR.secret, config, now: NOW };

  it("answers Trello's HEAD check with 200 and nothing else, unsigned", async () => {
    expect(await decideTrelloDelivery({ ...base, method: 'HEAD' })).toEqual({ kind: 'head_ok', status: 200 });
    expect(await decideTrelloDelivery({ ...base, method: 'GET' })).toMatchObject({ kind: 'refused', status: 405 });
  });

  it('starts a run with the verified event', async () => {
    const decision = await signed({ action: action(), model: { id: MODEL, name: 'Roadmap' }, webhook: { id: 'w1' } });
    expect(decision).toEqual({
      kind: 'start',
      status: 200,
      deliveryKey: `trello:${MODEL}:5f0c1a2b3c4d5e6f7a8b9c0d`,
      ttlSeconds: 3600 - 60 + 300,
      event: { type: 'createCard', actionId: '5f0c1a2b3c4d5e6f7a8b9c0d', date: '2025-01-01T00:09:00.000Z', memberCreator: { id: '5c0000000000000000000001', username: 'ada', fullName: 'Ada' }, data: action().data, model: { id: MODEL, name: 'Roadmap' }, webhookId: 'w1' },
    });
  });

  it('refuses an unsigned or wrongly signed delivery with 401 (never 410, which makes Trello delete the webhook)', async () => {
    const raw = JSON.stringify({ action: action() });
    expect(await decideTrelloDelivery({ ...base, method: 'POST', rawBody: bytes(raw) })).toMatchObject({ kind: 'refused', status: 401 });
    const sig = await trelloWebhookSignature(VECTOR.secret, raw, VECTOR.callbackUrl);
    expect(await decideTrelloDelivery({ ...base, method: 'POST', rawBody: bytes(raw.replace('New', 'Old')), headers: { 'x-trello-webhook': sig } })).toMatchObject({ kind: 'refused', status: 401 });
  });

  it('refuses signed bodies that are not deliveries', async () => {
    expect(await signed('not json')).toMatchObject({ kind: 'refused', status: 400, reason: 'the body is not JSON' });
    expect(await signed({ model: { id: MODEL } })).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('replay: the same delivery twice starts one run; an old signed delivery is refused by its date', async () => {
    const replay = memoryReplayGuard(() => NOW);
    const body = { action: action() };
    expect(await signed(body, {}, { replay })).toMatchObject({ kind: 'start' });
    expect(await signed(body, {}, { replay })).toEqual({ kind: 'duplicate', status: 200, deliveryKey: `trello:${MODEL}:5f0c1a2b3c4d5e6f7a8b9c0d` });
    // Another action is another delivery.
    expect(await signed({ action: action({ id: '5f0c1a2b3c4d5e6f7a8b9c0e' }) }, {}, { replay })).toMatchObject({ kind: 'start' });
    // Past the window, the guard may have forgotten it, but the date refuses it.
    expect(await signed({ action: action({ date: '2024-12-31T23:00:00.000Z' }) }, {}, { replay })).toMatchObject({ kind: 'refused', status: 400, reason: expect.stringContaining('older than the replay window') });
    expect(await signed({ action: action({ date: '2025-01-01T01:00:00.000Z' }) })).toMatchObject({ kind: 'refused', reason: expect.stringContaining('future') });
    expect(await signed({ action: action({ date: 'yesterday' }) })).toMatchObject({ kind: 'refused', reason: 'the action has no valid date' });
  });

  it('filters by action type and by list, answering 200 so Trello does not retry', async () => {
    expect(await signed({ action: action({ type: 'updateCard' }) }, { actionTypes: ['createCard', 'commentCard'] })).toMatchObject({ kind: 'ignored', status: 200, reason: 'action type updateCard is not among createCard, commentCard' });
    expect(await signed({ action: action({ type: 'commentCard' }) }, { actionTypes: ['createCard', 'commentCard'] })).toMatchObject({ kind: 'start' });
    const moved = action({ type: 'updateCard', data: { card: { id: 'c1' }, listBefore: { id: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, listAfter: { id: LIST_A } } });
    expect(await signed({ action: moved }, { listId: LIST_A })).toMatchObject({ kind: 'start' });
    expect(await signed({ action: moved }, { listId: 'cccccccccccccccccccccccc' })).toMatchObject({ kind: 'ignored' });
  });
});

describe('trello.event node', () => {
  it('hands on the verified event', async () => {
    const decision = await signed({ action: action() });
    if (decision.kind !== 'start') throw new Error('expected a start');
    const ctx = createIntegrationTestContext(parseNodeConfig(trelloEventTrigger, { modelId: MODEL }), { trigger: decision.event });
    expect(await trelloEventTrigger.run(ctx)).toEqual({ output: decision.event });
  });

  it('refuses to start from anything but a verified event', async () => {
    const ctx = createIntegrationTestContext(parseNodeConfig(trelloEventTrigger, { modelId: MODEL }), { trigger: { method: 'POST', headers: {}, body: {} } });
    await expect(trelloEventTrigger.run(ctx)).rejects.toBeInstanceOf(NonRetriableNodeError);
    expect(() => parseNodeConfig(trelloEventTrigger, { modelId: MODEL, actionTypes: ['create card'] })).toThrow(/must be a Trello action type/);
  });
});

describe('webhook activation against the fake Trello', () => {
  let fake: FakeTrello;
  let token: FakeToken;
  let keyflow: Server;
  let callbackUrl: string;
  const decisions: TrelloDeliveryDecision[] = [];
  const replay = memoryReplayGuard();
  const activation = trelloIntegration.activations!['trello.event']!;
  const call = () => testServiceCall(testCredential({ provider: 'trello', secret: `${token.key}:${token.token}` }), fake.url);
  const boardId = () => fake.boards[0]!.id;

  beforeAll(async () => {
    fake = await startFakeTrello({ checkCallbacks: true });
    token = addFakeToken(fake, 'write');
    // Keyflow's side of the callback, deciding as the server would.
    keyflow = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        decideTrelloDelivery({ method: req.method ?? '', headers, rawBody: new Uint8Array(Buffer.concat(chunks)), callbackUrl, appSecret: fake.appSecret, config: trelloEventConfig.parse({ modelId: boardId(), actionTypes: ['createCard'] }), now: new Date(), replay }).then((d) => {
          if (req.method !== 'HEAD') decisions.push(d);
          res.writeHead(d.status).end();
        }, () => res.writeHead(500).end());
      });
    });
    await new Promise<void>((resolve) => keyflow.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(keyflow.address() as AddressInfo).port}/hooks/AbCdEfGhIjKlMnOpQrStUvWxYz012345`;
  });
  afterAll(async () => {
    keyflow.closeAllConnections();
    await new Promise((r) => keyflow.close(r));
    await fake.close();
  });
  afterEach(() => {
    expect(allSpecProblems(fake.requests)).toEqual([]);
  });

  it('activate registers the webhook after the HEAD check; deliveries are verified and filtered; deactivate deletes it', async () => {
    const { externalId } = await activation.activate(call(), { config: { modelId: boardId() }, callbackUrl });
    expect(fake.webhooks).toEqual([expect.objectContaining({ id: externalId, idModel: boardId(), callbackURL: callbackUrl })]);
    const create = fake.requests.find((r) => r.method === 'POST')!;
    expect(create).toMatchObject({ path: '/1/webhooks/', query: { key: token.key, token: token.token } });

    const now = new Date().toISOString();
    expect(await fake.deliver(externalId, { id: '5f0c1a2b3c4d5e6f7a8b0001', type: 'createCard', date: now, data: { card: { id: 'c9', name: 'From Trello' } } })).toBe(200);
    expect(await fake.deliver(externalId, { id: '5f0c1a2b3c4d5e6f7a8b0001', type: 'createCard', date: now, data: {} })).toBe(200);
    expect(await fake.deliver(externalId, { id: '5f0c1a2b3c4d5e6f7a8b0002', type: 'updateCard', date: now, data: {} })).toBe(200);
    expect(decisions.map((d) => d.kind)).toEqual(['start', 'duplicate', 'ignored']);
    expect(decisions[0]).toMatchObject({ event: { type: 'createCard', data: { card: { name: 'From Trello' } }, webhookId: externalId } });

    await activation.deactivate(call(), { config: { modelId: boardId() }, externalId });
    expect(fake.webhooks).toEqual([]);
    // Already gone is what deactivation wants.
    await expect(activation.deactivate(call(), { config: { modelId: boardId() }, externalId })).resolves.toBeUndefined();
  });

  it('activating again over a leftover webhook takes it over instead of failing', async () => {
    const first = await activation.activate(call(), { config: { modelId: boardId() }, callbackUrl });
    const again = await activation.activate(call(), { config: { modelId: boardId() }, callbackUrl });
    expect(again.externalId).toBe(first.externalId);
    expect(fake.webhooks).toHaveLength(1);
    await activation.deactivate(call(), { config: {}, externalId: first.externalId });
  });

  it("a callback that fails Trello's HEAD check fails activation with Trello's message", async () => {
    const err = await activation.activate(call(), { config: { modelId: boardId() }, callbackUrl: 'http://127.0.0.1:9/hooks/x' }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect((err as Error).message).toBe('Trello refused the request: URL (http://127.0.0.1:9/hooks/x) did not return 200 status code, got 0');
    expect(fake.webhooks).toHaveLength(0);
  });

  it('a revoked token fails activation as a rejected credential; the token is in no message', async () => {
    const revoked = testServiceCall(testCredential({ provider: 'trello', secret: `${token.key}:ATTA${'1'.repeat(64)}` }), fake.url);
    const err = await activation.activate(revoked, { config: { modelId: boardId() }, callbackUrl }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(CredentialRejectedError);
    expect(JSON.stringify({ m: (err as Error).message, d: (err as CredentialRejectedError).details })).not.toContain(token.key);
  });
});
