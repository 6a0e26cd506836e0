// Which files of a CommonJS package a fresh Node process loads when it imports one module of ours.
import { spawnSync } from 'node:child_process';

/** Paths under `node_modules/<pkg>/` that `require.cache` holds after importing `entry` in a new process. */
export function packageFilesLoadedBy(entry: string, pkg: string): string[] {
  const marker = `/node_modules/${pkg}/`;
  const script = `import { createRequire } from 'node:module';
    await import(${JSON.stringify(entry)});
    const marker = ${JSON.stringify(marker)};
    const cached = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes(marker));
    console.log(JSON.stringify(cached.map((f) => f.slice(f.lastIndexOf(marker) + marker.length))));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`importing ${entry} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}
