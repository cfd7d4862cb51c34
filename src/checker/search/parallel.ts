import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import { WordBuffer } from '../state/index.ts';
import { CoverageCounters, ReachTracker, coverageWarnings, earlierHit, type ReachHit } from '../properties/index.ts';
import { reachReport } from './reachability.ts';
import type { Spec } from '../../model/index.ts';
import { specIdentity } from '../spec/index.ts';
import { knownSpecLocation, resolveSpecLocation, type SpecLocation } from '../spec/index.ts';
import { chunksOf, levelOutcome, type ExpandReply, type LevelError, type LevelTables, type LevelTask, type LevelViolation } from './level.ts';
import type { LevelHandover } from './engine.ts';
import { SpecRuntime, formatStep, resolveSelection, selectionOf } from '../spec/index.ts';
import { CapacityError, ENTRY_CHUNK, EntryChunks, FP, grownCapacity, insertSlots, slotOf, type SeenSet } from '../state/index.ts';
import { MemoryBudget } from './memory-budget.ts';
import {
  CTL_BARRIER,
  CTL_CHUNK,
  CTL_DEADLOCK_RANK,
  CTL_ENTRIES,
  CTL_PAUSE,
  CTL_STOP,
  CTL_VIOLATION_RANK,
  SOFT_LOAD,
  entryOf,
  rehash,
  sharedInts,
} from '../state/index.ts';
import type { CheckOptions, CheckResult, IncompleteReason, ResolvedOptions, Trace } from '../types.ts';
import type { ToWorker } from './worker.ts';
import { WorkerPool, type Channel, type Reply } from './worker-pool.ts';
import { Broken, runBreakable } from './breakable.ts';
import { emptyStats, resultBase, searchStats } from './result-base.ts';
import { formatCount } from '../../format-count.ts';
import { specBundleFor } from '../../spec-bundle.ts';

export { WorkerPool };

/**
 * The coordinator of a parallel breadth-first search. W worker threads share one seen-set in SharedArrayBuffers
 * (shared-table.ts) and expand each level together (level.ts); levels are synchronous. The coordinator builds
 * the initial level, grows the shared tables when a worker asks (all workers stop at a state boundary), and
 * checks each level's results; with one message per level, the workers number the last level's new states in
 * breadth-first order (keeping each state's first discovery), wait for each other, and expand them. Every state therefore gets the id, parent and label the single-threaded engine gives it: the same
 * distinct and generated counts, and the same counterexample, for any W.
 */

/** What a pool's threads need of the resolved options. */
type PoolOptions = Pick<ResolvedOptions, 'deadlock' | 'strict' | 'reachable'>;

function poolKey(spec: Spec, rt: SpecRuntime, resolved: PoolOptions, options: CheckOptions, workers: number, location: SpecLocation): string {
  return JSON.stringify([spec.name, location.url, location.exportName, rt.constants, rt.invariants.map((i) => i.name), resolved.reachable ?? [], rt.assertionFilter && [...rt.assertionFilter], resolved.deadlock, resolved.strict, options.forceDynamicCodec ?? false, options.memoryLimit ?? null, workers]);
}

/**
 * Starts the workers, or returns Broken when SIGINT or `timeLimitMs` ended the identity probe first: the probe runs
 * the spec's first steps on this thread (identity.ts), where an action that never returns would hold it.
 */
function newPool(spec: Spec, rt: SpecRuntime, resolved: PoolOptions, options: CheckOptions, workers: number, location: SpecLocation, timeLimitMs = Infinity): WorkerPool | Broken {
  const identity = runBreakable(() => specIdentity(rt, { hooks: false }), timeLimitMs);
  if (identity instanceof Broken) return identity;
  return new WorkerPool(poolKey(spec, rt, resolved, options, workers, location), workers, (ctl, index) => ({
    location,
    specName: spec.name,
    identity,
    index,
    workers,
    constants: { ...(rt.constants as Record<string, unknown>) },
    invariants: rt.invariants.map((inv) => inv.name),
    reachable: [...(resolved.reachable ?? [])],
    assertions: rt.assertionFilter && [...rt.assertionFilter],
    deadlock: resolved.deadlock,
    strict: resolved.strict,
    forceDynamicCodec: options.forceDynamicCodec ?? false,
    ctl,
  }), specBundleFor(location.url));
}

/**
 * Worker threads for a distributed node (state-batch.ts: they expand the batches of states its main thread hands
 * them), for `rt`'s constants, invariants and assertions; null when the spec's module and export are not known
 * (a spec not loaded by the CLI's loader: the node then expands on its own thread).
 */
