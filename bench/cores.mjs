#!/usr/bin/env node
// Scaling with cores, against SPIN's parallel search: `node bench/cores.mjs [--workers 1,2,4,8,16] [--quick] [model ...]`
//
// For each model (peterson, gossip, two-phase, failover; default all) at the large sizes of `npm run bench -- --large`
// (`--quick`: the small ones, seconds each), compiles SPIN's verifier twice, as bench/run.mjs does (safety, no
// partial-order reduction): depth-first (one core) and parallel breadth-first (`-DBFS_PAR`, from the twin in which
// each action is a `d_step`, bench/promela.mjs: bfsParTwin). Then, in each round, runs SPIN's DFS once and, for
// each worker count N, interleave with N workers and SPIN's BFS_PAR on N cores (`-uN`), a pause after each run.
// Prints a table per model: states/s, the speed-up over one worker and its efficiency (speed-up / N), SPIN's own
// speed-up, and the ratio to SPIN's BFS_PAR on as many cores. Every run must give the same distinct and generated
// counts (exit 1 if not).
//
// Worker counts: default 1, 2, 4, 8, 16 up to the machine's cores. BENCH_RUNS=3: counted rounds (default 1); a
// first, uncounted round at the default sizes (--quick: the quick ones) pays for compiling and first touching
// memory. The large sizes take
// minutes per run on one core: on a machine with a time limit per command, run one model per command.
// After the tables: how this machine scales N threads of computation and of random memory access
// (bench/scaling.mjs), the bound on what N workers can gain.
// On a machine without SPIN or gcc: `--pan DIR` runs the verifiers bench/device-kit.mjs compiled beforehand.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileVerifier, coresSizes, coresVerifiers, haveSpin, median, runInterleave, runPan, sameCount, settle, thousands as k, verifierName } from './measure.mjs';
import { benchModels, selectModels } from './models.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node bench/cores.mjs [--workers 1,2,4,8,16] [--quick] [--pan DIR] [peterson|gossip|two-phase|failover ...]';
const argv = process.argv.slice(2);
const cores = os.availableParallelism();
let counts = [1, 2, 4, 8, 16].filter((n) => n <= cores);
let quick = false;
/** --pan: SPIN's verifiers compiled beforehand (bench/device-kit.mjs), for a machine without SPIN or gcc. */
let panDir = null;
const wanted = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--help' || a === '-h') {
    console.log(usage);
    process.exit(0);
  } else if (a === '--quick') quick = true;
  else if (a === '--pan') {
    panDir = argv[++i] ?? '';
    if (!panDir || !existsSync(panDir)) fail(`--pan takes the directory of verifiers bench/device-kit.mjs wrote (got '${panDir}')`);
  } else if (a === '--workers') {
    const list = (argv[++i] ?? '').split(',').map(Number);
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) fail(`--workers takes a comma-separated list of worker counts from 1 to 64 (got '${argv[i] ?? ''}')`);
    counts = [...new Set([1, ...list])].sort((x, y) => x - y);
  } else if (a.startsWith('-')) fail(`unknown option ${a}`);
  else wanted.push(a);
}
const runs = Number(process.env.BENCH_RUNS ?? 1);
if (!Number.isInteger(runs) || runs < 1) fail(`BENCH_RUNS must be a positive integer (got '${process.env.BENCH_RUNS}')`);
const { warm: warmSize, measured: size } = coresSizes(quick);
let models;
try {
  models = selectModels(size, wanted);
} catch (e) {
  fail(e.message);
}
const warmModels = benchModels(warmSize).filter((d) => models.some((x) => x.key === d.key));
if (panDir === null && !haveSpin()) fail('SPIN and gcc are needed (apt-get install spin gcc), or verifiers compiled beforehand: --pan DIR (bench/device-kit.mjs)');
if (panDir !== null) {
  const needed = coresVerifiers(quick).flatMap(([s, kind]) => (s === size ? models : warmModels).map((m) => verifierName(m, s, kind)));
  const missing = [...new Set(needed)].filter((name) => !existsSync(path.join(panDir, name)));
  if (missing.length) fail(`${panDir} has no verifier ${missing.join(', ')} (bench/device-kit.mjs${quick ? ' --quick' : ''} writes them)`);
  console.log(`SPIN's verifiers from ${panDir}, compiled beforehand (${readKit(panDir)})\n`);
}
const over = counts.filter((n) => n > cores);
if (over.length) console.log(`note: ${over.join(', ')} workers on a machine with ${cores} cores: those rows measure oversubscription, not scaling\n`);

