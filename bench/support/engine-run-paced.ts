// Runs the paced (open-loop) load generator in its own process and returns its result.
import { fileURLToPath } from 'node:url';
import { isLoadResult } from './load-types.ts';
import type { PacedResult, PacedSpec } from './engine-paced-load.ts';
import { runWorker } from './run-worker.ts';

const workerPath = fileURLToPath(new URL('./engine-paced-load.ts', import.meta.url));

function isPacedResult(v: unknown): v is PacedResult {
  return isLoadResult(v) && typeof (v as unknown as Record<string, unknown>).late === 'number' && typeof (v as unknown as Record<string, unknown>).dropped === 'number';
}

export function runPacedLoad(spec: PacedSpec): Promise<PacedResult> {
  return runWorker(workerPath, spec, isPacedResult);
}
