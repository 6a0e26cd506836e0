// The client's address, for per-client limits. By default only the socket's peer address
// counts: X-Forwarded-For and Forwarded are set by whoever sends the request. Behind reverse
// proxies the operator says which to trust (KEYFLOW_TRUST_PROXY): a number of hops, or the
// proxies' addresses. The header is read from the right (what the nearest proxy appended)
// and only as far as trusted proxies vouch for it; whatever a client wrote further left is ignored.
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { allowsAddress, type Config } from '@keyflow/engine';
import { clientKey } from './client-key.ts';
import type { AppEnv } from '../http/types.ts';

/** The addresses a header lists, nearest proxy last; undefined for an entry that is no address. */
export function forwardedChain(header: Config['trustProxyHeader'], value: string | undefined): (string | undefined)[] {
  if (!value) return [];
  if (header === 'x-forwarded-for') return value.split(',').map((v) => bareAddress(v.trim()));
  // RFC 7239: Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"
  return value.split(',').map((element) => {
    const pair = element.split(';').map((p) => p.trim()).find((p) => /^for=/i.test(p));
    return pair ? bareAddress(pair.slice(4).replace(/^"|"$/g, '')) : undefined;
  });
}

/** `1.2.3.4`, `1.2.3.4:80`, `[::1]:80` or `::1` as the address alone; anything else undefined. */
function bareAddress(v: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  const candidate = bracketed ? bracketed[1]! : /^\d+\.\d+\.\d+\.\d+:\d+$/.test(v) ? v.slice(0, v.lastIndexOf(':')) : v;
  return isIP(candidate) ? candidate : undefined;
}

/** The client address given the socket peer and the header, under the configured trust. */
export function resolveClientAddress(config: Pick<Config, 'trustProxy' | 'trustProxyHeader'>, peer: string | undefined, headerValue: string | undefined): string | undefined {
  const trust = config.trustProxy;
  if (!trust || !peer) return peer;
  const chain = forwardedChain(config.trustProxyHeader, headerValue);
  if ('hops' in trust) {
    // The peer is the nearest proxy; each trusted hop vouches for the entry to its left.
    let address: string | undefined = peer;
    for (let i = 0; i < trust.hops; i++) {
      const next = chain[chain.length - 1 - i];
      if (next === undefined) break; // fewer entries than hops, or garbage: the last vouched-for address stands
      address = next;
    }
    return address;
  }
  let address = peer;
  for (let i = chain.length - 1; i >= 0 && allowsAddress(trust.cidrs, address); i--) {
    const next = chain[i];
    if (next === undefined) break;
    address = next;
  }
  return address;
}

/** The key per-client limits count under (an IPv6 /64 is one client). */
export function clientAddress(c: Context<AppEnv>): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return 'unknown'; // app.request in tests has no socket
  }
  const { config } = c.get('services');
  return clientKey(resolveClientAddress(config, peer, c.req.header(config.trustProxyHeader)));
}
