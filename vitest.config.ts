import { defineConfig } from 'vitest/config';

// `import 'interleave'` in tests and specs resolves to src/ through the "interleave-source" export condition
// (package.json), never to a dist/ build that may be stale; worker threads do the same (scripts/source-mode.mjs).
const conditions = ['interleave-source'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // The JSON report is what .ci/run reads for its closing "Tests: N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-output/results.json' }]],
  },
});
