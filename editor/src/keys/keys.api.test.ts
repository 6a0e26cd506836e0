import { describe, expect, it } from 'vitest';
import { coolingDown, statusText, type Credential } from './keys.api.ts';

const now = Date.parse('2026-12-02T18:00:00Z');
const key = (meta: Credential['meta'], status: Credential['status'] = 'valid') =>
  ({ id: 'a', provider: 'openai', label: 'Main', hint: 'sk-…1', status, meta, createdAt: '', updatedAt: '', lastUsedAt: null }) as Credential;

describe('a key cooling down', () => {
  const cooling = { coolingSince: '2026-12-02T17:59:30Z', coolingUntil: '2026-12-02T18:00:30Z', coolingError: 'server (HTTP 503) from gpt-4.1-nano' };

  it('shows "Cooling down after failures" while the cool-down lasts, over a healthy check', () => {
    expect(statusText('healthy', key(cooling), now)).toEqual({ word: 'Cooling down after failures', tone: 'warn' });
    expect(coolingDown(key(cooling), now)).toEqual({ until: '2026-12-02T18:00:30Z', error: 'server (HTTP 503) from gpt-4.1-nano' });
  });

  it('is healthy again once the cool-down has ended, and invalid stays invalid', () => {
    expect(statusText('healthy', key(cooling), now + 60_000).word).toBe('Healthy');
    expect(coolingDown(key(cooling), now + 60_000)).toBeUndefined();
    expect(statusText('invalid', key(cooling, 'invalid'), now).word).toBe('Invalid');
  });
});
