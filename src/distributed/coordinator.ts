import { randomBytes } from 'node:crypto';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import type { Spec } from '../model/index.ts';
import { depthAtEnd, errorResult, firstByRank, levelEnd, resultBase, searchStats, troublesAt } from '../checker/search/index.ts';
import { SpecRuntime, formatStep, selectionFor, specIdentity } from '../checker/spec/index.ts';
import { FP, SeenSet } from '../checker/state/index.ts';
import { CoverageCounters, coverageWarnings } from '../checker/properties/index.ts';
import type { CheckOptions, CheckResult, ResolvedOptions, Trace } from '../checker/types.ts';
import {
  HEARTBEAT_MS,
  JOBS,
  KEY_TTL_MS,
  aliveKey,
  coordKey,
  ctlKey,
  earlier,
  heartbeatKey,
  inKey,
  keysKey,
  type Candidate,
  type Job,
  type ToCoordinator,
  type ToNode,
} from './protocol.ts';
import { Transport } from './transport.ts';

export interface ClusterOptions {
  /** redis://HOST:PORT of a Valkey/Redis server or any node of a Redis Cluster. */
  url: string;
  /** Node processes (`interleave node`) to run the search on. */
  nodes: number;
  /** The spec file every node loads (its own copy, at this path) and the spec's name in it. */
  file: string;
  /** Seconds to wait for the nodes to take the search (default 30). */
  joinSeconds?: number;
  /** Worker threads each node expands its states on, for this search (default: each node's own `--workers`). */
  workers?: number | 'auto';
}

/** What a distributed result adds to a local one: the nodes and the bytes their batches carried. */
export interface ClusterStats {
  nodes: number;
  /** Bytes the nodes wrote: batches of successors and the sorted keys of the rank merge (`keyBytes` of them). */
  bytesSent: number;
  keyBytes: number;
  bytesPerState: number;
}

/** The options a distributed search does not support (their CLI names), given a check's options. */
export function unsupportedOptions(options: CheckOptions): string[] {
  const out: string[] = [];
  if (options.strategy !== undefined && options.strategy !== 'bfs') out.push(`--strategy ${options.strategy}`);
  if (options.symmetry) out.push('--symmetry');
  if (options.maxDepth !== undefined) out.push('--max-depth');
  if (options.maxStates !== undefined) out.push('--max-states');
  if (options.checkpoint) out.push('--checkpoint');
  if (options.resume) out.push('--resume');
  return out;
}

/** Looks at heartbeats and the search's keys this often while waiting. */
const LOOK_MS = 2000;

/** A search that ended early for a reason of the cluster: becomes an `incomplete` result with the code. */
class ClusterStop extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly reason: 'cluster' | 'interrupted' | 'timeLimit' = 'cluster',
  ) {
    super(message);
  }
}

/**
 * Runs one breadth-first search on `nodes` node processes (docs/distributed.md): hands out the search, checks
 * that every node loaded the same spec, then per level collects each node's summary and says how to go on (the
 * next level, the counts at a violation, the states of a counterexample). It expands nothing itself; it replays
 * the counterexample locally, as a local check does. A lost node, a lost or restarted server, or no summary
 * because of either ends the search as `incomplete` with a CLUSTER_* code, never `ok`.
 */
