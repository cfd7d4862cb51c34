// Where one 1-worker check spends its time: the spec's own code against each part of the engine, from a V8 CPU
// profile of the compiled CLI (dist/: run `npm run build` first).
//
//   node bench/profile.mjs specs/two-phase-commit.ts --const rms=7
//   node bench/profile.mjs specs/bench/peterson.ts --const n=7 --invariant mutex --max-states 8000000
//
// The arguments after the spec are `interleave check`'s (add --invariant NAME for a spec with temporal properties:
// they record the state graph, which a safety benchmark does not). The table is the self time of the search
// thread by part (V8 inlines small functions into their callers: the seen-set's probe shows up in `route`), then
// the hottest functions. PROFILE_INTERVAL_US=250 sets the sampling interval (default 500 µs); KEEP=1 prints where
// the .cpuprofile files are (open them in Chrome's DevTools) instead of deleting them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node bench/profile.mjs <spec.ts> [check options...]');
  process.exit(2);
}
const dir = mkdtempSync(path.join(tmpdir(), 'interleave-profile-'));
const interval = process.env.PROFILE_INTERVAL_US ?? '500';
const cli = ['--cpu-prof', `--cpu-prof-interval=${interval}`, `--cpu-prof-dir=${dir}`, path.join(root, 'bin/interleave.mjs'), 'check', ...args, '--workers', '1'];
const run = spawnSync(process.execPath, cli, { cwd: root, encoding: 'utf8', env: { ...process.env, INTERLEAVE_DIST: '1' } });
console.log(run.stdout.split('\n').filter((l) => /distinct states/.test(l)).join('\n'));
if (run.status !== 0 && run.status !== 1 && run.status !== 3) {
  console.error(run.stderr);
  process.exit(run.status ?? 4);
}

/** The part of the run a sampled function belongs to. */
function partOf(frame) {
  const { url, functionName: f } = frame;
  if (url.includes('/specs/') || (url.endsWith('.ts') && !url.includes('/node_modules/'))) return "the spec's code (params, guards, effects, invariants)";
  if (f === 'encodeFingerprint' || f === 'encode') return 'encode and fingerprint each successor (compiled codec)';
  if (f === 'decode') return 'decode the expanded state (compiled codec)';
  if (f === 'successors' || f === 'anyEnabled') return 'compiled successor loop (actions × params; inlined spec calls)';
  if (url.endsWith('/model/collections.js') || url.includes('/components/')) return "the library's helpers (SetOf, Bag, components)";
  if (url.endsWith('/search/expand.js')) return 'expand.js: add (per successor) and route (inlined: the seen-set probe)';
  if (url.endsWith('/state/seen-set.js')) return 'seen-set growth (touchPages: page faults; growArrays; rehash)';
  if (url.endsWith('/search/engine.js') || url.endsWith('/search/frontier.js') || url.endsWith('/state/codec.js')) return 'engine loop and frontier (push, growth)';
  if (url.includes('/properties/')) return 'properties (state graph, reachability)';
  if (f === '(garbage collector)') return 'garbage collection';
  if (f === '(idle)' || f === '(program)') return 'idle, V8 (program)';
  if (url.includes('/dist/')) return `other engine (${url.slice(url.indexOf('/dist/') + 6)})`;
  return 'start-up, loading, output';
}

// The search runs on the thread that did the most work (the others: the module loader, the SIGINT helper).
let best = null;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const p = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  let work = 0;
  for (let i = 0; i < p.samples.length; i++) if (frames.get(p.samples[i]).functionName !== '(idle)') work += p.timeDeltas[i] ?? 0;
  if (best === null || work > best.work) best = { p, frames, work, file };
}
const parts = new Map();
const fns = new Map();
let total = 0;
const { p, frames } = best;
// A builtin (no script: `set length`, `slice`) counts in the part of the function that called it.
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const generated = new Set(['encodeFingerprint', 'encode', 'decode', 'successors', 'anyEnabled', '(garbage collector)', '(idle)', '(program)', '(root)']);
function partOfNode(id) {
  let n = id;
  while (frames.get(n).url === '' && !generated.has(frames.get(n).functionName) && parent.has(n)) n = parent.get(n);
  return partOf(frames.get(n));
}
for (let i = 0; i < p.samples.length; i++) {
  const frame = frames.get(p.samples[i]);
  const t = p.timeDeltas[i] ?? 0;
  total += t;
  const part = partOfNode(p.samples[i]);
  parts.set(part, (parts.get(part) ?? 0) + t);
  const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(dist|specs|src)\//, '$1/')}`;
  fns.set(name, (fns.get(name) ?? 0) + t);
}
const pct = (t) => `${((100 * t) / total).toFixed(1)} %`;
const ms = (t) => `${Math.round(t / 1000)} ms`;
console.log(`\n| part (self time of the search thread) | time | share |\n|---|---|---|`);
for (const [part, t] of [...parts].sort((a, b) => b[1] - a[1])) if (t / total >= 0.005) console.log(`| ${part} | ${ms(t)} | ${pct(t)} |`);
console.log(`| total | ${ms(total)} | |\n\nhottest functions:`);
for (const [name, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(t).padStart(7)}  ${name}`);
if (process.env.KEEP === '1') console.log(`\nprofiles: ${dir} (${best.file} is the search thread)`);
else rmSync(dir, { recursive: true, force: true });