export function startStateWorkers(spec: Spec, rt: SpecRuntime, workers: number, strict: boolean): WorkerPool | null {
  const location = knownSpecLocation(spec);
  if (location === undefined) return null;
  const pool = newPool(spec, rt, { deadlock: true, strict, reachable: [] }, { strict }, workers, location);
  return pool instanceof Broken ? null : pool;
}

/** Whether `check` would run this spec and these options on worker threads. */
export function runsInParallel(spec: Spec, options: CheckOptions): boolean {
  let properties: readonly string[];
  try {
    properties = resolveSelection(spec, selectionOf(options)).properties;
  } catch {
    return false; // the one-thread path reports the unknown name
  }
  return typeof options.workers === 'number' && options.workers > 1 && (spec.sourceUrl !== undefined || knownSpecLocation(spec) !== undefined) && (options.strategy ?? 'bfs') === 'bfs' && !options.symmetry && properties.length === 0 && !options.resume && !options.checkpoint;
}

/**
 * Starts the workers a later `check(spec, { ...options, workerPool })` will use, or returns null when that check
 * would not run in parallel. Throws what `check` would report as an error (bad constants, unknown invariant).
 */
export function startWorkerPool(spec: Spec, options: CheckOptions): WorkerPool | null {
  // Only where the module and export are known without importing anything (the CLI's loader recorded them); else
  // `check` resolves them itself (spec-location.ts), which may need an import.
  const location = knownSpecLocation(spec);
  return location === undefined ? null : workerPoolAt(spec, options, location);
}

/** `startWorkerPool` for a spec whose module and export are `location` (resolveSpecLocation). */
export function workerPoolAt(spec: Spec, options: CheckOptions, location: SpecLocation): WorkerPool | null {
  const workers = options.workers;
  if (typeof workers !== 'number' || !runsInParallel(spec, options)) return null;
  const selection = resolveSelection(spec, selectionOf(options));
  const rt = new SpecRuntime(spec, { ...options, invariants: selection.invariants, assertions: selection.assertions });
  const resolved = { deadlock: options.deadlock ?? true, strict: options.strict ?? false, reachable: selection.reachable } as ResolvedOptions;
  const pool = newPool(spec, rt, resolved, options, workers, location, options.timeLimit === undefined ? Infinity : options.timeLimit * 1000);
  // Stopped while probing the spec: `check` then stops too (a SIGINT seen here has aborted the CLI's signal).
  return pool instanceof Broken ? null : pool;
}

const INT32_MAX = 0x7fffffff;
const MAX_STATES = 2 ** 31 - 2;
/** Room kept in the entry arrays, in units of the workers' blocks (level.ts asks to grow at half of it). */
const ENTRY_RESERVE = 8;

/** The shared tables, owned by the coordinator; grown only while every worker is stopped. */
class SharedTables {
  table = sharedInts((1 << 16) * 3, 'the seen-set');
  /** parentOf, labelOf and rankEntry (entry-chunks.ts). */
  readonly entryArrays = new EntryChunks((bytes) => this.admitChunk(bytes));
  /** Entries handed out (by this thread for the initial states; the workers' count is CTL_ENTRIES). */
  entries = 0;
  /** States with a rank (ranks 0 .. ranked-1): the distinct states of the finished levels. */
  ranked = 0;

  constructor(
    readonly workers: number,
    readonly maxBytes: number,
  ) {}

  get mask(): number {
    return this.table.length / 3 - 1;
  }

  get bytes(): number {
    return this.table.length * 4 + this.entryArrays.bytes;
  }

  /** The tables for one message to every worker (the entry chunks added since the last one). */
  message(): LevelTables {
    return { table: this.table.buffer as SharedArrayBuffer, entries: this.entryArrays.message() };
  }

  /** Asked before a table grows (memory-budget.ts: MemoryBudget.admit); throws CapacityError to refuse it. */
  admit: ((bytes: number, what: string) => void) | null = null;

  private admitChunk(bytes: number): void {
    if (this.bytes + bytes > this.maxBytes) throw new CapacityError(`growing the parent table to ${Math.round((this.entryArrays.bytes + bytes) / 2 ** 20)} MiB would pass the memory limit`);
    this.admit?.(bytes, 'the parent table');
  }

  /** Grows the entry arrays and the table so that `entries` (and some) fit under the soft load, on this thread. */
  grow(entries: number): void {
    const cap = this.growEntries(entries);
    if (cap !== this.mask + 1) this.table = rehash(this.table, cap);
  }

