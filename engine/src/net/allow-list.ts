import { cidrContains, parseCidr, parseIp, stripBrackets } from './ip-address.ts';
import type { Cidr } from './ip-address.ts';
import { canonicalIp } from './ip-policy.ts';

/** Operator exceptions to the SSRF refusal (`KEYFLOW_HTTP_ALLOW`). */
export type AllowList = {
  /** Exact hostnames, lower-case, no trailing dot. */
  hosts: ReadonlySet<string>;
  /** From `*.example.com`: matches any name ending in `.example.com`, not `example.com` itself. */
  suffixes: readonly string[];
  /** Single addresses and CIDR blocks. */
  blocks: readonly Cidr[];
};

export const EMPTY_ALLOW_LIST: AllowList = { hosts: new Set(), suffixes: [], blocks: [] };

const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/**
 * Parses `KEYFLOW_HTTP_ALLOW`: comma-separated hostnames (`api.internal`), wildcards
 * (`*.corp.example`), IPs (`127.0.0.1`, `::1`) and CIDRs (`10.1.0.0/16`, `fd00::/8`).
 * Throws on a malformed entry: a typo must not silently leave a service unreachable, nor
 * a stray `*` open everything.
 * @example parseAllowList('127.0.0.1,*.corp.example,10.0.0.0/8')
 */
export function parseAllowList(value: string | undefined): AllowList {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const blocks: Cidr[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = stripBrackets(raw.trim()).toLowerCase();
    if (entry === '') continue;
    const block = parseEntryCidr(entry);
    if (block) {
      blocks.push(block);
      continue;
    }
    const name = entry.replace(/\.$/, '');
    if (name.startsWith('*.') && HOSTNAME.test(name.slice(2)) && name.slice(2).includes('.')) {
      suffixes.push(name.slice(1));
    } else if (HOSTNAME.test(name) && !/^[\d.]+$/.test(name)) {
      hosts.add(name);
    } else {
      throw new Error(`KEYFLOW_HTTP_ALLOW: invalid entry "${raw.trim()}" (expected a hostname, *.domain, IP or CIDR)`);
    }
  }
  return { hosts, suffixes, blocks };
}

/** Whether the operator admitted this URL hostname by name. */
export function allowsHost(list: AllowList, hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase().replace(/\.$/, '');
  if (parseIp(host)) return allowsAddress(list, host);
  return list.hosts.has(host) || list.suffixes.some((suffix) => host.endsWith(suffix));
}

/** Whether the operator admitted this resolved or literal address. */
export function allowsAddress(list: AllowList, address: string): boolean {
  const ip = canonicalIp(address);
  return ip !== undefined && list.blocks.some((block) => cidrContains(block, ip));
}

function parseEntryCidr(entry: string): Cidr | undefined {
  const slash = entry.indexOf('/');
  const addressPart = slash === -1 ? entry : entry.slice(0, slash);
  const ip = canonicalIp(addressPart);
  if (!ip) return undefined;
  if (slash === -1) return { family: ip.family, base: ip.value, prefix: ip.family === 4 ? 32 : 128 };
  const block = parseCidr(entry);
  if (!block) throw new Error(`KEYFLOW_HTTP_ALLOW: invalid CIDR "${entry}"`);
  return block;
}
