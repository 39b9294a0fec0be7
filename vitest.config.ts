import { defineConfig } from 'vitest/config'

// One fixture database is built once (globalSetup) and copied per test file; files run in 2 forks (2-core machines).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/web/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
})
