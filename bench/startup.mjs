#!/usr/bin/env node
// CLI start-up time: the median wall time of `node BIN --version` and `node BIN --help` over N runs (a benchmark,
// not a test; run it on a quiet machine).
//
//   node bench/startup.mjs                       bin/interleave.mjs of this checkout (runs the sources, via tsx)
//   INTERLEAVE_DIST=1 node bench/startup.mjs     the same bin on the compiled dist/ (what the package runs;
//                                                npm run build first)
//   node bench/startup.mjs PATH/TO/BIN [N]       another bin, e.g. an installed node_modules/interleave/bin/...
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.resolve(process.argv[2] ?? path.join(root, 'bin/interleave.mjs'));
const runs = Number(process.argv[3] ?? 15);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`${bin}${process.env.INTERLEAVE_DIST === '1' ? ' (INTERLEAVE_DIST=1)' : ''}, ${runs} runs each`);
// The floor: node starting and exiting, for comparison.
for (const args of [null, ['--version'], ['--help']]) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args ? [bin, ...args] : ['-e', '0'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${args?.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  console.log(`  ${(args ? args.join(' ') : 'node -e 0').padEnd(10)} median ${median(times).toFixed(0)} ms  (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
}
