// The bearer-token cache (engine/src/store/api-token-cache.ts): revocation in this process takes effect
// on the next request (auth.test.ts and account.test.ts revoke right after using the token);
// here, a token revoked elsewhere (another server process, or SQL) stops working once its entry
// expires, the cache stays bounded, and a lookup racing a revocation is not kept.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '@keyflow/engine';
import { createTestApp, type TestApp } from './support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp('postgres');
});
afterAll(() => t.close());
afterEach(() => vi.restoreAllMocks());

const me = (token: string) => t.request('GET', '/api/auth/me', { token });

describe('API token cache', () => {
  it('stops accepting a token revoked outside this process once its entry expires', async () => {
    const user = await t.signup();
    expect((await me(user.token)).status).toBe(200);
    // Revoked behind this process's back, as another server process would.
    await t.db.db.deleteFrom('api_tokens').where('owner_id', '=', user.id).execute();
    const start = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(start + users.API_TOKEN_CACHE_TTL_MS - 1_000);
    expect((await me(user.token)).status).toBe(200);
    vi.spyOn(Date, 'now').mockReturnValue(start + users.API_TOKEN_CACHE_TTL_MS + 1);
    expect((await me(user.token)).status).toBe(401);
  });

  it('never remembers a refused token: one created after a refusal works at once', async () => {
    const user = await t.signup();
    const token = `kf_${randomBytes(32).toString('base64url')}`;
    expect((await me(token)).status).toBe(401);
    await t.db.db.insertInto('api_tokens').values({ id: randomUUID(), owner_id: user.id, name: 'late', token_hash: createHash('sha256').update(token).digest('hex'), prefix: token.slice(0, 8) }).execute();
    expect((await me(token)).status).toBe(200);
  });

  it('keeps at most API_TOKEN_CACHE_MAX tokens', async () => {
    const user = await t.signup();
    const tokens = Array.from({ length: users.API_TOKEN_CACHE_MAX + 5 }, () => `kf_${randomBytes(32).toString('base64url')}`);
    await t.db.db.insertInto('api_tokens').values(tokens.map((token) => ({ id: randomUUID(), owner_id: user.id, name: 'many', token_hash: createHash('sha256').update(token).digest('hex'), prefix: token.slice(0, 8) }))).execute();
    for (const token of tokens) expect((await users.resolveApiToken(t.db.db, token))?.userId).toBe(user.id);
    expect(users.cachedApiTokenCount(t.db.db)).toBe(users.API_TOKEN_CACHE_MAX);
  });

  it('does not keep a lookup that was under way when tokens were revoked', async () => {
    const user = await t.signup();
    users.forgetApiTokens(t.db.db);
    const lookup = users.resolveApiToken(t.db.db, user.token);
    users.forgetApiTokens(t.db.db);
    expect((await lookup)?.userId).toBe(user.id);
    expect(users.cachedApiTokenCount(t.db.db)).toBe(0);
  });
});
