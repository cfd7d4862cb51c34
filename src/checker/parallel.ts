import { Worker } from 'node:worker_threads';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import type { Spec } from '../model/index.ts';
import type { PartitionError, PartitionViolation } from './partition.ts';
import { SpecRuntime, formatStep } from './runtime.ts';
import { FP } from './seen-set.ts';
import type { CheckOptions, CheckResult, CheckStats, IncompleteReason, ResolvedOptions, Trace } from './types.ts';
import type { ToWorker, WorkerInit } from './worker.ts';

/**
 * The coordinator of a parallel breadth-first search: W worker threads each own a partition of the state space
 * (by fingerprint). Per level: every worker expands its frontier (inserting the successors it owns and
 * collecting the rest in outboxes), the coordinator routes the outboxes to their owners, every owner inserts
 * them in worker order. Levels are synchronous and each worker's work is a function of its inputs, so a run is
 * deterministic for a given W and visits exactly the states and successors the single-threaded engine does.
 * A counterexample is a shortest one (the same length for every W; for W > 1 possibly another path of that length).
 */
interface Reply {
  type: string;
  [k: string]: any;
}

class Channel {
  private waiting: { resolve: (r: Reply) => void; reject: (e: unknown) => void }[] = [];
  failure: unknown = null;
  constructor(readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      if (m.type === 'fatal') {
        const e = new InterleaveError(m.error.code, m.error.message, m.error.details);
        this.failure = e;
        for (const w of this.waiting.splice(0)) w.reject(e);
        return;
      }
      this.waiting.shift()?.resolve(m);
    });
    worker.on('error', (e) => {
      this.failure = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    });
    worker.on('exit', (code) => {
      if (this.waiting.length) {
        const e = new InterleaveError('INTERNAL', `a search worker exited with code ${code}`);
        for (const w of this.waiting.splice(0)) w.reject(e);
      }
    });
  }
  next(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  request(msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const p = this.next();
    this.worker.postMessage(msg, transfer);
    return p;
  }
}

/**
 * Worker threads started ahead of a search (each has loaded the spec and built its partition): starting them
 * costs ~0.3 s, which the CLI hides behind its single-threaded first seconds (`--workers auto`). A pool serves
 * one search, for the spec and options it was started with.
 */
export class WorkerPool {
  readonly stop = new SharedArrayBuffer(4);
  readonly channels: Channel[] = [];
  readonly ready: Promise<unknown>;
  constructor(
    readonly key: string,
    readonly workers: number,
    inits: (stop: SharedArrayBuffer, index: number) => WorkerInit,
  ) {
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: inits(this.stop, i),
        // A larger young generation than a worker's default: expansion allocates many short-lived objects.
        resourceLimits: { maxYoungGenerationSizeMb: 48 },
      });
      this.channels.push(new Channel(worker));
    }
    this.ready = Promise.all(this.channels.map((c) => c.next()));
    this.ready.catch(() => undefined); // reported when the pool is used
  }
  async terminate(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.worker.terminate()));
  }
}

function poolKey(spec: Spec, rt: SpecRuntime, resolved: ResolvedOptions, options: CheckOptions, workers: number): string {
  return JSON.stringify([spec.name, spec.sourceUrl, rt.constants, rt.invariants.map((i) => i.name), resolved.deadlock, resolved.strict, options.forceDynamicCodec ?? false, options.memoryLimit ?? null, workers]);
}

function newPool(spec: Spec, rt: SpecRuntime, resolved: ResolvedOptions, options: CheckOptions, workers: number): WorkerPool {
  return new WorkerPool(poolKey(spec, rt, resolved, options, workers), workers, (stop, index) => ({
    sourceUrl: spec.sourceUrl!,
    specName: spec.name,
    index,
    workers,
    constants: { ...(rt.constants as Record<string, unknown>) },
    invariants: rt.invariants.map((inv) => inv.name),
    deadlock: resolved.deadlock,
    strict: resolved.strict,
    forceDynamicCodec: options.forceDynamicCodec ?? false,
    stop,
    maxBytes: options.memoryLimit === undefined ? Infinity : (options.memoryLimit * 0.75) / workers,
  }));
}

/** Whether `check` would run this spec and these options on worker threads. */
export function runsInParallel(spec: Spec, options: CheckOptions): boolean {
  const properties = options.properties ?? spec.properties.map((p) => p.name);
  return (options.workers ?? 1) > 1 && spec.sourceUrl !== undefined && (options.strategy ?? 'bfs') === 'bfs' && !options.symmetry && properties.length === 0 && !options.resume && !options.checkpoint;
}

/**
 * Starts the workers a later `check(spec, { ...options, workerPool })` will use, or returns null when that check
 * would not run in parallel. Throws what `check` would report as an error (bad constants, unknown invariant).
 */
export function startWorkerPool(spec: Spec, options: CheckOptions): WorkerPool | null {
  if (!runsInParallel(spec, options)) return null;
  const rt = new SpecRuntime(spec, options);
  const resolved = { deadlock: options.deadlock ?? true, strict: options.strict ?? false } as ResolvedOptions;
  return newPool(spec, rt, resolved, options, options.workers!);
}

