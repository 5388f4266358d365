import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fails any test whose responses, headers or log lines contain a test credential.
    setupFiles: ['test/support/setup-secret-scan.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
