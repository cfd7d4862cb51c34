// Counts the instructions of one 1-worker search per function, JIT code included, and lists who calls V8's
// generic helpers (inline-cache misses, array growth, write barriers): a profile that repeats from run to run,
// where timed profiles on this machine vary by ±30 % (docs/performance.md).
//
//   node bench/instructions.mjs specs/bench/gossip.ts maxEpoch=2 bagSize=3      (needs valgrind; ~2 min)
//
// How: valgrind's callgrind counts instructions per address (--dump-instr=yes); node --perf-basic-prof writes
// the address range of every compiled JavaScript function to /tmp/perf-<pid>.map; the two are joined here.
// V8 runs --single-threaded so that compilation happens on the counted thread, in the same place every run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node bench/instructions.mjs <spec file> [name=value ...]');
  process.exit(2);
}
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not installed (apt-get install valgrind)');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'interleave-instr-'));
const out = path.join(dir, 'callgrind.out');
const run = spawnSync(
  'valgrind',
  ['--tool=callgrind', '--dump-instr=yes', `--callgrind-out-file=${out}`, process.execPath, '--perf-basic-prof', `--logfile=${path.join(dir, 'v8.log')}`, '--no-logfile-per-isolate', '--single-threaded', '--import', 'tsx', 'bench/one.ts', ...args],
  { cwd: root, encoding: 'utf8', env: { WORKERS: '1', ...process.env }, maxBuffer: 1 << 26 },
);
const pid = /==(\d+)==/.exec(run.stderr)?.[1];
const mapFile = `/tmp/perf-${pid}.map`;
if (run.status !== 0 || !pid || !existsSync(mapFile)) {
  console.error(run.stderr.slice(-2000));
  process.exit(4);
}
console.log(run.stdout.trim());

// JIT functions: sorted address ranges.
const syms = readFileSync(mapFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => {
    const [a, size, ...name] = l.split(' ');
    return { start: parseInt(a, 16), end: parseInt(a, 16) + parseInt(size, 16), name: name.join(' ') };
  })
  .sort((x, y) => x.start - y.start);
function jsName(addr) {
  let lo = 0;
  let hi = syms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (syms[mid].start <= addr) lo = mid + 1;
    else hi = mid - 1;
  }
  const s = syms[hi];
  return s && addr < s.end ? s.name.replace(/file:\/\/\/\S*\/(src|specs)\//, '$1/') : null;
}

// callgrind's format: "fn=(id) name" starts a function, cost lines are "address line Ir" (addresses may be
// relative: +n, -n, *), and the line after "calls=" is the inclusive cost of a call made from that address.
const self = new Map();
const callers = new Map();
const names = new Map();
let fn = null;
let callee = null;
let addr = 0;
let afterCall = false;
const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
for (const line of readFileSync(out, 'utf8').split('\n')) {
  const c = line[0];
  if (c === undefined || c === '#') continue;
  if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '*') {
    const [pos, , ir] = line.split(' ');
    if (pos[0] === '+') addr += parseInt(pos.slice(1), 16);
    else if (pos[0] === '-') addr -= parseInt(pos.slice(1), 16);
    else if (pos !== '*') addr = parseInt(pos, 16);
    const cost = Number(ir ?? 0);
    const here = fn && !fn.startsWith('0x') ? fn : (jsName(addr) ?? fn ?? '?');
    if (afterCall) {
      afterCall = false;
      if (callee && /^Builtins_(KeyedLoadIC|LoadIC|KeyedStoreIC|StoreIC|CloneObjectIC|GrowFast|RecordWrite)/.test(callee)) add(callers, `${callee} <- ${here}`, cost);
    } else add(self, here, cost);
    continue;
  }
  const m = /^(c?fn)=\((\d+)\)(?: (.*))?$/.exec(line);
  if (m) {
    if (m[3]) names.set(m[2], m[3]);
    if (m[1] === 'fn') fn = names.get(m[2]) ?? null;
    else callee = names.get(m[2]) ?? null;
  } else if (line.startsWith('calls=')) afterCall = true;
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
const M = (x) => `${(x / 1e6).toFixed(1).padStart(8)} M`;
console.log(`\n${(total / 1e9).toFixed(3)} G instructions (start-up included: ~3.2 G on this machine)\n\nself, by function:`);
for (const [k, v] of top(self, 30)) console.log(`${M(v)} ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k.slice(0, 110)}`);
console.log('\ncalls into generic V8 helpers (inclusive), by caller:');
for (const [k, v] of top(callers, 15)) console.log(`${M(v)}  ${k.slice(0, 120)}`);
rmSync(dir, { recursive: true, force: true });
rmSync(mapFile, { force: true });
