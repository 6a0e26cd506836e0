import { describe, expect, it } from 'vitest';
import { loadConfig } from '@keyflow/engine';
import { forwardedChain, resolveClientAddress } from './client-address.ts';

const config = (trust?: string, header?: string) => loadConfig({ ...(trust ? { KEYFLOW_TRUST_PROXY: trust } : {}), ...(header ? { KEYFLOW_TRUST_PROXY_HEADER: header } : {}) });

describe('resolveClientAddress', () => {
  it('uses the socket peer only when no proxy is trusted', () => {
    expect(resolveClientAddress(config(), '127.0.0.1', '1.2.3.4')).toBe('127.0.0.1');
  });

  it('with a number of hops, takes the entry that many places from the right', () => {
    expect(resolveClientAddress(config('1'), '10.0.0.1', 'spoofed, 203.0.113.5')).toBe('203.0.113.5');
    expect(resolveClientAddress(config('2'), '10.0.0.1', 'spoofed, 203.0.113.5, 10.0.0.2')).toBe('203.0.113.5');
    // Fewer entries than hops: the leftmost one a trusted hop wrote.
    expect(resolveClientAddress(config('2'), '10.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    // No header: the peer.
    expect(resolveClientAddress(config('1'), '10.0.0.1', undefined)).toBe('10.0.0.1');
    // Garbage where the proxy's entry should be: nothing a client wrote is believed.
    expect(resolveClientAddress(config('1'), '10.0.0.1', '1.2.3.4, not-an-ip')).toBe('10.0.0.1');
  });

  it('with proxy CIDRs, walks left past trusted proxies only', () => {
    const c = config('10.0.0.0/8,::1');
    expect(resolveClientAddress(c, '10.0.0.1', 'spoofed, 203.0.113.5, 10.1.2.3')).toBe('203.0.113.5');
    // A peer that is no proxy: its header is ignored.
    expect(resolveClientAddress(c, '198.51.100.1', '203.0.113.5')).toBe('198.51.100.1');
    expect(resolveClientAddress(c, '::1', '[2001:db8::1]:4711')).toBe('2001:db8::1');
  });

  it('reads RFC 7239 Forwarded when configured', () => {
    expect(forwardedChain('forwarded', 'for=192.0.2.60;proto=https, for="[2001:db8::1]:4711";by=x')).toEqual(['192.0.2.60', '2001:db8::1']);
    expect(resolveClientAddress(config('1', 'forwarded'), '10.0.0.1', 'for=1.1.1.1, for=192.0.2.60')).toBe('192.0.2.60');
  });

  it('refuses a bad KEYFLOW_TRUST_PROXY naming the variable', () => {
    expect(() => config('proxy.example.com')).toThrow(/KEYFLOW_TRUST_PROXY/);
    expect(() => config('99')).toThrow(/KEYFLOW_TRUST_PROXY/);
    expect(() => config('1', 'x-real-ip')).toThrow(/KEYFLOW_TRUST_PROXY_HEADER/);
  });
});
