import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import { isAssertionFailure, type Spec } from '../model/index.ts';
import { WordBuffer } from './codec.ts';
import { searchKey, validateSnapshot, type SearchSnapshot } from './checkpoint.ts';
import { mutationError } from './diagnose.ts';
import { SpecRuntime, deepFreeze, formatStep } from './runtime.ts';
import { FP, SeenSet, fingerprint } from './seen-set.ts';
import type { CheckOptions, CheckResult, CheckStats, IncompleteReason, ResolvedOptions, Trace, Violation } from './types.ts';

/**
 * Breadth-first explicit-state search. Returns a value; never prints, never exits.
 *
 * The frontier holds encoded states as records `[id, depth, length, ...words]` in one growable Int32Array;
 * the seen-set holds fingerprints, parents and step labels. States are decoded when expanded and encoded once
 * per successor; a counterexample is rebuilt by replaying step labels from the initial state.
 */
export async function check<S, C>(spec: Spec<S, C>, options: CheckOptions = {}): Promise<CheckResult<S>> {
  const started = now();
  const resolved: ResolvedOptions = {
    strategy: 'bfs',
    invariants: options.invariants ? [...options.invariants] : spec.invariants.map((i) => i.name),
    deadlock: options.deadlock ?? true,
    maxDepth: options.maxDepth ?? null,
    maxStates: options.maxStates ?? null,
    timeLimit: options.timeLimit ?? null,
    strict: options.strict ?? false,
  };
  const seed = options.seed ?? 0;
  let rt: SpecRuntime<S, C>;
  try {
    rt = new SpecRuntime(spec, options);
  } catch (e) {
    return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
  }
  const search = new Search(rt, resolved, options, started, seed);
  try {
    return await search.run();
  } catch (e) {
    return search.fail(e);
  }
}

function now(): number {
  return performance.now();
}

function errorResult<S>(spec: Spec<S, any>, constants: Record<string, unknown>, options: ResolvedOptions, seed: number, started: number, e: unknown): CheckResult<S> {
  const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', describeThrown(e), {}, { cause: e });
  const seconds = (now() - started) / 1000;
  return {
    status: 'error',
    spec: spec.name,
    constants,
    options,
    seed,
    codec: 'packed',
    stats: { distinct: 0, generated: 0, depth: 0, seconds, statesPerSecond: 0, queue: 0, peakMemoryBytes: 0, bytesPerState: 0, workers: 1 },
    fingerprint: { bits: 64, collisionProbability: 0 },
    error: { code: err.code, message: err.message, details: err.details },
  };
}

class Stop {
  constructor(
    readonly result: 'violation' | 'incomplete',
    readonly violation?: Violation,
    readonly stateId?: number,
    readonly extra?: { action: number; paramIndex: number; param: unknown },
    readonly reason?: IncompleteReason,
    readonly message?: string,
  ) {}
}

