import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test whose responses, headers or log lines contain a test credential.
    setupFiles: ['test/support/setup-secret-scan.ts'],
    // bin/main.wasm, built once before any worker starts when missing or older than src/.
    globalSetup: ['test/support/global-wasm-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