  /**
   * Grows the entry arrays so that `entries` (and some) fit, and returns the table capacity they need under the
   * soft load (the current one if it is enough). Throws CapacityError when that table would pass a limit.
   */
  growEntries(entries: number): number {
    this.reserveEntries(entries);
    const reserve = this.workers * 1024;
    let cap = this.mask + 1;
    while (entries + reserve > cap * SOFT_LOAD) cap = grownCapacity(cap);
    if (cap !== this.mask + 1) {
      if (cap * 3 > 2 ** 32) throw new CapacityError(`the seen-set cannot hold more than ${formatCount(Math.floor((this.mask + 1) * SOFT_LOAD))} states`);
      if (this.bytes + cap * 12 > this.maxBytes) throw new CapacityError(`growing the seen-set to ${Math.round((cap * 12) / 2 ** 20)} MiB would pass the memory limit`);
    }
    return cap;
  }

  /**
   * Adds chunks to the entry arrays (parent, label and rank entry) so that `entries` and the workers' blocks fit.
   * A `guess` (made between levels) is skipped when it would leave no room under the limit for the table's next
   * growth. Ranks never pass entries, so the rank entries fit too.
   */
  reserveEntries(entries: number, guess = false): void {
    const reserve = this.workers * 1024;
    if (entries > MAX_STATES) throw new CapacityError(`more than ${formatCount(MAX_STATES)} states`);
    // The entry arrays are not hashed: they only need room for the blocks workers may take before they stop. A
    // guess keeps only the room at which workers ask to grow (level.ts: ENTRY_SLACK), so that they ask only once
    // past it; the whole reserve added a chunk of 786 KB at the last level of two-phase commit with 7 RMs (30
    // entries past the fifth chunk, 2.7 bytes a state on two workers).
    const want = Math.min(MAX_STATES + 1, entries + (guess ? ENTRY_RESERVE / 2 : ENTRY_RESERVE) * reserve);
    if (guess && this.bytes + this.entryArrays.bytesFor(want) + (this.mask + 1) * 24 > this.maxBytes) return;
    this.entryArrays.reserve(want);
  }

  /**
   * Takes over the states a search on one thread found (a LevelHandover: its ids are breadth-first ranks), each
   * as the entry of its own rank; those below `ranked` have their rank (the others get it from the next level).
   * The seen-set's table may become this table: the seen-set must not be probed afterwards.
   */
  adopt(seen: SeenSet, ranked: number): void {
    const n = seen.size;
    const cap = this.growEntries(n);
    let t = seen.table;
    // Both tables probe linearly from slotOf: at the same capacity every fingerprint is in the same slot, so a
    // seen-set table in shared memory (SeenSet.shared) is taken as it is. Else it is inserted into a new one, whose
    // pages are faulted in as it is written (about 70 ms for a table of 2^21 slots on this project's machine).
    if (!(t.buffer instanceof SharedArrayBuffer) || t.length !== cap * 3) {
      this.admit?.(cap * 12, 'the seen-set');
      t = sharedInts(cap * 3, 'the seen-set');
      insertSlots(seen.table, t);
    }
    // The seen-set keeps id + 1 in a slot's third word; the shared table -(entry + 2), and entry = id.
    for (let j = 2; j < t.length; j += 3) if (t[j] !== 0) t[j] = -t[j]! - 1;
    this.table = t;
    for (let c = 0, first = 0; first < n; c++, first += ENTRY_CHUNK) this.entryArrays.adoptChunk(c, seen.entryChunk(c), Math.min(ENTRY_CHUNK, n - first));
    this.entries = n;
    this.ranked = ranked;
  }

  /** Inserts an initial state (single-threaded); returns its rank, or -1 if it is there already. */
  insertInitial(hi: number, lo: number, initIndex: number): number {
    this.grow(this.entries + 1);
    const t = this.table;
    const mask = this.mask;
    let i = slotOf(hi, lo, mask);
    for (;;) {
      const j = i * 3;
      if (t[j + 2] === 0) break;
      if (t[j] === hi && t[j + 1] === lo) return -1;
      i = (i + 1) & mask;
    }
    const e = this.entries++;
    const rank = this.ranked++;
    t[i * 3] = hi;
    t[i * 3 + 1] = lo;
    t[i * 3 + 2] = -e - 2;
    this.entryArrays.set(e, -1 - initIndex, -1);
    this.entryArrays.setRank(rank, e);
    return rank;
  }
}

/**
 * The next level's states a search handed over had found, as the records a worker writes for them:
 * `[entry, parentRank, length, ...words]` (the thread's records hold the depth where the parent goes).
 */
function foundRecords(from: LevelHandover): SharedArrayBuffer {
  const r = sharedInts(from.found.length, 'the frontier');
  r.set(from.found);
  for (let p = 0; p < r.length; p += 3 + r[p + 2]!) r[p + 1] = from.seen.parent(r[p]!);
  return r.buffer as SharedArrayBuffer;
}

/** Milliseconds the workers get to stop at a state boundary after a stop request, before they are ended. */
export const STOP_GRACE_MS = 1000;

/** A stop request (SIGINT, SIGTERM, the time or memory limit) that the workers did not answer within STOP_GRACE_MS. */
class WorkersStuck extends Error {}

