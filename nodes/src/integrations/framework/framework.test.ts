// The framework's own rules: where a credential may go, how problems map onto the engine's
// error classes, and what defineIntegration refuses.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CredentialRejectedError, defineNode, NodeError, NonRetriableNodeError, RetryAfterNodeError } from '../../contract/index.ts';
import { defaultRegistry } from '../../index.ts';
import { findInbound, findOptionList, findPoll, integrationOfNode, integrations, webhookTriggerTypes } from '../registry.ts';
import { apiUrl, isAllowedApiUrl, pathSegment, serviceBaseUrl } from './base-url.ts';
import { problemToNodeError, retryAfterMs, scrubSecret } from './errors.ts';
import { testCredential } from './testing/test-context.ts';
import { defineIntegration, type Integration } from './types.ts';

const spec = { service: 'demo', defaultBaseUrl: 'https://api.demo.com', apiHosts: ['api.demo.com'] };

describe('hosts', () => {
  it('uses the operator base URL when set, the official one otherwise', () => {
    expect(serviceBaseUrl(spec, undefined)).toBe('https://api.demo.com');
    expect(serviceBaseUrl(spec, { baseUrl: (s) => (s === 'demo' ? 'http://127.0.0.1:9999' : undefined) })).toBe('http://127.0.0.1:9999');
  });

  it('apiUrl keeps every request on the base URL, whatever a config value holds', () => {
    expect(apiUrl('https://api.demo.com/1', 'cards/abc', { key: 'k' }).href).toBe('https://api.demo.com/1/cards/abc?key=k');
    expect(apiUrl('http://127.0.0.1:9/api/', '/v1/pages').href).toBe('http://127.0.0.1:9/api/v1/pages');
    for (const hostile of ['https://evil.example/x', '//evil.example/x', 'http:evil', '\\\\evil.example\\x', 'javascript:alert(1)']) {
      expect(() => apiUrl('https://api.demo.com/1', hostile), hostile).toThrow(NonRetriableNodeError);
    }
    expect(() => apiUrl('https://api.demo.com/1', '../../other')).toThrow(/leave the service host/);
    expect(() => pathSegment('..', 'listId')).toThrow(/listId is not a valid id/);
    expect(apiUrl('https://api.demo.com/1', `cards/${pathSegment('a/../../x?y#z', 'cardId')}`).href).toBe('https://api.demo.com/1/cards/a%2F..%2F..%2Fx%3Fy%23z');
  });

  it('isAllowedApiUrl admits the official hosts over https and the base URL origin only', () => {
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'http://127.0.0.1:9/upload')).toBe(true);
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'https://api.demo.com/x')).toBe(true);
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'http://api.demo.com/x')).toBe(false);
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'http://127.0.0.1:10/x')).toBe(false);
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'https://api.demo.com.evil.example/x')).toBe(false);
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'https://user:pw@api.demo.com/x')).toBe(false);
    expect(isAllowedApiUrl(spec, 'http://127.0.0.1:9', 'not a url')).toBe(false);
  });
});

describe('error mapping', () => {
  const credential = testCredential({ provider: 'demo', secret: '0123456789abcdef0123456789abcdef:ATTAsecrettokenpart1234567890' });
  const subject = { title: 'Demo', credential, fixAuth: 'reconnect Demo under Connections' };

  it('maps each kind onto the engine classes', () => {
    const auth = problemToNodeError({ kind: 'auth', message: 'invalid token' }, subject);
    expect(auth).toBeInstanceOf(CredentialRejectedError);
    expect(auth.message).toBe(`Demo rejected credential ${credential.id} (invalid token); reconnect Demo under Connections`);
    const scope = problemToNodeError({ kind: 'scope', message: 'missing_scope', scope: 'boards:write' }, subject);
    expect(scope).toBeInstanceOf(NonRetriableNodeError);
    expect(scope.message).toContain('"boards:write"');
    expect(problemToNodeError({ kind: 'not_found', message: 'gone', what: 'the list L1' }, subject).message).toContain('the list L1 was not found');
    const rl = problemToNodeError({ kind: 'rate_limited', message: '429', retryAfterMs: 3000 }, subject);
    expect(rl).toBeInstanceOf(RetryAfterNodeError);
    expect((rl as RetryAfterNodeError).retryAfterMs).toBe(3000);
    for (const kind of ['server', 'network'] as const) {
      const e = problemToNodeError({ kind, message: 'x' }, subject);
      expect(e).toBeInstanceOf(NodeError);
      expect(e.retryable).toBe(true);
    }
    expect(problemToNodeError({ kind: 'validation', message: 'name too long' }, subject).retryable).toBe(false);
  });

  it('scrubs the secret and each part of a key:token credential from service text', () => {
    const [key, token] = credential.reveal().split(':');
    const text = scrubSecret(`bad request for key=${key} token=${token} or ${credential.reveal()} xoxb-123-abc ntn_abcdefghijklmnopqrstu`, credential);
    expect(text).not.toContain(key!);
    expect(text).not.toContain(token!);
    expect(text).not.toContain('xoxb-123');
    expect(text).not.toContain('ntn_abc');
    expect(scrubSecret('x'.repeat(2000), credential).length).toBeLessThan(600);
  });

  it('reads Retry-After as seconds or a date, with a fallback', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs(undefined, now, 777)).toBe(777);
    expect(retryAfterMs('soon', now, 777)).toBe(777);
    expect(retryAfterMs('999999', now)).toBe(15 * 60_000);
  });
});

