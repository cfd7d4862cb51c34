#!/usr/bin/env node
// npm run bench: interleave against SPIN's compiled verifier on the two bench models, side by side in one run.
//
// For each model: writes the Promela version (bench/promela/*.pml, from bench/promela.mjs), compiles it with
// SPIN and gcc (safety, no partial-order reduction, so SPIN explores the same state space), then runs SPIN,
// interleave with 1 worker and interleave with 2 workers alternately, several times, and prints medians:
// distinct and generated states (they must match SPIN's), states/s, the ratio to SPIN, bytes per state and the
// 2-worker speed-up. Options: BENCH_RUNS=5 (runs per tool), BENCH_QUICK=1 (smaller models), BENCH_OUT=file.md,
// `npm run bench -- --large` (or BENCH_LARGE=1): the large sizes (Peterson n=7, gossip maxEpoch=3 bagSize=4,
// two-phase commit with 8 RMs, failover nodes=3 maxEpoch=5; minutes per round on 2 cores), BENCH_ONLY=failover
// (or a comma-separated list of peterson, gossip, two-phase, failover): only those models.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectModels } from './models.mjs';
import { compilePan, haveSpin, median, runInterleave, runPan, sameCount, settle, thousands as k } from './measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const quick = process.env.BENCH_QUICK === '1';
const large = process.env.BENCH_LARGE === '1' || process.argv.includes('--large');
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);
let models;
try {
  models = selectModels(large ? 'large' : quick ? 'quick' : 'default', only);
} catch (e) {
  console.error(`BENCH_ONLY: ${e.message}`);
  process.exit(2);
}

// A folder of this run's own: two runs at once (a shared machine) must not compile over each other's pan.
const workDir = mkdtempSync(path.join(os.tmpdir(), 'interleave-bench-'));
mkdirSync(path.join(root, 'bench/promela'), { recursive: true });

function compileSpin(model) {
  // The project keeps the default-size models; a quick or large run's other sizes stay in the temporary folder.
  if (!quick && !large) writeFileSync(path.join(root, 'bench/promela', model.file), model.promela);
  return compilePan(path.join(workDir, model.file.replace('.pml', '')), model.file, model.promela);
}

const spin = haveSpin();
if (!spin) console.log('SPIN (or gcc) is not installed: `apt-get install spin` to compare; running interleave alone.\n');
const rows = [];
for (const model of models) {
  const pan = spin ? compileSpin(model) : null;
  const s = [];
  const one = [];
  const two = [];
  // One round first, not counted: every tool's first run on a fresh machine also pays for compiling, loading and
  // first touching memory the virtual machine has not used yet (measured: up to 7 times the usual page-fault cost).
  if (pan) runPan(pan, [`-m${model.spinDepth}`]);
  runInterleave(root, model.spec, model.args, 1);
  runInterleave(root, model.spec, model.args, 2);
  settle(3000);
  for (let i = 0; i < runs; i++) {
    // Every run is followed by a pause: the kernel reclaims what the process freed (SPIN's pan frees ~0.6 GB),
    // and that work, on the other core, slowed whichever run came next (2-worker Peterson n=6 measured
    // 1.42–1.55 s right after pan, 1.33–1.37 s three seconds later).
    if (pan) s.push(runPan(pan, [`-m${model.spinDepth}`]));
    settle(3000);
    one.push(runInterleave(root, model.spec, model.args, 1));
    settle(3000);
    two.push(runInterleave(root, model.spec, model.args, 2));
    settle(3000);
    process.stderr.write(`  ${model.name}: run ${i + 1}/${runs}\r`);
  }
  const m = {
    model: model.name,
    distinct: one[0].distinct,
    generated: one[0].generated,
    spinDistinct: s[0]?.distinct ?? null,
    spinGenerated: s[0]?.generated ?? null,
    // SPIN prints counts from 10^8 on to 8 significant digits: they match at that precision (measure.mjs, `count`).
    spinSame: s.length === 0 ? null : sameCount(s[0].distinct, s[0].distinctDigits, one[0].distinct) && sameCount(s[0].generated, s[0].generatedDigits, one[0].generated),
    spinRounded: s.length !== 0 && (s[0].distinctDigits !== Infinity || s[0].generatedDigits !== Infinity),
    spinRate: s.length ? median(s.map((x) => x.statesPerSecond)) : null,
    spinBytes: s.length ? median(s.map((x) => x.bytesPerState)) : null,
    oneRate: median(one.map((x) => x.statesPerSecond)),
    oneSeconds: median(one.map((x) => x.seconds)),
    twoRate: median(two.map((x) => x.statesPerSecond)),
    twoSeconds: median(two.map((x) => x.seconds)),
    oneSearch: median(one.map((x) => x.searchSeconds)),
    twoSearch: median(two.map((x) => x.searchSeconds)),
    bytes: median(one.map((x) => x.bytesPerState)),
    // With 2 workers each keeps its own record buffers: the largest of the runs, not the median.
    twoBytes: Math.max(...two.map((x) => x.bytesPerState)),
    twoCountsMatch: two.every((x) => x.distinct === one[0].distinct && x.generated === one[0].generated),
    // Each round's own 1- and 2-worker runs, back to back: the spread of the speed-up across rounds.
    pairs: one.map((x, i) => x.searchSeconds / two[i].searchSeconds),
    // Each round's 1-worker rate against the SPIN run just before it.
    spinPairs: s.map((x, i) => one[i].statesPerSecond / x.statesPerSecond),
  };
  rows.push(m);
}
process.stderr.write('\n');

