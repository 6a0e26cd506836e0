// What a `worker` or `server` loads at start-up from the engine's barrel: the heavy parts of
// dependencies it needs only some of stay out (figures: bench/README.md, "Memory, third pass").
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageFilesLoadedBy, valueAfterImport } from './support/loaded-modules.ts';

const barrel = fileURLToPath(new URL('../src/index.ts', import.meta.url));

// Each package: a file it must load (the part used), its index it must not, and a folder of parts it must not.
const partial = [
  { pkg: 'undici', why: 'fetch, WebSocket, caches, mocks', uses: 'lib/dispatcher/agent.js', index: 'index.js', without: 'lib/web/' },
  { pkg: 'bullmq', why: 'PostgreSQL backend, other Redis clients, flows', uses: 'dist/cjs/classes/worker.js', index: 'dist/cjs/index.js', without: 'dist/cjs/postgres/' },
];

describe('start-up module graph of @keyflow/engine', () => {
  it.each(partial)('takes the part of $pkg it uses, without its index ($why)', ({ pkg, uses, index, without }) => {
    const loaded = packageFilesLoadedBy(barrel, pkg);
    expect(loaded).toContain(uses);
    expect(loaded).not.toContain(index);
    expect(loaded.filter((f) => f.startsWith(without))).toEqual([]);
  });

  it("still installs undici's Agent as the global dispatcher Node's fetch uses, as undici's index did", () => {
    // Node's bundled undici sets this only on its first fetch; nothing here has fetched.
    expect(valueAfterImport(barrel, "globalThis[Symbol.for('undici.globalDispatcher.2')]?.constructor.name ?? null")).toBe('Agent');
  });

  it("loads no Google SDK before a Google node's first call", () => {
    expect(packageFilesLoadedBy(barrel, 'google-auth-library')).toEqual([]);
    expect(packageFilesLoadedBy(barrel, 'googleapis-common')).toEqual([]);
  });
});
