#!/usr/bin/env node
// Before and after a change, side by side in one run: `node bench/before-after.mjs <commit> [model...]`.
//
// Checks out <commit> into a temporary git worktree (sharing this checkout's node_modules), then for each model
// runs, in every round, SPIN's compiled verifier (the default-size model of bench/models.mjs, compiled as
// bench/run.mjs does), the commit's interleave and this tree's, with 1 and then 2 workers, alternately, a 3 s
// pause after each run. Prints the medians, the ratio to SPIN of each, and after / before. Models: peterson,
// gossip (default both), two-phase, failover. BENCH_RUNS=5 rounds (default 3). Used for issue 18's "performance
// is not lost" table in bench/README.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilePan, median, runInterleave, runPan, settle, thousands } from './measure.mjs';
import { benchModels } from './models.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [commit, ...wanted] = process.argv.slice(2);
if (!commit) {
  console.error('usage: node bench/before-after.mjs <commit> [peterson|gossip|two-phase|failover ...]');
  process.exit(2);
}
const runs = Number(process.env.BENCH_RUNS ?? 3);
const all = Object.fromEntries(benchModels('default').map((m) => [m.key, m]));
const keys = wanted.length ? wanted : ['peterson', 'gossip'];
for (const k of keys) if (!(k in all)) throw new Error(`no model ${k} (${Object.keys(all).join(', ')})`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'interleave-before-'));
const base = path.join(tmp, 'tree');
execFileSync('git', ['worktree', 'add', '--detach', base, commit], { cwd: root, stdio: 'pipe' });
symlinkSync(path.join(root, 'node_modules'), path.join(base, 'node_modules'));

function compileSpin(m) {
  return compilePan(path.join(tmp, m.file.replace('.pml', '')), m.file, m.promela);
}

const lines = ['| model | workers | SPIN states/s | before states/s | after states/s | before / SPIN | after / SPIN | after / before (median of rounds) |', '|---|---|---|---|---|---|---|---|'];
try {
  for (const key of keys) {
    const m = all[key];
    const pan = compileSpin(m);
    const r = { spin: [], b1: [], a1: [], b2: [], a2: [] };
    // One uncounted round first (compilation, first touch of memory).
    for (let i = 0; i <= runs; i++) {
      const round = { spin: runPan(pan, [`-m${m.spinDepth}`]), b1: runInterleave(base, m.spec, m.args, 1), a1: runInterleave(root, m.spec, m.args, 1), b2: runInterleave(base, m.spec, m.args, 2), a2: runInterleave(root, m.spec, m.args, 2) };
      for (const x of Object.values(round)) {
        if (x.distinct !== round.spin.distinct) throw new Error(`${key}: distinct counts differ (${x.distinct} against SPIN's ${round.spin.distinct})`);
        settle(3000);
      }
      if (i > 0) for (const [k, x] of Object.entries(round)) r[k].push(x.statesPerSecond);
      process.stderr.write(`  ${key}: round ${i}/${runs}\r`);
    }
    const s = median(r.spin);
    for (const w of [1, 2]) {
      const b = r[`b${w}`];
      const a = r[`a${w}`];
      const kps = (x) => thousands(median(x));
      lines.push(`| ${m.name} | ${w} | ${kps(r.spin)} | ${kps(b)} | ${kps(a)} | ${(median(b) / s).toFixed(2)} | ${(median(a) / s).toFixed(2)} | ${median(a.map((x, i) => x / b[i])).toFixed(2)} |`);
    }
  }
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', base], { cwd: root, stdio: 'pipe' });
  rmSync(tmp, { recursive: true, force: true });
}
process.stderr.write('\n');
console.log(lines.join('\n'));
console.log(`\nbefore = ${commit}, after = this tree; medians of ${runs} rounds after one uncounted round; ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end`);