class Search<S, C> {
  readonly seen = new SeenSet(1 << 12);
  readonly inits: S[] = [];
  queue = new WordBuffer(1 << 12);
  head = 0;
  generated = 0;
  depth = 0;
  peakBytes = 0;
  peakProbe = 0;
  lastYield = 0;
  lastProgress = 0;
  lastCheckpoint = 0;

  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly options: ResolvedOptions,
    readonly raw: CheckOptions,
    public started: number,
    readonly seed: number,
  ) {}

  base() {
    const seconds = (now() - this.started) / 1000;
    const distinct = this.seen.size;
    const structBytes = this.seen.bytes + this.queue.buf.byteLength;
    this.peakBytes = Math.max(this.peakBytes, structBytes);
    if (this.raw.memoryProbe) this.peakProbe = Math.max(this.peakProbe, this.raw.memoryProbe());
    const stats: CheckStats = {
      distinct,
      generated: this.generated,
      depth: this.depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : distinct,
      queue: this.queueSize(),
      peakMemoryBytes: this.raw.memoryProbe ? this.peakProbe : this.peakBytes,
      bytesPerState: distinct > 0 ? Math.round(this.peakBytes / distinct) : 0,
      workers: 1,
    };
    const n = distinct;
    const g = Math.max(this.generated, n);
    return {
      spec: this.rt.spec.name,
      constants: { ...(this.rt.constants as Record<string, unknown>) },
      options: this.options,
      stats,
      fingerprint: { bits: 64 as const, collisionProbability: (n * (g - n)) / 2 ** 64 },
      seed: this.seed,
      codec: this.rt.codec.mode,
    };
  }

  queueSize(): number {
    let n = 0;
    const b = this.queue.buf;
    for (let i = this.head; i < this.queue.len; i += 3 + b[i + 2]!) n++;
    return n;
  }

  /** Path of formatted steps to a state id (for error messages). */
  pathNames(id: number): string[] {
    const ids = this.seen.pathTo(id);
    const n = this.rt.actions.length;
    return ids.slice(1).map((x) => {
      const label = this.seen.labels[x]!;
      return `${this.rt.actions[label % n]!.name}#${Math.floor(label / n)}`;
    });
  }

  /** Rebuilds the trace to `id` by replay, verifying each step's fingerprint against the seen-set. */
  traceTo(id: number): Trace<S> {
    const ids = this.seen.pathTo(id);
    const init = this.inits[-1 - this.seen.parents[ids[0]!]!]!;
    const labels = ids.slice(1).map((x) => this.seen.labels[x]!);
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

  emitDone(status: CheckResult['status']): void {
    this.raw.onEvent?.({ type: 'done', status });
  }

  push(id: number, depth: number, len: number): void {
    const q = this.queue;
    const b = q.ensure(len + 3);
    const at = q.len;
    b[at] = id;
    b[at + 1] = depth;
    b[at + 2] = len;
    b.set(this.rt.scratch.buf.subarray(0, len), at + 3);
    q.len = at + 3 + len;
  }

  async run(): Promise<CheckResult<S>> {
    const rt = this.rt;
    this.raw.onEvent?.({ type: 'start', spec: rt.spec.name, constants: { ...(rt.constants as Record<string, unknown>) }, codec: rt.codec.mode });
    const stop = await this.explore();
    if (stop === null) {
      this.emitDone('ok');
      return { ...this.base(), status: 'ok' };
    }
    if (stop.result === 'incomplete') {
      this.emitDone('incomplete');
      return { ...this.base(), status: 'incomplete', reason: stop.reason!, message: stop.message! };
    }
    const trace = this.traceTo(stop.stateId!);
    if (stop.extra) {
      const last = trace.steps[trace.steps.length - 1]!;
      trace.steps.push({ action: rt.actions[stop.extra.action]!.name, params: stop.extra.param ?? null, state: last.state });
    }
    this.emitDone('violation');
    return { ...this.base(), status: 'violation', violation: stop.violation!, trace, shortest: true };
  }

  /** Returns null when the whole reachable state space was explored without a violation. */
  async explore(): Promise<Stop | null> {
    const rt = this.rt;
    const seen = this.seen;
    const { maxDepth, maxStates, deadlock } = this.options;
    const maxStatesN = maxStates ?? Infinity;
    const timeLimitMs = this.options.timeLimit === null ? Infinity : this.options.timeLimit * 1000;
    const memoryLimit = this.raw.memoryLimit ?? Infinity;
    const interval = this.raw.progressInterval ?? 2000;
    const strict = this.options.strict;
    const actions = rt.actions;
    const nActions = actions.length;
    const constants = rt.constants;
    const codec = rt.codec;
    const scratch = rt.scratch;

    // Initial states (or the search saved in a snapshot).
    const inits = rt.initialStates();
    if (this.raw.resume) this.restore(this.raw.resume, inits);
    else for (let k = 0; k < inits.length; k++) {
      const s = inits[k]!;
      this.generated++;
      const len = rt.encode(s);
      const id = seen.insert(FP[0]!, FP[1]!, -1 - k, -1);
      this.inits.push(s);
      if (id < 0) continue;
      const bad = rt.failingInvariant(s);
      if (bad) return new Stop('violation', { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated in an initial state` }, id);
      this.push(id, 0, len);
    }

    let expanded = 0;
    if (this.raw.signal?.aborted) return new Stop('incomplete', undefined, undefined, undefined, 'interrupted', 'interrupted before the search started');
    this.lastYield = now();
    this.lastProgress = this.lastYield;
    this.lastCheckpoint = this.lastYield;
    while (this.head < this.queue.len) {
      // Dequeue one record.
      let qb = this.queue.buf;
      const at = this.head;
      const id = qb[at]!;
      const depth = qb[at + 1]!;
      const len = qb[at + 2]!;
      this.head = at + 3 + len;
      if (depth > this.depth) this.depth = depth;
      let s = codec.decode(qb, at + 3, len);
      // Strict mode checks every state for modification by its actions; otherwise a sample (the first 4096
      // states and one in 256 after), which costs nothing measurable and still catches most mutating specs.
      const before = strict || expanded < 4096 || (expanded & 255) === 0 ? qb.slice(at + 3, at + 3 + len) : null;
      if (strict) s = deepFreeze(s);
      const atLimit = maxDepth !== null && depth >= maxDepth;

      let enabledCount = 0;
      let a = 0;
      let pi = 0;
      let param: unknown = null;
      try {
        for (a = 0; a < nActions; a++) {
          const action = actions[a]!;
          const dom = action.params === null ? null : rt.domain(action, s);
          const n = dom === null ? 1 : dom.length;
          for (pi = 0; pi < n; pi++) {
            param = dom === null ? undefined : dom[pi];
            if (action.guard !== null && action.guard(s, constants, param) !== true) continue;
            enabledCount++;
            let next: S;
            try {
              next = action.effect(s, constants, param);
            } catch (e) {
              if (isAssertionFailure(e)) {
                return new Stop('violation', { kind: 'assertion', property: e.property, message: e.message }, id, { action: a, paramIndex: pi, param: dom === null ? null : param });
              }
              throw e;
            }
            this.generated++;
            if (typeof next !== 'object' || next === null) rt.step(action, s, param); // throws the descriptive error
            scratch.len = 0;
            const wlen = codec.encode(next, scratch);
            if (strict) rt.validate(next, action.name, dom === null ? null : param);
            fingerprint(scratch.buf, 0, wlen);
            if (atLimit) {
              if (seen.find(FP[0]!, FP[1]!) < 0) {
                return new Stop('incomplete', undefined, undefined, undefined, 'maxDepth', `stopped at depth ${maxDepth}: states beyond it were not explored`);
              }
              continue;
            }
            const nid = seen.insert(FP[0]!, FP[1]!, id, a + nActions * pi);
            if (nid < 0) continue;
            if (nid >= maxStatesN) {
              return new Stop('incomplete', undefined, undefined, undefined, 'maxStates', `stopped at ${maxStatesN} distinct states (the state limit)`);
            }
            const bad = rt.invariants.length === 0 ? null : rt.failingInvariant(next);
            if (bad !== null) {
              if (depth + 1 > this.depth) this.depth = depth + 1;
              return new Stop('violation', { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated` }, nid);
            }
            // Enqueue [nid, depth+1, wlen, ...words].
            const q = this.queue;
            if (q.len + wlen + 3 > q.buf.length) this.compactOrGrow(wlen + 3);
            qb = q.buf;
            const p = q.len;
            qb[p] = nid;
            qb[p + 1] = depth + 1;
            qb[p + 2] = wlen;
            for (let i = 0; i < wlen; i++) qb[p + 3 + i] = scratch.buf[i]!;
            q.len = p + 3 + wlen;
          }
        }
      } catch (e) {
        if (isInterleaveError(e) && e.code === 'INTERNAL') throw e;
        const action = actions[a];
        if (!action) throw e;
        const err = rt.actionError(e, action, param ?? null, this.safePath(id));
        throw err;
      }
      if (before !== null) this.checkUnchanged(s, before, id);
      if (enabledCount === 0 && deadlock) {
        return new Stop('violation', { kind: 'deadlock', property: 'deadlock', message: 'deadlock: no action is enabled in this state' }, id);
      }

      if (++expanded % 512 === 0) {
        const t = now();
        if (t - this.started > timeLimitMs) {
          await this.saveCheckpoint();
          return new Stop('incomplete', undefined, undefined, undefined, 'timeLimit', `stopped after the time limit of ${this.options.timeLimit} s`);
        }
        if (seen.bytes + this.queue.buf.byteLength > memoryLimit || (t - this.lastYield > 50 && this.raw.memoryProbe && this.raw.memoryProbe() > memoryLimit)) {
          await this.saveCheckpoint();
          return new Stop('incomplete', undefined, undefined, undefined, 'memory', `stopped before passing the memory limit of ${Math.round(memoryLimit / 2 ** 20)} MiB`);
        }
        if (t - this.lastYield > 50) {
          if (t - this.lastProgress >= interval && this.raw.onEvent) {
            this.lastProgress = t;
            const secs = (t - this.started) / 1000;
            this.raw.onEvent({ type: 'progress', distinct: seen.size, generated: this.generated, queue: this.queueSize(), depth: this.depth, seconds: secs, statesPerSecond: Math.round(seen.size / secs) });
          }
          await new Promise((r) => setTimeout(r, 0));
          this.lastYield = now();
          if (this.raw.checkpoint && this.lastYield - this.lastCheckpoint >= this.raw.checkpoint.everySeconds * 1000) await this.saveCheckpoint();
          if (this.raw.signal?.aborted) {
            await this.saveCheckpoint();
            return new Stop('incomplete', undefined, undefined, undefined, 'interrupted', 'interrupted: the search was stopped before it finished');
          }
        }
      }
    }
    return null;
  }

  /** The key a snapshot of this search carries (see checkpoint.ts). */
  key(): string {
    const rt = this.rt;
    return searchKey({
      spec: rt.spec.name,
      constants: rt.constants,
      options: this.options,
      actions: rt.actions.map((a) => a.name),
      invariants: rt.invariants.map((i) => i.name),
      codec: rt.codec.mode,
      seed: this.seed,
    });
  }

  /** Hands a consistent snapshot (taken between two expansions) to the checkpoint callback, if any. */
  async saveCheckpoint(): Promise<void> {
    const cp = this.raw.checkpoint;
    if (!cp) return;
    const snap: SearchSnapshot = {
      version: 1,
      key: this.key(),
      spec: this.rt.spec.name,
      constants: { ...(this.rt.constants as Record<string, unknown>) },
      seen: this.seen.snapshot(),
      frontier: this.queue.buf.subarray(this.head, this.queue.len),
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
    validateSnapshot(snap, this.key(), `spec '${rt.spec.name}' with constants ${JSON.stringify(rt.constants)}`, rt.actions.length);
    for (let i = 0; i < snap.seen.size; i++) {
      const p = snap.seen.parents[i]!;
      if (p < 0 && -1 - p >= inits.length) throw new InterleaveError('CHECKPOINT_INVALID', `checkpoint is not usable: state ${i} refers to initial state ${-1 - p}, but init gives ${inits.length}`);
    }
    this.seen.restore(snap.seen);
    this.inits.push(...inits);
    this.queue = new WordBuffer(Math.max(1 << 12, snap.frontier.length * 2));
    this.queue.buf.set(snap.frontier);
    this.queue.len = snap.frontier.length;
    this.head = 0;
    this.generated = snap.generated;
    this.depth = snap.depth;
    this.started = now() - snap.seconds * 1000;
  }

  /** Strict mode: the state's encoding must not change while its successors are computed (catches Map/Set edits). */
  checkUnchanged(s: S, before: Int32Array, id: number): void {
    const scratch = this.rt.scratch;
    scratch.len = 0;
    const len = this.rt.codec.encode(s, scratch);
    let same = len === before.length;
    for (let i = 0; same && i < len; i++) same = scratch.buf[i] === before[i];
    if (!same) throw mutationError(this.rt, before, this.safePath(id));
  }

  safePath(id: number): string[] {
    try {
      return this.traceTo(id).steps.slice(1).map((st) => formatStep(st.action, st.params));
    } catch {
      return this.pathNames(id);
    }
  }

  /** Makes room for `need` more words: drops the consumed head of the queue, or doubles it. */
  compactOrGrow(need: number): void {
    const q = this.queue;
    if (this.head > q.buf.length / 2) {
      q.buf.copyWithin(0, this.head, q.len);
      q.len -= this.head;
      this.head = 0;
      if (q.len + need <= q.buf.length) return;
    }
    q.ensure(need);
    this.peakBytes = Math.max(this.peakBytes, this.seen.bytes + q.buf.byteLength);
  }
}

