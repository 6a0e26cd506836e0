import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.ts';

function setup() {
  let t = 1_000_000;
  const clock = { advance: (ms: number) => (t += ms) };
  const b = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 30_000, maxCoolDownMs: 100_000, now: () => t });
  return { b, clock };
}

describe('CircuitBreaker', () => {
  it('opens after 3 consecutive retryable failures, only for that owner and provider', () => {
    const { b } = setup();
    b.onFailure('o1', 'openai');
    b.onFailure('o1', 'openai');
    expect(b.tryAcquire('o1', 'openai')).toBe(true);
    b.onFailure('o1', 'openai');
    expect(b.state('o1', 'openai')).toBe('open');
    expect(b.tryAcquire('o1', 'openai')).toBe(false);
    expect(b.tryAcquire('o2', 'openai')).toBe(true);
    expect(b.tryAcquire('o1', 'anthropic')).toBe(true);
  });

  it('a success resets the consecutive count', () => {
    const { b } = setup();
    b.onFailure('o', 'openai');
    b.onFailure('o', 'openai');
    b.onSuccess('o', 'openai');
    b.onFailure('o', 'openai');
    b.onFailure('o', 'openai');
    expect(b.state('o', 'openai')).toBe('closed');
  });

  it('half-opens after the cool-down with exactly one probe; success closes', () => {
    const { b, clock } = setup();
    for (let i = 0; i < 3; i++) b.onFailure('o', 'openai');
    clock.advance(29_999);
    expect(b.tryAcquire('o', 'openai')).toBe(false);
    clock.advance(1);
    expect(b.state('o', 'openai')).toBe('half_open');
    expect(b.tryAcquire('o', 'openai')).toBe(true);
    expect(b.tryAcquire('o', 'openai')).toBe(false);
    b.onSuccess('o', 'openai');
    expect(b.state('o', 'openai')).toBe('closed');
    expect(b.tryAcquire('o', 'openai')).toBe(true);
    expect(b.tryAcquire('o', 'openai')).toBe(true);
  });

  it('a failed probe re-opens with a doubled cool-down, capped', () => {
    const { b, clock } = setup();
    for (let i = 0; i < 3; i++) b.onFailure('o', 'openai');
    const cooldowns: number[] = [];
    for (let round = 0; round < 4; round++) {
      let waited = 0;
      while (!b.tryAcquire('o', 'openai')) {
        clock.advance(1_000);
        waited += 1_000;
      }
      cooldowns.push(waited);
      b.onFailure('o', 'openai');
      expect(b.state('o', 'openai')).toBe('open');
    }
    expect(cooldowns).toEqual([30_000, 60_000, 100_000, 100_000]);
  });

  it('a neutral outcome frees the probe without closing', () => {
    const { b, clock } = setup();
    for (let i = 0; i < 3; i++) b.onFailure('o', 'openai');
    clock.advance(30_000);
    expect(b.tryAcquire('o', 'openai')).toBe(true);
    b.onNeutral('o', 'openai');
    expect(b.state('o', 'openai')).toBe('half_open');
    expect(b.tryAcquire('o', 'openai')).toBe(true);
  });

  it('tells how long a circuit has been out of closed (failed probes keep the start), and counts circuits per provider without owners', () => {
    const { b, clock } = setup();
    for (let i = 0; i < 3; i++) b.onFailure('o1', 'openai');
    b.onFailure('o2', 'anthropic');
    clock.advance(31_000);
    expect(b.tryAcquire('o1', 'openai')).toBe(true); // the probe
    b.onFailure('o1', 'openai'); // fails: re-opened, still cooling since the first opening
    clock.advance(59_000); // inside the doubled (60 s) cool-down
    expect(b.coolingDown(90_000)).toEqual([{ ownerId: 'o1', provider: 'openai', sinceMs: 90_000 }]);
    expect(b.coolingDown(120_000)).toEqual([]);
    expect(b.circuitCounts().sort((x, y) => x.provider.localeCompare(y.provider))).toEqual([
      { provider: 'anthropic', state: 'closed', count: 1 },
      { provider: 'openai', state: 'open', count: 1 },
    ]);
    clock.advance(200_000);
    expect(b.tryAcquire('o1', 'openai')).toBe(true);
    b.onSuccess('o1', 'openai');
    expect(b.coolingDown(0)).toEqual([]);
  });
});

describe('CircuitBreaker cool-down notices', () => {
  it('tells when a circuit opens (until when, after which failure) and when it closes again', () => {
    let t = 1_000_000;
    const notices: unknown[] = [];
    const b = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 30_000, now: () => t, onCoolDown: (o, p, s) => notices.push([o, p, s]) });
    b.onFailure('o', 'openai', 'rate_limit (HTTP 429) from gpt-4.1-nano');
    expect(notices).toEqual([]);
    b.onFailure('o', 'openai', 'unavailable (HTTP 503) from gpt-4o-mini');
    expect(notices).toEqual([['o', 'openai', { since: new Date(1_000_000), until: new Date(1_030_000), lastError: 'unavailable (HTTP 503) from gpt-4o-mini' }]]);
    t += 30_000;
    expect(b.tryAcquire('o', 'openai')).toBe(true);
    b.onSuccess('o', 'openai');
    expect(notices.at(-1)).toEqual(['o', 'openai', null]);
    // A success while closed says nothing.
    b.onSuccess('o', 'openai');
    expect(notices).toHaveLength(2);
  });
});
