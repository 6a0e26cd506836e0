import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as undici from 'undici';
import { packageFilesLoadedBy } from '../../test/support/loaded-modules.ts';
import { Agent, buildConnector } from './undici-core.ts';

describe('undici-core', () => {
  it('loads the very classes undici exports (the pinned version still has these paths)', () => {
    expect(Agent).toBe(undici.Agent);
    expect(buildConnector).toBe(undici.buildConnector);
  });

  it("keeps undici's index out of a process that only imports the guarded fetch", () => {
    const loaded = packageFilesLoadedBy(fileURLToPath(new URL('./safe-fetch.ts', import.meta.url)), 'undici');
    expect(loaded).toContain('lib/dispatcher/agent.js');
    expect(loaded).not.toContain('index.js');
    expect(loaded.filter((f) => f.startsWith('lib/web/'))).toEqual([]);
  });
});
