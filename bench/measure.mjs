// What the bench scripts measure with, written once so that every ratio they print is measured the same way
// (bench/run.mjs, bench/before-after.mjs): SPIN's verifier compiled and run with the same flags, one interleave
// check of a tree's sources, a pause between runs, medians.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bfsParTwin } from './promela.mjs';

/** Whether SPIN and gcc are installed (every comparison with SPIN needs both). */
export function haveSpin() {
  return spawnSync('spin', ['-V']).status === 0 && spawnSync('gcc', ['--version']).status === 0;
}

/** A rate in thousands, as the bench tables print it: `1,234 k`. */
export function thousands(x) {
  return `${Math.round(x / 1000).toLocaleString('en-US')} k`;
}

/**
 * Writes `source` as `dir/file` and compiles SPIN's verifier for it: safety only and no partial-order reduction,
 * so that SPIN explores the same state space as interleave. `flags`: more gcc flags (`-DBFS_PAR`: SPIN's
 * parallel breadth-first search; `-DMEMLIM=` replaces the default 16,000 MB). Returns the path of the `pan` binary.
 */
export function compilePan(dir, file, source, flags = []) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, file), source);
  execFileSync('spin', ['-a', file], { cwd: dir, stdio: 'pipe' });
  const memlim = flags.some((f) => f.startsWith('-DMEMLIM=')) ? [] : ['-DMEMLIM=16000'];
  execFileSync('gcc', ['-O2', '-w', '-DSAFETY', '-DNOREDUCE', ...memlim, ...flags, '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'pipe' });
  return path.join(dir, 'pan');
}

/**
 * Compiles bench model `m`'s verifier into `dir`: `kind` 'dfs', the depth-first one from its twin; 'bfs', SPIN's
 * parallel breadth-first one (BFS_PAR, its shared segment `memlimMb` large) from the twin whose actions are
 * `d_step`s (bfsParTwin). `flags`: more gcc flags (`-static`). Returns the path of the `pan` binary.
 */
export function compileVerifier(dir, m, kind, memlimMb, flags = []) {
  return kind === 'bfs' ? compilePan(dir, m.file, bfsParTwin(m.promela), [...flags, '-DBFS_PAR', `-DMEMLIM=${memlimMb}`]) : compilePan(dir, m.file, m.promela, flags);
}

/** The model sizes of bench/cores.mjs: of its uncounted round (`warm`) and of the rounds it measures. */
export function coresSizes(quick) {
  return quick ? { warm: 'quick', measured: 'quick' } : { warm: 'default', measured: 'large' };
}

/** The verifiers bench/cores.mjs runs, as [size, kind]: depth-first at both sizes, BFS_PAR at the measured one. */
export function coresVerifiers(quick) {
  const { warm, measured } = coresSizes(quick);
  return warm === measured ? [[warm, 'dfs'], [measured, 'bfs']] : [[warm, 'dfs'], [measured, 'dfs'], [measured, 'bfs']];
}

/** A verifier's file name in a kit (bench/device-kit.mjs), which `bench/cores.mjs --pan` looks for. */
export function verifierName(m, size, kind) {
  return `${m.key}-${size}-${kind}`;
}

// SPIN's own default hash table (2^24 slots, no -w): a larger one (-w26, used until run 9) made SPIN slower, not
// faster — 24 % on Peterson n=6 and 8 % on gossip (medians of 10 alternating runs) — from page faults and TLB
// misses over a 512 MiB table. `args`: more of pan's options (`-uN`: cores of a BFS_PAR verifier; `-wN`; `-mN`: the
// depth limit, each bench model's `spinDepth`, bench/models.mjs; without one, -m100000000, whose stack takes
// seconds to fault in). A search cut short by the depth limit is an error, not a smaller count. `wallSeconds`: the process's own wall-clock time
// (pan prints its search's elapsed time to 3 digits; a BFS_PAR verifier on several cores also runs on for about a
// second after it, on this machine).
export function runPan(pan, args = []) {
  const t0 = performance.now();
  const depth = args.some((a) => a.startsWith('-m')) ? [] : ['-m100000000'];
  const run = spawnSync(pan, [...depth, ...args], { encoding: 'utf8', cwd: path.dirname(pan), maxBuffer: 1 << 26 });
  const wallSeconds = (performance.now() - t0) / 1000;
  const out = run.stdout;
  if (run.status !== 0 || !/states, stored/.test(out)) throw new Error(`${pan} ${args.join(' ')} failed (exit ${run.status}): ${(out + run.stderr).slice(-600)}`);
  if (/max search depth too small/.test(out)) throw new Error(`${pan} ${args.join(' ')}: the depth limit cut the search short (raise the model's spinDepth in bench/models.mjs)`);
  const num = (re) => Number((re.exec(out) ?? [])[1]);
  const stored = count(out, 'states, stored');
  const transitions = count(out, 'transitions');
  const seconds = num(/elapsed time ([\d.e+-]+) seconds/);
  // A BFS_PAR verifier reports its shared and its own memory instead of the states'.
  const memMb = /actual memory usage for states/.test(out)
    ? num(/([\d.]+)\s+actual memory usage for states/)
    : num(/([\d.]+)\s+total shared memory usage/) + num(/([\d.]+)\s+total non-shared memory usage/);
  return {
    distinct: stored.value,
    generated: transitions.value,
    // Significant digits SPIN printed each count with (Infinity: every digit), for `sameCount`.
    distinctDigits: stored.digits,
    generatedDigits: transitions.digits,
    seconds,
    wallSeconds,
    statesPerSecond: stored.value / seconds,
    bytesPerState: (memMb * 2 ** 20) / stored.value,
  };
}

/**
 * A count from pan's report. pan prints its counts with `%9.8g`, so from 10^8 on they come rounded to 8
 * significant digits, as `1.7421415e+08` (Peterson n=7's 174,214,146 transitions): the value, and 8 digits for
 * such a count (Infinity when it was printed whole). NaN when the line is missing.
 */
function count(out, label) {
  const m = new RegExp(`(\\d[\\d.]*(?:e\\+\\d+)?) ${label}`).exec(out);
  if (!m) return { value: NaN, digits: Infinity };
  return { value: Number(m[1]), digits: m[1].includes('e') ? 8 : Infinity };
}

/** Whether pan's count (`digits` significant digits, see `count`) is interleave's, at the precision pan printed. */
export function sameCount(spin, digits, ours) {
  return digits === Infinity ? spin === ours : Number(ours.toPrecision(digits)) === spin;
}

/**
 * One check of `spec` with `args` (`name=value` constants) by the sources of the checkout `tree`, on `workers`
 * threads (bench/one.ts): its JSON line. `--conditions`: the spec's `import 'interleave'` resolves to that tree's
 * src/, not to a dist/ build.
 */
export function runInterleave(tree, spec, args, workers) {
  const argv = ['--conditions=interleave-source', '--import', 'tsx', path.join(tree, 'bench/one.ts'), spec, ...args];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: tree, env: { ...process.env, WORKERS: String(workers) } });
  if (r.status !== 0) throw new Error(`interleave (${tree}) failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Waits `ms` (between runs, so that one run's heat and memory do not weigh on the next). */
export function settle(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
