import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: {
      // Electron's binary cannot run in tests: main-process code is exercised against a stub.
      electron: fileURLToPath(new URL('./tests/support/electron-stub.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: PostgreSQL, Chromium and the servers under test need the rest.
    maxWorkers: 2,
    reporters: process.env.SCHOOLHOUSE_TEST_REPORT ? ['default', 'json'] : ['default'],
    ...(process.env.SCHOOLHOUSE_TEST_REPORT ? { outputFile: { json: process.env.SCHOOLHOUSE_TEST_REPORT } } : {}),
  },
});
