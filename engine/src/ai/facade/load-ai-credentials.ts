// The owner's AI keys, opened for one call. Rows marked invalid are left out (a provider
// rejected them); a row that does not decrypt is left out too, as if it were not there.
import type { Keyring } from '../../vault/keyring.ts';
import { Secret } from '../../vault/secret.ts';
import type { Db } from '../../store/database.ts';
import { providerIds, type ProviderId } from '../types.ts';
import type { OwnerCredential } from '../router/router-types.ts';

function isProviderId(value: string): value is ProviderId {
  return (providerIds as readonly string[]).includes(value);
}

function metaString(meta: unknown, key: string): string | undefined {
  if (meta === null || typeof meta !== 'object') return undefined;
  const value = (meta as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An Azure credential's deployment → model map from its meta (validated on save; read defensively). */
export function deploymentMap(meta: unknown): Record<string, string> | undefined {
  if (meta === null || typeof meta !== 'object') return undefined;
  const raw = (meta as Record<string, unknown>).deployments;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const out: Record<string, string> = {};
  for (const [name, model] of Object.entries(raw as Record<string, unknown>)) if (typeof model === 'string' && model !== '') out[name] = model;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Usable AI credentials of `ownerId`, keys wrapped in Secret; only `ids` when given. Per provider,
 * keys proven valid come first, then the newest: the router takes the first key of a provider.
 */
export async function loadAiCredentials(db: Db, keyring: Keyring, ownerId: string, ids?: readonly string[]): Promise<OwnerCredential[]> {
  if (ids && ids.length === 0) return [];
  let query = db
    .selectFrom('credentials')
    .select(['id', 'provider', 'ciphertext', 'meta', 'status'])
    .where('owner_id', '=', ownerId)
    .where('provider', 'in', [...providerIds])
    .where('status', '!=', 'invalid');
  if (ids) query = query.where('id', 'in', [...ids]);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  rows.sort((a, b) => Number(b.status === 'valid') - Number(a.status === 'valid'));
  const out: OwnerCredential[] = [];
  for (const row of rows) {
    if (!isProviderId(row.provider)) continue;
    let apiKey: Secret;
    try {
      apiKey = new Secret(keyring.decrypt(ownerId, row.ciphertext));
    } catch {
      continue;
    }
    const baseUrl = metaString(row.meta, 'endpoint');
    const apiVersion = metaString(row.meta, 'apiVersion');
    const deployments = row.provider === 'azure_openai' ? deploymentMap(row.meta) : undefined;
    out.push({ id: row.id, provider: row.provider, credential: { apiKey, ...(baseUrl ? { baseUrl } : {}), ...(apiVersion ? { apiVersion } : {}), ...(deployments ? { deployments } : {}) } });
  }
  return out;
}
