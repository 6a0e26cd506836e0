// `@keyflow/engine/expr` is one of the faces the editor may import (scripts/boundaries.ts): the
// inspector previews expressions with the engine's own evaluator. This keeps it browser-safe:
// everything index.ts reaches is a relative module of this folder that uses no Node-only API.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const importRe = /^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
const nodeOnly = /\b(Buffer|process|require|__dirname|__filename|setImmediate)\b/;

/** Every module reachable from `entry` by runtime imports, with the specifiers that leave the folder. */
function reach(entry: string): { files: string[]; outside: string[]; nodeApis: string[] } {
  const seen = new Set<string>();
  const outside: string[] = [];
  const nodeApis: string[] = [];
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // Comments may name Node APIs; code may not.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    const hit = nodeOnly.exec(code.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""'));
    if (hit) nodeApis.push(`${relative(here, file)}: ${hit[1]}`);
    for (const m of text.matchAll(importRe)) {
      if (m[1]) continue;
      const spec = m[2] ?? m[3] ?? m[4] ?? '';
      const target = join(dirname(file), spec);
      if (!spec.startsWith('./') || relative(here, target).startsWith('..')) outside.push(`${relative(here, file)} → ${spec}`);
      else todo.push(target);
    }
  }
  return { files: [...seen], outside, nodeApis };
}

describe('the expression face is browser-safe', () => {
  it('reaches only modules of this folder, none using Node-only APIs', () => {
    const { files, outside, nodeApis } = reach(join(here, 'index.ts'));
    expect(files.length).toBeGreaterThan(5);
    expect(outside).toEqual([]);
    expect(nodeApis).toEqual([]);
  });

  it('would notice a Node import', () => {
    // The scanner itself must be able to fail: a module importing node:fs is reported.
    const text = "import { readFileSync } from 'node:fs';\n";
    const specs = [...text.matchAll(importRe)].map((m) => m[2]);
    expect(specs).toEqual(['node:fs']);
  });
});
