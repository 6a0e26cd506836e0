// Sign-up and log-in under attack, over a real socket from distinct loopback addresses: an
// attacker cannot lock the real user out, and one client cannot guess or sign up without bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServedApp } from './serve-app.ts';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
let served: ServedApp;
beforeAll(async () => {
  t = await createTestApp('postgres');
  served = await serveApp(t.app);
});
afterAll(async () => {
  await served.close();
  await t.close();
});

const ATTACKER = '127.0.0.2';
const VICTIM = '127.0.0.3';
const retryAfter = (a: { headers: Record<string, unknown> }) => Number(a.headers['retry-after']);

describe('log-in', () => {
  it('an attacker guessing from one address cannot lock the real user out from another', async () => {
    const email = 'victim@example.test';
    expect((await served.call(VICTIM, 'POST', '/api/auth/signup', { body: { email, password: 'the victim password' } })).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await served.call(ATTACKER, 'POST', '/api/auth/login', { body: { email, password: `guess ${i} of many` } })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const blocked = await served.call(ATTACKER, 'POST', '/api/auth/login', { body: { email, password: 'the victim password' } });
    expect(blocked.status).toBe(429);
    expect(retryAfter(blocked)).toBeGreaterThan(0);
    // The victim, from their own address, is not slowed at all: a typo, then the right password.
    expect((await served.call(VICTIM, 'POST', '/api/auth/login', { body: { email, password: 'a typo in it' } })).status).toBe(401);
    expect((await served.call(VICTIM, 'POST', '/api/auth/login', { body: { email, password: 'the victim password' } })).status).toBe(200);
  });

  it('one address guessing across many emails is stopped after 50 failures, others are not', async () => {
    const from = '127.0.0.4';
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await served.call(from, 'POST', '/api/auth/login', { body: { email: `nobody${i}@example.test`, password: 'whatever it is' } })).status);
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses[50]).toBe(429);
    const again = await served.call(from, 'POST', '/api/auth/login', { body: { email: 'victim@example.test', password: 'the victim password' } });
    expect(again.status).toBe(429);
    expect(retryAfter(again)).toBeGreaterThan(0);
    expect((await served.call('127.0.0.5', 'POST', '/api/auth/login', { body: { email: 'victim@example.test', password: 'the victim password' } })).status).toBe(200);
  });
});

describe('sign-up', () => {
  it('allows 10 sign-ups an hour per address, then 429 with Retry-After; another address still signs up', async () => {
    const from = '127.0.0.6';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await served.call(from, 'POST', '/api/auth/signup', { body: { email: `bulk${i}@example.test`, password: 'a long enough password' } })).status);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    const over = await served.call(from, 'POST', '/api/auth/signup', { body: { email: 'one-more@example.test', password: 'a long enough password' } });
    expect(over.status).toBe(429);
    expect(retryAfter(over)).toBeGreaterThan(0);
    expect(await t.db.db.selectFrom('users').select('id').where('email', '=', 'one-more@example.test').execute()).toEqual([]);
    expect((await served.call('127.0.0.7', 'POST', '/api/auth/signup', { body: { email: 'elsewhere@example.test', password: 'a long enough password' } })).status).toBe(201);
  });

  it('probing for taken emails is counted like any sign-up', async () => {
    const from = '127.0.0.8';
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await served.call(from, 'POST', '/api/auth/signup', { body: { email: 'victim@example.test', password: 'a long enough password' } })).status);
    expect(statuses).toEqual([...Array(10).fill(400), 429]);
  });

  it('caps sign-ups from all addresses together at KEYFLOW_SIGNUPS_PER_HOUR', async () => {
    const small = await createTestApp('pglite', { KEYFLOW_SIGNUPS_PER_HOUR: '3' });
    const s = await serveApp(small.app);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await s.call(`127.0.1.${i + 1}`, 'POST', '/api/auth/signup', { body: { email: `spread${i}@example.test`, password: 'a long enough password' } })).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await s.close();
      await small.close();
    }
  }, 90_000); // a second app on PGlite: slow to start on a loaded machine
});

describe('password change', () => {
  // A stolen API token or session must not become an oracle for the account's password (and
  // with it a way to change it): wrong current passwords back off per account.
  it('backs off after 5 wrong current passwords, even for the right one, without slowing other accounts', async () => {
    const victim = await t.signup();
    const other = await t.signup();
    const change = (token: string, currentPassword: string) =>
      t.request('POST', '/api/auth/password', { token, body: { currentPassword, newPassword: 'a brand new password' } });
    const hashOf = async () => (await t.db.db.selectFrom('users').select('password_hash').where('id', '=', victim.id).executeTakeFirstOrThrow()).password_hash;
    const hashBefore = await hashOf();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await change(victim.token, `guess number ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const right = await change(victim.token, 'correct horse battery');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await hashOf()).toBe(hashBefore);
    expect((await change(other.token, 'correct horse battery')).status).toBe(200);
  });
});
