// trello.event: Trello's signature (a fixed known-answer vector computed outside this code),
// the delivery decision (HEAD check, signature, date window, replay, filters), and the webhook's
// life with activation against the fake Trello, which HEAD-checks the callback and signs what
// it delivers as Trello does.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NonRetriableNodeError, parseNodeConfig } from '../../contract/index.ts';
import type { InboundDecision, InboundRequest } from '../framework/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import { toTrelloEvent, trelloEventInbound, trelloEventTrigger, trelloIntegration, trelloWebhookSignature, verifyTrelloSignature } from './index.ts';
import { addFakeToken, startFakeTrello, trelloSignature, type FakeToken, type FakeTrello } from './testing/fake-trello.ts';
import { allSpecProblems } from './testing/spec-check.ts';
import { hmacSha1, sha1 } from './trigger/hmac-sha1.ts';

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
  it('matches the known-answer vector (UTF-8 body, non-ASCII text included)', () => {
    expect(trelloWebhookSignature(VECTOR.secret, VECTOR.body, VECTOR.callbackUrl)).toBe(VECTOR.signature);
    expect(verifyTrelloSignature(VECTOR.secret, bytes(VECTOR.body), VECTOR.callbackUrl, VECTOR.signature)).toBe(true);
    // The fake signs with node:crypto: it agrees.
    expect(trelloSignature(VECTOR.secret, VECTOR.body, VECTOR.callbackUrl)).toBe(VECTOR.signature);
  });

  it('the pure HMAC-SHA1 equals node:crypto on every padding boundary and long keys', () => {
    expect(Buffer.from(sha1(new Uint8Array())).toString('hex')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709'); // FIPS 180 empty-string digest
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
      for (const keyLength of [0, 20, 64, 65, 200]) {
        const key = randomBytes(keyLength);
        const message = randomBytes(length);
        expect(Buffer.from(hmacSha1(key, message)).toString('base64')).toBe(createHmac('sha1', key).update(message).digest('base64'));
      }
    }
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
  ])('refuses %s, without throwing', (_name, secret, body, url, header) => {
    expect(verifyTrelloSignature(secret, bytes(body), url, header)).toBe(false);
  });
});

const MODEL = '5abbe4b7ddc1b351ef961414';
const LIST_A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const NOW = new Date('2025-01-01T00:10:00.000Z');

function action(overrides: Record<string, unknown> = {}) {
  return { id: '5f0c1a2b3c4d5e6f7a8b9c0d', type: 'createCard', date: '2025-01-01T00:09:00.000Z', idMemberCreator: '5c0000000000000000000001', data: { card: { id: 'c1', name: 'New' }, list: { id: LIST_A } }, memberCreator: { id: '5c0000000000000000000001', username: 'ada', fullName: 'Ada' }, ...overrides };
}

/** A request as the server hands it to the inbound hooks, signed by Trello unless told otherwise. */
function request(body: unknown, opts: { method?: string; signature?: string; now?: Date; url?: string } = {}): InboundRequest {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // stays text, as the server leaves a non-JSON body
  }
  return {
    method: opts.method ?? 'POST',
    headers: { 'content-type': 'application/json', 'x-trello-webhook': opts.signature ?? trelloWebhookSignature(VECTOR.secret, raw, VECTOR.callbackUrl) },
    body: parsed,
    rawBody: Buffer.from(raw),
    url: opts.url ?? VECTOR.callbackUrl,
    now: opts.now ?? NOW,
  };
}

/** What the server does with a Trello delivery: probe, signature, receive, then dedupe by deliveryId. */
function serverFlow(seen: Set<string>, secret: string, config: Record<string, unknown>) {
  return (req: InboundRequest): { status: number; decision?: InboundDecision | 'duplicate' } => {
    const { probe, signature, receive } = trelloEventInbound;
    if (probe && req.method === probe.method) return { status: probe.status };
    if (!('verify' in signature) || !signature.verify(req, secret)) return { status: 401 };
    const decision = receive(req, config);
    if (decision.kind === 'run' && decision.deliveryId) {
      if (seen.has(decision.deliveryId)) return { status: 200, decision: 'duplicate' };
      seen.add(decision.deliveryId);
    }
    return { status: decision.kind === 'answer' ? decision.status : 200, decision };
  };
}

