import { describe, expect, it } from 'vitest';
import { createTestContext, NonRetriableNodeError, parseNodeConfig } from '../contract/index.ts';
import { respondNode } from './respond.node.ts';

const run = (config: Record<string, unknown>) => respondNode.run(createTestContext(parseNodeConfig(respondNode, { body: '', ...config })));

describe('core.respond redirects', () => {
  it.each([
    ['an absolute URL', 302, { Location: 'https://evil.test/login' }],
    ['a protocol-relative URL', 301, { location: '//evil.test/' }],
    ['a backslash trick', 307, { Location: '/\\evil.test' }],
    ['a scheme without slashes', 303, { Location: 'http:evil.test' }],
    ['a tab inside the authority marker', 302, { Location: '/\t/evil.test' }],
    ['a javascript: URL', 302, { Location: 'javascript:alert(1)' }],
    ['a Refresh header', 200, { Refresh: '0; url=https://evil.test/' }],
    ['a bare Refresh URL', 200, { refresh: '0;//evil.test' }],
  ])('refuses %s to another site unless opted in', async (_name, status, headers) => {
    await expect(run({ status, headers })).rejects.toBeInstanceOf(NonRetriableNodeError);
    await expect(run({ status, headers })).rejects.toThrow(/allowExternalRedirect/);
    const allowed = await run({ status, headers, allowExternalRedirect: true });
    expect(allowed.response).toEqual({ status, headers, body: '' });
  });

  it.each([
    ['a path', 302, { Location: '/hooks/other' }],
    ['a relative path', 303, { Location: 'thanks' }],
    ['a query', 302, { Location: '?done=1' }],
    ['a Location on a non-redirect', 201, { Location: 'https://api.example.test/items/1' }],
    ['a Refresh that only reloads', 200, { Refresh: '30' }],
  ])('keeps %s', async (_name, status, headers) => {
    expect((await run({ status, headers })).response).toEqual({ status, headers, body: '' });
  });

  it('describes the opt-in and keeps it off by default', () => {
    expect(parseNodeConfig(respondNode, { body: '' }).allowExternalRedirect).toBe(false);
    expect(respondNode.config.shape.allowExternalRedirect.description).toMatch(/another site/);
  });
});
