import { AzureOpenAI } from 'openai';
import { ProviderError, type ProviderClient, type ProviderCredential } from '../types.ts';
import { baseClientOptions, chatComplete, chatTestKey, normalizeOpenAIUsage, type ChatFlavor } from './openai-compatible.ts';
import type { ProviderOptions } from './provider-options.ts';

/** GA version with json_schema structured outputs and max_completion_tokens. */
export const defaultAzureApiVersion = '2024-10-21';

function endpointOf(credential: ProviderCredential, fallback: string | undefined): string {
  // An operator's KEYFLOW_AZURE_OPENAI_BASE_URL (a proxy, or a local fake in tests) wins, as for
  // every provider; otherwise the credential's own resource endpoint (one host per customer).
  const endpoint = fallback ?? credential.baseUrl;
  if (!endpoint) throw new ProviderError('azure_openai', 'bad_request', 'Azure OpenAI needs the resource endpoint (https://<resource>.openai.azure.com) on the credential');
  return endpoint.replace(/\/+$/, '');
}

/**
 * Azure OpenAI through the SDK's AzureOpenAI class: `model` is the deployment name, the key
 * goes in the `api-key` header, every call carries `?api-version=`.
 */
export function createAzureOpenAIProvider(opts: ProviderOptions): ProviderClient {
  const flavor: ChatFlavor = {
    id: 'azure_openai',
    maxTokensField: 'max_completion_tokens',
    jsonSchema: true,
    normalizeUsage: normalizeOpenAIUsage,
    client: (credential, timeoutMs) =>
      // baseURL, not endpoint: the SDK would otherwise also read OPENAI_BASE_URL and refuse both.
      new AzureOpenAI({
        ...baseClientOptions(timeoutMs),
        apiKey: credential.apiKey.reveal(),
        baseURL: `${endpointOf(credential, opts.baseUrl)}/openai`,
        apiVersion: credential.apiVersion ?? defaultAzureApiVersion,
      }),
  };
  return {
    id: 'azure_openai',
    complete: (req, credential) => chatComplete(flavor, req, credential, opts.timeoutMs),
    testKey: (credential, signal) => chatTestKey(flavor, credential, opts.timeoutMs, signal),
  };
}
