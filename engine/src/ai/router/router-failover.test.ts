import { describe, expect, it } from 'vitest';
import { ProviderError, type ProviderErrorKind } from '../types.ts';
import { AllProvidersFailed } from './router-errors.ts';
import { cred, routerHarness } from './test-stubs.ts';

const fail = (kind: ProviderErrorKind, status?: number) => ({ error: new ProviderError('openai', kind, `openai ${kind}`, status ? { status } : {}) });

describe('router: failover matrix (openai o-small fails first)', () => {
  it.each<[ProviderErrorKind, boolean]>([
    ['rate_limited', true],
    ['server', true],
    ['timeout', true],
    ['connection', true],
    ['not_found', true],
    ['auth', true],
    ['bad_request', false],
    ['other', false],
  ])('%s → fails over: %s', async (kind, failsOver) => {
    const h = routerHarness({ scripts: { openai: [fail(kind)] } });
    const outcome = await h.router.route(h.call()).then(
      (r) => ({ provider: r.provider, model: r.model }),
      (e: unknown) => e,
    );
    if (failsOver) {
      expect(outcome).toEqual({ provider: 'deepseek', model: 'd-chat' });
    } else {
      expect(outcome).toBeInstanceOf(ProviderError);
      expect(outcome).toMatchObject({ kind });
      expect(h.providers.deepseek.calls).toHaveLength(0);
    }
    expect(h.usage.events[0]).toMatchObject({ provider: 'openai', outcome: kind, costMicros: 0 });
  });

  it('a provider bug (not a ProviderError) stops the call and is recorded as other', async () => {
    const h = routerHarness({ scripts: { openai: [{ error: new TypeError('undefined is not a function') }] } });
    await expect(h.router.route(h.call())).rejects.toThrow(TypeError);
    expect(h.usage.events.map((e) => e.outcome)).toEqual(['other']);
  });

  it('after a retryable failure the next try goes to another provider, not another model of the same one', async () => {
    const h = routerHarness({ scripts: { openai: [fail('server')], deepseek: [{ error: new ProviderError('deepseek', 'server', 'x') }] } });
    const r = await h.router.route(h.call());
    expect(r.attempts.map((a) => `${a.provider}/${a.model}`)).toEqual(['openai/o-small', 'deepseek/d-chat', 'anthropic/a-small']);
  });

  it('an aborted call does not fail over', async () => {
    const h = routerHarness({ scripts: { openai: [fail('timeout')] } });
    const ac = new AbortController();
    ac.abort();
    await expect(h.router.route(h.call({ request: { messages: [{ role: 'user', content: 'hi' }], maxTokens: 100, signal: ac.signal } }))).rejects.toMatchObject({ kind: 'timeout' });
    expect(h.providers.deepseek.calls).toHaveLength(0);
  });

  it('gives up after maxAttempts and lists every attempt without secrets', async () => {
    const err = (p: 'openai' | 'anthropic' | 'deepseek') => [{ error: new ProviderError(p, 'server', 'down', { status: 503 }) }];
    const h = routerHarness({ maxAttempts: 2, scripts: { openai: err('openai'), anthropic: err('anthropic'), deepseek: err('deepseek') } });
    const e = await h.router.route(h.call()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AllProvidersFailed);
    expect((e as AllProvidersFailed).attempts).toEqual([
      { provider: 'openai', model: 'o-small', kind: 'server', status: 503 },
      { provider: 'deepseek', model: 'd-chat', kind: 'server', status: 503 },
    ]);
    expect((e as Error).message).toBe('every AI provider failed: openai/o-small: server (503); deepseek/d-chat: server (503)');
    expect((e as Error).message).not.toContain('sk-test');
    expect(h.providers.anthropic.calls).toHaveLength(0);
  });
});

