// What a `worker` or `server` loads at start-up from the engine's barrel: the heavy parts of
// dependencies it needs only some of stay out (figures: bench/README.md, "Memory, third pass").
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageFilesLoadedBy, valueAfterImport } from './support/loaded-modules.ts';

const barrel = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('start-up module graph of @keyflow/engine', () => {
  it("takes undici's agent without undici's index (fetch, WebSocket, caches, mocks)", () => {
    const loaded = packageFilesLoadedBy(barrel, 'undici');
    expect(loaded).toContain('lib/dispatcher/agent.js');
    expect(loaded).not.toContain('index.js');
    expect(loaded.filter((f) => f.startsWith('lib/web/'))).toEqual([]);
  });

  it("still installs undici's Agent as the global dispatcher Node's fetch uses, as undici's index did", () => {
    // Node's bundled undici sets this only on its first fetch; nothing here has fetched.
    expect(valueAfterImport(barrel, "globalThis[Symbol.for('undici.globalDispatcher.2')]?.constructor.name ?? null")).toBe('Agent');
  });

  it("takes BullMQ's Queue and Worker without its index and PostgreSQL backend", () => {
    const loaded = packageFilesLoadedBy(barrel, 'bullmq');
    expect(loaded).toContain('dist/cjs/classes/worker.js');
    expect(loaded).not.toContain('dist/cjs/index.js');
    expect(loaded.filter((f) => f.startsWith('dist/cjs/postgres/'))).toEqual([]);
  });

  it("loads no Google SDK before a Google node's first call", () => {
    expect(packageFilesLoadedBy(barrel, 'google-auth-library')).toEqual([]);
    expect(packageFilesLoadedBy(barrel, 'googleapis-common')).toEqual([]);
  });
});
