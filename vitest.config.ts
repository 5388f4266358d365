import { defineConfig } from 'vitest/config';

/** Suites whose assertions include a promised time bound: run alone, after the rest, so the flood of another suite does not eat their CPU. */
const TIME_BOUND_SUITES = ['test/hardening/deadlines.test.ts'];

export default defineConfig({
  test: {
    // Fails any test whose responses, headers or log lines contain a test credential.
    setupFiles: ['test/support/setup-secret-scan.ts'],
    // bin/main.wasm, built once before any worker starts when missing or older than src/.
    globalSetup: ['test/support/global-wasm-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'suites', include: ['test/**/*.test.ts'], exclude: TIME_BOUND_SUITES } },
      { extends: true, test: { name: 'time-bound', include: TIME_BOUND_SUITES, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