function fail(message) {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

const workDir = mkdtempSync(path.join(os.tmpdir(), 'interleave-cores-'));
// BFS_PAR keeps its hash table and queues in one shared-memory segment, as large as MEMLIM allows.
const memlim = Math.max(16000, Math.floor((os.totalmem() / 2 ** 20) * 0.75));
// `s`: the models' size, to find a verifier compiled beforehand (--pan).
const compile = (m, kind, s) => (panDir !== null ? path.resolve(panDir, verifierName(m, s, kind)) : compileVerifier(path.join(workDir, `${m.key}-${kind}`), m, kind, memlim));

/** What kit.json beside the verifiers says they were built with. */
function readKit(dir) {
  try {
    const kit = JSON.parse(readFileSync(path.join(dir, '..', 'kit.json'), 'utf8'));
    return `BFS_PAR MEMLIM ${kit.memlimMb} MB, ${kit.spin}`;
  } catch {
    return 'no kit.json beside them';
  }
}
// BFS_PAR's table does not grow: 2^w slots for at least twice the states (SPIN's default is -w24).
const tableBits = (distinct) => Math.max(24, Math.ceil(Math.log2(2 * distinct)));
const s1 = (x) => x.toFixed(x < 10 ? 2 : 1);

let mismatch = false;
try {
  // The uncounted round, at the default sizes (--quick: the quick ones): compiles, loads and first touches memory
  // for every tool.
  for (const m of warmModels) {
    runPan(compile(m, 'dfs', warmSize), [`-m${m.spinDepth}`]);
    runInterleave(root, m.spec, m.args, counts.at(-1));
  }
  for (const m of models) {
    const dfs = compile(m, 'dfs', size);
    const bfs = compile(m, 'bfs', size);
    const r = { dfs: [], ours: new Map(counts.map((n) => [n, []])), spin: new Map(counts.map((n) => [n, []])) };
    for (let round = 0; round < runs; round++) {
      for (const n of counts) {
        const ours = runInterleave(root, m.spec, m.args, n);
        r.ours.get(n).push(ours);
        settle(3000);
        r.spin.get(n).push(runPan(bfs, [`-u${n}`, `-w${tableBits(ours.distinct)}`]));
        settle(3000);
        if (process.stderr.isTTY) process.stderr.write(`  ${m.name}: round ${round + 1}/${runs}, ${n} workers done\r`);
      }
      r.dfs.push(runPan(dfs, [`-m${m.spinDepth}`]));
      settle(3000);
    }
    const first = r.ours.get(1)[0];
    const same = (x) => sameCount(x.distinct, x.distinctDigits, first.distinct) && sameCount(x.generated, x.generatedDigits, first.generated);
    const all = [...r.ours.values()].flat();
    const spins = [...r.spin.values()].flat().concat(r.dfs);
    const countsOk = all.every((x) => x.distinct === first.distinct && x.generated === first.generated) && spins.every(same);
    if (!countsOk) mismatch = true;
    const oneSearch = median(r.ours.get(1).map((x) => x.searchSeconds));
    const dfsRate = median(r.dfs.map((x) => x.statesPerSecond));
    const lines = [
      `### ${m.name}: ${first.distinct.toLocaleString('en-US')} distinct, ${first.generated.toLocaleString('en-US')} generated — ${countsOk ? 'the same in every run and in SPIN ✓' : 'COUNTS DIFFER ✗'}`,
      '',
      `SPIN DFS (one core): ${k(dfsRate)} states/s, ${s1(median(r.dfs.map((x) => x.seconds)))} s. BFS_PAR with -w${tableBits(first.distinct)}.`,
      '',
      '| workers | interleave: search s (whole check s) | states/s | vs 1 worker | efficiency | SPIN BFS_PAR -uN: search s (whole run s) | states/s | vs -u1 | interleave / SPIN BFS_PAR | bytes/state: interleave / SPIN BFS_PAR |',
      '|---|---|---|---|---|---|---|---|---|---|',
    ];
    const spinOne = median(r.spin.get(1).map((x) => x.seconds));
    for (const n of counts) {
      const ours = r.ours.get(n);
      const spin = r.spin.get(n);
      const search = median(ours.map((x) => x.searchSeconds));
      const whole = median(ours.map((x) => x.seconds));
      const spinSearch = median(spin.map((x) => x.seconds));
      const spinWall = median(spin.map((x) => x.wallSeconds));
      const speedup = oneSearch / search;
      lines.push(
        `| ${n} | ${s1(search)} (${s1(whole)}) | ${k(first.distinct / search)} | ${speedup.toFixed(2)}× | ${Math.round((100 * speedup) / n)} % | ${s1(spinSearch)} (${s1(spinWall)}) | ${k(first.distinct / spinSearch)} | ${(spinOne / spinSearch).toFixed(2)}× | ${(spinSearch / search).toFixed(2)} | ${Math.max(...ours.map((x) => x.bytesPerState))} / ${Math.round(median(spin.map((x) => x.bytesPerState)))} |`,
      );
    }
    console.log(`${lines.join('\n')}\n`);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
if (process.stderr.isTTY) process.stderr.write('\n');
console.log(`medians of ${runs} round(s) after one uncounted round at the ${warmSize} sizes, a 3 s pause after each run; ${cores} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}`);
console.log('states/s = distinct / search seconds. interleave: from the moment every worker is ready ("whole check": starting the workers too);');
console.log("SPIN: the elapsed time pan prints (3 digits; \"whole run\": the process's wall clock). interleave / SPIN BFS_PAR: the search's speed on as many cores.");
const threads = counts.filter((n) => n > 1);
if (threads.length) {
  const scaling = spawnSync(process.execPath, [path.join(root, 'bench/scaling.mjs'), ...threads.map(String)], { encoding: 'utf8' }).stdout.trim();
  console.log(`\nhow this machine scales threads (bench/scaling.mjs ${threads.join(' ')}):\n${scaling}`);
}
if (mismatch) {
  console.error('state counts differ between runs or tools: a correctness bug');
  process.exitCode = 1;
}
