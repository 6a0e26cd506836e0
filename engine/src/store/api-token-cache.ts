// Bearer token → owner, remembered for a few seconds, so a script's run of requests pays the
// token's lookup (a hash, a query and its round trip to Postgres) once rather than per request.
//
// Revocation takes effect:
// - in this process at once: every repository function that removes tokens (one, all, on a
//   password change, with the account) calls forgetApiTokens(db), which empties the cache before
//   it returns;
// - in another process on the same database (a second `keyflow server`) within
//   API_TOKEN_CACHE_TTL_MS, when its entry expires and the next request looks the token up again.
// Only tokens that resolved are kept: a refused token is looked up every time (a new token works
// at once, and guessing fills nothing). A lookup that was under way when tokens were removed is
// not kept (it may have read the row before the delete). Keys are the token's hash, never the
// token itself. users.repo.ts (resolveApiToken) is the one caller.
import type { Db } from './database.ts';

export const API_TOKEN_CACHE_TTL_MS = 5_000;
/** Tokens kept at most; past it the oldest entry goes (it is the nearest to expiring anyway). */
export const API_TOKEN_CACHE_MAX = 1_000;

interface Entry {
  owner: unknown;
  expiresAt: number;
}

interface Cache {
  entries: Map<string, Entry>;
  /** Bumped by every forgetApiTokens. */
  generation: number;
}

const caches = new WeakMap<Db, Cache>();

function cacheOf(db: Db): Cache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { entries: new Map(), generation: 0 }));
  return cache;
}

/** The owner under `tokenHash`, from the cache while its entry is fresh, else from `lookUp`. */
export async function cachedApiTokenOwner<T>(db: Db, tokenHash: string, lookUp: () => Promise<T | undefined>): Promise<T | undefined> {
  const cache = cacheOf(db);
  const { entries, generation } = cache;
  const now = Date.now();
  const hit = entries.get(tokenHash);
  if (hit && hit.expiresAt > now) return hit.owner as T;
  if (hit) entries.delete(tokenHash);
  const owner = await lookUp();
  if (!owner || cache.generation !== generation) return owner;
  if (entries.size >= API_TOKEN_CACHE_MAX) entries.delete(entries.keys().next().value!);
  entries.set(tokenHash, { owner, expiresAt: now + API_TOKEN_CACHE_TTL_MS });
  return owner;
}

/** Drops every remembered token of this database handle: called whenever tokens are removed. */
export function forgetApiTokens(db: Db): void {
  const cache = cacheOf(db);
  cache.entries.clear();
  cache.generation++;
}

/** Tokens remembered for this database handle (for tests of the bound). */
export function cachedApiTokenCount(db: Db): number {
  return caches.get(db)?.entries.size ?? 0;
}
