// Server state the Inspector fetches itself (the canvas need not know): the owner's
// credentials (masked) and the AI model catalog with its prices.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client.ts';

/** One credential as `GET /api/credentials` lists it: never the secret, only its mask. */
export interface CredentialSummary {
  id: string;
  provider: string;
  label: string;
  hint: string;
  status: 'unknown' | 'valid' | 'invalid';
}

export type Tier = 'economy' | 'balanced' | 'premium';

/** One model of `GET /api/catalog/models`; prices in micro-dollars per million tokens. */
export interface CatalogModelInfo {
  ref: string;
  provider: string;
  model: string;
  tier: Tier;
  prices: { input: number; output: number };
  maxInput: number;
  maxOutput: number;
  supports: { json: boolean; tools: boolean; vision: boolean };
}

export interface ModelCatalog {
  priceDate: string;
  tiers: Tier[];
  /** AI providers a credential may be for. */
  providers: string[];
  /** The owner's default tier (settings), used when a node names none. */
  defaultTier: Tier;
  models: CatalogModelInfo[];
}

export function useCredentials() {
  return useQuery({ queryKey: ['credentials'], queryFn: ({ signal }) => api<{ items: CredentialSummary[] }>('GET', '/api/credentials', undefined, { signal }) });
}

export function useModelCatalog(enabled = true) {
  return useQuery({ queryKey: ['catalog', 'models'], queryFn: ({ signal }) => api<ModelCatalog>('GET', '/api/catalog/models', undefined, { signal }), enabled, staleTime: 5 * 60_000 });
}
