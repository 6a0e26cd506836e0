// Runs a load generator script in its own process (so it never shares the measured system's
// event loop), passing the spec as JSON on argv and reading one JSON result line back.
import { spawn } from 'node:child_process';
import { onCleanup } from './cleanup.ts';

// Slack past warm-up + duration for start-up and the generator's final flush.
const GRACE_MS = 30_000;

export function runWorker<R>(script: string, spec: { title: string; durationS: number; warmupS?: number }, isResult: (v: unknown) => v is R): Promise<R> {
  const limitMs = ((spec.warmupS ?? 0) + spec.durationS) * 1000 + GRACE_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      } catch {
        parsed = undefined;
      }
      if (code === 0 && isResult(parsed)) return resolve(parsed);
      const why = timedOut ? `ran past its ${limitMs} ms limit` : signal ? `was stopped (${signal})` : `exited with code ${code}`;
      reject(new Error(`load worker for "${spec.title}" ${why}:\n${stderr.trim()}`));
    });
  });
}
