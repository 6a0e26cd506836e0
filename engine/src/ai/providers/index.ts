import type { ProviderClient, ProviderId } from '../types.ts';
import { createAnthropicProvider } from './anthropic.ts';
import { createAzureOpenAIProvider } from './azure-openai.ts';
import { createDeepSeekProvider } from './deepseek.ts';
import { createGeminiProvider } from './gemini.ts';
import { createOpenAIProvider } from './openai.ts';

export const defaultProviderTimeoutMs = 120_000;

export interface CreateProvidersOptions {
  /** From KEYFLOW_<SERVICE>_BASE_URL: operator proxies, or local fakes in tests. */
  baseUrls?: Partial<Record<ProviderId, string>>;
  /** Whole-call deadline, streaming included. */
  timeoutMs?: number;
}

/**
 * One client per provider, each over its official SDK, all speaking `complete()`.
 * @example const providers = createProviders({ baseUrls: { openai: 'http://127.0.0.1:9999/v1' } });
 */
export function createProviders(opts: CreateProvidersOptions = {}): Record<ProviderId, ProviderClient> {
  const timeoutMs = opts.timeoutMs ?? defaultProviderTimeoutMs;
  const base = (id: ProviderId) => ({ baseUrl: opts.baseUrls?.[id], timeoutMs });
  return {
    openai: createOpenAIProvider(base('openai')),
    anthropic: createAnthropicProvider(base('anthropic')),
    deepseek: createDeepSeekProvider(base('deepseek')),
    gemini: createGeminiProvider(base('gemini')),
    azure_openai: createAzureOpenAIProvider(base('azure_openai')),
  };
}