export async function checkParallel<S, C>(
  spec: Spec<S, C>,
  rt: SpecRuntime<S, C>,
  options: CheckOptions,
  resolved: ResolvedOptions,
  seed: number,
  started: number,
  workers: number,
): Promise<CheckResult<S>> {
  let pool = options.workerPool ?? null;
  if (pool !== null && pool.key !== poolKey(spec, rt, resolved, options, workers)) {
    await pool.terminate();
    pool = null;
  }
  pool ??= newPool(spec, rt, resolved, options, workers);
  const stop = pool.stop;
  const stopFlag = new Int32Array(stop);
  const channels: Channel[] = pool.channels;
  const now = () => performance.now();
  let generated = 0;
  let distinct = 0;
  let frontier = 0;
  let bytes = 0;
  let peakBytes = 0;
  let peakProbe = 0;
  let depth = 0;
  const perWorker: { distinct: number; generated: number; frontier: number; bytes: number }[] = [];

  const absorb = (replies: Reply[]) => {
    replies.forEach((r, i) => (perWorker[i] = { distinct: r.distinct, generated: r.generated, frontier: r.frontier, bytes: r.bytes }));
    distinct = perWorker.reduce((n, w) => n + w.distinct, 0);
    generated = perWorker.reduce((n, w) => n + w.generated, 0);
    frontier = perWorker.reduce((n, w) => n + w.frontier, 0);
    bytes = perWorker.reduce((n, w) => n + w.bytes, 0);
    peakBytes = Math.max(peakBytes, bytes);
    if (options.memoryProbe) peakProbe = Math.max(peakProbe, options.memoryProbe());
  };

  const base = () => {
    const seconds = (now() - started) / 1000;
    const stats: CheckStats = {
      distinct,
      generated,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : distinct,
      queue: frontier,
      peakMemoryBytes: options.memoryProbe ? peakProbe : peakBytes,
      bytesPerState: distinct > 0 ? Math.round(peakBytes / distinct) : 0,
      workers,
    };
    const g = Math.max(generated, distinct);
    return {
      spec: spec.name,
      constants: { ...(rt.constants as Record<string, unknown>) },
      options: resolved,
      stats,
      fingerprint: { bits: 64 as const, collisionProbability: (distinct * (g - distinct)) / 2 ** 64 },
      seed,
      codec: rt.codec.mode,
    };
  };

  const ownerOfGid = (gid: number) => gid % workers;

  /** Follows parents across partitions and replays the labels from the initial state. */
  const traceTo = async (gid: number): Promise<{ trace: Trace<S>; gids: number[] }> => {
    const gids: number[] = [gid];
    const labels: number[] = [];
    let cur = gid;
    let initIndex = 0;
    for (;;) {
      const r = await channels[ownerOfGid(cur)]!.request({ type: 'parent', gid: cur });
      if (r.parent < 0) {
        initIndex = -1 - r.parent;
        break;
      }
      labels.push(r.label);
      cur = r.parent;
      gids.push(cur);
    }
    gids.reverse();
    labels.reverse();
    const inits = rt.initialStates();
    const trace = rt.replayLabels(inits[initIndex]!, labels);
    // Verify each replayed state is the one the search recorded (determinism check).
    for (let k = 0; k < trace.steps.length; k++) {
      rt.encode(trace.steps[k]!.state);
      const hi = FP[0]!;
      const lo = FP[1]!;
      const found = await channels[ownerOfGid(gids[k]!)]!.request({ type: 'find', hi, lo });
      if (found.gid !== gids[k]) {
        throw new InterleaveError(
          'SPEC_NONDETERMINISTIC',
          `spec '${spec.name}' is not deterministic: step ${k} produced a different state on replay than during the search. Usual causes: Math.random or Date in an action, iterating a Map/Set in changing order, mutating the input state, or state kept outside the spec.`,
          { spec: spec.name, step: k },
        );
      }
    }
    return { trace, gids };
  };

  const violationResult = async (v: PartitionViolation): Promise<CheckResult<S>> => {
    const { trace } = await traceTo(v.gid);
    if (v.step) {
      const last = trace.steps[trace.steps.length - 1]!;
      trace.steps.push({ action: rt.actions[v.step.action]!.name, params: v.step.param ?? null, state: last.state });
    }
    depth = Math.max(depth, v.length);
    options.onEvent?.({ type: 'done', status: 'violation' });
    return { ...base(), status: 'violation', violation: { kind: v.kind, property: v.property, message: v.message }, trace, shortest: true };
  };

  const errorResult = async (pe: PartitionError): Promise<CheckResult<S>> => {
    let path: string[] = [];
    let trace: Trace<S> | undefined;
    try {
      trace = (await traceTo(pe.gid)).trace;
      path = trace.steps.slice(1).map((s) => formatStep(s.action, s.params));
    } catch {
      /* the error itself is what matters */
    }
    const via = path.length ? ` after ${path.join(' → ')}` : ' in an initial state';
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

  /** Of several partitions' violations, the shortest, then the lowest worker index (deterministic). */
  const pick = (replies: Reply[]): PartitionViolation | null => {
    let best: PartitionViolation | null = null;
    for (const r of replies) if (r.violation && (best === null || r.violation.length < best.length)) best = r.violation;
    return best;
  };
  const firstError = (replies: Reply[]): PartitionError | null => replies.find((r) => r.error)?.error ?? null;

  try {
    await pool.ready;
    const memoryStop = (replies: Reply[]) => replies.find((r) => r.type === 'memory');
    const memoryMessage = (r: Reply) =>
      options.memoryLimit === undefined ? `stopped: ${r.message}` : `stopped before passing the memory limit of ${Math.round(options.memoryLimit / 2 ** 20)} MiB: ${r.message}`;
    options.onEvent?.({ type: 'start', spec: spec.name, constants: { ...(rt.constants as Record<string, unknown>) }, codec: rt.codec.mode });

    let replies = await Promise.all(channels.map((c) => c.request({ type: 'start' })));
    if (memoryStop(replies)) return incomplete('memory', memoryMessage(memoryStop(replies)!));
    absorb(replies);
    const v0 = pick(replies);
    if (v0) return await violationResult(v0);

    const timeLimitMs = resolved.timeLimit === null ? Infinity : resolved.timeLimit * 1000;
    const interval = options.progressInterval ?? 2000;
    let lastProgress = now();
    let level = 0;
    const onAbort = () => Atomics.store(stopFlag, 0, 1);
    options.signal?.addEventListener('abort', onAbort);
    const timer = Number.isFinite(timeLimitMs) ? setTimeout(onAbort, Math.max(0, timeLimitMs - (now() - started))) : null;
    try {
      replies = await Promise.all(channels.map((c) => c.request({ type: 'expand', depth: 0 })));
      for (;;) {
        if (memoryStop(replies)) return incomplete('memory', memoryMessage(memoryStop(replies)!));
        absorb(replies);
        if (frontier > 0) depth = level;
        if (replies.some((r) => r.aborted)) break;
        const err = firstError(replies);
        if (err) return await errorResult(err);
        const v = pick(replies);
        if (v) return await violationResult(v);
        if (replies.some((r) => r.beyondLimit)) return incomplete('maxDepth', `stopped at depth ${resolved.maxDepth}: states beyond it were not explored`);
        if (replies.every((r) => r.produced === 0)) break; // nothing left to insert: the search is complete
        if (resolved.maxStates !== null && distinct > resolved.maxStates) {
          return incomplete('maxStates', `stopped after ${distinct} distinct states (the state limit was ${resolved.maxStates})`);
        }
        if (options.memoryLimit !== undefined && bytes > options.memoryLimit) {
          return incomplete('memory', `stopped before passing the memory limit of ${Math.round(options.memoryLimit / 2 ** 20)} MiB`);
        }
        const t = now();
        if (options.onEvent && t - lastProgress >= interval) {
          lastProgress = t;
          const secs = (t - started) / 1000;
          options.onEvent({ type: 'progress', distinct, generated, queue: frontier, depth, seconds: secs, statesPerSecond: Math.round(distinct / secs) });
        }
        // At the depth limit, the successors of the last level are only looked up: any unseen one means states
        // lie beyond the limit.
        const probeOnly = resolved.maxDepth !== null && level >= resolved.maxDepth;
        level++;
        // Route outboxes: owner o receives, in worker order, what every other worker generated for it; it inserts
        // them and expands the next level in one step.
        const expanded = replies;
        replies = await Promise.all(
          channels.map((c, o) => {
            const inboxes = expanded.filter((_, w) => w !== o).map((r) => r.outboxes[o] as { buf: ArrayBuffer; len: number });
            return c.request({ type: 'step', depth: level, probeOnly, inboxes }, inboxes.map((b) => b.buf));
          }),
        );
        if (probeOnly) {
          if (memoryStop(replies)) return incomplete('memory', memoryMessage(memoryStop(replies)!));
          absorb(replies);
          if (replies.some((r) => r.beyondLimit)) return incomplete('maxDepth', `stopped at depth ${resolved.maxDepth}: states beyond it were not explored`);
          break;
        }
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    }
    if (Atomics.load(stopFlag, 0) !== 0) {
      if (options.signal?.aborted) return incomplete('interrupted', 'interrupted: the search was stopped before it finished');
      return incomplete('timeLimit', `stopped after the time limit of ${resolved.timeLimit} s`);
    }
    options.onEvent?.({ type: 'done', status: 'ok' });
    return { ...base(), status: 'ok' };
  } catch (e) {
    const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `parallel search failed: ${describeThrown(e)}`);
    options.onEvent?.({ type: 'done', status: 'error' });
    return { ...base(), status: 'error', error: { code: err.code, message: err.message, details: err.details } };
  } finally {
    await pool.terminate();
  }
}
