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

/**
 * `server` and `worker` only (queue mode): two glibc arenas. glibc gives threads that meet
 * contention arenas of their own (up to 8 per core), each keeping what was freed in it; V8's GC
 * and compiler threads and libuv's pool take them. Server + worker 9–11 MB less under the
 * engine bench's load, CPU unchanged. Not for embedded `start`: there it left 15–35 MB more
 * after `npm run bench -- mem`'s load (278/284 MB with glibc's default, 294/317 with two).
 */
export const QUEUE_MALLOC_ENV = { MALLOC_ARENA_MAX: '2' };

/** The commands that get QUEUE_MALLOC_ENV. */
export const QUEUE_COMMANDS = ['server', 'worker'];

/**
 * Node flags of the long-running processes (`start`, `server`, `worker`), in one list for
 * scripts/run.mjs, the production build's bin/keyflow (deploy/commands.mjs) and the benches:
 * - old-space growth held at 1.5× what the last full GC left live. V8 otherwise picks a factor
 *   of up to 4 from the allocation rate, so under load a server with 35–50 MB live let its old
 *   space reach 170–205 MB of garbage between full GCs (`npm run bench -- engine` at ~1,350
 *   runs/s: server RSS 296–320 MB before, 170–187 MB with this). It sets no ceiling: the heap
 *   still grows as far as V8's own limit, only full GCs come sooner;
 * - an 8 MiB semi-space (V8's default let the embedded process's new space reach 128 MB):
 *   with 4 MiB, objects that live across a few requests were promoted and filled old space
 *   sooner, so the growth limit above cost about 10 % of CPU per extra step; with 8 MiB, half
 *   as many scavenges and CPU per run no higher than before either change.
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

/** Where Node's compile cache lives: inside node_modules, so it is never committed and goes with a reinstall. */
export function compileCacheDir(root) {
  return join(root, 'node_modules', '.cache', 'keyflow-compile-cache');
}

/**
 * `env` for a Keyflow process run from the TypeScript sources: MALLOC_ENV (and QUEUE_MALLOC_ENV
 * when `command` is `server` or `worker`), and Node's compile
 * cache (NODE_COMPILE_CACHE). Besides V8's code cache it keeps Node's type-stripped output of
 * every .ts module, keyed by the file's content, so a process whose modules are all cached never
 * loads the TypeScript stripper (amaro: 16–19 MB of RSS per process). The first run fills it (the
 * server and worker flush it once they are up); an edited file misses and is stripped again.
 * Whatever the caller set already (or NODE_DISABLE_COMPILE_CACHE) wins.
 */
export function keyflowProcessEnv(root, env, command) {
  const out = { ...MALLOC_ENV, ...(QUEUE_COMMANDS.includes(command) ? QUEUE_MALLOC_ENV : {}), ...env };
  if (!env.NODE_COMPILE_CACHE && !env.NODE_DISABLE_COMPILE_CACHE) out.NODE_COMPILE_CACHE = compileCacheDir(root);
  return out;
}
