// What scripts/run.mjs gives Keyflow's own processes (scripts/process-env.mjs): glibc's mmap
// threshold held at 128 KiB, and Node's compile cache, so that from the second start on the
// process never loads Node's TypeScript stripper (16–19 MB of RSS each; bench/README.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as commands from '../deploy/commands.mjs';
import { compileCacheDir, keyflowProcessEnv, MALLOC_ENV, nodeFlagsFor, QUEUE_MALLOC_ENV, QUEUE_NODE_FLAGS, SERVE_NODE_FLAGS } from './process-env.mjs';

const root = join(import.meta.dirname, '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('keyflowProcessEnv', () => {
  it('adds the malloc threshold and the compile cache, and keeps what the caller set', () => {
    const env = keyflowProcessEnv(root, { PATH: '/bin' });
    expect(env).toMatchObject({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '131072', NODE_COMPILE_CACHE: compileCacheDir(root) });
    expect(env.MALLOC_ARENA_MAX).toBeUndefined();
    expect(keyflowProcessEnv(root, {}, 'start').MALLOC_ARENA_MAX).toBeUndefined();
    expect(keyflowProcessEnv(root, {}, 'server').MALLOC_ARENA_MAX).toBe('1');
    expect(keyflowProcessEnv(root, {}, 'worker').MALLOC_ARENA_MAX).toBe('1');
    expect(keyflowProcessEnv(root, { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '4', NODE_COMPILE_CACHE: '/elsewhere' }, 'worker')).toMatchObject({ MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '4', NODE_COMPILE_CACHE: '/elsewhere' });
    expect(keyflowProcessEnv(root, { NODE_DISABLE_COMPILE_CACHE: '1' }).NODE_COMPILE_CACHE).toBeUndefined();
    expect(MALLOC_ENV).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(QUEUE_MALLOC_ENV).toEqual({ MALLOC_ARENA_MAX: '1' });
  });
});

describe('npm run keyflow (scripts/run.mjs)', () => {
  /** Runs `keyflow keys generate` through the launcher; a preload reports the child's env and whether amaro (the stripper) loaded. */
  function launch(args = ['keys', 'generate']): { env: Record<string, string | undefined>; stripperLoaded: boolean; execArgv: string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'kf-process-env-'));
    dirs.push(dir);
    const probe = join(dir, 'probe.mjs');
    const report = join(dir, 'report.json');
    writeFileSync(probe, `import { writeFileSync } from 'node:fs';
// NODE_OPTIONS reaches the launcher too: only the Keyflow process itself reports.
if (process.argv[1]?.endsWith('cli.ts')) process.on('exit', () => writeFileSync(${JSON.stringify(report)}, JSON.stringify({
  env: { MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE },
  stripperLoaded: process.moduleLoadList.some((m) => m.includes('/amaro/')),
  execArgv: process.execArgv,
})));
`);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--import=${probe}` };
    for (const name of ['MALLOC_MMAP_THRESHOLD_', 'MALLOC_ARENA_MAX', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'REDIS_URL', 'DATABASE_URL']) delete env[name];
    const r = spawnSync(process.execPath, ['scripts/run.mjs', 'keyflow', ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    if (args[0] === 'keys') {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^[A-Za-z0-9_-]{43}=$/m);
    }
    return JSON.parse(readFileSync(report, 'utf8')) as { env: Record<string, string | undefined>; stripperLoaded: boolean; execArgv: string[] };
  }

  it('starts Keyflow with the malloc threshold and the compile cache, and without the TypeScript stripper once that cache is warm', () => {
    // The first run fills the cache (if an earlier start has not already)…
    const first = launch();
    expect(first.env).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072', NODE_COMPILE_CACHE: compileCacheDir(root) });
    // …and the next process reads every module's stripped code from it: amaro never loads.
    const second = launch();
    expect(second.stripperLoaded).toBe(false);
    expect(second.execArgv).not.toContain('--heap-growing-percent=50');
  }, 120_000);

  it('gives start SERVE_NODE_FLAGS and server and worker QUEUE_NODE_FLAGS (the production build and the benches use the same lists)', () => {
    expect(SERVE_NODE_FLAGS).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
    expect(QUEUE_NODE_FLAGS).toEqual(['--max-semi-space-size=4', '--heap-growing-percent=50', '--expose-gc']);
    expect(commands.SERVE_NODE_FLAGS).toBe(SERVE_NODE_FLAGS);
    expect(commands.QUEUE_NODE_FLAGS).toBe(QUEUE_NODE_FLAGS);
    expect(nodeFlagsFor('start')).toBe(SERVE_NODE_FLAGS);
    expect(nodeFlagsFor('server')).toBe(QUEUE_NODE_FLAGS);
    expect(nodeFlagsFor('migrate')).toEqual([]);
    // Without REDIS_URL a worker refuses to start, after the flags were given.
    const worker = launch(['worker']);
    expect(worker.execArgv).toEqual(expect.arrayContaining(QUEUE_NODE_FLAGS));
    expect(worker.execArgv).not.toContain('--max-semi-space-size=8');
    expect(worker.env.MALLOC_ARENA_MAX).toBe('1');
  }, 120_000);
});
