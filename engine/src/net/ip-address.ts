import { isIP } from 'node:net';

/** An IP address as a number: 32 bits for v4, 128 bits for v6. */
export type IpAddress = { family: 4 | 6; value: bigint };

/** A CIDR block; `prefix` counts leading bits of `base` that must match. */
export type Cidr = { family: 4 | 6; base: bigint; prefix: number };

const V4_BITS = 32;
const V6_BITS = 128;

/**
 * Parses a canonical IP literal (what `isIP` accepts: dotted-quad v4, any v6 form, with or
 * without brackets or a zone id). Shorthand v4 like `127.1` is not accepted here on purpose:
 * URL hosts arrive already normalised by the WHATWG parser, resolver answers are canonical.
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = stripBrackets(text.trim());
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: parseV4(bare) };
  if (family === 6) {
    const value = parseV6(bare);
    return value === undefined ? undefined : { family: 6, value };
  }
  return undefined;
}

/** Parses `10.0.0.0/8` or `fc00::/7`; a bare address is a single-host block. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.lastIndexOf('/');
  const ip = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.family === 4 ? V4_BITS : V6_BITS;
  if (slash === -1) return { family: ip.family, base: ip.value, prefix: max };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > max) return undefined;
  return { family: ip.family, base: ip.value & mask(ip.family, prefix), prefix };
}

/** Whether `ip` lies inside `cidr` (families must match). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  return (ip.value & mask(cidr.family, cidr.prefix)) === cidr.base;
}

/** Shorthand for building constant tables. Throws on a typo, which is a programming error. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`invalid CIDR constant: ${text}`);
  return parsed;
}

/** The v4 address held in the low 32 bits of a v6 address. */
export function lowV4(ip: IpAddress): IpAddress {
  return { family: 4, value: ip.value & 0xffffffffn };
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = family === 4 ? V4_BITS : V6_BITS;
  const all = (1n << BigInt(bits)) - 1n;
  return (all << BigInt(bits - prefix)) & all;
}

function parseV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(text: string): bigint | undefined {
  // The zone id (`fe80::1%eth0`) picks an interface; it does not change the address class.
  const noZone = text.split('%')[0] ?? '';
  let groups: number[];
  const halves = noZone.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 0) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function groupsOf(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const pieces = part.split(':');
  for (const [i, piece] of pieces.entries()) {
    if (i === pieces.length - 1 && piece.includes('.')) {
      if (isIP(piece) !== 4) return undefined;
      const v4 = Number(parseV4(piece));
      out.push(v4 >>> 16, v4 & 0xffff);
    } else {
      if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
      out.push(parseInt(piece, 16));
    }
  }
  return out;
}