describe('defineIntegration and the registry', () => {
  const node = (type: string, provider?: string) =>
    defineNode({ type, version: 1, title: 't', description: 'd', category: 'integration', kind: 'action', config: z.strictObject({}), ...(provider ? { credential: { provider } } : {}), run: async () => ({ output: null }) });
  const base: Integration = { service: 'demo', title: 'Demo', credentialKinds: ['token'], defaultBaseUrl: 'https://api.demo.com', apiHosts: ['api.demo.com'], identity: async () => ({ name: 'x' }), options: {}, nodes: [] };

  it('refuses nodes outside its prefix or without its credential, and hosts outside apiHosts', () => {
    expect(() => defineIntegration({ ...base, nodes: [node('other.act', 'demo')] })).toThrow(/must be named demo/);
    expect(() => defineIntegration({ ...base, nodes: [node('demo.act')] })).toThrow(/must require a demo credential/);
    expect(() => defineIntegration({ ...base, defaultBaseUrl: 'https://elsewhere.com' })).toThrow(/apiHosts/);
    expect(() => defineIntegration({ ...base, defaultBaseUrl: 'http://api.demo.com' })).toThrow(/https/);
    expect(() => defineIntegration({ ...base, credentialKinds: ['oauth2'] })).toThrow(/oauth/);
    expect(() => defineIntegration({ ...base, options: { 'demo.none': {} } })).toThrow(/unknown node/);
    const poll = { intervalMs: () => 60_000, start: async () => ({ cursor: '' }), poll: async () => ({ items: [], cursor: '' }) };
    expect(() => defineIntegration({ ...base, nodes: [node('demo.act', 'demo')], polls: { 'demo.act': poll } })).toThrow(/demo.act must be one of its trigger nodes/);
    expect(defineIntegration({ ...base, nodes: [node('demo.act', 'demo')] }).nodes).toHaveLength(1);
  });

  it('takes node prefixes other than the service id when it declares them (one credential, several APIs)', () => {
    expect(defineIntegration({ ...base, nodePrefixes: ['sheet', 'doc'], nodes: [node('sheet.add', 'demo'), node('doc.get', 'demo')] }).nodes).toHaveLength(2);
    expect(() => defineIntegration({ ...base, nodePrefixes: ['sheet'], nodes: [node('demo.act', 'demo')] })).toThrow(/must be named sheet/);
    expect(integrationOfNode('sheets.append_rows')?.service).toBe('google');
    expect(integrationOfNode('drive.upload')?.service).toBe('google');
    expect(integrationOfNode('google.append_rows')).toBeUndefined();
    expect(findOptionList('sheets.append_rows', 'spreadsheets')?.integration.service).toBe('google');
  });

  it('registers every integration node in the default registry, with options and inbound hooks findable', () => {
    for (const i of integrations) for (const n of i.nodes) expect(defaultRegistry.get(n.type, n.version)).toBe(n);
    expect(integrationOfNode('slack.post_message')?.service).toBe('slack');
    expect(integrationOfNode('slack.nosuch')).toBeUndefined();
    expect(findOptionList('slack.post_message', 'channels')?.list.title).toBe('Channels');
    expect(findOptionList('slack.post_message', 'toString')).toBeUndefined();
    expect(findInbound('slack.event')).toBeDefined();
    expect(findPoll('gmail.new_message')?.integration.service).toBe('google');
    expect(findPoll('gmail.send')).toBeUndefined();
    expect(webhookTriggerTypes).toEqual(expect.arrayContaining(['core.webhook', 'slack.event']));
  });
});
