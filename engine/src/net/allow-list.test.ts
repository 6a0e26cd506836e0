import { describe, it, expect } from 'vitest';
import { allowsAddress, allowsHost, parseAllowList } from './allow-list.ts';

describe('parseAllowList', () => {
  it.each([undefined, '', ' , ,'])('%j admits nothing', (value) => {
    const list = parseAllowList(value);
    expect(list.hosts.size + list.suffixes.length + list.blocks.length).toBe(0);
    expect(allowsAddress(list, '127.0.0.1')).toBe(false);
  });

  it('sorts entries into hostnames, wildcards and address blocks', () => {
    const list = parseAllowList(' API.Internal. , *.corp.example,127.0.0.1, 10.1.0.0/16,[::1],fd00::/8 ');
    expect([...list.hosts]).toEqual(['api.internal']);
    expect(list.suffixes).toEqual(['.corp.example']);
    expect(list.blocks).toHaveLength(4);
  });

  it.each(['*', '*.com', 'http://example.com', 'example.com:8080', '10.0.0.0/33', '::/129', '10.0.0.0/x', 'exa mple.com', '127.1', '-bad.example'])(
    'rejects the malformed entry %j',
    (entry) => {
      expect(() => parseAllowList(`127.0.0.1,${entry}`)).toThrow(/KEYFLOW_HTTP_ALLOW/);
    },
  );
});

describe('allow-list matching', () => {
  const list = parseAllowList('api.internal,*.corp.example,127.0.0.1,10.1.0.0/16,fd00:1::/32');

  it.each<[string, boolean]>([
    ['api.internal', true],
    ['API.INTERNAL.', true],
    ['x.api.internal', false],
    ['api.internal.evil.com', false],
    ['svc.corp.example', true],
    ['a.b.corp.example', true],
    ['corp.example', false],
    ['evilcorp.example', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.1.200.3', true],
    ['10.2.0.1', false],
    ['[fd00:1::5]', true],
    ['[fd00:2::5]', false],
  ])('host %s -> %s', (host, expected) => {
    expect(allowsHost(list, host)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:2', false],
    ['10.1.0.0', true],
    ['10.1.255.255', true],
    ['10.0.255.255', false],
    ['fd00:1:ffff::1', true],
    ['fd00:2::1', false],
    ['not-an-ip', false],
  ])('address %s -> %s', (address, expected) => {
    expect(allowsAddress(list, address)).toBe(expected);
  });
});
