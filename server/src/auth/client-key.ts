// The key per-client limits count under. An IPv6 client usually holds a whole /64 (often
// more), so counting full addresses would give each attacker 2^64 fresh budgets: IPv6 counts
// by its /64 prefix. IPv4-mapped IPv6 (::ffff:1.2.3.4, what a dual-stack socket reports for
// an IPv4 peer) counts as the IPv4 address it carries.
import { isIPv4, isIPv6 } from 'node:net';

/** Expands an IPv6 address to its 8 hextets (no zone, no embedded IPv4 left). */
function hextets(address: string): string[] | undefined {
  let a = address.split('%')[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const [w, x, y, z] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    a = `${a.slice(0, -v4[1]!.length)}${((w << 8) | x).toString(16)}:${((y << 8) | z).toString(16)}`;
  }
  const [head, tail] = a.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = a.includes('::') ? 8 - left.length - right.length : 0;
  const all = [...left, ...Array<string>(fill).fill('0'), ...right];
  return all.length === 8 ? all.map((h) => h.replace(/^0+(?=.)/, '')) : undefined;
}

export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  if (isIPv4(address)) return address;
  if (!isIPv6(address.split('%')[0]!)) return address;
  const h = hextets(address);
  if (!h) return address;
  // ::ffff:a.b.c.d
  if (h.slice(0, 5).every((x) => x === '0') && h[5] === 'ffff') {
    const n = (parseInt(h[6]!, 16) << 16) | parseInt(h[7]!, 16);
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  return `${h.slice(0, 4).join(':')}::/64`;
}
