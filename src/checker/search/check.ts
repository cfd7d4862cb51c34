import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';
import { SpecRuntime, refuseCheckWhileLoading, selectionFor } from '../spec/index.ts';
import { compareValues, toJson } from '../../trace/values.ts';
import { CapacityError } from '../state/index.ts';
import type { CheckOptions, CheckResult, ResolvedOptions } from '../types.ts';
import { Search } from './engine.ts';
import { WorkerLoadFailure, checkParallel, runsInParallel } from './parallel.ts';
import { simulate } from './simulate.ts';
import { runAuto, type HandoverAt } from './auto.ts';
import { checkWitness, judgeReachability } from './reachability.ts';
import { emptyStats, resultBase } from './result-base.ts';

/**
 * Checks a spec: the entry of every search. Returns a value; never prints, never exits. Picks the search: random
 * simulation (simulate.ts), worker threads (parallel.ts) when they can run it, else one thread (engine.ts), which
 * is also where a worker search falls back to when the workers cannot load the spec.
 *
 * The frontier holds encoded states as records `[id, depth, length, ...words]` in one growable Int32Array;
 * the seen-set holds fingerprints, parents and step labels. States are decoded when expanded and encoded once
 * per successor; a counterexample is rebuilt by replaying step labels from the initial state.
 */
export function check<S, C>(spec: Spec<S, C>, options: CheckOptions = {}): Promise<CheckResult<S>> {
  // Refused, synchronously, in a search worker and while the CLI imports a spec file (load-guard.ts).
  refuseCheckWhileLoading();
  return checkSpec(spec, options);
}

async function checkSpec<S, C>(spec: Spec<S, C>, options: CheckOptions, handoverAt: HandoverAt | null = null): Promise<CheckResult<S>> {
  return plainError(await checkAny(spec, options, handoverAt));
}

/** `check` with `workers: 'auto'`, handing the search over to the workers at the first level `at` accepts (tests). */
export function checkHandingOverAt<S, C>(spec: Spec<S, C>, options: CheckOptions, at: HandoverAt): Promise<CheckResult<S>> {
  refuseCheckWhileLoading();
  return checkSpec(spec, { ...options, workers: 'auto' }, at);
}

/**
 * An error's details are plain data, so that a result always prints as JSON (--json): a spec's parameter in
 * `details.params` may be a bigint or hold a cycle. What a trace can hold is written as a trace writes it
 * (`toJson`, docs/trace-format.md: a bigint as `{"#bigint": "5"}`, a Set as `{"#set": [...]}`, a Map as
 * `{"#map": [[k, v], ...]}`, ±Infinity and NaN as `{"#unserializable": "…"}`), so a parameter reads the same in
 * an error and in a trace; cycles become `"[cycle]"`, functions `"[function]"`.
 */
function plainError<S>(r: CheckResult<S>): CheckResult<S> {
  if (r.status === 'error') r.error.details = plainData(r.error.details, []) as typeof r.error.details;
  return r;
}

export function plainData(v: unknown, ancestors: unknown[]): unknown {
  if (typeof v === 'bigint' || typeof v === 'number') return toJson(v);
  if (typeof v === 'function') return '[function]';
  if (typeof v === 'symbol') return String(v);
  if (typeof v !== 'object' || v === null) return v;
  if (ancestors.includes(v)) return '[cycle]';
  if (ancestors.length > 50) return '[too deep]';
  const inner = [...ancestors, v];
  if (v instanceof Set) return { '#set': [...v].map((x) => plainData(x, inner)).sort(compareValues) };
  if (v instanceof Map) return { '#map': [...v].map(([k, x]) => [plainData(k, inner), plainData(x, inner)]).sort((a, b) => compareValues(a[0], b[0])) };
  if (Array.isArray(v)) return v.map((x) => plainData(x, inner));
  if (v instanceof Error) return describeThrown(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = plainData((v as Record<string, unknown>)[k], inner);
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
  }
  return out;
}

