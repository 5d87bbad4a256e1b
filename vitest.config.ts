import { defineConfig } from 'vitest/config';

// Node unit tests for src/core on the tfjs cpu backend. The cpu backend is slow, so shapes are
// tiny and the timeout generous; each file runs in its own process (tfjs state is global).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
