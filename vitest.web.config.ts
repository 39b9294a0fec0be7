import { defineConfig } from 'vitest/config'

// Browser tests of the map app (web/): they start the real server and drive headless Chromium.
// One fork, one file at a time: the server's first start seeds the demo data (~45 s, 2+ min on a busy machine).
export default defineConfig({
  test: {
    include: ['test/web/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
})
