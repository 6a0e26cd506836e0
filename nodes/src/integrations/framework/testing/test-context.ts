// Test helpers for integration nodes: a node context holding a lent credential and the base URL
// of a fake service, and the same as a ServiceCall for options and identity tests.
import { createTestContext, type NodeContext, type NodeCredential, type TestContext } from '../../../contract/index.ts';
import type { ServiceCall } from '../types.ts';

export interface TestCredentialOptions {
  provider: string;
  secret: string;
  id?: string;
  /** Simulates an OAuth credential: called on refresh(); answer the next secret, or undefined for "nothing to refresh". */
  refresh?: () => Promise<string | undefined>;
  /** Simulates an OAuth credential that recorded its granted scopes. */
  grantedScopes?: readonly string[];
}

/** A credential as the engine lends it: reveal(), toJSON() masked, optional refresh(). */
export function testCredential(opts: TestCredentialOptions): NodeCredential & { readonly refreshes: number } {
  let secret = opts.secret;
  let refreshes = 0;
  const credential = {
    id: opts.id ?? '00000000-0000-4000-8000-00000000c0de',
    provider: opts.provider,
    reveal: () => secret,
    toJSON: () => `${opts.provider} credential (masked)`,
    get refreshes() {
      return refreshes;
    },
    ...(opts.grantedScopes ? { grantedScopes: opts.grantedScopes } : {}),
    ...(opts.refresh
      ? {
          refresh: async () => {
            refreshes += 1;
            const next = await opts.refresh!();
            if (next === undefined) return false;
            secret = next;
            return true;
          },
        }
      : {}),
  };
  return credential;
}

export interface IntegrationTestOptions<C> extends Partial<Omit<NodeContext<C>, 'config' | 'credential' | 'services'>> {
  credential?: NodeCredential;
  /** Base URLs by service, as the operator's KEYFLOW_<SERVICE>_BASE_URL would set them. */
  baseUrls?: Record<string, string>;
}

/** A node context with the credential lent and ctx.services pointing at the fakes. */
export function createIntegrationTestContext<C>(config: C, opts: IntegrationTestOptions<C> = {}): TestContext<C> {
  const { credential, baseUrls, ...rest } = opts;
  return createTestContext(config, {
    ...rest,
    ...(credential ? { credential } : {}),
    services: { baseUrl: (service) => baseUrls?.[service] },
  });
}

/** A ServiceCall for identity and option-list tests. */
export function testServiceCall(credential: NodeCredential, baseUrl: string, fetchImpl: typeof globalThis.fetch = globalThis.fetch): ServiceCall {
  return { credential, baseUrl, signal: AbortSignal.timeout(10_000), fetch: fetchImpl };
}
