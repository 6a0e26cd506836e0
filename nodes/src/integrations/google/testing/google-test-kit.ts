// Shared by the Google node tests: run a node against the fake with an OAuth token or a
// service-account key, and collect a failure checking no secret reached it.
import { expect } from 'vitest';
import { NodeError, parseNodeConfig, type AnyNodeDefinition, type NodeCredential } from '../../../contract/index.ts';
import { createIntegrationTestContext, testCredential } from '../../framework/testing/test-context.ts';
import type { FakeGoogle } from './fake-google.ts';

export interface RunOptions {
  /** The secret: an access token or a service-account JSON key. */
  secret: string;
  grantedScopes?: readonly string[];
  /** Simulates an OAuth refresh: answers the next token. */
  refresh?: () => Promise<string | undefined>;
}

export function googleCredential(o: RunOptions): NodeCredential & { readonly refreshes: number } {
  return testCredential({ provider: 'google', secret: o.secret, ...(o.grantedScopes ? { grantedScopes: o.grantedScopes } : {}), ...(o.refresh ? { refresh: o.refresh } : {}) });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runGoogleNode(fake: FakeGoogle, node: AnyNodeDefinition, config: Record<string, unknown>, o: RunOptions | (NodeCredential & { readonly refreshes: number }), idempotencyKey?: string): Promise<any> {
  const credential = 'reveal' in o ? o : googleCredential(o);
  const ctx = createIntegrationTestContext(parseNodeConfig(node, config), { credential, baseUrls: { google: fake.url }, ...(idempotencyKey ? { idempotencyKey } : {}) });
  return ((await node.run(ctx as never)) as { output: unknown }).output;
}

export async function googleFailure(fake: FakeGoogle, node: AnyNodeDefinition, config: Record<string, unknown>, o: RunOptions): Promise<NodeError> {
  const err = await runGoogleNode(fake, node, config, o).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NodeError);
  const text = JSON.stringify({ message: (err as Error).message, details: (err as NodeError).details });
  expect(text).not.toContain(o.secret);
  return err as NodeError;
}
