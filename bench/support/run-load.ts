// Runs one load scenario in a separate process (support/load.ts) and returns its result.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { isLoadResult, type LoadResult, type LoadSpec } from './load-types.ts';

const workerPath = fileURLToPath(new URL('./load.ts', import.meta.url));
// Slack past warm-up + duration for start-up and autocannon's final flush.
const GRACE_MS = 30_000;

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const limitMs = ((spec.warmupS ?? 0) + spec.durationS) * 1000 + GRACE_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerPath, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
    const unregister = onCleanup(() => {
      child.kill('SIGKILL');
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      unregister();
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      unregister();
      const line = stdout.trim().split('\n').at(-1) ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (code === 0 && isLoadResult(parsed)) return resolve(parsed);
      const why = timedOut ? `ran past its ${limitMs} ms limit` : signal ? `was stopped (${signal})` : `exited with code ${code}`;
      reject(new Error(`load worker for "${spec.title}" ${why}:\n${stderr.trim()}`));
    });
  });
}
