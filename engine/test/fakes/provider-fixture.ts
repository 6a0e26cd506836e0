// What the provider tests share: fakes, providers pointed at them, canary-keyed credentials.
import { randomUUID } from 'node:crypto';
import { createProviders } from '../../src/ai/providers/index.ts';
import type { ProviderClient, ProviderCredential, ProviderId } from '../../src/ai/types.ts';
import { Secret } from '../../src/vault/secret.ts';
import { startFakes, type Fakes } from './start-fakes.ts';

export interface ProviderFixture {
  fakes: Fakes;
  providers: Record<ProviderId, ProviderClient>;
  /** A fresh `sk-canary-<uuid>` key per provider: any leak of it is a test failure. */
  keys: Record<ProviderId, string>;
  credential(id: ProviderId): ProviderCredential;
}

export const canaryKey = (): string => `sk-canary-${randomUUID()}`;

/** A model id each provider's fake and SDK accept. For Azure it is the deployment name. */
export const models: Record<ProviderId, string> = {
  openai: 'gpt-4o-mini',
  deepseek: 'deepseek-chat',
  azure_openai: 'my-deploy',
  anthropic: 'claude-3-5-haiku-20241022',
  gemini: 'gemini-2.5-flash',
};

export async function startProviderFixture(timeoutMs = 5_000): Promise<ProviderFixture> {
  const fakes = await startFakes();
  const keys: Record<ProviderId, string> = { openai: canaryKey(), deepseek: canaryKey(), azure_openai: canaryKey(), anthropic: canaryKey(), gemini: canaryKey() };
  return {
    fakes,
    providers: createProviders({ baseUrls: fakes.baseUrls, timeoutMs }),
    keys,
    credential: (id) => ({ apiKey: new Secret(keys[id]) }),
  };
}
