// Runs one autocannon scenario in a separate process (support/load.ts) and returns its result.
import { fileURLToPath } from 'node:url';
import { isLoadResult, type LoadResult, type LoadSpec } from './load-types.ts';
import { runWorker } from './run-worker.ts';

const workerPath = fileURLToPath(new URL('./load.ts', import.meta.url));

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runWorker(workerPath, spec, isLoadResult);
}
