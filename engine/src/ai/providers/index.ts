import type { CompletionRequest, ProviderClient, ProviderCredential, ProviderId } from '../types.ts';
import type { ProviderOptions } from './provider-options.ts';

export const defaultProviderTimeoutMs = 120_000;

export interface CreateProvidersOptions {
  /** From KEYFLOW_<SERVICE>_BASE_URL: operator proxies, or local fakes in tests. */
  baseUrls?: Partial<Record<ProviderId, string>>;
  /** Whole-call deadline, streaming included. */
  timeoutMs?: number;
}

// Each SDK weighs tens of megabytes once imported: load a provider's module on its first call,
// so a server or worker that never calls that provider never pays for it.
const loaders: Record<ProviderId, () => Promise<(o: ProviderOptions) => ProviderClient>> = {
  openai: async () => (await import('./openai.ts')).createOpenAIProvider,
  anthropic: async () => (await import('./anthropic.ts')).createAnthropicProvider,
  deepseek: async () => (await import('./deepseek.ts')).createDeepSeekProvider,
  gemini: async () => (await import('./gemini.ts')).createGeminiProvider,
  azure_openai: async () => (await import('./azure-openai.ts')).createAzureOpenAIProvider,
};

function lazyProvider(id: ProviderId, options: ProviderOptions): ProviderClient {
  let client: Promise<ProviderClient> | undefined;
  const get = () => (client ??= loaders[id]().then((create) => create(options)));
  return {
    id,
    complete: async (req: CompletionRequest, credential: ProviderCredential) => (await get()).complete(req, credential),
    testKey: async (credential: ProviderCredential, signal?: AbortSignal) => (await get()).testKey(credential, signal),
  };
}

/**
 * One client per provider, each over its official SDK, all speaking `complete()`.
 * @example const providers = createProviders({ baseUrls: { openai: 'http://127.0.0.1:9999/v1' } });
 */
export function createProviders(opts: CreateProvidersOptions = {}): Record<ProviderId, ProviderClient> {
  const timeoutMs = opts.timeoutMs ?? defaultProviderTimeoutMs;
  const options = (id: ProviderId): ProviderOptions => ({ baseUrl: opts.baseUrls?.[id], timeoutMs });
  return {
    openai: lazyProvider('openai', options('openai')),
    anthropic: lazyProvider('anthropic', options('anthropic')),
    deepseek: lazyProvider('deepseek', options('deepseek')),
    gemini: lazyProvider('gemini', options('gemini')),
    azure_openai: lazyProvider('azure_openai', options('azure_openai')),
  };
}
