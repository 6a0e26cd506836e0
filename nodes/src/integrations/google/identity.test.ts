import { CredentialRejectedError, NonRetriableNodeError } from '../../contract/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredential, testServiceCall } from '../framework/testing/test-context.ts';
import { clearGoogleClientCache, googleApiOptions } from './client.ts';
import { callGoogle } from './errors.ts';
import { googleIdentity } from './identity.ts';
import { GOOGLE_SCOPES } from './scopes.ts';
import { createFakeGoogle, type FakeGoogle } from './testing/fake-google.ts';

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(async () => {
  await fake.close();
});

describe('google identity', () => {
  it('names the OAuth account by its email and reports the granted scopes (tokeninfo)', async () => {
    const token = fake.issueToken({ scopes: ['openid', GOOGLE_SCOPES.email, GOOGLE_SCOPES.spreadsheets], email: 'ada@example.com' });
    const id = await googleIdentity(testServiceCall(testCredential({ provider: 'google', secret: token }), fake.url));
    expect(id.name).toBe('ada@example.com');
    expect(id.scopes).toContain(GOOGLE_SCOPES.spreadsheets);
    const sent = fake.requests.find((r) => r.path === '/tokeninfo')!;
    // The token goes in the Authorization header, never in the URL.
    expect(sent.query.toString()).not.toContain(token);
  });

  it('rejects a revoked token as a refused credential', async () => {
    const token = fake.issueToken({ scopes: ['openid'] });
    fake.tokens.get(token)!.revoked = true;
    await expect(googleIdentity(testServiceCall(testCredential({ provider: 'google', secret: token }), fake.url))).rejects.toBeInstanceOf(CredentialRejectedError);
  });

  it('proves a service-account key with the JWT grant and names it by client_email', async () => {
    clearGoogleClientCache();
    const key = fake.serviceAccountKey({ email: 'bot@fake-project.iam.gserviceaccount.com' });
    const id = await googleIdentity(testServiceCall(testCredential({ provider: 'google', secret: key }), fake.url));
    expect(id.name).toBe('bot@fake-project.iam.gserviceaccount.com');
    const grant = fake.requests.filter((r) => r.path === '/token').at(-1)!;
    expect(new URLSearchParams(grant.body.toString()).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  it('a key replaced on the same credential is used at once (the client cache is keyed by the key)', async () => {
    const a = fake.serviceAccountKey({ email: 'a@fake-project.iam.gserviceaccount.com' });
    const b = fake.serviceAccountKey({ email: 'b@fake-project.iam.gserviceaccount.com' });
    const grants = () => fake.requests.filter((r) => r.path === '/token').length;
    await googleIdentity(testServiceCall(testCredential({ provider: 'google', secret: a }), fake.url));
    const before = grants();
    await googleIdentity(testServiceCall(testCredential({ provider: 'google', secret: b }), fake.url));
    expect(grants()).toBe(before + 1);
  });

  it('refuses a service-account key Google does not know', async () => {
    clearGoogleClientCache();
    const other = await createFakeGoogle();
    const key = other.serviceAccountKey();
    await other.close();
    await expect(googleIdentity(testServiceCall(testCredential({ provider: 'google', secret: key }), fake.url))).rejects.toBeInstanceOf(CredentialRejectedError);
  });

  it('names the missing scopes before calling Google when the credential recorded its grant', async () => {
    const cred = testCredential({ provider: 'google', secret: 'ya29.unused', grantedScopes: ['openid', GOOGLE_SCOPES.spreadsheetsReadonly] });
    const before = fake.requests.length;
    const err = await callGoogle(testServiceCall(cred, fake.url), undefined, async (c) => googleApiOptions(c, [GOOGLE_SCOPES.spreadsheets])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect((err as Error).message).toContain(GOOGLE_SCOPES.spreadsheets);
    expect(fake.requests.length).toBe(before);
  });

  it('accepts a broader granted scope for a narrower need', async () => {
    const cred = testCredential({ provider: 'google', secret: 'ya29.unused', grantedScopes: [GOOGLE_SCOPES.drive] });
    const opts = await callGoogle(testServiceCall(cred, fake.url), undefined, async (c) => googleApiOptions(c, [GOOGLE_SCOPES.spreadsheetsReadonly]));
    expect(opts.rootUrl).toBe(`${fake.url}/`);
  });
});
