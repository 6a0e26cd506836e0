// Environment of Keyflow's own long-running processes, shared by scripts/run.mjs, the production
// build's bin/keyflow (scripts/build.mjs) and the benches. Plain JavaScript: scripts/run.mjs
// imports it on the system's Node. Figures: bench/README.md (engine, memory; `npm run bench -- mem`).
import { join } from 'node:path';

/**
 * glibc malloc: blocks of 128 KiB and more come from mmap and go back to the OS when freed.
 * glibc's default threshold starts there but rises to the size of the largest block freed (up
 * to 32 MiB), after which big short-lived buffers (PGlite's start-up, request bodies, pg
 * results) are carved from the heap and its arenas and never returned: an idle embedded
 * `start` settled at 374 MB with the default and 255 MB with this. musl ignores it.
 */
export const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** Where Node's compile cache lives: inside node_modules, so it is never committed and goes with a reinstall. */
export function compileCacheDir(root) {
  return join(root, 'node_modules', '.cache', 'keyflow-compile-cache');
}

/**
 * `env` for a Keyflow process run from the TypeScript sources: MALLOC_ENV, and Node's compile
 * cache (NODE_COMPILE_CACHE). Besides V8's code cache it keeps Node's type-stripped output of
 * every .ts module, keyed by the file's content, so a process whose modules are all cached never
 * loads the TypeScript stripper (amaro: 16–19 MB of RSS per process). The first run fills it (the
 * server and worker flush it once they are up); an edited file misses and is stripped again.
 * Whatever the caller set already (or NODE_DISABLE_COMPILE_CACHE) wins.
 */
export function keyflowProcessEnv(root, env) {
  const out = { ...MALLOC_ENV, ...env };
  if (!env.NODE_COMPILE_CACHE && !env.NODE_DISABLE_COMPILE_CACHE) out.NODE_COMPILE_CACHE = compileCacheDir(root);
  return out;
}
