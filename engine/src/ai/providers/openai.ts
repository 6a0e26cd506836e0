import OpenAI from 'openai';
import type { ProviderClient } from '../types.ts';
import type { ProviderOptions } from './provider-options.ts';
import { baseClientOptions, chatComplete, chatTestKey, normalizeOpenAIUsage, type ChatFlavor } from './openai-compatible.ts';

/** OpenAI Chat Completions through the official SDK. Base URL includes `/v1`. */
export function createOpenAIProvider(opts: ProviderOptions): ProviderClient {
  const flavor: ChatFlavor = {
    id: 'openai',
    maxTokensField: 'max_completion_tokens',
    jsonSchema: true,
    normalizeUsage: normalizeOpenAIUsage,
    client: (credential, timeoutMs) =>
      new OpenAI({ ...baseClientOptions(timeoutMs), apiKey: credential.apiKey.reveal(), baseURL: opts.baseUrl ?? credential.baseUrl ?? 'https://api.openai.com/v1' }),
  };
  return {
    id: 'openai',
    complete: (req, credential) => chatComplete(flavor, req, credential, opts.timeoutMs),
    testKey: (credential, signal) => chatTestKey(flavor, credential, opts.timeoutMs, signal),
  };
}
