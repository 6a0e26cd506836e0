// The owner's routing policy turned into what the router takes: keys that pass the
// data-residency filter, and the allow / prefer tests on `provider/model` refs.
import type { RoutingPolicy } from '../../store/settings.repo.ts';
import type { OwnerCredential } from '../router/router-types.ts';

/** True when `ref` (`provider/model`) is named by an entry: the exact ref or its provider id. */
export function matchesAny(entries: readonly string[], ref: string): boolean {
  if (entries.length === 0) return false;
  const provider = ref.slice(0, ref.indexOf('/'));
  return entries.some((e) => e === ref || e === provider);
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Keys the residency filter lets through (all of them without one). */
export function residentCredentials(credentials: readonly OwnerCredential[], policy: RoutingPolicy): OwnerCredential[] {
  const dr = policy.dataResidency;
  if (!dr) return [...credentials];
  const hosts = new Set(dr.azureEndpoints.map((e) => hostOf(e.includes('://') ? e : `https://${e}`) ?? e.toLowerCase()));
  return credentials.filter((c) => dr.providers.includes(c.provider) && (c.provider !== 'azure_openai' || hosts.has(hostOf(c.credential.baseUrl) ?? '')));
}

export function policyTests(policy: RoutingPolicy): { allow: (ref: string) => boolean; prefer: (ref: string) => boolean } {
  return { allow: (ref) => !matchesAny(policy.exclude, ref), prefer: (ref) => matchesAny(policy.prefer, ref) };
}