/** Why the search stopped, in words, when it stopped before the first level (SIGINT or the time limit during the identity probe). */
function stoppedBeforeStart<S>(spec: Spec<S, any>, rt: SpecRuntime<S, any>, resolved: ResolvedOptions, seed: number, started: number, workers: number, b: Broken): CheckResult<S> {
  const seconds = (performance.now() - started) / 1000;
  const report = new CoverageCounters(rt.actions).report();
  const message =
    b.reason === 'interrupted'
      ? 'interrupted before the search started (while running the first steps of the spec to check that the workers load the same spec)'
      : `stopped after the time limit of ${resolved.timeLimit} s, before the search started (while running the first steps of the spec to check that the workers load the same spec)`;
  return {
    ...resultBase(spec, rt.constants, resolved, emptyStats(seconds, workers), seed, rt.codec.mode),
    coverage: report,
    warnings: coverageWarnings(report, false),
    status: 'incomplete',
    reason: b.reason,
    message,
  };
}

/** The workers could not load the spec's module: `check` searches on one thread instead, and says so. */
export class WorkerLoadFailure extends Error {}

/**
 * Throws WorkerLoadFailure before the search starts when a worker cannot load the spec's module. `from`: a search
 * on one thread stopped at the start of a level (engine.ts: LevelHandover, for `workers: 'auto'`), which this one
 * goes on with from that level; its pool must be ready.
 */