describe('router: a rejected key', () => {
  it('is marked invalid and the call moves on', async () => {
    const h = routerHarness({ scripts: { openai: [fail('auth', 401)] } });
    const r = await h.router.route(h.call());
    expect(h.invalidated).toEqual(['openai-key']);
    expect(r.provider).toBe('deepseek');
  });

  it('is not used again in the same call; another key of the same provider is', async () => {
    const h = routerHarness({
      scripts: { openai: [fail('auth', 401), {}], deepseek: [{ error: new ProviderError('deepseek', 'server', 'x') }], anthropic: [{ error: new ProviderError('anthropic', 'server', 'x') }] },
    });
    const r = await h.router.route(h.call({ credentials: [cred('openai'), cred('anthropic'), cred('deepseek'), cred('openai', 'openai-key-2')] }));
    expect(r.attempts.map((a) => `${a.model}@${a.credentialId}:${a.outcome}`)).toEqual([
      'o-small@openai-key:auth', 'd-chat@deepseek-key:server', 'a-small@anthropic-key:server', 'o-mid@openai-key-2:ok',
    ]);
    expect(h.invalidated).toEqual(['openai-key']);
  });

  it('with no other key the provider is skipped', async () => {
    const h = routerHarness({ scripts: { openai: [fail('auth', 401)], deepseek: [{ error: new ProviderError('deepseek', 'bad_request', 'x') }] } });
    await expect(h.router.route(h.call())).rejects.toMatchObject({ kind: 'bad_request' });
    expect(h.providers.openai.calls).toHaveLength(1);
  });
});

describe('router: streams', () => {
  const streamCall = (h: ReturnType<typeof routerHarness>, seen: string[]) =>
    h.call({ request: { messages: [{ role: 'user', content: 'hello' }], maxTokens: 100, onDelta: (t) => seen.push(t) } });

  it('fail over while nothing has been streamed', async () => {
    const seen: string[] = [];
    const h = routerHarness({ scripts: { openai: [fail('server')], deepseek: [{ deltas: ['Hel', 'lo'] }] } });
    const r = await h.router.route(streamCall(h, seen));
    expect(r.provider).toBe('deepseek');
    expect(seen).toEqual(['Hel', 'lo']);
  });

  it('do not fail over after the first delta', async () => {
    const seen: string[] = [];
    const h = routerHarness({ scripts: { openai: [{ deltas: ['Hel'], error: new ProviderError('openai', 'connection', 'reset') }] } });
    await expect(h.router.route(streamCall(h, seen))).rejects.toMatchObject({ kind: 'connection' });
    expect(seen).toEqual(['Hel']);
    expect(h.providers.deepseek.calls).toHaveLength(0);
  });
});

describe('router: circuit breaker', () => {
  it('skips a provider after 3 retryable failures, probes it after the cool-down, and recovers', async () => {
    const h = routerHarness({ scripts: { openai: [fail('server'), fail('server'), fail('server'), {}] } });
    for (let i = 0; i < 3; i++) expect((await h.router.route(h.call())).provider).toBe('deepseek');
    const skipped = await h.router.route(h.call());
    expect(skipped.provider).toBe('deepseek');
    expect(skipped.decision.candidates[0]).toMatchObject({ provider: 'openai', skipped: 'circuit_open' });
    expect(h.providers.openai.calls).toHaveLength(3);

    h.clock.advance(30_000);
    const probe = await h.router.route(h.call());
    expect(probe.provider).toBe('openai');
    expect(h.breaker.state('owner-1', 'openai')).toBe('closed');
    expect(h.breaker.state('owner-2', 'openai')).toBe('closed');
  });

  it('when every provider is open the call fails without reaching any', async () => {
    const h = routerHarness();
    for (const p of ['openai', 'anthropic', 'deepseek'] as const) for (let i = 0; i < 3; i++) h.breaker.onFailure('owner-1', p);
    const e = await h.router.route(h.call()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AllProvidersFailed);
    expect((e as Error).message).toBe('every AI provider failed: openai: circuit open; deepseek: circuit open; anthropic: circuit open');
    expect(Object.values(h.providers).every((p) => p.calls.length === 0)).toBe(true);
  });
});
