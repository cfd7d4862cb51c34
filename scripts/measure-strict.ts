/**
 * Measures the cost of strict mode (docs/robustness.md): best of N runs of each configuration, in one process,
 * interleaved so machine noise hits both modes alike.
 *
 *   npx tsx scripts/measure-strict.ts [runs]
 */
import { check } from '../src/index.ts';
import { gossip } from '../specs/bench/gossip.ts';
import { peterson } from '../specs/bench/peterson.ts';

const runs = Number(process.argv[2] ?? 5);
const configs = [
  { name: 'peterson n=5', spec: peterson, constants: { n: 5 } },
  { name: 'gossip (defaults)', spec: gossip, constants: {} },
  { name: 'gossip maxEpoch=2 bagSize=3', spec: gossip, constants: { maxEpoch: 2, bagSize: 3 } },
];
for (const c of configs) {
  const best = { off: Infinity, on: Infinity };
  let distinct = 0;
  for (let i = 0; i < runs; i++) {
    for (const strict of [false, true]) {
      const r = await check(c.spec as typeof peterson, { constants: c.constants, strict });
      if (r.status !== 'ok') throw new Error(`${c.name}: ${r.status}`);
      distinct = r.stats.distinct;
      const key = strict ? 'on' : 'off';
      best[key] = Math.min(best[key], r.stats.seconds);
    }
  }
  const rate = (s: number) => `${Math.round(distinct / s / 1000)} k/s`;
  console.log(`| ${c.name} | ${distinct.toLocaleString('en-US')} | ${best.off.toFixed(2)} s (${rate(best.off)}) | ${best.on.toFixed(2)} s (${rate(best.on)}) | ×${(best.on / best.off).toFixed(1)} |`);
}