const header = '| model | distinct | generated | SPIN distinct / generated | SPIN states/s | interleave states/s (1 worker) | ratio | 2 workers states/s | 2 vs 1 worker: search (total) | bytes/state (SPIN) | bytes/state (interleave: 1 worker / 2, largest) |';
const lines = [header, '|---|---|---|---|---|---|---|---|---|---|---|'];
for (const m of rows) {
  const same = m.spinSame === null ? 'not run' : m.spinSame ? (m.spinRounded ? 'same ✓ (to the 8 digits SPIN prints)' : 'same ✓') : `${m.spinDistinct} / ${m.spinGenerated} ✗`;
  lines.push(
    `| ${m.model} | ${m.distinct.toLocaleString('en-US')} | ${m.generated.toLocaleString('en-US')} | ${same} | ${m.spinRate ? k(m.spinRate) : '—'} | ${k(m.oneRate)} | ${m.spinRate ? (m.oneRate / m.spinRate).toFixed(2) : '—'} | ${k(m.twoRate)}${m.twoCountsMatch ? '' : ' (counts differ ✗)'} | ${(m.oneSearch / m.twoSearch).toFixed(2)}× (${(m.oneSeconds / m.twoSeconds).toFixed(2)}×) | ${m.spinBytes ? Math.round(m.spinBytes) : '—'} | ${m.bytes} / ${m.twoBytes} |`,
  );
}
const table = lines.join('\n');
console.log(table);
const roundLine = (what, xs) => `${what} in each round: ${[...xs].sort((a, b) => a - b).map((x) => `${x.toFixed(2)}×`).join(' ')} (median ${median(xs).toFixed(2)}×)`;
const spread = rows
  .flatMap((m) => [...(m.spinPairs.length ? [`${m.model}: ${roundLine('1 worker against SPIN', m.spinPairs)}`] : []), `${m.model}: ${roundLine('2 vs 1 worker (search)', m.pairs)}`])
  .join('\n');
console.log(spread);
console.log(`\nmedians of ${runs} alternating runs after one uncounted round, each followed by a 3 s pause; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}); node ${process.version}`);
console.log('2 vs 1 worker = wall-clock seconds of the search with 1 worker / with 2; in brackets with the ~0.6 s worker start-up included.');
console.log('states/s = distinct states / search seconds (SPIN: its own elapsed time; interleave: from the moment the search starts).');
const scaling = spawnSync(process.execPath, [path.join(root, 'bench/scaling.mjs')], { encoding: 'utf8' }).stdout.trim();
console.log(`\nhow this machine scales two threads (bench/scaling.mjs):\n${scaling}`);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${table}\n\n${spread}\n\n${scaling}\n`);
const mismatch = rows.some((m) => m.spinSame === false || !m.twoCountsMatch);
if (mismatch) {
  console.error('state counts differ between tools: a correctness bug');
  process.exitCode = 1;
}
rmSync(workDir, { recursive: true, force: true });
if (!existsSync(path.join(root, 'bench/README.md'))) console.log('(bench/README.md keeps the latest table)');