describe('trello.event inbound', () => {
  const config = { modelId: MODEL };
  const receive = (req: InboundRequest, c: Record<string, unknown> = config) => trelloEventInbound.receive(req, c);

  it("answers Trello's HEAD check with 200, unsigned, starting nothing", () => {
    expect(trelloEventInbound.probe).toEqual({ method: 'HEAD', status: 200 });
    expect(serverFlow(new Set(), VECTOR.secret, config)(request('', { method: 'HEAD', signature: '' }))).toEqual({ status: 200 });
  });

  it('verifies the signature over the raw body and the callback URL', () => {
    const { signature } = trelloEventInbound;
    if (!('verify' in signature)) throw new Error('trello verifies itself');
    expect(signature.verify(request({ action: action() }), VECTOR.secret)).toBe(true);
    expect(signature.verify(request({ action: action() }), 'another secret')).toBe(false);
    expect(signature.verify(request({ action: action() }, { url: 'https://hooks.keyflow.example/hooks/other' }), VECTOR.secret)).toBe(false);
    const forged = request({ action: action({ type: 'deleteCard' }) }, { signature: trelloWebhookSignature(VECTOR.secret, JSON.stringify({ action: action() }), VECTOR.callbackUrl) });
    expect(signature.verify(forged, VECTOR.secret)).toBe(false);
    expect(serverFlow(new Set(), VECTOR.secret, config)(forged)).toEqual({ status: 401 });
  });

  it('names the run by the signed action id', () => {
    expect(receive(request({ action: action(), model: { id: MODEL } }))).toEqual({ kind: 'run', deliveryId: `trello:${MODEL}:5f0c1a2b3c4d5e6f7a8b9c0d` });
  });

  it('refuses signed bodies that are not deliveries (400, never 410)', () => {
    expect(receive(request('not json'))).toMatchObject({ kind: 'answer', status: 400 });
    expect(receive(request({ model: { id: MODEL } }))).toMatchObject({ kind: 'answer', status: 400 });
  });

  it('replay: the same delivery twice starts one run; an old signed delivery is refused by its date', () => {
    const flow = serverFlow(new Set(), VECTOR.secret, config);
    const body = { action: action() };
    expect(flow(request(body))).toMatchObject({ status: 200, decision: { kind: 'run' } });
    expect(flow(request(body))).toEqual({ status: 200, decision: 'duplicate' });
    // Another action is another delivery.
    expect(flow(request({ action: action({ id: '5f0c1a2b3c4d5e6f7a8b9c0e' }) }))).toMatchObject({ decision: { kind: 'run' } });
    // Replayed after the window (when the server may have forgotten its id), the date refuses it.
    expect(flow(request(body, { now: new Date('2025-01-01T01:09:01.000Z') }))).toMatchObject({ status: 400, decision: { body: { error: { message: expect.stringContaining('older than 3600 s') } } } });
    expect(receive(request({ action: action({ date: '2025-01-01T01:00:00.000Z' }) }))).toMatchObject({ kind: 'answer', body: { error: { message: expect.stringContaining('future') } } });
    expect(receive(request({ action: action({ date: 'yesterday' }) }))).toMatchObject({ kind: 'answer', body: { error: { message: 'the action has no valid date' } } });
  });

  it('filters by action type and by list (200, so Trello does not retry)', () => {
    const types = { ...config, actionTypes: ['createCard', 'commentCard'] };
    expect(receive(request({ action: action({ type: 'updateCard' }) }), types)).toEqual({ kind: 'ignore', reason: 'action type updateCard is not among createCard, commentCard' });
    expect(receive(request({ action: action({ type: 'commentCard' }) }), types)).toMatchObject({ kind: 'run' });
    const moved = action({ type: 'updateCard', data: { card: { id: 'c1' }, listBefore: { id: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, listAfter: { id: LIST_A } } });
    expect(receive(request({ action: moved }), { ...config, listId: LIST_A })).toMatchObject({ kind: 'run' });
    expect(receive(request({ action: moved }), { ...config, listId: 'cccccccccccccccccccccccc' })).toMatchObject({ kind: 'ignore' });
  });
});

describe('trello.event node', () => {
  it('turns the verified request into the event', async () => {
    const req = request({ action: action(), model: { id: MODEL, name: 'Roadmap' }, webhook: { id: 'w1' } });
    const ctx = createIntegrationTestContext(parseNodeConfig(trelloEventTrigger, { modelId: MODEL }), { trigger: { method: 'POST', headers: {}, query: {}, body: req.body } });
    expect(await trelloEventTrigger.run(ctx)).toEqual({
      output: { type: 'createCard', actionId: '5f0c1a2b3c4d5e6f7a8b9c0d', date: '2025-01-01T00:09:00.000Z', memberCreator: { id: '5c0000000000000000000001', username: 'ada', fullName: 'Ada' }, data: action().data, model: { id: MODEL, name: 'Roadmap' }, webhookId: 'w1' },
    });
  });

  it('refuses to start from anything but a Trello delivery', async () => {
    const ctx = createIntegrationTestContext(parseNodeConfig(trelloEventTrigger, { modelId: MODEL }), { trigger: { method: 'POST', headers: {}, body: {} } });
    await expect(trelloEventTrigger.run(ctx)).rejects.toBeInstanceOf(NonRetriableNodeError);
    expect(() => parseNodeConfig(trelloEventTrigger, { modelId: MODEL, actionTypes: ['create card'] })).toThrow(/must be a Trello action type/);
    expect(toTrelloEvent({ action: { id: 'x' } })).toBeUndefined();
  });
});

describe('webhook activation against the fake Trello', () => {
  let fake: FakeTrello;
  let token: FakeToken;
  let keyflow: Server;
  let callbackUrl: string;
  const outcomes: { status: number; decision?: InboundDecision | 'duplicate' }[] = [];
  const activation = trelloIntegration.activations!['trello.event']!;
  const call = () => testServiceCall(testCredential({ provider: 'trello', secret: `${token.key}:${token.token}` }), fake.url);
  const boardId = () => fake.boards[0]!.id;

  beforeAll(async () => {
    fake = await startFakeTrello({ checkCallbacks: true });
    token = addFakeToken(fake, 'write');
    const seen = new Set<string>();
    // Keyflow's side of the callback, running the inbound hooks as the server does.
    keyflow = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        const raw = Buffer.concat(chunks);
        const inbound: InboundRequest = { method: req.method ?? '', headers, rawBody: raw, body: raw.length ? JSON.parse(raw.toString('utf8')) : null, url: callbackUrl, now: new Date() };
        const outcome = serverFlow(seen, fake.appSecret, { modelId: boardId(), actionTypes: ['createCard'] })(inbound);
        if (req.method !== 'HEAD') outcomes.push(outcome);
        res.writeHead(outcome.status).end();
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
    expect(outcomes.map((o) => (typeof o.decision === 'string' ? o.decision : o.decision?.kind))).toEqual(['run', 'duplicate', 'ignore']);

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
