/** What every provider factory takes from `createProviders`. */
export interface ProviderOptions {
  /** Operator proxy or test base URL (KEYFLOW_<SERVICE>_BASE_URL). It wins over a credential's own baseUrl, except for Azure, whose endpoint is per resource. */
  baseUrl?: string;
  /** Whole call, stream included. */
  timeoutMs: number;
}
