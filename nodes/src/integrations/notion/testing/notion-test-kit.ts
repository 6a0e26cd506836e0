// Shared test setup: a fake Notion with one integration secret, a tasks database, and a way
// to run a Notion node against it the way the executor would (config parsed, credential lent,
// base URL from the operator's settings).
import { parseNodeConfig, type AnyNodeDefinition, type NodeContext } from '../../../contract/index.ts';
import { createIntegrationTestContext, testCredential, testServiceCall } from '../../framework/testing/test-context.ts';
import type { ServiceCall } from '../../framework/index.ts';
import { startFakeNotion, type FakeNotion } from './fake-notion.ts';

export const SECRET = 'ntn_3141592653589793TestSecretValue';
export const CREDENTIAL_ID = '0b4c9a36-4b8e-4c1e-9d59-0d5c9c1f2a11';

export const TASK_PROPERTIES = [
  { name: 'Name', type: 'title' },
  { name: 'Notes', type: 'rich_text' },
  { name: 'Points', type: 'number' },
  { name: 'Kind', type: 'select', options: ['Bug', 'Feature'] },
  { name: 'Tags', type: 'multi_select', options: ['ops'] },
  { name: 'Stage', type: 'status', options: ['Not started', 'In progress', 'Done'] },
  { name: 'Due', type: 'date' },
  { name: 'Done', type: 'checkbox' },
  { name: 'Link', type: 'url' },
  { name: 'Owner email', type: 'email' },
  { name: 'Owner', type: 'people' },
  { name: 'Related', type: 'relation' },
  { name: 'Score', type: 'formula' },
];

export interface Kit {
  fake: FakeNotion;
  databaseId: string;
  dataSourceId: string;
}

export async function startKit(): Promise<Kit> {
  const fake = await startFakeNotion();
  fake.addToken(SECRET);
  const { databaseId, dataSourceIds } = fake.addDatabase('Tasks', TASK_PROPERTIES);
  return { fake, databaseId, dataSourceId: dataSourceIds[0]! };
}

/** Runs `node` with `config` as the executor would, lending a notion credential holding `secret`. */
export function runNotionNode(fake: FakeNotion, node: AnyNodeDefinition, config: unknown, opts: { secret?: string; attempt?: number; ctx?: Partial<NodeContext<unknown>> } = {}) {
  const parsed = parseNodeConfig(node, config);
  const credential = testCredential({ provider: 'notion', secret: opts.secret ?? SECRET, id: CREDENTIAL_ID });
  const ctx = createIntegrationTestContext(parsed, { credential, baseUrls: { notion: fake.url }, attempt: opts.attempt ?? 1, ...opts.ctx });
  return node.run(ctx as never) as Promise<{ output: Record<string, unknown> }>;
}

export function notionTestCall(fake: FakeNotion, secret = SECRET): ServiceCall {
  return testServiceCall(testCredential({ provider: 'notion', secret, id: CREDENTIAL_ID }), fake.url);
}

/** The requests of `method` to paths matching `path`. */
export function requestsTo(fake: FakeNotion, method: string, path: RegExp) {
  return fake.requests.filter((r) => r.method === method && path.test(r.path));
}
