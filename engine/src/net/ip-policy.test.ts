import { describe, it, expect } from 'vitest';
import { classifyHostname, classifyIp } from './ip-policy.ts';
import type { RefusalReason } from './ip-policy.ts';

describe('classifyIp refuses non-public addresses', () => {
  it.each<[string, RefusalReason]>([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['168.63.129.16', 'metadata'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['100::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['4000::1', 'reserved'],
    // IPv4-mapped, in every spelling
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:0.0.0.0', 'unspecified'],
    // IPv4-translated (RFC 2765)
    ['::ffff:0:7f00:1', 'loopback'],
    // IPv4-compatible (deprecated)
    ['::127.0.0.1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['::808:808', 'reserved'],
    // NAT64 embedding a private or metadata v4
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b:1::1', 'private'],
    // 6to4 embedding a private v4 in bits 16..47
    ['2002:7f00:1::', 'loopback'],
    ['2002:a00:1::1', 'private'],
    ['2002:c0a8:101::', 'private'],
    ['2002:a9fe:a9fe::1', 'metadata'],
  ])('%s is refused as %s', (address, reason) => {
    expect(classifyIp(address)).toEqual({ allowed: false, reason });
  });
});

describe('classifyIp allows public addresses', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '192.169.0.1',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is allowed', (address) => {
    expect(classifyIp(address)).toEqual({ allowed: true });
  });
});

describe('classifyIp refuses what is not an address', () => {
  it.each(['', 'example.com', '127.1', '2130706433', '0x7f000001', '1.2.3.4.5', '::1::2', '12345::'])('%j', (text) => {
    expect(classifyIp(text)).toEqual({ allowed: false, reason: 'invalid' });
  });
});

describe('URL hosts: the WHATWG parser normalises tricky spellings, the classifier sees through them', () => {
  it.each<[string, RefusalReason]>([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://127.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0x7f.0x0.0x0.0x1/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://017700000001/', 'loopback'],
    ['http://127.0.0.1./', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://167772161/', 'private'],
    ['http://0xa9fea9fe/', 'metadata'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::1]/', 'loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', 'metadata'],
    ['http://[::127.0.0.1]/', 'reserved'],
    ['http://[64:ff9b::192.168.0.1]/', 'private'],
    ['http://[2002:7f00:1::]/', 'loopback'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://localhost/', 'loopback'],
    ['http://LOCALHOST./', 'loopback'],
    ['http://app.localhost/', 'loopback'],
    ['http://metadata.google.internal/', 'metadata'],
  ])('%s is refused as %s', (url, reason) => {
    expect(classifyHostname(new URL(url).hostname)).toEqual({ allowed: false, reason });
  });

  it.each(['http://8.8.8.8/', 'http://134744072/', 'http://[2606:4700:4700::1111]/'])('%s is allowed', (url) => {
    expect(classifyHostname(new URL(url).hostname)).toEqual({ allowed: true });
  });

  it.each(['http://example.com/', 'http://api.github.com./'])('%s is a name left to the resolver check', (url) => {
    expect(classifyHostname(new URL(url).hostname)).toBeUndefined();
  });
});