export async function checkDistributed<S, C>(spec: Spec<S, C>, options: CheckOptions, cluster: ClusterOptions): Promise<CheckResult<S> & { cluster?: ClusterStats }> {
  const started = performance.now();
  const unsupported = unsupportedOptions(options);
  if (unsupported.length) throw unsupportedError(unsupported);
  const { selection, unknown } = selectionFor(spec, options);
  const resolved: ResolvedOptions = {
    strategy: 'bfs',
    properties: [],
    symmetry: false,
    invariants: selection.invariants,
    assertions: selection.assertions,
    deadlock: options.deadlock ?? true,
    maxDepth: null,
    maxStates: null,
    timeLimit: options.timeLimit ?? null,
    strict: options.strict ?? false,
  };
  const seed = options.seed ?? 0;
  const constants = options.constants ?? {};
  if (unknown !== null) return errorResult(spec, constants, resolved, seed, started, unknown);
  let rt: SpecRuntime<S, C>;
  let inits: S[];
  try {
    rt = new SpecRuntime(spec, { ...options, invariants: resolved.invariants, assertions: resolved.assertions });
    inits = rt.initialStates();
  } catch (e) {
    return errorResult(spec, constants, resolved, seed, started, e);
  }
  const warnings: string[] = [];
  if (selection.reachable.length) warnings.push(`reachable predicates (${selection.reachable.join(', ')}) were not checked: a distributed search does not look for witnesses; check them on one machine`);
  if (selection.properties.length) warnings.push(`temporal properties (${selection.properties.join(', ')}) were not checked: a distributed search checks safety only (invariants, assertions, deadlocks); check them on one machine`);

  const nA = rt.actions.length;
  const coverage = new CoverageCounters(rt.actions);
  let generated = 0;
  let distinct = 0;
  let depth = 0;
  let queue = 0;
  let bytesSent = 0;
  let keyBytes = 0;
  let completed = false;
  const threads: number[] = [];
  const base = () => {
    const seconds = (performance.now() - started) / 1000;
    // The nodes' memory is theirs: the coordinator reports none (the traffic is in `cluster`).
    // `workers`: the threads that expanded states, over all nodes (each node's worker threads, or its own thread).
    const workers = threads.reduce((a, b) => a + b, 0) || 1;
    const stats = searchStats({ distinct, generated, depth, seconds, queue, peakMemoryBytes: 0, tableBytes: 0, workers });
    const report = coverage.report();
    return {
      ...resultBase(spec, rt.constants, resolved, stats, seed, rt.codec.mode),
      coverage: report,
      warnings: [...warnings, ...coverageWarnings(report, completed)],
      cluster: { nodes: cluster.nodes, bytesSent, keyBytes, bytesPerState: distinct > 0 ? Math.round(bytesSent / distinct) : 0 },
    };
  };

  // The initial states, as on one machine: a violation there needs no node.
  const seenInit = new SeenSet(1 << 6);
  const initFp: [number, number][] = [];
  for (let k = 0; k < inits.length; k++) {
    generated++;
    rt.encode(inits[k]!);
    if (seenInit.insert(FP[0]!, FP[1]!, -1 - k, -1) < 0) continue;
    initFp.push([FP[0]!, FP[1]!]);
    distinct++;
    let bad;
    try {
      bad = rt.failingInvariant(inits[k]!);
    } catch (e) {
      return errorResult(spec, constants, resolved, seed, started, e);
    }
    if (bad) {
      queue = distinct;
      return { ...base(), status: 'violation', violation: { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated in an initial state` }, trace: rt.replayLabels(inits[k]!, []), shortest: true };
    }
  }
  queue = distinct;

  const t = await Transport.connect(cluster.url);
  const search = randomBytes(8).toString('hex');
  const N = cluster.nodes;
  const jobs: string[] = [];
  let beat: ReturnType<typeof setInterval> | null = null;
  let lastLook = 0;
  let joinedNodes: number[] = [];
  const names: string[] = new Array(N).fill('');
  const ids: string[] = new Array(N).fill('');
  let lastDepth = 0;
  const deadline = resolved.timeLimit === null ? Infinity : started + resolved.timeLimit * 1000;

  const sendAll = async (m: ToNode, to: readonly number[] = [...Array(N).keys()]) => {
    for (const o of to) await t.push(ctlKey(search, o), JSON.stringify(m));
  };

  /** Between messages: the nodes' heartbeats, the search's keys, a signal, the time limit. */
  const look = async (force = false) => {
    const now = performance.now();
    if (options.signal?.aborted) throw new ClusterStop('CLUSTER_INTERRUPTED', 'interrupted: the search was stopped before it finished', 'interrupted');
    if (now > deadline) throw new ClusterStop('CLUSTER_TIME_LIMIT', `stopped after the time limit of ${resolved.timeLimit} s`, 'timeLimit');
    if (!force && now - lastLook < LOOK_MS) return;
    lastLook = now;
    // The canaries first: a server that restarted lost the heartbeats too.
    for (const k of [aliveKey(search, 'c'), ...Array.from({ length: N }, (_, o) => aliveKey(search, o))]) {
      if (!(await t.exists(k))) throw new ClusterStop('CLUSTER_TRANSPORT_LOST', `Valkey/Redis at ${cluster.url} lost the search's data (restarted or failed over without it)`);
    }
    for (const o of joinedNodes) {
      if (!(await t.exists(heartbeatKey(ids[o]!)))) throw new ClusterStop('CLUSTER_NODE_LOST', `node ${names[o]} (index ${o}) stopped answering: no heartbeat for ${HEARTBEAT_MS / 1000} s`);
    }
  };

  /**
   * The next message for the coordinator (looking around while none comes); a node's failure ends the search.
   * `by`: a deadline (an answer that only a bug would keep from coming).
   */
  const next = async (by = Infinity): Promise<ToCoordinator> => {
    for (;;) {
      await look();
      if (performance.now() > by) throw new InterleaveError('INTERNAL', 'distributed search: no node answered where a state of the counterexample is');
      const r = await t.wait([coordKey(search)]);
      if (r === null) continue;
      const m = JSON.parse(r.value.toString()) as ToCoordinator;
      if (m.t === 'failed') throw new ClusterStop(m.code, `node ${m.node}: ${m.message}`);
      return m;
    }
  };

  const collect = async <T extends ToCoordinator['t']>(type: T, count = N, by = Infinity): Promise<Extract<ToCoordinator, { t: T }>[]> => {
    const got: Extract<ToCoordinator, { t: T }>[] = [];
    while (got.length < count) {
      const m = await next(by);
      if (m.t === type) got.push(m as Extract<ToCoordinator, { t: T }>);
    }
    return got;
  };

  /** Walks back from the state of rank `rank` at level `d`, owner by owner, then replays the steps here. */
  const traceTo = async (d: number, rank: number, extra?: number): Promise<Trace<S>> => {
    const labels: number[] = [];
    const fps: [number, number][] = [];
    let init = 0;
    for (let level = d, r = rank; ; level--) {
      await sendAll({ t: 'locate', d: level, rank: r });
      const [m] = await collect('located', 1, performance.now() + 60_000);
      fps.unshift([m!.hi, m!.lo]);
      if (m!.parent < 0) {
        init = -1 - m!.parent;
        break;
      }
      labels.unshift(m!.label);
      r = m!.parent;
    }
    if (extra !== undefined) labels.push(extra);
    return rt.replayLabels(inits[init]!, labels, (step, hi, lo) => step >= fps.length || (fps[step]![0] === hi && fps[step]![1] === lo));
  };

  try {
    beat = setInterval(() => void t.put(heartbeatKey(search), 'coordinator', HEARTBEAT_MS).catch(() => {}), HEARTBEAT_MS / 5);
    await t.put(heartbeatKey(search), 'coordinator', HEARTBEAT_MS);
    for (const k of [aliveKey(search, 'c'), ...Array.from({ length: N }, (_, o) => aliveKey(search, o))]) await t.put(k, '1', KEY_TTL_MS);
    const identity = specIdentity(rt, { hooks: false });
    for (let i = 0; i < N; i++) {
      const job: Job = { search, index: i, nodes: N, file: cluster.file, specName: spec.name, constants, invariants: resolved.invariants, assertions: resolved.assertions, deadlock: resolved.deadlock, strict: resolved.strict, identity, ...(cluster.workers === undefined ? {} : { workers: cluster.workers }) };
      jobs.push(JSON.stringify(job));
      await t.push(JOBS, jobs[i]!);
    }
    // The nodes take the search: each loads the spec from its own file and compares its identity.
    const joinBy = performance.now() + (cluster.joinSeconds ?? 30) * 1000;
    const joined = new Set<number>();
    while (joined.size < N) {
      await look();
      if (performance.now() > joinBy) throw new ClusterStop('CLUSTER_NODES_MISSING', `only ${joined.size} of ${N} nodes took the search within ${cluster.joinSeconds ?? 30} s: start more with 'interleave node --cluster ${cluster.url}'`);
      const r = await t.wait([coordKey(search)]);
      if (r === null) continue;
      const m = JSON.parse(r.value.toString()) as ToCoordinator;
      if (m.t === 'refused') throw new InterleaveError((m.code in REFUSALS ? m.code : 'CLUSTER_SPEC_MISMATCH') as 'CLUSTER_SPEC_MISMATCH', `node ${m.node}: ${m.message}`, { node: m.node });
      if (m.t === 'failed') throw new ClusterStop(m.code, `node ${m.node}: ${m.message}`);
      if (m.t !== 'joined') continue;
      joined.add(m.i);
      threads[m.i] = Number.isInteger(m.threads) && m.threads > 0 ? m.threads : 1;
      names[m.i] = m.node;
      ids[m.i] = m.id;
      joinedNodes = [...joined];
    }
    await sendAll({ t: 'go', peers: ids });
    options.onEvent?.({ type: 'start', spec: spec.name, constants: { ...(rt.constants as Record<string, unknown>) }, codec: rt.codec.mode });

    for (let d = 0; ; d++) {
      lastDepth = d;
      const sums = await collect('level');
      sums.sort((a, b) => a.i - b.i);
      const generatedBefore = generated;
      for (const s of sums) {
        generated += s.generated;
        bytesSent += s.sent;
        keyBytes += s.keys;
        for (let a = 0; a < nA; a++) {
          coverage.enabled[a]! += s.cov[a]!;
          coverage.taken[a]! += s.cov[nA + a]!;
          coverage.fresh[a]! += s.cov[2 * nA + a]!;
        }
      }
      depth = d;
      // What ends the level, as one thread decides it (level-outcome.ts).
      const cands = sums.flatMap((s) => s.cand);
      const error = firstByRank(sums.map((s) => s.error));
      const scanError = firstByRank(sums.map((s) => s.scanError));
      const violations = cands.filter((c) => c.kind !== 'deadlock');
      const deadlocks = cands.filter((c) => c.kind === 'deadlock');
      const firstViolation = violations.length ? violations.reduce((x, y) => (earlier(y, x, false) ? y : x)) : null;
      const firstDeadlock = firstByRank(deadlocks);
      const troubles = troublesAt({ error, scanError, violation: firstViolation, deadlock: firstDeadlock });
      const end = levelEnd(troubles, resolved.deadlock);
      if (end === 'error' || end === 'scanError') {
        const pe = (end === 'error' ? error : scanError)!;
        let path: string[] = [];
        let trace: Trace<S> | undefined;
        try {
          trace = await traceTo(d, pe.rank);
          path = trace.steps.slice(1).map((s) => formatStep(s.action, s.params));
        } catch (e) {
          if (e instanceof ClusterStop) throw e;
        }
        const via = path.length ? `, after ${path.join(' → ')}` : ', in an initial state';
        await sendAll({ t: 'end' });
        return { ...base(), status: 'error', error: { code: pe.error.code as never, message: `${pe.error.message}${via}`, details: { ...pe.error.details, path } }, ...(trace ? { trace } : {}) };
      }
      if (end !== null) {
        // The counts where one thread stops: at the first violation in breadth-first order (docs/distributed.md).
        const v = (end === 'deadlock' ? firstDeadlock : firstViolation)!;
        const cut = cands.reduce((x, y) => (earlier(y, x, false) ? y : x));
        await sendAll({ t: 'count', cut: cut.rank, k: cut.k });
        const counts = await collect('count');
        generated = generatedBefore + counts.reduce((n, c) => n + c.generated, 0) + cut.k + 1;
        distinct += counts.reduce((n, c) => n + c.found, 0);
        const trace = await traceTo(d, v.rank, v.kind === 'invariant' ? v.label : undefined);
        await sendAll({ t: 'end' });
        return violationResult(v, trace, depthAtEnd(end, d, troubles, firstViolation?.kind === 'invariant'));
      }
      const fresh = sums.reduce((n, s) => n + s.fresh, 0);
      if (fresh === 0) break;
      const first = distinct;
      distinct += fresh;
      queue = fresh;
      await sendAll({ t: 'continue', base: first });
      const now = performance.now();
      const secs = (now - started) / 1000;
      options.onEvent?.({ type: 'progress', distinct, generated, queue, depth: d + 1, seconds: secs, statesPerSecond: Math.round(distinct / secs) });
    }
    await sendAll({ t: 'end' });
    queue = 0;
    completed = true;
    options.onEvent?.({ type: 'done', status: 'ok' });
    return { ...base(), status: 'ok' };
  } catch (e) {
    try {
      await sendAll({ t: 'abort', why: e instanceof Error ? e.message : String(e) }, joinedNodes);
    } catch {
      /* the server may be gone: the nodes notice by themselves */
    }
    if (e instanceof ClusterStop) {
      options.onEvent?.({ type: 'done', status: 'incomplete' });
      return { ...base(), status: 'incomplete', reason: e.reason, message: e.reason === 'cluster' ? `${e.code}: ${e.message}` : e.message, ...(e.reason === 'cluster' ? { code: e.code } : {}) } as CheckResult<S> & { cluster: ClusterStats };
    }
    if (isInterleaveError(e) && e.code === 'CLUSTER_TRANSPORT_LOST') {
      options.onEvent?.({ type: 'done', status: 'incomplete' });
      return { ...base(), status: 'incomplete', reason: 'cluster', message: `${e.code}: ${e.message}`, code: e.code } as CheckResult<S> & { cluster: ClusterStats };
    }
    if (isInterleaveError(e)) throw e;
    throw new InterleaveError('INTERNAL', `distributed search failed: ${describeThrown(e)}`, {}, { cause: e });
  } finally {
    if (beat) clearInterval(beat);
    await cleanUp(t, search, N, lastDepth, jobs).catch(() => {});
    await t.close();
  }

  /** `reached`: the depth one thread reports (level-outcome.ts: depthAtEnd). */
  function violationResult(v: Candidate, trace: Trace<S>, reached: number): CheckResult<S> & { cluster: ClusterStats } {
    if (v.step) {
      const last = trace.steps[trace.steps.length - 1]!;
      trace.steps.push({ action: rt.actions[v.step.action]!.name, params: v.step.param ?? null, state: last.state });
    }
    depth = reached;
    options.onEvent?.({ type: 'done', status: 'violation' });
    return { ...base(), status: 'violation', violation: { kind: v.kind, property: v.property, message: v.message }, trace, shortest: true };
  }
}

/** Codes a node may refuse a search with (anything else is reported as a spec mismatch). */
const REFUSALS: Record<string, true> = { CLUSTER_SPEC_MISMATCH: true, SPEC_LOAD_FAILED: true, SPEC_NOT_FOUND: true, FILE_NOT_FOUND: true, CONSTANT_INVALID: true, SPEC_INVALID: true, UNKNOWN_PROPERTY: true };

export function unsupportedError(names: readonly string[]): InterleaveError {
  return new InterleaveError('CLUSTER_UNSUPPORTED', `a distributed search (--cluster) does not support ${names.join(', ')}: run without ${names.length > 1 ? 'them' : 'it'}, or on one machine`, { options: [...names] });
}

/** Deletes what the search left in the server (lists are deleted when emptied; this is the rest). */
async function cleanUp(t: Transport, search: string, N: number, depth: number, jobs: readonly string[]): Promise<void> {
  for (const j of jobs) await t.remove(JOBS, j);
  const keys = [heartbeatKey(search), aliveKey(search, 'c'), coordKey(search)];
  for (let o = 0; o < N; o++) {
    // A node may not have read its last message yet: its list goes a minute later.
    await t.expire(ctlKey(search, o), 60_000);
    keys.push(aliveKey(search, o));
    for (let d = 0; d <= depth + 1; d++) keys.push(inKey(search, o, d), keysKey(search, o, d));
  }
  await t.del(...keys);
}
