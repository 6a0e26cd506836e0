// The heap-snapshot summary of `npm run bench -- mem`: a real snapshot of a child process whose
// one module holds ~8 MB in a module-level array must put those bytes under that module and
// the array's elements under their constructor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageOf, readSnapshot, summariseHeap } from './heap-summary.ts';

const dir = mkdtempSync(join(tmpdir(), 'kf-heap-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('summariseHeap', () => {
  it('attributes what a module keeps to that module, and counts by constructor', () => {
    const holder = join(dir, 'holder.mjs');
    writeFileSync(holder, `class Kept { constructor(i) { this.payload = 'x'.repeat(64) + i; this.n = i; } }
const kept = [];
export function fill() { for (let i = 0; i < 100000; i++) kept.push(new Kept(i)); return kept.length; }
`);
    const main = join(dir, 'main.mjs');
    const file = join(dir, 'out.heapsnapshot');
    writeFileSync(main, `import { writeHeapSnapshot } from 'node:v8';
import { fill } from './holder.mjs';
fill();
writeHeapSnapshot(${JSON.stringify(file)});
`);
    const r = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const summary = summariseHeap(readSnapshot(file), dir, 50);
    const kept = summary.byConstructor.find((c) => c.name === 'Kept');
    // The instances, plus the class's own constructor function (also named Kept).
    expect(kept?.count).toBe(100001);
    const mine = summary.byModule.find((m) => m.name === packageOf(`file://${holder}`, dir));
    // 100,000 objects and their ~70-character strings: well over 8 MB, all reachable only through holder.mjs.
    expect(mine?.bytes ?? 0).toBeGreaterThan(8_000_000);
    expect(summary.byModule[0]?.name).toBe(mine?.name);
    expect(summary.scripts.app).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('names modules by package or by repository folder', () => {
    expect(packageOf('file:///r/node_modules/.pnpm/zod@4.0.0/node_modules/zod/v4/core.js', '/r/')).toBe('zod');
    expect(packageOf('file:///r/node_modules/.pnpm/@a+b@1/node_modules/@a/b/x.js', '/r/')).toBe('@a/b');
    expect(packageOf('file:///r/engine/src/store/runs.repo.ts', '/r/')).toBe('engine/src/store');
    expect(packageOf('node:internal/fs', '/r/')).toBe('node: internals');
  });
});
