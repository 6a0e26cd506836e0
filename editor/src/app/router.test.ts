import { describe, expect, it } from 'vitest';
import { matchPath, safeReturnPath } from './router.tsx';

describe('safeReturnPath', () => {
  it('keeps same-app paths with their query', () => {
    expect(safeReturnPath('/workflows/abc')).toBe('/workflows/abc');
    expect(safeReturnPath('/?q=lead&active=true')).toBe('/?q=lead&active=true');
  });
  it('refuses anything that could leave the app or loop back to log-in', () => {
    for (const bad of [null, undefined, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'workflows', '/login', '/login?next=/', '/signup']) {
      expect(safeReturnPath(bad), String(bad)).toBe('/');
    }
  });
});

describe('matchPath', () => {
  it('matches parameters and nothing longer or shorter', () => {
    expect(matchPath('/workflows/:id', '/workflows/6f1c')).toEqual({ id: '6f1c' });
    expect(matchPath('/workflows/:id', '/workflows/')).toBeNull();
    expect(matchPath('/workflows/:id', '/workflows/a/b')).toBeNull();
    expect(matchPath('/workflows/:id', '/workflows/%E0%A4%A')).toBeNull();
  });
});
