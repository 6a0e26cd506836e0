// An OAuth credential whose access token Notion refuses is refreshed once, and the call is
// sent again with the new token; a refresh that gives nothing ends in CredentialRejectedError.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, parseNodeConfig } from '../../contract/index.ts';
import { createIntegrationTestContext, testCredential } from '../framework/testing/test-context.ts';
import { notionCreatePageNode } from './create-page.node.ts';
import { startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(async () => {
  await kit.fake.close();
});

function runWith(credential: ReturnType<typeof testCredential>) {
  const config = parseNodeConfig(notionCreatePageNode, { databaseId: kit.databaseId, properties: { Name: 'via OAuth' } });
  return notionCreatePageNode.run(createIntegrationTestContext(config, { credential, baseUrls: { notion: kit.fake.url } }));
}

describe('Notion OAuth token refresh', () => {
  it('refreshes once on 401 and sends the new token', async () => {
    kit.fake.addToken('ntn_oauth_fresh_access_token_1');
    const credential = testCredential({ provider: 'notion', secret: 'ntn_oauth_expired_access_token', refresh: async () => 'ntn_oauth_fresh_access_token_1' });
    const { output } = await runWith(credential);
    expect(kit.fake.pages.has((output as { id: string }).id)).toBe(true);
    expect(credential.refreshes).toBe(1);
    const auths = kit.fake.requests.map((r) => r.headers.authorization);
    expect(auths[0]).toBe('Bearer ntn_oauth_expired_access_token');
    expect(auths.slice(1).every((a) => a === 'Bearer ntn_oauth_fresh_access_token_1')).toBe(true);
  });

  it('gives up with CredentialRejectedError when the refreshed token is refused too', async () => {
    const credential = testCredential({ provider: 'notion', secret: 'ntn_oauth_expired_access_token', refresh: async () => 'ntn_oauth_still_refused_token' });
    await expect(runWith(credential)).rejects.toBeInstanceOf(CredentialRejectedError);
    expect(credential.refreshes).toBe(1);
    expect(kit.fake.pages.size).toBe(0);
  });
});
