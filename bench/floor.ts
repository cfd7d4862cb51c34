// The floor under one worker's speed: how long a model's own code takes (decoding each reachable state, then its
// guards, parameter lists, effects and invariants), run over every reachable state with no search around it,
// beside the whole search and SPIN's depth-first verifier, in the same process and rounds.
//
//   npm run bench:floor -- [--size quick|default|large] [--rounds N] [model ...]
//
// The models are the bench's (bench/models.mjs). Each is first explored once to collect its reachable states'
// words; then every round times, in turn: decoding each state (`decode`); decoding and running the spec's code,
// each successor handed to a sink that only holds on to it, so that V8 cannot drop the objects an effect builds
// (`spec`); the same with each successor encoded and fingerprinted as the search does (`+ encode`), then also
// inserted into a seen-set that grows as the search's does (`+ probe`); the whole 1-worker search (`search`, from
// `check`, which also checks that it generated what was timed here); and SPIN's DFS verifier (`SPIN`). Each
// figure is a median over the rounds, in nanoseconds per generated transition. `spec / SPIN` above 1 means that,
// with an engine that cost nothing, one worker would still be slower than SPIN on that model as written.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check } from '../src/index.ts';
import { SpecRuntime, type StepSink } from '../src/checker/spec/index.ts';
import { SeenSet, WordBuffer, FP } from '../src/checker/state/index.ts';
import { compilePan, haveSpin, median, runPan } from './measure.mjs';
import { selectModels } from './models.mjs';

const usage = 'usage: npm run bench:floor -- [--size quick|default|large] [--rounds N] [model ...]';
const argv = process.argv.slice(2);
function bad(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
let size: 'quick' | 'default' | 'large' = 'default';
let rounds = 5;
const wanted: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--help') {
    console.log(usage);
    process.exit(0);
  } else if (a === '--size' || a === '--rounds') {
    const v = argv[++i] ?? '';
    if (a === '--size' && ['quick', 'default', 'large'].includes(v)) size = v as typeof size;
    else if (a === '--rounds' && /^[1-9]\d*$/.test(v)) rounds = Number(v);
    else bad(`${a} takes ${a === '--size' ? 'quick, default or large' : 'a whole number from 1'}, not '${v}'`);
  } else if (a.startsWith('-')) bad(`no option '${a}'`);
  else wanted.push(a);
}
let models;
try {
  models = selectModels(size, wanted);
} catch (e) {
  bad((e as Error).message);
}
const spin = haveSpin();
const root = path.resolve(import.meta.dirname, '..');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'interleave-floor-'));
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));

/**
 * A sink that holds on to the last successor (so that it escapes); `encode`: encodes and fingerprints each as the
 * search does; `seen`: and inserts its fingerprint there, as the search's seen-set does (growth included).
 */
class Sink implements StepSink {
  action = 0;
  dom: readonly unknown[] | null = null;
  pi = -1;
  enabled = 0;
  inEffect = false;
  count = 0;
  last: unknown = null;
  parent: unknown = null;
  words: Int32Array = new Int32Array(0);
  offset = 0;
  readonly out = new WordBuffer(1 << 12);
  constructor(
    readonly rt: SpecRuntime,
    readonly encode: boolean,
    readonly seen: SeenSet | null = null,
  ) {}
  add(next: unknown): void {
    this.count++;
    this.last = next;
    if (!this.encode) return;
    this.rt.codec.encodeFingerprint(next, this.out, this.parent, this.words, this.offset);
    if (this.seen !== null) this.seen.insert(FP[0]!, FP[1]!, 0, 0);
  }
  covered(): void {}
}

/** Every reachable state's words, in breadth-first order (`words[offsets[i] .. offsets[i+1])`), the transitions, and the initial states. */
function reachable(rt: SpecRuntime): { words: Int32Array; offsets: number[]; transitions: number; inits: number } {
  const seen = new SeenSet();
  const all = new WordBuffer(1 << 16);
  const offsets: number[] = [];
  const keep = (s: unknown): void => {
    const len = rt.encode(s);
    if (seen.insert(FP[0]!, FP[1]!, -1, -1) < 0) return;
    offsets.push(all.len);
    all.ensure(len).set(rt.scratch.buf.subarray(0, len), all.len);
    all.len += len;
  };
  const inits = rt.initialStates();
  for (const s of inits) keep(s);
  const collect: unknown[] = [];
  const sink = new Sink(rt, false);
  sink.add = (next) => void collect.push(next);
  for (let i = 0; i < offsets.length; i++) {
    const at = offsets[i]!;
    const end = i + 1 < offsets.length ? offsets[i + 1]! : all.len;
    collect.length = 0;
    rt.successors(rt.codec.decode(all.buf, at, end - at), rt.constants, sink);
    sink.count += collect.length;
    for (const n of collect) keep(n);
  }
  offsets.push(all.len);
  return { words: all.buf.slice(0, all.len), offsets, transitions: sink.count, inits: inits.length };
}

