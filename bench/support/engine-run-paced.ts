// Runs the paced (open-loop) load generator in its own process and returns its result.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { isLoadResult } from './load-types.ts';
import type { PacedResult, PacedSpec } from './engine-paced-load.ts';

const workerPath = fileURLToPath(new URL('./engine-paced-load.ts', import.meta.url));
const GRACE_MS = 30_000;

function isPacedResult(v: unknown): v is PacedResult {
  return isLoadResult(v) && typeof (v as unknown as Record<string, unknown>).late === 'number' && typeof (v as unknown as Record<string, unknown>).dropped === 'number';
}

export function runPacedLoad(spec: PacedSpec): Promise<PacedResult> {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
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
      if (code === 0 && isPacedResult(parsed)) return resolve(parsed);
      reject(new Error(`paced load "${spec.title}" ${signal ? `was stopped (${signal})` : `exited with code ${code}`}:\n${stderr.trim()}`));
    });
  });
}
