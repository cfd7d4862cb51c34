import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import { primeBuffers } from '../state/index.ts';
import { searchIdentity, searchKey, validateSnapshot, type SearchIdentity, type SearchSnapshot } from '../persistence/index.ts';
import { SpecRuntime, formatStep } from '../spec/index.ts';
import { CapacityError, FP, SeenSet, fingerprint } from '../state/index.ts';
import { Expander, KNOWN, META, STOP, STOPPED, type SuccessorTable } from './expand.ts';
import { QueueFrontier, frontierFor, restoreFrontier, type Frontier } from './frontier.ts';
import { SymmetryAudit, SymmetryReducer } from '../reductions/index.ts';
import { CoverageCounters, coverageWarnings } from '../properties/index.ts';
import { LivenessRun, describeLasso, ReachTracker, type ReachHit } from '../properties/index.ts';
import { reachReport, temporalReport, type VacuousInstance } from './reachability.ts';
import type { ExplorationObserver } from '../properties/index.ts';
import type { CheckOptions, CheckResult, IncompleteReason, ResolvedOptions, Trace, Violation } from '../types.ts';
import { MemoryBudget } from './memory-budget.ts';
import { Broken, breaksOnSigint, runBreakable } from './breakable.ts';
import { resultBase, searchStats } from './result-base.ts';

/**
 * Where the successors go on one thread (expand.ts: SuccessorTable): the local seen-set, which numbers new states
 * in discovery order, and the frontier. It also feeds the observers (the liveness state graph, a caller's), counts
 * new states per action (coverage) and symmetry class sizes, and stops at the state limit.
 */
class LocalTable<S> implements SuccessorTable {
  /** The id of the last new state. */
  last = -1;
  /** With symmetry: the states the new representatives stand for (the sum of their class sizes). */
  orbitStates = 0;
  private readonly seen: SeenSet;
  private readonly frontier: Frontier;
  private readonly fresh: Float64Array;
  private readonly observer: ExplorationObserver<S> | null;
  private readonly reducing: boolean;
  private readonly maxStates: number;
  private readonly nActions: number;
  constructor(
    search: Search<S, any>,
    private readonly x: Expander<S, any>,
  ) {
    this.seen = search.seen;
    this.frontier = search.frontier;
    this.fresh = search.coverage.fresh;
    this.observer = search.observer;
    this.reducing = search.sym !== null;
    this.maxStates = search.maxStates;
    this.nActions = x.rt.actions.length;
  }
  touch(hi: number, lo: number): number {
    return this.seen.peek(hi, lo);
  }
  has(hi: number, lo: number): boolean {
    return this.seen.find(hi, lo) >= 0;
  }
  insert(hi: number, lo: number, parent: number, label: number, k: number): number {
    const x = this.x;
    const nid = this.seen.insert(hi, lo, parent, label);
    const obs = this.observer;
    const a = x.meta[k * META + 3]!;
    if (obs !== null) obs.edge(parent, nid >= 0 ? nid : -1 - nid, a, (label - a) / this.nActions, x.params[k]);
    if (nid < 0) return KNOWN;
    this.fresh[a]!++;
    if (this.reducing) this.orbitStates += x.orbits[k]!;
    if (obs !== null) obs.state(nid, x.nexts[k] as S, false);
    this.last = nid;
    if (nid >= this.maxStates) return STOP;
    return nid;
  }
  keep(id: number, depth: number, k: number): void {
    const meta = this.x.meta;
    const m = k * META;
    this.frontier.push(id, depth, this.x.out.buf, meta[m + 5]!, meta[m + 4]!);
  }
}

/** The stop of a batch that SIGINT or the time limit ended in the middle of an expansion (no checkpoint is saved: the state being expanded is half done). */
function brokenStop(b: Broken, timeLimit: number | null): Stop {
  return b.reason === 'interrupted'
    ? new Stop('incomplete', undefined, undefined, undefined, 'interrupted', 'interrupted: the search was stopped in the middle of an expansion')
    : new Stop('incomplete', undefined, undefined, undefined, 'timeLimit', `stopped after the time limit of ${timeLimit} s, in the middle of an expansion`);
}

/** Milliseconds a batch of expansions should take at most (see explore); the event loop runs every ~50 ms. */
const BATCH_MS = 20;

/** Milliseconds between two looks at the event loop (signals, progress, checkpoints) when no slice is breakable. */
const YIELD_MS = 50;

