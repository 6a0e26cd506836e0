// The production build and the deploy recipes (issue 14 items 1-2), as plain processes: the
// build command of the Dockerfile, then the built folder started the way the Dockerfile,
// docker-compose.yml and the systemd units start it: embedded (`start`), and in queue mode
// (`migrate`, `server`, two `worker`s against Postgres and Redis) where a webhook run
// completes. Type stripping is off in every process, so no .ts can load. The recipes' lines are
// checked against deploy/commands.mjs, so they cannot drift from what is tested here.
import { spawnSync } from 'node:child_process';

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_COMMAND, ENTRYPOINT, NODE_FLAGS, processCommand, QUEUE_NODE_FLAGS, ROLES, SERVE_NODE_FLAGS } from '../../deploy/commands.mjs';
import { createPostgresDatabase, dropQueue, ProcessGroup, redisUrl, repoRoot, requireRedis, testQueueName, waitUntil, type ManagedProcess, type TestDatabase } from '@keyflow/engine/testing';
import { generateKey } from '@keyflow/engine/vault';

const buildDir = join(repoRoot, 'build');
const procs = new ProcessGroup();

/** Runs one of deploy/commands.mjs's commands from the built folder (`node` is the Node running the tests). */
function startBuilt(label: string, args: string[], env: Record<string, string>): ManagedProcess {
  const [cmd, ...rest] = processCommand(...args);
  return procs.spawnCommand(label, join(buildDir, cmd!), rest, { PATH: `${process.execPath.replace(/\/node$/, '')}:${process.env.PATH}`, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env }, buildDir);
}

async function portOf(p: ManagedProcess): Promise<number> {
  await p.waitForOutput(/Keyflow is running at http:\/\/[^:]+:\d+/, 60_000);
  return Number(/Keyflow is running at http:\/\/[^:]+:(\d+)/.exec(p.output())![1]);
}

function filesUnder(dir: string, skip: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip.includes(name)) continue;
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, skip));
    else out.push(relative(buildDir, path));
  }
  return out;
}

/** Node's own view of what a process runs: its command line. */
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

beforeAll(() => {
  const [node, ...args] = BUILD_COMMAND;
  expect(node).toBe('node');
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'pipe', encoding: 'utf8' });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
}, 300_000);
afterAll(() => procs.killAll());

