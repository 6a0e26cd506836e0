// `npm run bench -- <name>`: runs one benchmark. Benchmarks report; they never fail on a slow
// figure, only when they cannot run (exit 1) or are asked for one that does not exist (exit 2).
import { cleanupOnSignals, runCleanup } from './support/cleanup.ts';

// Loaded lazily so one benchmark's imports never slow or break another.
const benches: Record<string, () => Promise<void>> = {
  api: async () => (await import('./api.ts')).runApiBench(),
  engine: async () => (await import('./engine.ts')).runEngineBench(),
  mem: async () => (await import('./mem.ts')).runMemBench(),
  ai: async () => (await import('./ai.ts')).runAiBench(),
  'ai-quality': async () => (await import('./ai-quality.ts')).runAiQualityBench(),
  'embedded-health': async () => (await import('./embedded-health.ts')).runEmbeddedHealthBench(),
  generate: async () => (await import('./generate.ts')).runGenerateBench(),
  editor: async () => (await import('./editor.ts')).runEditorBench(),
  import: async () => (await import('./import.ts')).runImportBench(),
  google: async () => (await import('./google.ts')).runGoogleBench(),
  build: async () => (await import('./build.ts')).runBuildBench(),
  metrics: async () => (await import('./metrics.ts')).runMetricsBench(),
  soak: async () => (await import('./soak.ts')).runSoakBench(),
  scale: async () => (await import('./scale.ts')).runScaleBench(),
  'embedded-store': async () => (await import('./embedded-store.ts')).runEmbeddedStoreBench(),
};

const name = process.argv[2];
const bench = name && Object.hasOwn(benches, name) ? benches[name] : undefined;
if (!bench) {
  process.stderr.write(`${name ? `unknown benchmark "${name}"` : 'no benchmark named'}; one of: ${Object.keys(benches).join(', ')}\nusage: npm run bench -- <name>\n`);
  process.exit(2);
}

cleanupOnSignals();
try {
  await bench();
  await runCleanup();
} catch (err) {
  process.stderr.write(`bench ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
  await runCleanup();
  process.exit(1);
}
