import { defineConfig } from 'vitest/config';

// Two cores: two workers. Each test file gets its own fresh database (test/support/test-db.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
