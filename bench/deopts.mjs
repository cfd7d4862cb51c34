// Lists where V8 threw away optimised code of interleave's own search during one check (`--trace-deopt`), grouped
// by function and source position. Code that first runs after its function was optimised (a rare path) has no type
// feedback, and reaching it discards the optimised function: for the search loop, a pause while it is compiled again
// (docs/performance.md, "Worker warm-up"). Spec code and the loader are left out unless ALL=1.
//
//   node bench/deopts.mjs specs/bench/gossip.ts maxEpoch=2 bagSize=4      (WORKERS=2 for the parallel search)
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node bench/deopts.mjs <spec.ts> [name=value ...]');
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--trace-deopt-verbose', '--import', 'tsx', 'bench/one.ts', ...args], {
  cwd: new URL('..', import.meta.url),
  env: { ...process.env, WORKERS: process.env.WORKERS ?? '1' },
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
if (r.status !== 0) {
  console.error(r.stderr || r.stdout);
  process.exit(1);
}
const lines = r.stdout.split('\n');
const counts = new Map();
for (let i = 0; i < lines.length; i++) {
  const m = /^\[bailout \(kind: ([^,]+), reason: ([^)]*)\).*<JSFunction ([^ ]*) /.exec(lines[i]);
  if (!m) continue;
  const at = /deoptimize at <([^>]*)>(?: inlined at <([^>]*)>)?/.exec(lines[i + 1] ?? '');
  const where = at ? at[1] + (at[2] ? ` (inlined at ${at[2]})` : '') : '?';
  if (!process.env.ALL && !/src\/checker\//.test(where)) continue;
  const key = `${m[3] || '(anonymous)'}: ${m[2]} at ${where.replace(/file:\/\/\/[^ ]*?\/(src|specs)\//g, '$1/')}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
// (The workers' trace lines may share a line with the result.)
const result = lines.find((l) => l.includes('{"status"'));
console.log(result ? result.slice(result.indexOf('{"status"')) : '(no result line)');
if (counts.size === 0) console.log('no deoptimisation in src/checker');
for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(3)}  ${k}`);
