import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as undici from 'undici';
import { Agent, buildConnector } from './undici-core.ts';

describe('undici-core', () => {
  it('loads the very classes undici exports (the pinned version still has these paths)', () => {
    expect(Agent).toBe(undici.Agent);
    expect(buildConnector).toBe(undici.buildConnector);
  });

  it('keeps undici\'s index out of a process that only imports the guarded fetch', () => {
    const safeFetch = fileURLToPath(new URL('./safe-fetch.ts', import.meta.url));
    const script = `import { createRequire } from 'node:module';
      await import(${JSON.stringify(safeFetch)});
      const cached = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/undici/'));
      console.log(JSON.stringify(cached.map((f) => f.replace(/.*\\/undici\\//, ''))));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const loaded = JSON.parse(r.stdout) as string[];
    expect(loaded).toContain('lib/dispatcher/agent.js');
    expect(loaded).not.toContain('index.js');
    expect(loaded.filter((f) => f.startsWith('lib/web/'))).toEqual([]);
  });
});
