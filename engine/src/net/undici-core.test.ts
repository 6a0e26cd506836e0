import { describe, expect, it } from 'vitest';
import * as undici from 'undici';
import { Agent, buildConnector } from './undici-core.ts';

describe('undici-core', () => {
  it('loads the very classes undici exports (the pinned version still has these paths)', () => {
    expect(Agent).toBe(undici.Agent);
    expect(buildConnector).toBe(undici.buildConnector);
  });
});
