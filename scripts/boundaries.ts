// Package boundaries (DESIGN.md "Packages"): which workspace package may import which, and
// the editor may take only type-only or schema faces of the engine and nodes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const allowed: Record<string, string[]> = {
  nodes: [],
  migrations: [],
  engine: ['nodes', 'migrations'],
  server: ['engine', 'nodes', 'migrations'],
  editor: ['engine', 'nodes'],
  bench: ['engine', 'nodes', 'migrations', 'server'],
};
// Faces of a package that carry no Node-only runtime code, for the editor.
const editorFaces = new Set(['@keyflow/engine/graph', '@keyflow/engine/expr', '@keyflow/nodes/contract', '@keyflow/nodes']);
// The editor's browser tests run in Node beside the server, never in the page: they may start
// the test fakes (AI providers, services) that the server is pointed at.
// Third-party modules a node must never touch (nodes talk to the world through ctx).
const forbiddenInNodes = /^(pg|kysely|bullmq|ioredis|hono|@electric-sql\/pglite|node:fs|node:child_process)(\/|$)/;

const importRe = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}

/** Returns one message per import that crosses a boundary it may not. */
export function checkBoundaries(root: string): string[] {
  const problems: string[] = [];
  for (const pkg of Object.keys(allowed)) {
    let dir: string;
    try {
      dir = join(root, pkg);
      statSync(dir);
    } catch {
      continue;
    }
    for (const file of files(dir)) {
      const text = readFileSync(file, 'utf8');
      const isTest = /\.test\.tsx?$/.test(file) || file.includes(`${pkg}/test/`);
      // editor/test/ runs in Node (the browser tests' driver: fake providers, the server), never in the bundle.
      const nodeSideTest = pkg === 'editor' && file.includes('editor/test/');
      for (const m of text.matchAll(importRe)) {
        const typeOnly = Boolean(m[2]);
        const spec = m[3] ?? m[4] ?? m[5] ?? '';
        const where = relative(root, file);
        const ours = /^@keyflow\/([a-z]+)/.exec(spec);
        if (ours) {
          const target = ours[1]!;
          if (target === pkg) continue;
          if (!allowed[pkg]!.includes(target) && !(isTest && pkg !== 'nodes')) {
            problems.push(`${where} imports ${spec}: ${pkg} may import only ${allowed[pkg]!.join(', ') || 'nothing of ours'}`);
          } else if (pkg === 'editor' && !typeOnly && !editorFaces.has(spec) && !nodeSideTest) {
            problems.push(`${where} imports runtime code from ${spec}: the editor may take only schemas and types`);
          }
        } else if (spec.startsWith('.')) {
          const resolved = relative(root, join(file, '..', spec));
          const top = resolved.split('/')[0];
          if (top && top !== pkg && top in allowed) problems.push(`${where} reaches into ${top}/ by a relative path; import @keyflow/${top}`);
        } else if (pkg === 'nodes' && forbiddenInNodes.test(spec)) {
          problems.push(`${where} imports ${spec}: a node never touches storage, queues or the HTTP server`);
        }
      }
    }
  }
  return problems;
}
