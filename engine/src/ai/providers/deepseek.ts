import OpenAI from 'openai';
import type { CompletionUsage } from 'openai/resources/completions';
import type { NormalizedUsage, ProviderClient } from '../types.ts';
import { baseClientOptions, chatComplete, chatTestKey, type ChatFlavor } from './openai-compatible.ts';
import type { ProviderOptions } from './provider-options.ts';

/** DeepSeek adds these to OpenAI's usage object; the openai SDK passes them through untyped. */
interface DeepSeekUsage extends CompletionUsage {
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
}

/** DeepSeek: cache hits and misses split prompt_tokens; reasoning (deepseek-reasoner) sits inside completion_tokens. */
export function normalizeDeepSeekUsage(usage: DeepSeekUsage | null | undefined): NormalizedUsage {
  const hit = usage?.prompt_cache_hit_tokens ?? usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const miss = usage?.prompt_cache_miss_tokens ?? Math.max(0, (usage?.prompt_tokens ?? 0) - hit);
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: miss,
    cacheReadTokens: hit,
    cacheWriteTokens: 0,
    outputTokens: Math.max(0, (usage?.completion_tokens ?? 0) - reasoning),
    reasoningTokens: reasoning,
  };
}

/** DeepSeek's OpenAI-compatible API through the openai SDK. No json_schema: JSON mode plus the schema as an instruction. */
export function createDeepSeekProvider(opts: ProviderOptions): ProviderClient {
  const flavor: ChatFlavor = {
    id: 'deepseek',
    maxTokensField: 'max_tokens',
    jsonSchema: false,
    normalizeUsage: normalizeDeepSeekUsage,
    client: (credential, timeoutMs) =>
      new OpenAI({ ...baseClientOptions(timeoutMs), apiKey: credential.apiKey.reveal(), baseURL: opts.baseUrl ?? credential.baseUrl ?? 'https://api.deepseek.com' }),
  };
  return {
    id: 'deepseek',
    complete: (req, credential) => chatComplete(flavor, req, credential, opts.timeoutMs),
    testKey: (credential, signal) => chatTestKey(flavor, credential, opts.timeoutMs, signal),
  };
}
