import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { allowsAddress, allowsHost } from './allow-list.ts';
import type { AllowList } from './allow-list.ts';
import { classifyHostname, classifyIp } from './ip-policy.ts';
import { OutboundRequestError } from './outbound-request-error.ts';
import { buildConnector, type Connector } from './undici-core.ts';

export type ResolvedAddress = { address: string; family: number };

/** Resolves a hostname to every address it has; injectable so tests never touch real DNS. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An undici connector that refuses to open a socket to a refused address. The check runs
 * inside the socket's own DNS lookup, so the address judged is the address connected to:
 * a name that re-resolves to a private address between a check and the connect (DNS
 * rebinding) has no window. Literal IP hosts skip Node's lookup, so they are judged here.
 */
export function createGuardedConnector(opts: {
  allow: AllowList;
  resolver: Resolver;
  connectTimeoutMs: number;
}): Connector {
  const { allow, resolver } = opts;

  const guardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolveChecked(hostname, allow, resolver).then((found) => {
      const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
      const first = wanted[0];
      if (!first) {
        callback(new OutboundRequestError('connection_failed', `no usable address for ${hostname}`, { host: hostname }), []);
      } else if (options.all) {
        callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
      } else {
        callback(null, first.address, first.family);
      }
    }, (err: unknown) => {
      callback(err instanceof Error ? err : new Error(String(err)), []);
    });
  };

  const base = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup });

  return (options, callback) => {
    const refusal = refuseHostname(options.hostname, allow);
    if (refusal) {
      callback(refusal, null);
      return;
    }
    base(options, callback);
  };
}

/** Judges a URL hostname before DNS: literal IPs and well-known local names. */
export function refuseHostname(hostname: string, allow: AllowList): OutboundRequestError | undefined {
  const verdict = classifyHostname(hostname);
  if (!verdict || verdict.allowed || allowsHost(allow, hostname)) return undefined;
  return new OutboundRequestError('blocked_address', `refused to connect to ${hostname}: ${verdict.reason} address`, {
    host: hostname,
  });
}

async function resolveChecked(hostname: string, allow: AllowList, resolver: Resolver): Promise<readonly ResolvedAddress[]> {
  let found: readonly ResolvedAddress[];
  try {
    found = await resolver(hostname);
  } catch (err) {
    throw new OutboundRequestError('connection_failed', `could not resolve ${hostname}`, { host: hostname, cause: err });
  }
  if (allowsHost(allow, hostname)) return found;
  // One refused address refuses the name: the socket may try any of them (happy eyeballs).
  for (const { address } of found) {
    const verdict = classifyIp(address);
    if (!verdict.allowed && !allowsAddress(allow, address)) {
      throw new OutboundRequestError('blocked_address', `refused to connect to ${hostname}: it resolves to ${verdict.reason} address ${address}`, {
        host: hostname,
      });
    }
  }
  return found;
}
