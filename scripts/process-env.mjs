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
 * `server` and `worker` only (queue mode): one glibc arena. glibc gives threads that meet
 * contention arenas of their own (up to 8 per core), each keeping what was freed in it; V8's GC
 * and compiler threads and libuv's pool take them. Two arenas saved 9–11 MB across server and
 * worker against glibc's default under the engine bench's load, one about 4 MB more again; CPU
 * unchanged (the main thread does nearly all the allocating). Not for embedded `start`: there two
 * left 15–35 MB more after `npm run bench -- mem`'s load (278/284 MB with glibc's default, 294/317
 * with two).
 */
export const QUEUE_MALLOC_ENV = { MALLOC_ARENA_MAX: '1' };

/** The commands that get QUEUE_MALLOC_ENV and QUEUE_NODE_FLAGS. */
export const QUEUE_COMMANDS = ['server', 'worker'];

/**
 * Node flags of embedded `start`, in one list for scripts/run.mjs, the production build's
 * bin/keyflow (scripts/build.mjs) and the benches (`nodeFlagsFor`):
 * - old-space growth held at 1.5× what the last full GC left live. V8 otherwise picks a factor
 *   of up to 4 from the allocation rate, so under load a server with 35–50 MB live let its old
 *   space reach 170–205 MB of garbage between full GCs (`npm run bench -- engine` at ~1,350
 *   runs/s: server RSS 296–320 MB before, 170–187 MB with this). It sets no ceiling: the heap
 *   still grows as far as V8's own limit, only full GCs come sooner;
 * - an 8 MiB semi-space (V8's default let the embedded process's new space reach 128 MB): with
 *   4 MiB, objects that live across a few requests were promoted and filled old space sooner,
 *   and the growth limit above cost about 10 % of CPU per extra step.
 */
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];

/**
 * Node flags of `server` and `worker` (queue mode): the same growth limit with a 4 MiB
 * semi-space, so each process's young generation takes 8 MB instead of 16. Once the executor
 * stopped allocating per step what it did (bench/README.md, issue 15's fourth pass), the 4 MiB
 * semi-space no longer promoted enough to matter: in four pairs of `npm run bench -- engine`,
 * server + worker 20 MB less at the end of the load, GC time per 20-step run 0.10 → 0.14 ms
 * (about 3 % of its CPU), full GCs 2.0 → 2.2 per 1,000 runs, CPU per run within the noise;
 * and `--expose-gc` for the one memory-reducing GC they run once started (server/src/startup-gc.ts;
 * not for embedded `start`, where it returned 6 MB of 225).
 */
export const QUEUE_NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=50', '--expose-gc'];

/** The Node flags a Keyflow command runs with: QUEUE_NODE_FLAGS for `server` and `worker`, SERVE_NODE_FLAGS for `start`, none for the rest (`migrate`, `backup`…). */
export function nodeFlagsFor(command) {
  if (QUEUE_COMMANDS.includes(command)) return QUEUE_NODE_FLAGS;
  return command === 'start' ? SERVE_NODE_FLAGS : [];
}

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
