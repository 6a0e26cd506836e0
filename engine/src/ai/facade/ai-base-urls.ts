// The AI providers' base URLs from KEYFLOW_<SERVICE>_BASE_URL, shared by everything that builds
// provider clients (the engine's AI facade, the server's "test this key"), so they agree.
import type { Config } from '../../config.ts';
import { providerIds, type ProviderId } from '../types.ts';

/** KEYFLOW_<SERVICE>_BASE_URL for each AI provider, keyed by provider id. */
export function aiBaseUrls(serviceBaseUrls: Config['serviceBaseUrls']): Partial<Record<ProviderId, string>> {
  const urls: Partial<Record<ProviderId, string>> = {};
  for (const id of providerIds) {
    const url = serviceBaseUrls[id.toUpperCase() as Uppercase<ProviderId>];
    if (url) urls[id] = url;
  }
  return urls;
}
