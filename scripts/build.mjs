#!/usr/bin/env node
// `npm run build`: one deployable folder, build/, that runs with plain Node 24 and no TypeScript
// at run time. It mirrors the workspace layout so relative paths stay valid:
//   build/{engine,server,nodes,migrations}/src/**.js  compiled by the repo's tsc (tsconfig.build.json)
//   build/*/package.json                            exports pointed at the .js files, test faces dropped
//   build/editor/dist                               the production editor (Vite)
//   build/package.json, pnpm-lock.yaml, pnpm-workspace.yaml  so `pnpm install --prod --frozen-lockfile`
//                                                   gives production-only node_modules
//   build/bin/keyflow                               `keyflow start|server|worker|migrate|keys|backup|restore`
// Then it runs that install into build/node_modules (`--no-install` skips it). Plain JavaScript,
// run with Node 24 by scripts/run.mjs; the Dockerfile runs the same command (see deploy/commands.mjs).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEditorBuilt } from './build-editor.mjs';
import { NODE_FLAGS, QUEUE_NODE_FLAGS, SERVE_NODE_FLAGS } from '../deploy/commands.mjs';
import { MALLOC_ENV, QUEUE_COMMANDS, QUEUE_MALLOC_ENV } from './process-env.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build');
const PACKAGES = ['engine', 'server', 'nodes', 'migrations'];
const log = (msg) => process.stderr.write(`[keyflow build] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} exited with ${r.status}`);
}

/** Data files the compiled code reads next to itself (prices.json, scores.json); never fixtures or test kits. */
function copyAssets(dir) {
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) {
      if (name !== 'fixtures' && name !== 'testing' && name !== 'node_modules') copyAssets(rel);
    } else if (name.endsWith('.json')) {
      mkdirSync(join(out, dir), { recursive: true });
      cpSync(join(root, rel), join(out, rel));
    }
  }
}

/** The package's manifest with its exports on the compiled files; faces into test/ or testing/ are dropped. */
export function productionManifest(pkg) {
  const exports = {};
  for (const [face, target] of Object.entries(pkg.exports ?? {})) {
    if (!target.startsWith('./src/') || target.includes('/testing/')) continue;
    exports[face] = target.replace(/\.ts$/, '.js');
  }
  // Dependencies stay exactly as written: the lockfile is checked against them (--frozen-lockfile).
  return { ...pkg, exports };
}

const wrapper = `#!/bin/sh
# keyflow from the production build: plain JavaScript, type stripping off so no .ts can load.
here=$(cd "$(dirname "$0")/.." && pwd)
# glibc malloc: mmap threshold held at 128 KiB, one arena for server and worker (scripts/process-env.mjs); a value already set wins.
${Object.entries(MALLOC_ENV).map(([k, v]) => `export ${k}="\${${k}:-${v}}"`).join('\n')}
case "$1" in
  ${QUEUE_COMMANDS.join('|')}) ${Object.entries(QUEUE_MALLOC_ENV).map(([k, v]) => `export ${k}="\${${k}:-${v}}"`).join('; ')} ;;
esac
case "$1" in
  ${QUEUE_COMMANDS.join('|')}) exec node ${[...NODE_FLAGS, ...QUEUE_NODE_FLAGS].join(' ')} "$here/server/src/cli.js" "$@" ;;
  start) exec node ${[...NODE_FLAGS, ...SERVE_NODE_FLAGS].join(' ')} "$here/server/src/cli.js" "$@" ;;
  *) exec node ${NODE_FLAGS.join(' ')} "$here/server/src/cli.js" "$@" ;;
esac
`;

export function build({ install = true } = {}) {
  rmSync(out, { recursive: true, force: true });
  log('compiling TypeScript (tsc -p tsconfig.build.json) → build/');
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
  for (const p of PACKAGES) {
    copyAssets(join(p, 'src'));
    const pkg = JSON.parse(readFileSync(join(root, p, 'package.json'), 'utf8'));
    writeFileSync(join(out, p, 'package.json'), `${JSON.stringify(productionManifest(pkg), null, 2)}\n`);
  }
  ensureEditorBuilt(log);
  cpSync(join(root, 'editor', 'dist'), join(out, 'editor', 'dist'), { recursive: true });
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ name: rootPkg.name, private: true, type: 'module', packageManager: rootPkg.packageManager, keyflow: rootPkg.keyflow, engines: { node: '>=24' }, devDependencies: rootPkg.devDependencies }, null, 2)}\n`);
  cpSync(join(root, 'pnpm-lock.yaml'), join(out, 'pnpm-lock.yaml'));
  writeFileSync(join(out, 'pnpm-workspace.yaml'), `packages:\n${PACKAGES.map((p) => `  - ${p}\n`).join('')}onlyBuiltDependencies: []\n`);
  mkdirSync(join(out, 'bin'));
  writeFileSync(join(out, 'bin', 'keyflow'), wrapper);
  chmodSync(join(out, 'bin', 'keyflow'), 0o755);
  if (install) {
    // The pinned pnpm that scripts/run.mjs fetched into .tools/, or one on the PATH (the Dockerfile).
    const local = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
    log('installing production dependencies (pnpm install --prod --frozen-lockfile) → build/node_modules');
    if (existsSync(local)) run(process.execPath, [local, 'install', '--prod', '--frozen-lockfile', '--prefer-offline'], { cwd: out });
    else run('pnpm', ['install', '--prod', '--frozen-lockfile'], { cwd: out });
  }
  log('done: build/bin/keyflow <start|server|worker|migrate>');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build({ install: !process.argv.includes('--no-install') });
  } catch (err) {
    log(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