/** One pass decoding every state (each held until the next, so that it is built). Seconds. */
function decodePass(rt: SpecRuntime, r: ReturnType<typeof reachable>): number {
  const { words, offsets } = r;
  const decode = rt.codec.decode;
  const t0 = performance.now();
  let held: unknown = null;
  for (let i = 0; i + 1 < offsets.length; i++) held = decode(words, offsets[i]!, offsets[i + 1]! - offsets[i]!);
  const seconds = (performance.now() - t0) / 1000;
  if (held === undefined) throw new Error('nothing decoded');
  return seconds;
}

/** One pass decoding every state and running the spec's code on it, its successors going to `sink`. Seconds. */
function specPass(rt: SpecRuntime, r: ReturnType<typeof reachable>, sink: Sink): number {
  const { words, offsets } = r;
  const decode = rt.codec.decode;
  const checks = rt.invariants.length !== 0;
  const t0 = performance.now();
  let broken = 0;
  for (let i = 0; i + 1 < offsets.length; i++) {
    const at = offsets[i]!;
    const s = decode(words, at, offsets[i + 1]! - at);
    sink.parent = s;
    sink.words = words;
    sink.offset = at;
    sink.out.len = 0;
    rt.successors(s, rt.constants, sink);
    if (checks && rt.failingInvariant(s) !== null) broken++;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (broken !== 0) throw new Error(`an invariant fails in ${broken} states`);
  return seconds;
}

/** The 1-worker search's own time (from the moment it starts, as bench/one.ts), and its generated count. */
async function search(spec: unknown, constants: Record<string, unknown>): Promise<{ seconds: number; generated: number }> {
  let start = performance.now();
  const c = await check(spec as Parameters<typeof check>[0], { constants, workers: 1, properties: [], onEvent: (e) => void (e.type === 'start' && (start = performance.now())) });
  return { seconds: (performance.now() - start) / 1000, generated: c.stats.generated };
}

const ns = (seconds: number, transitions: number): string => ((seconds * 1e9) / transitions).toFixed(0);
console.log(`floor (${size} sizes, ${rounds} rounds; ns per generated transition, medians)${spin ? '' : ' — SPIN or gcc missing: no SPIN column'}\n`);
console.log('| model | transitions | decode | spec | + encode | + probe | search | SPIN | spec / SPIN | search / SPIN |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const m of models) {
  const spec = (await import(path.join(root, m.spec))).default;
  const rt = new SpecRuntime(spec, { constants: m.constants });
  const r = reachable(rt);
  const pan = spin ? compilePan(path.join(workDir, m.key), m.file, m.promela) : null;
  const t: Record<string, number[]> = { decode: [], spec: [], encode: [], probe: [], search: [], spin: [] };
  for (let k = 0; k < rounds; k++) {
    t.decode!.push(decodePass(rt, r));
    t.spec!.push(specPass(rt, r, new Sink(rt, false)));
    t.encode!.push(specPass(rt, r, new Sink(rt, true)));
    t.probe!.push(specPass(rt, r, new Sink(rt, true, new SeenSet())));
    const c = await search(spec, m.constants);
    // The search generates each transition and each initial state once: what was timed here is the same work.
    if (c.generated !== r.transitions + r.inits) throw new Error(`${m.name}: the search generated ${c.generated}, this script's exploration ${r.transitions} transitions`);
    t.search!.push(c.seconds);
    if (pan !== null) {
      const p = runPan(pan, [`-m${m.spinDepth}`]);
      if (p.generated !== c.generated) throw new Error(`${m.name}: SPIN generated ${p.generated}, interleave ${c.generated}`);
      t.spin!.push(p.seconds);
    }
  }
  const per = r.transitions;
  const med = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length ? median(v) : NaN]));
  const ratio = (a: number, b: number): string => (Number.isNaN(b) ? '–' : (a / b).toFixed(2));
  console.log(
    `| ${m.name} | ${per.toLocaleString('en-US')} | ${ns(med.decode!, per)} | ${ns(med.spec!, per)} | ${ns(med.encode!, per)} | ${ns(med.probe!, per)} | ${ns(med.search!, per)} | ${pan ? ns(med.spin!, per) : '–'} | ${ratio(med.spec!, med.spin!)} | ${ratio(med.search!, med.spin!)} |`,
  );
}