describe('npm run build', () => {
  it('is plain JavaScript with the built editor and production dependencies only', () => {
    const files = filesUnder(buildDir, ['node_modules']);
    expect(files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))).toEqual([]);
    expect(files).toContain('server/src/cli.js');
    expect(files).toContain('engine/src/ai/catalog/prices.json');
    expect(files).toContain('editor/dist/index.html');
    expect(files.some((f) => f.includes('/test/') || f.includes('.test.'))).toBe(false);
    const installed = readdirSync(join(buildDir, 'node_modules', '.pnpm'));
    for (const dev of ['vitest@', 'typescript@', 'vite@', 'playwright-core@', 'jsdom@']) expect(installed.some((p) => p.startsWith(dev)), dev).toBe(false);
    expect(installed.some((p) => p.startsWith('hono@'))).toBe(true);
    const engine = JSON.parse(readFileSync(join(buildDir, 'engine', 'package.json'), 'utf8')) as { exports: Record<string, string> };
    for (const target of Object.values(engine.exports)) expect(target).toMatch(/^\.\/src\/.*\.js$/);
  });

  it('starts embedded with type stripping off, answers /readyz and serves the editor at /', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyflow-built-'));
    try {
      const p = startBuilt('built start', ['start'], { PORT: '0', KEYFLOW_DATA_DIR: dataDir });
      const port = await portOf(p);
      // start keeps the 8 MiB semi-space; server and worker get 4 MiB (scripts/process-env.mjs).
      expect(cmdline(p.pid)).toEqual(expect.arrayContaining([...NODE_FLAGS, ...SERVE_NODE_FLAGS, '--max-semi-space-size=8']));
      expect(cmdline(p.pid)).not.toContain('--max-semi-space-size=4');
      expect(p.output()).not.toContain('released start-up garbage');
      // glibc's own arena count for embedded mode (two arenas left it 15–35 MB larger).
      expect(readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').filter((v) => v.startsWith('MALLOC_'))).toEqual(['MALLOC_MMAP_THRESHOLD_=131072']);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script type="module"[^>]+src="\/assets\//);
      // A Code node runs in a worker thread loaded from its compiled file.
      const signup = await fetch(`http://127.0.0.1:${port}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'built@example.test', password: 'correct horse battery' }) });
      expect(signup.status).toBe(201);
      // A backup beside the running embedded server is refused (one PGlite process per folder).
      const file = join(dataDir, 'nightly.kfbackup');
      const refused = startBuilt('backup while running', ['backup', file], { KEYFLOW_DATA_DIR: dataDir });
      expect((await refused.waitForExit(60_000)).code).toBe(1);
      expect(refused.output()).toMatch(new RegExp(`a Keyflow server \\(pid ${p.pid}\\) is using`));
      p.signal('SIGTERM');
      expect((await p.waitForExit(30_000)).code).toBe(0);
      expect(p.output()).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|strip-types|\.ts'/);
      expect(readdirSync(dataDir)).not.toContain('keyflow.pid');
      const backup = startBuilt('backup', ['backup', file], { KEYFLOW_DATA_DIR: dataDir });
      expect((await backup.waitForExit(60_000)).code, backup.output()).toBe(0);
      expect(backup.output()).toMatch(/backed up pglite database at schema/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('the deploy recipe as processes: migrate, server, two workers on Postgres and Redis', () => {
  let db: TestDatabase;
  const queue = testQueueName('deploy');
  const key = generateKey();

  beforeAll(async () => {
    await requireRedis();
    db = await createPostgresDatabase({ migrate: false });
  });
  afterAll(async () => {
    await procs.killAll();
    await dropQueue(queue);
    await db?.drop();
  });

  it('runs a webhook run to completion on a worker', async () => {
    const env = { DATABASE_URL: db.url!, REDIS_URL: redisUrl, KEYFLOW_ENCRYPTION_KEYS: key, KEYFLOW_QUEUE_NAME: queue, KEYFLOW_INLINE_RUNS: '0', KEYFLOW_DATA_DIR: join(tmpdir(), 'keyflow-deploy-unused') };
    const migrate = startBuilt('migrate', ROLES.migrate, env);
    expect((await migrate.waitForExit(60_000)).code).toBe(0);
    expect(migrate.output()).toMatch(/applied: /);
    const server = startBuilt('server', ROLES.server, { ...env, PORT: '0' });
    const workers = [startBuilt('worker 1', ROLES.worker, env), startBuilt('worker 2', ROLES.worker, env)];
    const port = await portOf(server);
    for (const w of workers) await w.waitForOutput(/worker started/, 60_000);
    for (const p of [server, ...workers]) {
      expect(cmdline(p.pid)).toEqual(expect.arrayContaining([...NODE_FLAGS, ...QUEUE_NODE_FLAGS, '--max-semi-space-size=4', '--heap-growing-percent=50']));
      // Each ran its memory-reducing GC once started (server/src/startup-gc.ts).
      expect(p.output()).toContain('released start-up garbage');
      // bin/keyflow's malloc settings: the mmap threshold for every process, one arena for server and worker.
      expect(readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0')).toEqual(expect.arrayContaining(['MALLOC_MMAP_THRESHOLD_=131072', 'MALLOC_ARENA_MAX=1']));
    }
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const signup = await fetch(`${base}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'deploy@example.test', password: 'correct horse battery' }) });
    expect(signup.status).toBe(201);
    const { csrfToken } = (await signup.json()) as { csrfToken: string };
    const cookie = signup.headers.get('set-cookie')!.split(';')[0]!;
    const tok = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'deploy' }) });
    const auth = { authorization: `Bearer ${((await tok.json()) as { token: string }).token}`, 'content-type': 'application/json' };
    const graph = {
      nodes: [
        { id: 'hook', type: 'core.webhook', version: 1, config: { responseMode: 'wait', timeoutMs: 30_000 }, position: { x: 0, y: 0 } },
        { id: 'code', type: 'core.code', version: 1, config: { code: 'return { doubled: $trigger.body.n * 2 }' }, position: { x: 200, y: 0 } },
        { id: 'reply', type: 'core.respond', version: 1, config: { status: 200, body: '{{ $node["code"].output.doubled }}' }, position: { x: 400, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'hook', target: 'code' }, { id: 'e2', source: 'code', target: 'reply' }],
    };
    const created = await fetch(`${base}/api/workflows`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'deploy check', graph }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const wf = (await created.json()) as { id: string };
    expect((await fetch(`${base}/api/workflows/${wf.id}/activate`, { method: 'POST', headers: auth, body: JSON.stringify({ version: 1 }) })).status).toBe(200);
    const hook = await db.db.selectFrom('webhooks').select('path').where('workflow_id', '=', wf.id).executeTakeFirstOrThrow();

    const res = await fetch(`${base}/hooks/${hook.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 21 }) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toBe('42');
    const run = await waitUntil('the run row to finish', async () => {
      const r = await db.db.selectFrom('runs').select(['status']).where('workflow_id', '=', wf.id).executeTakeFirst();
      return r && r.status !== 'running' && r.status !== 'queued' ? r : undefined;
    }, 20_000);
    expect(run.status).toBe('succeeded');
    for (const p of [server, ...workers]) p.signal('SIGTERM');
    for (const p of [server, ...workers]) expect((await p.waitForExit(30_000)).code, p.output()).toBe(0);
  }, 180_000);
});

describe('the recipes run exactly these commands', () => {
  const read = (f: string) => readFileSync(join(repoRoot, f), 'utf8');
  const json = (a: string[]) => JSON.stringify(a).replaceAll(',', ', ');

  it('Dockerfile: the build stage runs the build command; the runtime is non-root, checks /readyz, starts bin/keyflow, bakes no secret', () => {
    const lines = read('Dockerfile').split('\n').filter((l) => l && !l.startsWith('#'));
    const stages = lines.filter((l) => l.startsWith('FROM '));
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/^FROM node:24[\w.-]* AS build$/);
    const buildStage = lines.slice(0, lines.indexOf(stages[1]!));
    const runtime = lines.slice(lines.indexOf(stages[1]!));
    expect(buildStage.filter((l) => l.startsWith('RUN '))).toEqual([`RUN ${BUILD_COMMAND.join(' ')}`]);
    expect(runtime).toContain('COPY --from=build --chown=root:root /src/build /app');
    expect(runtime).toContain(`ENTRYPOINT ${json(ENTRYPOINT)}`);
    expect(runtime.filter((l) => l.startsWith('CMD '))).toEqual(['CMD ["start"]']);
    const user = runtime.find((l) => l.startsWith('USER '));
    expect(user).toBe('USER keyflow');
    expect(runtime.indexOf(user!)).toBeLessThan(runtime.findIndex((l) => l.startsWith('ENTRYPOINT')));
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/\/readyz/);
    for (const l of lines.filter((x) => x.startsWith('ENV ') || x.startsWith('ARG '))) expect(l).not.toMatch(/(ENCRYPTION_KEYS|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL)[= ]/);
    const ignore = read('.dockerignore').split('\n');
    for (const p of ['**/node_modules', 'build', '.keyflow', '.env', '*.env', '.git']) expect(ignore).toContain(p);
  });

  it('docker-compose.yml: migrate once, then server and two workers; Redis with appendonly; Postgres', () => {
    const compose = read('docker-compose.yml');
    const service = (name: string) => {
      const m = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\n)*)`, 'm').exec(compose);
      expect(m, `service ${name}`).not.toBeNull();
      return m![1]!;
    };
    expect(service('migrate')).toContain(`command: ${json(ROLES.migrate)}`);
    expect(service('migrate')).toContain('restart: "no"');
    expect(service('server')).toContain(`command: ${json(ROLES.server)}`);
    expect(service('worker-1')).toContain(`command: ${json(ROLES.worker)}`);
    expect(service('worker-2')).toContain(`command: ${json(ROLES.worker)}`);
    expect(compose).toMatch(/migrate: \{ condition: service_completed_successfully \}/);
    expect(service('redis')).toMatch(/"--appendonly", "yes"/);
    expect(service('redis')).toMatch(/redis-data:\/data/);
    expect(service('postgres')).toMatch(/postgres-data:/);
    expect(compose).not.toMatch(/KEYFLOW_ENCRYPTION_KEYS: [^$]/);
  });

  it('systemd units start the same commands from /opt/keyflow', () => {
    const exec = (unit: string) => read(`deploy/systemd/${unit}`).split('\n').filter((l) => l.startsWith('ExecStart='));
    expect(exec('keyflow-migrate.service')).toEqual([`ExecStart=/opt/keyflow/${processCommand(...ROLES.migrate).join(' ')}`]);
    expect(exec('keyflow-server.service')).toEqual([`ExecStart=/opt/keyflow/${processCommand(...ROLES.server).join(' ')}`]);
    expect(exec('keyflow-worker@.service')).toEqual([`ExecStart=/opt/keyflow/${processCommand(...ROLES.worker).join(' ')}`]);
    for (const unit of ['keyflow-server.service', 'keyflow-worker@.service']) expect(read(`deploy/systemd/${unit}`)).toMatch(/^Requires=keyflow-migrate\.service$/m);
    for (const unit of ['keyflow-migrate.service', 'keyflow-server.service', 'keyflow-worker@.service']) expect(read(`deploy/systemd/${unit}`)).toMatch(/^User=keyflow$/m);
  });
});