/**
 * Milliseconds of expansions in one breakable call (breakable.ts; explore). Node starts and stops a watchdog around
 * each call, and a SIGINT that arrives in that instant can be lost: fewer calls make it rarer. SIGTERM and the
 * progress line are looked at between calls.
 */
const SLICE_MS = 250;

/** Milliseconds past the time limit after which an expansion still running is ended in the middle. */
const LATE_MS = 500;

/**
 * Lets the event loop run, polling for I/O and signals: Node reads the signals received so far in the loop's poll
 * phase, and a SIGINT still unread when the next breakable call starts is lost (that call closes and reopens
 * Node's SIGINT handle: breakable.ts). A setTimeout(0) can fire before the poll (when the batch took longer than
 * a millisecond), and so can the first setImmediate while the loop has not started (the CLI runs from the main
 * module's top-level await); the second setImmediate always runs after a poll.
 */
async function yieldToLoop(): Promise<void> {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
}

function now(): number {
  return performance.now();
}


class Stop {
  constructor(
    readonly result: 'violation' | 'incomplete' | 'handover',
    readonly violation?: Violation,
    readonly stateId?: number,
    readonly extra?: { action: number; paramIndex: number; param: unknown },
    readonly reason?: IncompleteReason,
    readonly message?: string,
  ) {}
}

/** `Search.runUntil`: the level boundary where the search goes on on worker threads. */
const HANDOVER = new Stop('handover');

/**
 * Where a breadth-first search on one thread stopped to go on on worker threads (`workers: 'auto'`; auto.ts),
 * between two expansions: the states of depth `depth` not expanded yet (ids `base ..`), and the states of the next
 * depth found so far (`found`). Ids are breadth-first ranks.
 */
export interface LevelHandover {
  /** Every state found. */
  readonly seen: SeenSet;
  /** The level's states not expanded yet, as records `[id, depth, length, ...words]` in id order (at least one). */
  readonly records: Int32Array;
  /** Their number, and the id of the first. */
  readonly size: number;
  readonly base: number;
  /** The records of the next level's states found so far (ids `base + size ..`), in id order. */
  readonly found: Int32Array;
  readonly foundCount: number;
  /** The level's depth. */
  readonly depth: number;
  readonly generated: number;
  readonly coverage: CoverageCounters;
  /** The `reachable` predicates reached so far (their earliest hits). */
  readonly hits: readonly ReachHit[];
  readonly peakBytes: number;
}

/**
 * Breadth- or depth-first search on one thread: pops the frontier, expands through the core (expand.ts) into the
 * LocalTable, and turns the first violation (in breadth-first order: a deadlock of the level beats a violation one
 * step deeper) into a result with its counterexample. Returns values; never prints, never exits.
 */