async function checkAny<S, C>(spec: Spec<S, C>, options: CheckOptions, handoverAt: HandoverAt | null): Promise<CheckResult<S>> {
  if (options.strategy === 'random') return simulate(spec, options);
  const started = now();
  // The one resolver of property names (docs/properties.md): a name of any kind in any list goes to its kind.
  const { selection, unknown } = selectionFor(spec, options);
  const resolved: ResolvedOptions = {
    strategy: options.strategy ?? 'bfs',
    properties: selection.properties,
    reachable: selection.reachable,
    symmetry: options.symmetry ?? false,
    invariants: selection.invariants,
    assertions: selection.assertions,
    deadlock: options.deadlock ?? true,
    maxDepth: options.maxDepth ?? null,
    maxStates: options.maxStates ?? null,
    timeLimit: options.timeLimit ?? null,
    strict: options.strict ?? false,
  };
  const seed = options.seed ?? 0;
  if (unknown !== null) return errorResult(spec, options.constants ?? {}, resolved, seed, started, unknown);
  try {
    checkWitness(spec, options.witness, selection.reachable);
  } catch (e) {
    return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
  }
  let rt: SpecRuntime<S, C>;
  try {
    rt = new SpecRuntime(spec, { ...options, invariants: resolved.invariants, assertions: resolved.assertions });
  } catch (e) {
    return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
  }
  // The parallel engine does breadth-first safety checking; liveness (which needs the state graph), symmetry
  // and other strategies run on one thread.
  const auto = options.workers === 'auto';
  const workers = typeof options.workers === 'number' ? Math.max(1, Math.floor(options.workers)) : 1;
  let fallback: string | null = null;
  if (runsInParallel(spec, { ...options, workers })) {
    try {
      // A spec mistake in the initial states is a result, as on one thread (found before any worker starts).
      rt.initialStates();
    } catch (e) {
      await options.workerPool?.terminate();
      return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
    }
    try {
      return noteSkipped(spec, resolved, judgeReachability(await checkParallel(spec, rt, options, resolved, seed, started, workers), resolved, options));
    } catch (e) {
      if (!(e instanceof WorkerLoadFailure)) throw e;
      fallback = `${e.message}; searched on one thread instead`;
    }
  }
  await options.workerPool?.terminate();
  let search: Search<S, C>;
  try {
    search = new Search(rt, resolved, options, started, seed);
  } catch (e) {
    return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
  }
  if (fallback !== null) search.warnings.push(fallback);
  try {
    const r = auto ? await runAuto(search, spec, rt, options, resolved, seed, started, handoverAt) : await search.run();
    return noteSkipped(spec, resolved, judgeReachability(r, resolved, options));
  } catch (e) {
    if (e instanceof CapacityError) return search.outOfMemory(e);
    return search.fail(e);
  }
}


/**
 * Says which declared assertions a run did not check (a step where one fails was dropped, so the states beyond it
 * were not explored): a run that passes with an assertion deselected has not shown that the assertion holds.
 */
function noteSkipped<S>(spec: Spec, resolved: ResolvedOptions, r: CheckResult<S>): CheckResult<S> {
  const off = resolved.assertions === null ? [] : (spec.assertions ?? []).map((a) => a.name).filter((n) => !resolved.assertions!.includes(n));
  if (off.length === 0 || r.status === 'error') return r;
  const note = `assertion${off.length > 1 ? 's' : ''} ${off.map((n) => `'${n}'`).join(', ')} not checked: a step where ${off.length > 1 ? 'one' : 'it'} fails is dropped (no successor), so states beyond it were not explored`;
  return { ...r, warnings: [...(r.warnings ?? []), note] };
}

function now(): number {
  return performance.now();
}

export function errorResult<S>(spec: Spec<S, any>, constants: Record<string, unknown>, options: ResolvedOptions, seed: number, started: number, e: unknown): CheckResult<S> {
  const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', describeThrown(e), {}, { cause: e });
  const seconds = (now() - started) / 1000;
  return {
    status: 'error',
    ...resultBase(spec, constants, options, emptyStats(seconds, 1), seed, 'packed'),
    error: { code: err.code, message: err.message, details: err.details },
  };
}