export async function checkParallel<S, C>(
  spec: Spec<S, C>,
  rt: SpecRuntime<S, C>,
  options: CheckOptions,
  resolved: ResolvedOptions,
  seed: number,
  started: number,
  workers: number,
  from?: LevelHandover,
): Promise<CheckResult<S>> {
  // The module and export the workers load the spec from, named here or not at all (then: one thread, and why).
  const location = await resolveSpecLocation(spec);
  if ('reason' in location) throw new WorkerLoadFailure(location.reason);
  let pool = options.workerPool ?? null;
  if (pool !== null && pool.key !== poolKey(spec, rt, resolved, options, workers, location)) {
    await pool.terminate();
    pool = null;
  }
  const timeLimitMs = resolved.timeLimit === null ? Infinity : resolved.timeLimit * 1000;
  if (pool === null) {
    const made = newPool(spec, rt, resolved, options, workers, location, timeLimitMs - (performance.now() - started));
    if (made instanceof Broken) return stoppedBeforeStart(spec, rt, resolved, seed, started, workers, made);
    pool = made;
  }
  const ctl = new Int32Array(pool.ctl);
  const channels: Channel[] = pool.channels;
  const now = () => performance.now();
  const memoryLimit = options.memoryLimit ?? Infinity;
  // The tables get 60 % of the limit (one thread: 75 %): each worker has a heap and record buffers of its own.
  const tables = new SharedTables(workers, memoryLimit * 0.6);
  const budget = new MemoryBudget(memoryLimit, options.memoryProbe);
  tables.admit = (bytes, what) => budget.admit(bytes, what);
  let generated = 0;
  let frontier = 0;
  let bytes = 0;
  let peakBytes = 0;
  let depth = 0;
  let workerBytes: number[] = channels.map(() => 0);
  // Coverage summed over the workers' levels (level.ts: LevelExpander.cov).
  const nActions = rt.actions.length;
  const coverage = new CoverageCounters(rt.actions);
  let completed = false;
  /** At a violation: the distinct states the single-threaded engine has found when it stops (see countsAtStop). */
  let stopDistinct: number | null = null;

  const measure = (extra: number) => {
    bytes = tables.bytes + extra + workerBytes.reduce((n, b) => n + b, 0);
    peakBytes = Math.max(peakBytes, bytes);
    budget.measure();
  };

  /** Coverage and the warnings it implies, as the single-threaded engine reports them. */
  const coverageExtras = () => {
    const report = coverage.report();
    return { coverage: report, warnings: coverageWarnings(report, completed) };
  };

  // Reachability: the initial states are tested here, the others by the workers; per predicate, the earliest hit.
  const reachNames = resolved.reachable ?? [];
  const reach = reachNames.length ? new ReachTracker(spec.reachable.filter((r) => reachNames.includes(r.name)), rt.constants, spec.name) : null;
  const hits: ReachHit[] = [];
  const reachExtras = () =>
    reach === null ? {} : reachReport(reach.predicates.map((p) => p.name), hits.filter((h) => h !== undefined), options.witness, (h) => (h.parent < 0 ? traceTo(h.id) : traceTo(h.parent, h.label)), true);

  const base = () => {
    const seconds = (now() - started) / 1000;
    const distinct = stopDistinct ?? tables.ranked;
    const stats = searchStats({ distinct, generated, depth, seconds, queue: frontier, peakMemoryBytes: options.memoryProbe ? budget.peakBytes() : peakBytes, tableBytes: peakBytes, workers });
    return { ...resultBase(spec, rt.constants, resolved, stats, seed, rt.codec.mode), ...coverageExtras(), ...reachExtras() };
  };

  const inits = rt.initialStates();

  /** Replays the labels from the initial state to rank `rank` (plus one more step), checking every state on the way. */
  const traceTo = (rank: number, extra?: number): Trace<S> => {
    const entries: number[] = [];
    const arrays = tables.entryArrays;
    for (let e = arrays.entryAt(rank); ; e = arrays.entryAt(arrays.parent(e))) {
      entries.push(e);
      if (arrays.parent(e) < 0) break;
    }
    entries.reverse();
    const labels = entries.slice(1).map((e) => arrays.label(e));
    if (extra !== undefined) labels.push(extra);
    const init = inits[-1 - arrays.parent(entries[0]!)]!;
    return rt.replayLabels(init, labels, (step, hi, lo) => step >= entries.length || entryOf(tables.table, tables.mask, hi, lo) === entries[step]);
  };

  const violationResult = (v: LevelViolation, reached: number): CheckResult<S> => {
    const trace = traceTo(v.rank, v.label);
    if (v.step) {
      const last = trace.steps[trace.steps.length - 1]!;
      trace.steps.push({ action: rt.actions[v.step.action]!.name, params: v.step.param ?? null, state: last.state });
    }
    depth = Math.max(depth, reached);
    options.onEvent?.({ type: 'done', status: 'violation' });
    return { ...base(), status: 'violation', violation: { kind: v.kind, property: v.property, message: v.message }, trace, shortest: true };
  };

  const errorResult = (pe: LevelError): CheckResult<S> => {
    let path: string[] = [];
    let trace: Trace<S> | undefined;
    try {
      if (pe.rank >= 0) {
        trace = traceTo(pe.rank);
        path = trace.steps.slice(1).map((s) => formatStep(s.action, s.params));
      }
    } catch {
      /* the error itself is what matters */
    }
    const via = path.length ? `, after ${path.join(' → ')}` : pe.rank >= 0 ? ', in an initial state' : '';
    options.onEvent?.({ type: 'done', status: 'error' });
    return {
      ...base(),
      status: 'error',
      error: { code: pe.error.code as never, message: `${pe.error.message}${via}`, details: { ...pe.error.details, path } },
      ...(trace ? { trace } : {}),
    };
  };

  const incomplete = (reason: IncompleteReason, message: string): CheckResult<S> => {
    options.onEvent?.({ type: 'done', status: 'incomplete' });
    return { ...base(), status: 'incomplete', reason, message };
  };

  const memoryMessage = (message: string) => budget.message(message);

  // A stop request (SIGINT or SIGTERM through the signal, the time limit, the memory watch) sets CTL_STOP: the
  // workers look at it before every state and answer at the next state boundary. One whose expansion never returns
  // (or runs long) cannot answer: STOP_GRACE_MS after the request, `stuck` rejects and the workers are ended.
  let rejectStuck: (e: WorkersStuck) => void = () => {};
  const stuck = new Promise<never>((_, reject) => (rejectStuck = reject));
  stuck.catch(() => undefined);
  let grace: ReturnType<typeof setTimeout> | null = null;
  Atomics.store(ctl, CTL_STOP, 0);
  const abort = () => {
    Atomics.store(ctl, CTL_STOP, 1);
    grace ??= setTimeout(() => rejectStuck(new WorkersStuck()), STOP_GRACE_MS);
  };
  /** Waits for the workers, or throws WorkersStuck when they do not answer a stop request in time. */
  const answer = <T>(p: Promise<T>): Promise<T> => Promise.race([p, stuck]);

  /** Sends one message to every worker; a worker out of memory ends the search (thrown as CapacityError). */
  const all = async (msg: (w: number) => ToWorker): Promise<Reply[]> => {
    const replies = await answer(Promise.all(channels.map((c, w) => c.request(msg(w)))));
    const oom = replies.find((r) => r.type === 'memory');
    if (oom) throw new CapacityError(oom.message);
    return replies;
  };

  let onAbort: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let watch: ReturnType<typeof setInterval> | null = null;
  /** Why the watch below stopped the search for memory, or null. */
  let memoryStopped: string | null = null;
  /** Whether every worker has loaded the spec. */
  let loaded = false;
  /** The result of a search that a stop request ended (`note`: what was cut short, appended to the message). */
  const stopped = (note = ''): CheckResult<S> => {
    if (memoryStopped !== null) return incomplete('memory', `${memoryMessage(memoryStopped)}${note}`);
    if (options.signal?.aborted) return incomplete('interrupted', `interrupted: the search was stopped before it finished${note}`);
    return incomplete('timeLimit', `stopped after the time limit of ${resolved.timeLimit} s${note}`);
  };
  try {
    onAbort = abort;
    options.signal?.addEventListener('abort', abort);
    if (options.signal?.aborted) abort();
    if (Number.isFinite(timeLimitMs)) timer = setTimeout(abort, Math.max(0, timeLimitMs - (now() - started)));
    try {
      await answer(pool.ready);
      loaded = true;
    } catch (e) {
      if (e instanceof WorkersStuck) throw e;
      if (isInterleaveError(e) && e.code === 'SPEC_LOAD_FAILED' && e.details.worker === true) throw new WorkerLoadFailure(e.message);
      // Anything else before the first level (a worker thread that died while loading the user's module) also
      // leaves the search to one thread: nothing was searched yet.
      if (!isInterleaveError(e) || e.code === 'INTERNAL') throw new WorkerLoadFailure(`a search worker failed while loading the spec: ${describeThrown(e).split('\n')[0]}`);
      throw e;
    }
    // The first level: the initial states, built here, or the level a search on one thread stopped at. Its records
    // ([entry, parent rank, length, ...words]; only the length and words are read) stand for worker 0's.
    let first: WordBuffer;
    const offsets: number[] = [];
    let base0 = 0;
    if (from === undefined) {
      options.onEvent?.({ type: 'start', spec: spec.name, constants: { ...(rt.constants as Record<string, unknown>) }, codec: rt.codec.mode });
      first = new WordBuffer(1 << 10, true);
      for (let k = 0; k < inits.length; k++) {
        generated++;
        const len = rt.encode(inits[k]!);
        const id = tables.insertInitial(FP[0]!, FP[1]!, k);
        if (id < 0) continue;
        const bad = rt.failingInvariant(inits[k]!);
        if (bad) {
          options.onEvent?.({ type: 'done', status: 'violation' });
          return { ...base(), status: 'violation', violation: { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated in an initial state` }, trace: traceTo(id), shortest: true };
        }
        if (reach !== null) {
          reach.test(inits[k]!, id, -1, -1, 0);
          for (const h of reach.take()) hits[h.index] = h;
        }
        const p = first.len;
        const b = first.ensure(len + 3);
        b.fill(0, p, p + 2);
        b[p + 2] = len;
        b.set(rt.scratch.buf.subarray(0, len), p + 3);
        first.len = p + 3 + len;
        offsets.push(p);
      }
    } else {
      const ranked = from.base + from.size;
      if (ranked + from.foundCount !== from.seen.size) throw new InterleaveError('INTERNAL', `the search handed over ${from.size} + ${from.foundCount} states to expand, expected ${from.seen.size - from.base}`);
      tables.adopt(from.seen, ranked);
      generated = from.generated;
      depth = from.depth;
      peakBytes = from.peakBytes;
      for (let a = 0; a < nActions; a++) {
        coverage.enabled[a] = from.coverage.enabled[a]!;
        coverage.taken[a] = from.coverage.taken[a]!;
        coverage.fresh[a] = from.coverage.fresh[a]!;
      }
      // The workers count a state's new-state coverage when they rank it: the found states' are counted again then.
      for (let id = ranked; id < from.seen.size; id++) coverage.fresh[from.seen.label(id) % nActions]!--;
      for (const h of from.hits) hits[h.index] = h;
      first = new WordBuffer(Math.max(16, from.records.length), true);
      first.buf.set(from.records);
      first.len = from.records.length;
      for (let p = 0; p < first.len; p += 3 + from.records[p + 2]!) offsets.push(p);
      base0 = from.base;
    }
    const n0 = offsets.length;
    const order0 = sharedInts(n0, 'the frontier');
    order0.set(offsets);
    const empty = new SharedArrayBuffer(4);
    // The level's inputs; its first entry and whether it is at the depth limit are added when it is sent.
    let task: Omit<LevelTask, 'firstEntry' | 'atLimit'> = {
      base: base0,
      depth: from === undefined ? 0 : from.depth,
      curs: channels.map((_, w) => (w === 0 ? (first.buf.buffer as SharedArrayBuffer) : empty)),
      lens: channels.map((_, w) => (w === 0 ? first.len : 0)),
      orderWorker: sharedInts(n0, 'the frontier').buffer as SharedArrayBuffer,
      chunkCounts: empty,
      orderOffset: order0.buffer as SharedArrayBuffer,
      genAt: sharedInts(Math.max(1, n0), 'the frontier').buffer as SharedArrayBuffer,
      initial: n0,
      ...(from !== undefined && from.foundCount > 0 ? { found: foundRecords(from), foundCount: from.foundCount } : {}),
    };
    let orderBytes = n0 * 8 + first.buf.byteLength;
    // The order arrays are reused from level to level (the last level's are done with when the next is ranked).
    let orders: { orderWorker: SharedArrayBuffer; orderOffset: SharedArrayBuffer; genAt: SharedArrayBuffer } | null = null;
    const order = (records: number) => {
      if (orders === null || orders.orderWorker.byteLength < records * 4) {
        const len = Math.max(records, Math.ceil((orders?.orderWorker.byteLength ?? 0) / 4) * 1.5) | 0;
        orders = {
          orderWorker: sharedInts(len, 'the frontier').buffer as SharedArrayBuffer,
          orderOffset: sharedInts(len, 'the frontier').buffer as SharedArrayBuffer,
          genAt: sharedInts(len, 'the frontier').buffer as SharedArrayBuffer,
        };
      }
      return orders;
    };
    // The records kept per chunk of the last level (level.ts: rank), reused from level to level.
    let counts = new SharedArrayBuffer(4);
    const chunkCounts = (words: number): SharedArrayBuffer => {
      if (counts.byteLength < words * 4) counts = sharedInts(Math.max(words, Math.ceil((counts.byteLength / 4) * 1.5)), 'the frontier').buffer as SharedArrayBuffer;
      return counts;
    };
    frontier = n0;
    measure(orderBytes);

    const interval = options.progressInterval ?? 2000;
    let lastProgress = now();
    // The process's size is watched during a level too (a level can be large): near the limit the workers stop.
    if (Number.isFinite(memoryLimit)) {
      watch = setInterval(() => {
        // Before the next look, a worker's record buffer may double: keep room for the largest one doing so
        // (each worker has two, half of its bytes each).
        const why = budget.check(Math.max(0, ...workerBytes) / 2);
        if (why !== null) {
          memoryStopped = why;
          abort();
        }
      }, 50);
    }

    for (;;) {
      // One message per level: the workers rank the last level's new states, wait for each other, expand.
      const atLimit = resolved.maxDepth !== null && task.depth >= resolved.maxDepth;
      if (task.initial !== undefined) ctl[CTL_ENTRIES] = tables.entries;
      ctl[CTL_CHUNK] = 0;
      ctl[CTL_PAUSE] = 0;
      ctl[CTL_VIOLATION_RANK] = INT32_MAX;
      ctl[CTL_DEADLOCK_RANK] = INT32_MAX;
      ctl[CTL_BARRIER] = 0;
      const sent: LevelTask = { ...task, atLimit, firstEntry: Atomics.load(ctl, CTL_ENTRIES), ...(reach !== null ? { closed: Object.keys(hits).map(Number) } : {}) };
      const levelTables = tables.message();
      let replies = await all(() => ({ type: 'level', task: sent, tables: levelTables }));
      while (replies.some((r) => r.status === 'paused') && !replies.some((r) => r.status === 'aborted')) {
        // Every worker has stopped at a state boundary: grow the tables, then go on. The workers copy the
        // table into the larger one, a part each (shared-table.ts: rehashPart); this thread adds the few entries
        // whose probe crossed from one part's region into another's.
        const cap = tables.growEntries(Atomics.load(ctl, CTL_ENTRIES));
        if (cap !== tables.mask + 1) {
          budget.admit(cap * 12, 'the seen-set');
          const grown = sharedInts(cap * 3, 'the seen-set');
          const old = tables.table.buffer as SharedArrayBuffer;
          const parts = await all((w) => ({ type: 'rehash', old, table: grown.buffer as SharedArrayBuffer, part: w, parts: workers }));
          for (const r of parts) insertSlots(r.deferred as Int32Array, grown);
          tables.table = grown;
        }
        measure(orderBytes);
        ctl[CTL_PAUSE] = 0;
        const grownTables = tables.message();
        replies = await all(() => ({ type: 'resume', tables: grownTables }));
      }
      workerBytes = replies.map((r) => r.bytes);
      const generatedBefore = generated;
      generated += replies.reduce((s, r) => s + r.generated, 0);
      for (const r of replies) {
        const c = r.coverage as Float64Array;
        for (let a = 0; a < nActions; a++) {
          coverage.enabled[a]! += c[a]!;
          coverage.taken[a]! += c[nActions + a]!;
          coverage.fresh[a]! += c[2 * nActions + a]!;
        }
      }
      if (replies.some((r) => r.status === 'aborted')) break;
      for (const r of replies) for (const h of (r.reached as ReachHit[] | undefined) ?? []) if (earlierHit(hits[h.index], h)) hits[h.index] = h;
      // The level's states have their ranks now.
      tables.ranked = task.base + replies[0]!.n;
      depth = task.depth;
      frontier = replies[0]!.n;
      const outcome = levelOutcome(replies as unknown as ExpandReply[], resolved.deadlock, task.depth);
      if (outcome !== null && 'error' in outcome) return errorResult(outcome.error);
      if (outcome !== null) {
        const v = outcome.violation;
        // The counts where one thread stops: at the first violation (or deadlock) in breadth-first order, whatever
        // the workers expanded past it meanwhile.
        const cut = Math.min(Atomics.load(ctl, CTL_VIOLATION_RANK), Atomics.load(ctl, CTL_DEADLOCK_RANK), v.rank);
        const genAt = new Int32Array(sent.genAt);
        generated = generatedBefore;
        for (let i = 0; i <= cut - task.base; i++) generated += genAt[i]!;
        let found = 0;
        for (const r of replies) {
          const b = new Int32Array(r.buf as SharedArrayBuffer, 0, r.len as number);
          // Records [entry, parentRank, length, ...words]: a state counts once, by its first discovery.
          for (let p = 0; p < b.length; p += 3 + b[p + 2]!) if (b[p + 1]! <= cut && tables.entryArrays.parent(b[p]!) === b[p + 1]) found++;
        }
        stopDistinct = tables.ranked + found;
        return violationResult(v, outcome.depth);
      }
      if (atLimit) {
        if (replies.some((r) => r.beyondLimit)) return incomplete('maxDepth', `stopped at depth ${resolved.maxDepth}: states beyond it were not explored`);
        break;
      }
      const records = replies.reduce((s, r) => s + r.records, 0);
      if (records === 0) break; // no new state: the search is complete
      if (tables.ranked + records > MAX_STATES) throw new CapacityError(`more than ${formatCount(MAX_STATES)} states`);
      // (The next level's ranks fit: there is an entry for each.)
      // Room in the entry arrays for the states the next level will probably find (its states times the new states
      // per state of this level), so that the workers seldom stop mid-level to grow them. Only a guess: past it they
      // ask for room as before, and near the memory limit it is not made at all. (With "and a half more" the arrays
      // ended at 2.2 entries per state on gossip, 64 bytes/state with 2 workers against 57-58 now, and no level of
      // gossip, Peterson n=6 or n=7 or two-phase commit with 7 RMs stopped for them either way.)
      if (!options.memoryProbe || !Number.isFinite(memoryLimit) || budget.measure() < memoryLimit * 0.8) {
        try {
          tables.reserveEntries(Atomics.load(ctl, CTL_ENTRIES) + Math.ceil((records * records) / Math.max(1, frontier)), true);
        } catch (e) {
          if (!(e instanceof CapacityError)) throw e;
        }
      }
      task = {
        base: tables.ranked,
        depth: task.depth + 1,
        curs: replies.map((r) => r.buf as SharedArrayBuffer),
        lens: replies.map((r) => r.len as number),
        chunkCounts: chunkCounts(chunksOf(frontier, workers) + 1),
        ...order(records),
        };
      orderBytes = task.orderWorker.byteLength * 2;
      measure(orderBytes);
      if (resolved.maxStates !== null && tables.ranked > resolved.maxStates) {
        return incomplete('maxStates', `stopped after ${tables.ranked} distinct states (the state limit was ${resolved.maxStates})`);
      }
      if (bytes > memoryLimit) return incomplete('memory', memoryMessage('the search tables reached it'));
      const why = budget.check();
      if (why !== null) return incomplete('memory', memoryMessage(why));
      const t = now();
      if (options.onEvent && t - lastProgress >= interval) {
        lastProgress = t;
        const secs = (t - started) / 1000;
        options.onEvent({ type: 'progress', distinct: tables.ranked, generated, queue: frontier, depth, seconds: secs, statesPerSecond: Math.round(tables.ranked / secs) });
      }
    }
    if (Atomics.load(ctl, CTL_STOP) !== 0) return stopped();
    frontier = 0;
    completed = true;
    options.onEvent?.({ type: 'done', status: 'ok' });
    return { ...base(), status: 'ok' };
  } catch (e) {
    if (e instanceof WorkersStuck) {
      const what = loaded ? 'in the middle of an expansion' : 'loading the spec';
      return stopped(` (a search worker was still ${what} ${STOP_GRACE_MS / 1000} s after the request, and was ended; the counts are those of the levels finished)`);
    }
    if (e instanceof WorkerLoadFailure) throw e;
    if (e instanceof CapacityError) return incomplete('memory', memoryMessage(e.message));
    const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `parallel search failed: ${describeThrown(e)}`);
    options.onEvent?.({ type: 'done', status: 'error' });
    return { ...base(), status: 'error', error: { code: err.code, message: err.message, details: err.details } };
  } finally {
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
    if (grace) clearTimeout(grace);
    if (watch) clearInterval(watch);
    await pool.terminate();
  }
}
