// What a fresh Node process holds after it imports one module of ours.
import { spawnSync } from 'node:child_process';

/** The JSON value of `expression`, evaluated in a new process right after it imported `entry` (`require` is at hand). */
export function valueAfterImport(entry: string, expression: string): unknown {
  const script = `import { createRequire } from 'node:module';
    await import(${JSON.stringify(entry)});
    const require = createRequire(import.meta.url);
    console.log(JSON.stringify(${expression}));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`importing ${entry} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

/** Paths under `node_modules/<pkg>/` that `require.cache` holds after importing `entry` in a new process. */
export function packageFilesLoadedBy(entry: string, pkg: string): string[] {
  const marker = JSON.stringify(`/node_modules/${pkg}/`);
  return valueAfterImport(entry, `Object.keys(require.cache).filter((f) => f.includes(${marker})).map((f) => f.slice(f.lastIndexOf(${marker}) + ${marker}.length))`) as string[];
}
