import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{editor,engine,server,nodes,migrations}/{src,test}/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    allowOnly: false,
    // Removes this run's test queues and counters from Redis afterwards (and nothing else).
    globalSetup: ['engine/test/support/redis-global-setup.ts'],
  },
});