export class Search<S, C> {
  // Small at first, so that the table grows for the first time within the first states, before V8 optimises the
  // search loop (docs/performance.md, warm-up).
  readonly seen = new SeenSet(1 << 10);
  readonly inits: S[] = [];
  readonly frontier: Frontier;
  readonly coverage: CoverageCounters;
  readonly sym: SymmetryReducer<S, C> | null = null;
  /** Checks the declared symmetry on the states the mutation check samples (every state with --strict). */
  readonly audit: SymmetryAudit<S, C> | null = null;
  readonly liveness: LivenessRun<S, C> | null = null;
  readonly observer: ExplorationObserver<S> | null;
  readonly warnings: string[] = [];
  /** The expansion core (expand.ts), and where it sends successors. */
  readonly x: Expander<S, C>;
  readonly table: LocalTable<S>;
  /** The state limit (Infinity: none). */
  readonly maxStates: number;
  /** With symmetry: the states the initial representatives stand for (the successors' are in `table`). */
  orbitStates = 0;
  vacuous: string[] = [];
  /** The temporal properties' vacuous instances, once liveness was checked (null: it was not). */
  vacuousInstances: VacuousInstance[] | null = null;
  /** The `reachable` predicates checked (properties/reachability.ts), or null when none is. */
  readonly reach: ReachTracker<S, C> | null = null;
  /** Initial states generated (and, after a resume, the successors counted before the checkpoint). */
  initialGenerated = 0;
  /** Every state generated: the initial ones and the successors (counted by the core). */
  get generated(): number {
    return this.initialGenerated + this.x.generated;
  }
  depth = 0;
  peakBytes = 0;
  /** The memory limit: tables grow only if the process stays under it; looked at between batches. */
  readonly budget: MemoryBudget;
  lastYield = 0;
  lastProgress = 0;
  lastCheckpoint = 0;

  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly options: ResolvedOptions,
    readonly raw: CheckOptions,
    public started: number,
    readonly seed: number,
  ) {
    this.frontier = frontierFor(options.strategy === 'dfs' ? 'dfs' : 'bfs');
    this.budget = new MemoryBudget(raw.memoryLimit ?? Infinity, raw.memoryProbe);
    primeBuffers();
    this.coverage = new CoverageCounters(rt.actions);
    if (options.symmetry) {
      if (rt.spec.symmetry) {
        this.sym = new SymmetryReducer(rt.spec.symmetry, rt.codec, rt.constants);
        this.audit = new SymmetryAudit(rt, this.sym);
      }
      else this.warnings.push(`spec '${rt.spec.name}' declares no symmetry: --symmetry has no effect`);
    }
    if (options.properties.length) {
      // Validates the names even when the properties are then skipped.
      const live = new LivenessRun(rt.spec, rt.actions, rt.constants, options.properties);
      if (this.sym) {
        // Fairness is per process, and the quotient graph forgets which process is which: checking liveness on
        // it can miss violations (TLC's warning) or report unfair lassos. So we do not check it (docs/symmetry.md).
        this.warnings.push(
          `temporal properties (${options.properties.join(', ')}) were not checked: symmetry reduction does not preserve per-process fairness, so liveness on the reduced graph is unsound; run without --symmetry to check them`,
        );
        options.properties = [];
      } else {
        this.liveness = live;
      }
    }
    this.maxStates = options.maxStates ?? Infinity;
    const reachable = options.reachable ?? [];
    if (reachable.length) this.reach = new ReachTracker(rt.spec.reachable.filter((r) => reachable.includes(r.name)), rt.constants, rt.spec.name);
    this.x = new Expander(rt, { sym: this.sym, symAudit: this.audit, enabled: this.coverage.enabled, taken: this.coverage.taken, reach: this.reach });
    const graph = this.liveness?.graph ?? null;
    const extra = raw.observer ?? null;
    this.observer =
      graph && extra
        ? { state: (id, st, init) => (graph.state(id, st, init), extra.state(id, st, init)), edge: (f, t, a, pi, p) => (graph.edge(f, t, a, pi, p), extra.edge(f, t, a, pi, p)) }
        : (graph ?? extra);
    this.table = new LocalTable(this, this.x);
  }

  /** Encodes a state's key (its symmetry representative, if reducing) into the scratch buffer; fingerprint in FP. */
  encodeKey(state: S): number {
    if (this.sym === null) return this.rt.encode(state);
    const len = this.sym.encode(state, this.rt.scratch);
    fingerprint(this.rt.scratch.buf, 0, len);
    return len;
  }

  /** Results' extra fields: coverage, warnings, symmetry. */
  completed = false;

  extras() {
    const coverage = this.coverage.report(this.vacuous);
    const warnings = [...this.warnings, ...coverageWarnings(coverage, this.completed)];
    const symmetry = this.sym
      ? { permutations: this.sym.order, representatives: this.seen.size, states: this.orbitStates + this.table.orbitStates, reductionFactor: this.seen.size ? (this.orbitStates + this.table.orbitStates) / this.seen.size : 1 }
      : undefined;
    const reach = this.reach === null ? {} : reachReport(this.reach.predicates.map((p) => p.name), this.reach.hits, this.raw.witness, (h) => this.traceTo(h.id), this.options.strategy === 'bfs');
    const temporal = this.vacuousInstances === null ? {} : { temporal: temporalReport(this.options.properties, this.vacuousInstances) };
    return { coverage, warnings, ...(symmetry ? { symmetry } : {}), ...reach, ...temporal };
  }

  base() {
    const seconds = (now() - this.started) / 1000;
    const distinct = this.seen.size;
    const structBytes = this.seen.bytes + this.frontier.bytes;
    this.peakBytes = Math.max(this.peakBytes, structBytes);
    const stats = searchStats({
      distinct,
      generated: this.generated,
      depth: this.depth,
      seconds,
      queue: this.queueSize(),
      peakMemoryBytes: this.raw.memoryProbe ? this.budget.peakBytes() : this.peakBytes,
      tableBytes: this.peakBytes,
      workers: 1,
    });
    return { ...resultBase(this.rt.spec, this.rt.constants, this.options, stats, this.seed, this.rt.codec.mode), ...this.extras() };
  }

  queueSize(): number {
    return this.frontier.size();
  }

  /**
   * Path of steps to a state id (for error messages) when the trace cannot be rebuilt (`safePath`): a parameter
   * cannot be recomputed then, so a step shows its index in the action's parameter list, `deliver(parameter #2)`.
   */
  pathNames(id: number): string[] {
    const ids = this.seen.pathTo(id);
    const n = this.rt.actions.length;
    return ids.slice(1).map((x) => {
      const label = this.seen.label(x);
      const action = this.rt.actions[label % n]!;
      return action.params === null ? action.name : `${action.name}(parameter #${Math.floor(label / n)})`;
    });
  }

  /** Rebuilds the trace to `id` by replay, verifying each step's fingerprint against the seen-set. */
  traceTo(id: number): Trace<S> {
    const ids = this.seen.pathTo(id);
    const init = this.inits[-1 - this.seen.parent(ids[0]!)]!;
    const labels = ids.slice(1).map((x) => this.seen.label(x));
    if (this.sym) return this.traceAlong(ids, labels);
    return this.rt.replayLabels(init, labels, (step, hi, lo) => this.seen.find(hi, lo) === ids[step]);
  }

  fail(e: unknown): CheckResult<S> {
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer|out of memory/i.test(e.message)) {
      this.emitDone('incomplete');
      return { ...this.base(), status: 'incomplete', reason: 'memory', message: `stopped: out of memory for the search tables (${e.message})` };
    }
    const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `internal error: ${describeThrown(e)}`, {}, { cause: e });
    this.emitDone('error');
    return { ...this.base(), status: 'error', error: { code: err.code, message: err.message, details: err.details } };
  }

  outOfMemory(e: CapacityError): CheckResult<S> {
    this.emitDone('incomplete');
    return { ...this.base(), status: 'incomplete', reason: 'memory', message: this.budget.message(e.message) };
  }

  emitDone(status: CheckResult['status']): void {
    this.raw.onEvent?.({ type: 'done', status });
  }

  push(id: number, depth: number, len: number): void {
    this.frontier.push(id, depth, this.rt.scratch.buf, len);
  }

  /** The id of a state's key in the seen-set (-1 if unseen). */
  idOf(state: S): number {
    this.encodeKey(state);
    return this.seen.find(FP[0]!, FP[1]!);
  }

  /** One genuine step from `cur` to a state whose key has id `target`: the hinted label first, then a search. */
  stepTo(cur: S, target: number, hint: number): { next: S; action: number; param: unknown } {
    const rt = this.rt;
    const n = rt.actions.length;
    const attempt = (a: number, pi: number) => {
      const action = rt.actions[a]!;
      const dom = rt.domain(action, cur);
      if (pi >= dom.length) return null;
      const param = action.params === null ? null : dom[pi];
      if (!rt.enabled(action, cur, param)) return null;
      if (rt.hasUrgent && rt.preemptedBy(action, cur) !== null) return null;
      const next = rt.canonical(rt.step(action, cur, param));
      return this.idOf(next) === target ? { next, action: a, param } : null;
    };
    const hinted = hint >= 0 ? attempt(hint % n, Math.floor(hint / n)) : null;
    if (hinted) return hinted;
    for (let a = 0; a < n; a++) {
      const size = rt.domain(rt.actions[a]!, cur).length;
      for (let pi = 0; pi < size; pi++) {
        const r = attempt(a, pi);
        if (r) return r;
      }
    }
    throw new InterleaveError(
      'SPEC_NONDETERMINISTIC',
      `spec '${rt.spec.name}' is not deterministic: no step reproduces a transition recorded during the search. Usual causes: Math.random or Date in an action, iterating a Map/Set in changing order, mutating the input state, or (with --symmetry) a symmetry.apply that does not commute with the actions.`,
      { spec: rt.spec.name },
    );
  }

  /**
   * Rebuilds a genuine behaviour along recorded state ids (keys: with symmetry, representatives), choosing at
   * each step an enabled action whose successor has the recorded key. For a lasso under symmetry the cycle is
   * repeated until the concrete state closes (the permutation it induces has finite order).
   */
  traceAlong(ids: readonly number[], labels: readonly number[], loop?: number): Trace<S> {
    const rt = this.rt;
    let cur: S = this.inits[-1 - this.seen.parent(ids[0]!)]!;
    const steps: Trace<S>['steps'] = [{ action: 'init', params: null, state: cur }];
    const walk = (from: number) => {
      for (let j = from; j < ids.length; j++) {
        const r = this.stepTo(cur, ids[j]!, labels[j - 1] ?? -1);
        const action = rt.actions[r.action]!;
        steps.push({ action: action.name, params: action.params === null ? null : (r.param ?? null), state: r.next });
        cur = r.next;
      }
    };
    walk(1);
    if (loop === undefined) return { steps };
    if (this.sym && loop < ids.length - 1) {
      const key = (s: S) => {
        const len = rt.encode(s);
        return Array.from(rt.scratch.buf.subarray(0, len)).join(',');
      };
      const start = key(steps[loop]!.state);
      for (let k = 0; k < this.sym.order && key(cur) !== start; k++) walk(loop + 1);
    }
    return { steps, loop };
  }

  checkLiveness(): CheckResult<S> | null {
    const live = this.liveness!;
    const res = live.run();
    this.vacuous = res.vacuous;
    if (!res.violated) this.vacuousInstances = res.vacuousInstances;
    if (!res.violated) return null;
    const { instance, verdict } = res.violated;
    const labels = verdict.edges.map((e) => live.graph.label[e]!);
    const trace = this.traceAlong(verdict.ids, labels, verdict.loop);
    this.rt.verifyTrace(trace);
    const message = describeLasso(instance, verdict.loop, trace.steps.length - 1, verdict.groups);
    // A stable(p) counterexample is a shortest path to its bad step: shortest outright. A lasso is not (shortest
    // stem, then shortest loop; docs/liveness.md "Shortest lassos").
    const length = trace.steps.length - 1;
    const lasso = { stem: verdict.loop, loop: length - verdict.loop, loopShortest: verdict.loopShortest };
    return { ...this.base(), status: 'violation', violation: { kind: 'property', property: instance.property, message }, trace, shortest: instance.kind === 'stable', lasso };
  }

  async run(): Promise<CheckResult<S>> {
    return (await this.runUntil(null)) as CheckResult<S>;
  }

  /**
   * `run`, except that once `handOver(depth, expanded)` says so (it is asked before each batch of states, with the
   * depth of the next state and the number of states expanded), a breadth-first search stops there and returns
   * where it stands (a LevelHandover). Not while a violation found in the level waits for the level's end.
   * `exact` (tests): asked before every state.
   */
  async runUntil(handOver: ((depth: number, expanded: number) => boolean) | null, exact = false): Promise<CheckResult<S> | LevelHandover> {
    const rt = this.rt;
    this.exact = exact;
    this.raw.onEvent?.({ type: 'start', spec: rt.spec.name, constants: { ...(rt.constants as Record<string, unknown>) }, codec: rt.codec.mode });
    this.handOver = this.frontier instanceof QueueFrontier && this.raw.observer === undefined && !this.raw.resume ? handOver : null;
    // The workers' shared table takes over the seen-set's memory (parallel.ts: SharedTables.adopt).
    if (this.handOver !== null) this.seen.shared = true;
    const stop = await this.explore();
    if (stop === HANDOVER) return this.handover();
    this.completed = stop === null;
    if (stop === null && this.liveness && this.raw.resume) {
      // The state graph of the part explored before the checkpoint is not in the snapshot.
      this.warnings.push('temporal properties were not checked: a resumed search has no state graph of the part explored before the checkpoint');
      this.emitDone('incomplete');
      return { ...this.base(), status: 'incomplete', reason: 'resumed', message: 'every invariant holds, but temporal properties cannot be checked on a resumed search (check them in one run, or select invariants with --property)' };
    }
    if (stop === null) {
      const lasso = this.liveness ? this.checkLiveness() : null;
      if (lasso) {
        this.emitDone('violation');
        return lasso;
      }
      this.emitDone('ok');
      return { ...this.base(), status: 'ok' };
    }
    if (stop.result === 'incomplete') {
      if (this.liveness) this.warnings.push('temporal properties were not checked: liveness needs the complete state graph, and the search was incomplete');
      this.emitDone('incomplete');
      return { ...this.base(), status: 'incomplete', reason: stop.reason!, message: stop.message! };
    }
    // Rebuilding the counterexample runs the spec's actions again (depth times): SIGINT can stop it (breakable.ts).
    await yieldToLoop();
    const trace = runBreakable(() => {
      const t = this.traceTo(stop.stateId!);
      this.rt.verifyTrace(t);
      return t;
    });
    if (trace instanceof Broken) {
      this.emitDone('incomplete');
      const v = stop.violation!;
      return { ...this.base(), status: 'incomplete', reason: 'interrupted', message: `interrupted while rebuilding the counterexample of a violation: ${v.message}; run again to see the trace`, violation: v };
    }
    if (stop.extra) {
      const last = trace.steps[trace.steps.length - 1]!;
      trace.steps.push({ action: rt.actions[stop.extra.action]!.name, params: stop.extra.param ?? null, state: last.state });
    }
    this.emitDone('violation');
    return { ...this.base(), status: 'violation', violation: stop.violation!, trace, shortest: this.options.strategy === 'bfs' };
  }

  /** Returns null when the whole reachable state space was explored without a violation. */
  async explore(): Promise<Stop | null> {
    const rt = this.rt;
    const seen = this.seen;
    const timeLimitMs = this.options.timeLimit === null ? Infinity : this.options.timeLimit * 1000;
    const memoryLimit = this.raw.memoryLimit ?? Infinity;
    // Leave room for the frontier (at least a quarter of the limit) when the seen-set grows.
    seen.maxBytes = memoryLimit * 0.75;
    const memory = this.budget;
    seen.admit = (bytes, what) => memory.admit(bytes, what);
    this.frontier.admit = seen.admit;
    if (this.liveness) this.liveness.graph.admit = seen.admit;
    const interval = this.raw.progressInterval ?? 2000;
    const sym = this.sym;
    const obs = this.observer;

    // Initial states (or the search saved in a snapshot).
    const inits = rt.initialStates();
    if (this.raw.resume) this.restore(this.raw.resume, inits);
    else for (let k = 0; k < inits.length; k++) {
      const s = inits[k]!;
      this.initialGenerated++;
      const len = this.encodeKey(s);
      const id = seen.insert(FP[0]!, FP[1]!, -1 - k, -1);
      this.inits.push(s);
      if (id < 0) continue;
      if (sym !== null) this.orbitStates += sym.orbitSize();
      if (obs !== null) obs.state(id, s, true);
      const bad = rt.failingInvariant(s);
      if (bad) return new Stop('violation', { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated in an initial state` }, id);
      this.reach?.test(s, id, -1, -1, 0);
      this.push(id, 0, len);
    }

    if (this.raw.signal?.aborted) return new Stop('incomplete', undefined, undefined, undefined, 'interrupted', 'interrupted before the search started');
    this.lastYield = now();
    this.lastProgress = this.lastYield;
    this.lastCheckpoint = this.lastYield;
    // The hot loop (expandSome) runs up to 512 states at a time; limits are looked at after each batch (slice);
    // progress, yielding to the event loop and checkpoints between slices, here. Kept apart so that their code,
    // which runs for the first time after V8 has optimised the loop, cannot throw the optimised loop away
    // (docs/performance.md, warm-up).
    // When SIGINT or the time limit can break a run of the spec's code (breakable.ts: while the CLI's handlers are
    // installed, or with a time limit), every slice is one breakable call: an expansion that never returns, even
    // after a run of fast states, is then ended where it is. A call costs about 0.2 ms, so a slice lasts SLICE_MS
    // (under 0.1 %); otherwise a slice lasts YIELD_MS, which is how often the event loop runs.
    const breakable = Number.isFinite(timeLimitMs) || breaksOnSigint();
    if (breakable) await yieldToLoop();
    for (;;) {
      const end = now() + (breakable ? SLICE_MS : YIELD_MS);
      let stop: Stop | null | undefined;
      if (breakable) {
        // V8 ends the call LATE_MS after the time limit: the slice itself stops at the limit between two expansions
        // (and a checkpoint is saved), unless one expansion runs past it.
        const run = runBreakable(() => this.slice(end, timeLimitMs, memoryLimit), timeLimitMs + LATE_MS - (now() - this.started));
        if (run instanceof Broken) return brokenStop(run, this.options.timeLimit);
        stop = run;
      } else {
        stop = this.slice(end, timeLimitMs, memoryLimit);
      }
      if (stop === null) return this.pending;
      if (stop === HANDOVER) return stop;
      if (stop !== undefined) {
        // Stopped between two expansions by a limit: the search can be resumed from here.
        if (stop.reason === 'timeLimit' || stop.reason === 'memory') await this.saveCheckpoint();
        return stop;
      }
      const t = now();
      if (t - this.lastProgress >= interval && this.raw.onEvent) {
        this.lastProgress = t;
        const secs = (t - this.started) / 1000;
        this.raw.onEvent({ type: 'progress', distinct: seen.size, generated: this.generated, queue: this.queueSize(), depth: this.depth, seconds: secs, statesPerSecond: Math.round(seen.size / secs) });
      }
      // Before a breakable call the event loop must have polled (yieldToLoop): that call closes Node's SIGINT handle.
      await yieldToLoop();
      this.lastYield = now();
      if (this.raw.checkpoint && this.lastYield - this.lastCheckpoint >= this.raw.checkpoint.everySeconds * 1000) await this.saveCheckpoint();
      if (this.raw.signal?.aborted) {
        await this.saveCheckpoint();
        return new Stop('incomplete', undefined, undefined, undefined, 'interrupted', 'interrupted: the search was stopped before it finished');
      }
    }
  }

  /** States expanded per batch: adapts to the time states take (see slice). */
  private batch = 1;
  /** Asked between slices, with the depth of the level being expanded, whether to hand the search over to workers (runUntil), or null. */
  private handOver: ((depth: number, expanded: number) => boolean) | null = null;
  /** Whether batches are of one state while a handover may come (runUntil's `exact`). */
  private exact = false;
  /** When the process's size was last looked at. */
  private lastMemoryLook = 0;

  /**
   * Expands batches of states until `end` (a time), the end of the search (null: `pending` holds its verdict) or a
   * stop. After each batch it looks at the time limit and the memory. The batch adapts to the time states take
   * (docs/robustness.md): it halves when a batch takes more than BATCH_MS and doubles back when it takes less than a
   * quarter of that, so that with slow actions (50 ms per state) limits are still looked at every BATCH_MS or one
   * state, whichever is longer.
   */
  private slice(end: number, timeLimitMs: number, memoryLimit: number): Stop | null | undefined {
    const seen = this.seen;
    const frontier = this.frontier;
    const memory = this.budget;
    for (;;) {
      const t0 = now();
      let n = this.batch;
      if (this.handOver !== null && this.pending === null) {
        const depth = (this.frontier as QueueFrontier).headDepth();
        if (depth >= 0 && this.handOver(depth, this.x.expanded)) return HANDOVER;
        if (this.exact) n = 1;
      }
      const stop = this.expandSome(n);
      if (stop !== undefined) return stop;
      const t = now();
      if (t - t0 > BATCH_MS) this.batch = Math.max(1, this.batch >> 1);
      else if (t - t0 < BATCH_MS / 4 && this.batch < 512) this.batch <<= 1;
      if (t - this.started > timeLimitMs) {
        return new Stop('incomplete', undefined, undefined, undefined, 'timeLimit', `stopped after the time limit of ${this.options.timeLimit} s`);
      }
      const lookAtProcess = t - this.lastMemoryLook > YIELD_MS;
      if (lookAtProcess) this.lastMemoryLook = t;
      const short = seen.bytes + frontier.bytes > memoryLimit ? 'the search tables reached it' : memory.check(0, lookAtProcess);
      if (short !== null) return new Stop('incomplete', undefined, undefined, undefined, 'memory', memory.message(short));
      if (t >= end) return undefined;
    }
  }

  /**
   * A violation one action deeper than the level being expanded waits here while the rest of the level is
   * scanned for deadlocks, which would give a shorter counterexample.
   */
  private pending: Stop | null = null;
  private pendingDepth = -1;

  /**
   * Expands states until `budget` more have been fully expanded. Returns undefined when the budget is used up, null
   * when the frontier is empty (the search is over: `pending` holds its verdict), or why the search stops.
   */
  private expandSome(budget: number): Stop | null | undefined {
    const rt = this.rt;
    const { maxDepth, deadlock } = this.options;
    const breadthFirst = this.options.strategy === 'bfs';
    const frontier = this.frontier;
    const x = this.x;
    const table = this.table;
    const stopAt = x.expanded + budget;
    while (x.expanded < stopAt) {
      // Take one record: [id, depth, length, ...words].
      const at = frontier.take();
      if (at < 0) return null;
      const qb = frontier.buf;
      const id = qb[at]!;
      const depth = qb[at + 1]!;
      const len = qb[at + 2]!;
      const pending = this.pending;
      if (pending !== null && depth > this.pendingDepth) return pending;
      if (depth > this.depth) this.depth = depth;
      const before = x.sampled(x.expanded) ? qb.slice(at + 3, at + 3 + len) : null;
      const s = x.load(qb, at + 3, len);
      if (pending !== null) {
        if (!rt.anyEnabled(s, () => this.safePath(id)) && !rt.isTerminal(s, () => this.safePath(id))) return this.deadlockAt(id);
        continue;
      }
      try {
        x.expand(s, qb, at + 3);
        const assertion = x.assertion;
        if (maxDepth !== null && depth >= maxDepth) {
          if (x.lookup(table) >= 0) return new Stop('incomplete', undefined, undefined, undefined, 'maxDepth', `stopped at depth ${maxDepth}: states beyond it were not explored`);
        } else {
          const routed = x.route(table, id, depth);
          if (routed === STOPPED) {
            return new Stop('incomplete', undefined, undefined, undefined, 'maxStates', `stopped after ${this.seen.size} distinct states (the state limit was ${this.maxStates})`);
          }
          if (routed >= 0) {
            const bad = x.broken!;
            if (depth + 1 > this.depth) this.depth = depth + 1;
            this.pending = new Stop('violation', { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated` }, table.last);
            this.pendingDepth = depth;
            if (!deadlock || !breadthFirst) return this.pending;
          }
        }
        if (this.pending === null && assertion !== null) {
          const f = assertion.failure;
          this.pending = new Stop('violation', { kind: 'assertion', property: f.property, message: f.message }, id, { action: assertion.action, paramIndex: assertion.paramIndex, param: assertion.param });
          this.pendingDepth = depth;
          if (!deadlock || !breadthFirst) return this.pending;
        }
      } catch (e) {
        if (e instanceof CapacityError || (isInterleaveError(e) && e.code === 'INTERNAL')) throw e;
        const where = x.blame();
        const action = rt.actions[where.action];
        if (!action) throw e;
        throw rt.actionError(e, action, where.param ?? null, this.safePath(id), s);
      }
      if (before !== null) x.audit(s, before, () => this.safePath(id));
      if (x.enabled === 0 && deadlock && !rt.isTerminal(s, () => this.safePath(id))) return this.deadlockAt(id);
    }
    return undefined;
  }

  deadlockAt(id: number): Stop {
    return new Stop('violation', { kind: 'deadlock', property: 'deadlock', message: 'deadlock: no action is enabled in this state' }, id);
  }



  /** Where the search stands where it stopped to hand over (runUntil): between two expansions. */
  private handover(): LevelHandover {
    const f = this.frontier as QueueFrontier;
    const size = f.levelAhead();
    const all = f.snapshot();
    let at = 0;
    for (let k = 0; k < size; k++) at += 3 + all[at + 2]!;
    this.peakBytes = Math.max(this.peakBytes, this.seen.bytes + this.frontier.bytes);
    return {
      seen: this.seen,
      records: all.subarray(0, at),
      size,
      base: all[0]!,
      found: all.subarray(at),
      foundCount: f.size() - size,
      depth: all[1]!,
      generated: this.generated,
      coverage: this.coverage,
      hits: this.reach?.hits ?? [],
      peakBytes: this.peakBytes,
    };
  }

  /** What a snapshot of this search carries and a resumed search must match (see checkpoint.ts). */
  identity(): SearchIdentity {
    return searchIdentity(this.rt, this.options, this.seed);
  }

  /** Hands a consistent snapshot (taken between two expansions) to the checkpoint callback, if any. */
  async saveCheckpoint(): Promise<void> {
    const cp = this.raw.checkpoint;
    if (!cp) return;
    const identity = this.identity();
    const snap: SearchSnapshot = {
      version: 1,
      key: searchKey(identity),
      identity,
      spec: this.rt.spec.name,
      constants: { ...(this.rt.constants as Record<string, unknown>) },
      seen: this.seen.snapshot(),
      frontier: this.frontier.snapshot(),
      generated: this.generated,
      depth: this.depth,
      seconds: (now() - this.started) / 1000,
    };
    await cp.save(snap);
    this.lastCheckpoint = now();
  }

  /** Continues from a snapshot: seen-set, frontier, counters and clock. Throws CHECKPOINT_INVALID. */
  restore(snap: SearchSnapshot, inits: S[]): void {
    const rt = this.rt;
    validateSnapshot(snap, this.identity(), rt.actions.length);
    for (let i = 0; i < snap.seen.size; i++) {
      const p = snap.seen.parents[i]!;
      if (p < 0 && -1 - p >= inits.length) throw new InterleaveError('CHECKPOINT_INVALID', `checkpoint is not usable: state ${i} refers to initial state ${-1 - p}, but init gives ${inits.length}`);
    }
    this.seen.restore(snap.seen);
    this.inits.push(...inits);
    restoreFrontier(this.frontier, snap.frontier);
    this.initialGenerated = snap.generated - this.x.generated;
    this.depth = snap.depth;
    this.started = now() - snap.seconds * 1000;
  }

  safePath(id: number): string[] {
    try {
      return this.traceTo(id).steps.slice(1).map((st) => formatStep(st.action, st.params));
    } catch {
      return this.pathNames(id);
    }
  }
}

