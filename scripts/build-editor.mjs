#!/usr/bin/env node
// Builds the editor (Vite) into editor/dist when the build is missing or older than any of its
// sources, so `npm start` on a fresh clone serves the real editor. Plain JavaScript, run with the
// Node 24 toolchain by scripts/run.mjs; importable by the browser tests (ensureEditorBuilt).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const editor = join(root, 'editor');
const builtIndex = join(editor, 'dist', 'index.html');
// Written after a build by this script: a dist built otherwise (a bare `vite build` under
// NODE_ENV=test ships React's development build) is rebuilt. The server never serves dotfiles.
const stamp = join(editor, 'dist', '.keyflow-build');
const STAMP = 'production\n';
// What ends up in the bundle: the editor itself and the browser-safe faces it imports.
const SOURCES = ['editor/src', 'editor/public', 'editor/index.html', 'editor/vite.config.ts', 'editor/package.json', 'engine/src/graph', 'engine/src/expr', 'nodes/src', 'pnpm-lock.yaml'];

function newest(path) {
  if (!existsSync(path)) return { time: 0, file: path };
  const st = statSync(path);
  if (!st.isDirectory()) return { time: st.mtimeMs, file: path };
  let best = { time: 0, file: path };
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const n = newest(join(path, name));
    if (n.time > best.time) best = n;
  }
  return best;
}

/** Why a build is needed, or null when editor/dist is up to date. */
export function staleReason() {
  if (!existsSync(builtIndex)) return 'editor/dist is missing';
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== STAMP) return 'editor/dist was not built by scripts/build-editor.mjs';
  const built = statSync(builtIndex).mtimeMs;
  for (const src of SOURCES) {
    const n = newest(join(root, src));
    if (n.time > built) return `${relative(root, n.file)} is newer than the build`;
  }
  return null;
}

// Text assets worth compressing; images and fonts are compressed already.
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.svg', '.json', '.wasm', '.txt', '.map']);

/**
 * Writes `<file>.br` and `<file>.gz` beside each hashed text asset in `assetsDir` (the server
 * sends them with Content-Encoding when the browser accepts it), at the highest levels: done
 * once per build, so the size matters more than the time. A variant not smaller than the file
 * is not written. Answers the files written.
 */
export function precompressAssets(assetsDir) {
  const written = [];
  if (!existsSync(assetsDir)) return written;
  for (const name of readdirSync(assetsDir)) {
    const file = join(assetsDir, name);
    if (!COMPRESSIBLE.has(extname(name)) || !statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    const variants = [
      ['.br', brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
      ['.gz', gzipSync(bytes, { level: 9 })],
    ];
    for (const [ext, packed] of variants) {
      if (packed.length >= bytes.length) continue;
      writeFileSync(file + ext, packed);
      written.push(file + ext);
    }
  }
  return written;
}

/** Builds when stale; `log` receives one line saying what it does. Throws when the build fails. */
export function ensureEditorBuilt(log = (msg) => process.stderr.write(`[keyflow] ${msg}\n`)) {
  const reason = staleReason();
  if (!reason) return false;
  log(`building the editor (${reason}): vite build → editor/dist`);
  const vite = join(editor, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV decides which React Vite bundles: a caller's "test" or "development" (vitest sets
  // one) would ship React's development build. The editor build is always production.
  const r = spawnSync(process.execPath, [vite, 'build', '--mode', 'production', '--logLevel', 'warn'], { cwd: editor, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`the editor build failed (vite exited with ${r.status})`);
  precompressAssets(join(editor, 'dist', 'assets'));
  writeFileSync(stamp, STAMP);
  log('editor built');
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    if (!ensureEditorBuilt()) process.stderr.write('[keyflow] editor build is up to date\n');
  } catch (err) {
    process.stderr.write(`[keyflow] ${err.message}\n`);
    process.exit(1);
  }
}
