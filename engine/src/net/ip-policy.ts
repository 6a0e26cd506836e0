import { cidr, cidrContains, lowV4, parseIp, stripBrackets } from './ip-address.ts';
import type { Cidr, IpAddress } from './ip-address.ts';

export type RefusalReason =
  | 'invalid'
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'metadata';

export type IpVerdict = { allowed: true } | { allowed: false; reason: RefusalReason };

type Rule = { block: Cidr; reason: RefusalReason };

// Metadata services come first so that their more specific reason wins.
const V4_RULES: readonly Rule[] = [
  { block: cidr('169.254.169.254/32'), reason: 'metadata' }, // AWS, GCP, Azure, OpenStack…
  { block: cidr('169.254.170.2/32'), reason: 'metadata' }, // ECS task credentials
  { block: cidr('100.100.100.200/32'), reason: 'metadata' }, // Alibaba Cloud
  { block: cidr('168.63.129.16/32'), reason: 'metadata' }, // Azure wireserver (a public address)
  { block: cidr('0.0.0.0/8'), reason: 'unspecified' },
  { block: cidr('10.0.0.0/8'), reason: 'private' },
  { block: cidr('100.64.0.0/10'), reason: 'shared' },
  { block: cidr('127.0.0.0/8'), reason: 'loopback' },
  { block: cidr('169.254.0.0/16'), reason: 'link-local' },
  { block: cidr('172.16.0.0/12'), reason: 'private' },
  { block: cidr('192.0.0.0/24'), reason: 'reserved' },
  { block: cidr('192.0.2.0/24'), reason: 'documentation' },
  { block: cidr('192.88.99.0/24'), reason: 'reserved' },
  { block: cidr('192.168.0.0/16'), reason: 'private' },
  { block: cidr('198.18.0.0/15'), reason: 'reserved' },
  { block: cidr('198.51.100.0/24'), reason: 'documentation' },
  { block: cidr('203.0.113.0/24'), reason: 'documentation' },
  { block: cidr('224.0.0.0/4'), reason: 'multicast' },
  { block: cidr('240.0.0.0/4'), reason: 'reserved' }, // includes 255.255.255.255
];

// v6 ranges that carry a v4 address in their low 32 bits: judged by that v4 address,
// because the kernel (or a NAT64 gateway) will deliver the packet to it.
const V6_EMBEDDING_V4: readonly Cidr[] = [
  cidr('::ffff:0:0/96'), // IPv4-mapped
  cidr('::ffff:0:0:0/96'), // IPv4-translated (RFC 2765)
  cidr('64:ff9b::/96'), // NAT64 well-known prefix
];

const V6_RULES: readonly Rule[] = [
  { block: cidr('fd00:ec2::254/128'), reason: 'metadata' }, // AWS IMDS over IPv6
  { block: cidr('::/128'), reason: 'unspecified' },
  { block: cidr('::1/128'), reason: 'loopback' },
  { block: cidr('::/96'), reason: 'reserved' }, // IPv4-compatible, deprecated
  { block: cidr('64:ff9b:1::/48'), reason: 'private' }, // local-use NAT64
  { block: cidr('100::/64'), reason: 'reserved' }, // discard-only
  { block: cidr('2001::/32'), reason: 'reserved' }, // Teredo: the v4 target is obfuscated
  { block: cidr('2001:2::/48'), reason: 'reserved' }, // benchmarking
  { block: cidr('2001:10::/28'), reason: 'reserved' }, // ORCHID
  { block: cidr('2001:db8::/32'), reason: 'documentation' },
  { block: cidr('3fff::/20'), reason: 'documentation' },
  { block: cidr('fc00::/7'), reason: 'private' },
  { block: cidr('fe80::/10'), reason: 'link-local' },
  { block: cidr('fec0::/10'), reason: 'private' }, // site-local, deprecated
  { block: cidr('ff00::/8'), reason: 'multicast' },
];

const SIX_TO_FOUR = cidr('2002::/16');
// Only global unicast is routable on the internet; anything else not listed is unassigned.
const V6_GLOBAL_UNICAST = cidr('2000::/3');

// Names that reach the host or its cloud metadata without going through public DNS.
const BLOCKED_NAMES = new Map<string, RefusalReason>([
  ['localhost', 'loopback'],
  ['localhost.localdomain', 'loopback'],
  ['ip6-localhost', 'loopback'],
  ['ip6-loopback', 'loopback'],
  ['metadata', 'metadata'],
  ['metadata.google.internal', 'metadata'],
  ['metadata.goog', 'metadata'],
  ['instance-data', 'metadata'],
  ['instance-data.ec2.internal', 'metadata'],
]);

/** Classifies one IP address string (v4 or v6, bracketed or not) as allowed or refused. */
export function classifyIp(text: string): IpVerdict {
  const ip = parseIp(text);
  if (!ip) return refuse('invalid');
  return classifyParsed(ip);
}

/**
 * Judges a URL hostname before any DNS: literal IPs get their verdict, well-known local and
 * metadata names are refused, and `undefined` means "a name: judge what it resolves to".
 */
export function classifyHostname(hostname: string): IpVerdict | undefined {
  const host = stripBrackets(hostname).toLowerCase().replace(/\.$/, '');
  if (host === '') return refuse('invalid');
  if (parseIp(host)) return classifyIp(host);
  const named = BLOCKED_NAMES.get(host);
  if (named) return refuse(named);
  // RFC 6761: every *.localhost name is loopback, whatever DNS says.
  if (host.endsWith('.localhost')) return refuse('loopback');
  return undefined;
}

/** Folds v4-mapped v6 addresses to v4, so allow-list entries match either spelling. */
export function canonicalIp(text: string): IpAddress | undefined {
  const ip = parseIp(text);
  if (ip && ip.family === 6 && cidrContains(V6_EMBEDDING_V4[0] as Cidr, ip)) return lowV4(ip);
  return ip;
}

function classifyParsed(ip: IpAddress): IpVerdict {
  if (ip.family === 4) return matchRules(V4_RULES, ip) ?? { allowed: true };
  for (const block of V6_EMBEDDING_V4) {
    if (cidrContains(block, ip)) return classifyParsed(lowV4(ip));
  }
  if (cidrContains(SIX_TO_FOUR, ip)) {
    const embedded: IpAddress = { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
    const inner = classifyParsed(embedded);
    if (!inner.allowed) return inner;
  }
  const ruled = matchRules(V6_RULES, ip);
  if (ruled) return ruled;
  return cidrContains(V6_GLOBAL_UNICAST, ip) ? { allowed: true } : refuse('reserved');
}

function matchRules(rules: readonly Rule[], ip: IpAddress): IpVerdict | undefined {
  const hit = rules.find((r) => cidrContains(r.block, ip));
  return hit ? refuse(hit.reason) : undefined;
}

function refuse(reason: RefusalReason): IpVerdict {
  return { allowed: false, reason };
}
