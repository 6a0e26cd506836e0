// Every Notion action against the failures Notion answers: a refused secret, a missing
// capability, a rate limit (then success on the retry) and a validation error, each mapped to
// the engine's error class with a message a person can act on and without the secret.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialRejectedError, NodeError, NonRetriableNodeError, RetryAfterNodeError, type AnyNodeDefinition } from '../../contract/index.ts';
import { notionAppendBlocksNode } from './append-blocks.node.ts';
import { notionArchivePageNode } from './archive-page.node.ts';
import { notionCreatePageNode } from './create-page.node.ts';
import { notionGetPageNode } from './get-page.node.ts';
import { notionQueryDatabaseNode } from './query-database.node.ts';
import { notionUpdatePageNode } from './update-page.node.ts';
import { checkRequests } from './testing/spec-check.ts';
import { CREDENTIAL_ID, runNotionNode, SECRET, startKit, type Kit } from './testing/notion-test-kit.ts';

let kit: Kit;
let pageId: string;
beforeEach(async () => {
  kit = await startKit();
  pageId = kit.fake.addPage(kit.dataSourceId, { Name: [{ text: { content: 'Existing' } }] });
});
afterEach(async () => {
  expect(checkRequests(kit.fake.requests)).toEqual([]);
  await kit.fake.close();
});

interface Case {
  node: AnyNodeDefinition;
  config: () => Record<string, unknown>;
  /** The request the action's main call makes (for injected faults), and the capability it needs. */
  main: { method: string; path: RegExp };
  capability: 'read' | 'update' | 'insert';
}

const cases: [string, Case][] = [
  ['notion.create_page', { node: notionCreatePageNode, config: () => ({ databaseId: kit.databaseId, properties: { Name: 'New' } }), main: { method: 'POST', path: /^\/v1\/pages$/ }, capability: 'insert' }],
  ['notion.update_page', { node: notionUpdatePageNode, config: () => ({ pageId, properties: { Points: 5 } }), main: { method: 'PATCH', path: /^\/v1\/pages\/[^/]+$/ }, capability: 'update' }],
  ['notion.query_database', { node: notionQueryDatabaseNode, config: () => ({ databaseId: kit.databaseId }), main: { method: 'POST', path: /\/query$/ }, capability: 'read' }],
  ['notion.append_blocks', { node: notionAppendBlocksNode, config: () => ({ blockId: pageId, content: 'Hello **there**' }), main: { method: 'PATCH', path: /\/children$/ }, capability: 'insert' }],
  ['notion.get_page', { node: notionGetPageNode, config: () => ({ pageId }), main: { method: 'GET', path: /^\/v1\/pages\/[^/]+$/ }, capability: 'read' }],
  ['notion.archive_page', { node: notionArchivePageNode, config: () => ({ pageId }), main: { method: 'PATCH', path: /^\/v1\/pages\/[^/]+$/ }, capability: 'update' }],
];

async function failure(p: Promise<unknown>): Promise<NodeError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(NodeError);
  expect((err as Error).message).not.toContain(SECRET);
  expect(JSON.stringify((err as NodeError).details ?? {})).not.toContain(SECRET);
  return err as NodeError;
}

describe.each(cases)('%s', (type, c) => {
  it('succeeds', async () => {
    const { output } = await runNotionNode(kit.fake, c.node, c.config());
    expect(output).toBeTypeOf('object');
    expect(c.node.output!.safeParse(output).success).toBe(true);
  });

  it('maps a refused secret to CredentialRejectedError naming the credential and the fix', async () => {
    const err = await failure(runNotionNode(kit.fake, c.node, c.config(), { secret: 'ntn_revoked_0000000000000000' }));
    expect(err).toBeInstanceOf(CredentialRejectedError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`Notion rejected credential ${CREDENTIAL_ID} (API token is invalid.)`);
    expect(err.message).toContain('reconnect Notion under Connections');
    expect((err as CredentialRejectedError).credentialId).toBe(CREDENTIAL_ID);
  });

  it('maps a missing capability to a final error naming it', async () => {
    kit.fake.addToken('ntn_limited_secret_value_1234', { capabilities: { [c.capability]: false } });
    const err = await failure(runNotionNode(kit.fake, c.node, c.config(), { secret: 'ntn_limited_secret_value_1234' }));
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toBe(`Notion needs the "${c.capability} content" permission, which this credential lacks: add the scope to the app and reconnect (Insufficient permissions for this endpoint.)`);
    expect(err.details).toMatchObject({ status: 403, code: 'restricted_resource', scope: `${c.capability} content` });
  });

  it('retries after Retry-After when rate limited, then succeeds without doing the work twice', async () => {
    kit.fake.rateLimitNext(3, c.main);
    const err = await failure(runNotionNode(kit.fake, c.node, c.config()));
    expect(err).toBeInstanceOf(RetryAfterNodeError);
    expect((err as RetryAfterNodeError).retryAfterMs).toBe(3000);
    expect(err.retryable).toBe(true);
    const pagesBefore = kit.fake.pages.size;
    const { output } = await runNotionNode(kit.fake, c.node, c.config(), { attempt: 2 });
    expect(output).toBeTypeOf('object');
    if (type === 'notion.create_page') expect(kit.fake.pages.size).toBe(pagesBefore + 1);
    else expect(kit.fake.pages.size).toBe(pagesBefore);
  });

  it('passes a validation error through as final', async () => {
    kit.fake.failNext({ ...c.main, status: 400, code: 'validation_error', message: 'body failed validation: body.x should be defined.' });
    const err = await failure(runNotionNode(kit.fake, c.node, c.config()));
    expect(err).toBeInstanceOf(NonRetriableNodeError);
    expect(err.message).toBe('Notion refused the request: body failed validation: body.x should be defined.');
    expect(err.details).toMatchObject({ status: 400, code: 'validation_error', service: 'notion' });
  });

  it('retries a 5xx with backoff', async () => {
    kit.fake.failNext({ ...c.main, status: 502, code: 'internal_server_error', message: 'Unexpected error.' });
    const err = await failure(runNotionNode(kit.fake, c.node, c.config()));
    expect(err.retryable).toBe(true);
    expect(err).not.toBeInstanceOf(RetryAfterNodeError);
    expect(err.message).toContain('Notion had a server error (HTTP 502)');
  });
});

describe('a secret Notion echoes back', () => {
  it('is scrubbed from the message', async () => {
    kit.fake.failNext({ method: 'GET', status: 400, code: 'validation_error', message: `bad token ${SECRET} here` });
    const err = await failure(runNotionNode(kit.fake, notionGetPageNode, { pageId }));
    expect(err.message).toContain('[redacted]');
  });
});

describe('an unreachable Notion', () => {
  it('is a retryable network error', async () => {
    const url = kit.fake.url;
    await kit.fake.close();
    const parsed = notionGetPageNode.config.parse({ pageId });
    const err = await failure(runNotionNode({ ...kit.fake, url } as never, notionGetPageNode, parsed));
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('could not reach Notion');
    kit = await startKit(); // afterEach closes a live fake
  });
});
