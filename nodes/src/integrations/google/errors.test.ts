import { describe, expect, it } from 'vitest';
import { googleErrorEnvelope } from './testing/wire.ts';
import { googleProblem } from './errors.ts';

const gaxios = (status: number, data: unknown, headers: Record<string, string> = {}) => ({ name: 'GaxiosError', response: { status, data, headers: new Headers(headers) } });
const NOW = new Date('2026-12-02T12:00:00Z');

describe("Google's errors, classified", () => {
  it.each([
    [429, 'rateLimitExceeded', 'rate_limited'],
    [403, 'userRateLimitExceeded', 'rate_limited'],
    [403, 'insufficientPermissions', 'scope'],
    [401, 'authError', 'auth'],
    [404, 'notFound', 'not_found'],
    [500, 'backendError', 'server'],
    [503, 'backendError', 'server'],
    [400, 'badRequest', 'validation'],
  ])('HTTP %i %s → %s', (status, reason, kind) => {
    expect(googleProblem(gaxios(status, googleErrorEnvelope(status, reason, 'm')), 'file 1', NOW)).toMatchObject({ kind, status, code: reason });
  });

  it('reads ACCESS_TOKEN_SCOPE_INSUFFICIENT from details (Sheets has no errors[])', () => {
    const body = { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED', details: [{ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }] } };
    expect(googleProblem(gaxios(403, body), undefined, NOW)?.kind).toBe('scope');
  });

  it("takes the delay from Retry-After, seconds or an HTTP date, and a text body too", () => {
    expect(googleProblem(gaxios(429, googleErrorEnvelope(429, 'rateLimitExceeded', 'slow'), { 'retry-after': '30' }), undefined, NOW)?.retryAfterMs).toBe(30_000);
    expect(googleProblem(gaxios(429, JSON.stringify(googleErrorEnvelope(429, 'rateLimitExceeded', 'slow')), { 'retry-after': 'Wed, 02 Dec 2026 12:00:05 GMT' }), undefined, NOW)?.retryAfterMs).toBe(5_000);
  });

  it('names what was not found, and passes 403 "not shared" on as actionable', () => {
    expect(googleProblem(gaxios(404, googleErrorEnvelope(404, 'notFound', 'File not found: 1.')), 'file 1', NOW)).toMatchObject({ kind: 'not_found', what: 'file 1' });
    const p = googleProblem(gaxios(403, googleErrorEnvelope(403, 'forbidden', 'The caller does not have permission')), undefined, NOW);
    expect(p?.kind).toBe('validation');
    expect(p?.message).toContain('share it with the connected account');
  });

  it("maps the token endpoint's refusals to auth and connection failures to network", () => {
    expect(googleProblem(gaxios(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }), undefined, NOW)).toMatchObject({ kind: 'auth', message: 'invalid_grant: Invalid JWT Signature.' });
    expect(googleProblem({ name: 'GaxiosError', code: 'ECONNREFUSED' }, undefined, NOW)?.kind).toBe('network');
    expect(googleProblem({ name: 'TimeoutError' }, undefined, NOW)?.kind).toBe('network');
    expect(googleProblem(new RangeError('x'), undefined, NOW)).toBeUndefined();
  });
});
