import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The JSON report is what .ci/run reads for its closing "Tests: N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-output/results.json' }]],
  },
});
