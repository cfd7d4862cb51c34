import { availableParallelism } from 'node:os';
import { InterleaveError, describeThrown } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';
import type { SpecRuntime } from '../spec/index.ts';
import type { CheckOptions, CheckResult, ResolvedOptions } from '../types.ts';
import type { Search } from './engine.ts';
import { resolveSpecLocation, type SpecLocation } from '../spec/index.ts';
import { specBundleFor } from '../../spec-bundle.ts';
import { WorkerLoadFailure, checkParallel, runsInParallel, workerPoolAt, type WorkerPool } from './parallel.ts';

/**
 * `workers: 'auto'` (the CLI's default): the search starts on one thread. Once it has run AUTO_WORKERS_AFTER_MS,
 * worker threads, one per core, start and load the spec; once they are ready, the search stops between two
 * expansions and the workers go on from there with everything it found (engine.ts: LevelHandover), so nothing is
 * searched twice. A search that ends within the first second never starts a worker (on a machine with few cores,
 * loading them would slow it down). The counts, the coverage and the counterexample are those of any number of
 * workers; `stats.workers` says how many threads the search ended on, `stats.seconds` counts from the start.
 */
export const AUTO_WORKERS_AFTER_MS = 1000;

/**
 * For tests: start the workers at once, wait for them, and hand over before the first state for which this says so
 * (given the state's depth and the number of states expanded before it).
 */
export type HandoverAt = (depth: number, expanded: number) => boolean;

export async function runAuto<S, C>(
  search: Search<S, C>,
  spec: Spec<S, C>,
  rt: SpecRuntime<S, C>,
  options: CheckOptions,
  resolved: ResolvedOptions,
  seed: number,
  started: number,
  at: HandoverAt | null = null,
): Promise<CheckResult<S>> {
  const cores = availableParallelism();
  const parallel: CheckOptions = { ...options, workers: cores };
  let location: SpecLocation | null = null;
  let failure: string | null = null;
  if (cores > 1 && options.observer === undefined && runsInParallel(spec, parallel)) {
    // The module and export the workers load the spec from (the CLI's loader knows them; else they are looked up).
    const found = await resolveSpecLocation(spec);
    if ('reason' in found) failure = found.reason;
    else location = found;
    // The workers' bundle of a TypeScript spec (src/spec-bundle.ts), made now: esbuild answers through this thread's
    // event loop, which the search runs only between its slices, so started with the workers it could take seconds.
    if (location !== null) void specBundleFor(location.url);
  }
  let pool: WorkerPool | null = null;
  let ready = false;
  const start = (): void => {
    try {
      pool = workerPoolAt(spec, parallel, location!);
    } catch {
      pool = null; // the search on one thread reports the problem
    }
    pool?.ready.then(
      () => (ready = true),
      (e: unknown) => (failure = describeThrown(e).split('\n')[0]!.replace(/^[A-Z_]+: /, '')),
    );
  };
  if (location !== null && at !== null) {
    start();
    await (pool as WorkerPool | null)?.ready.catch(() => undefined);
  }
  // Started by a timer, so between two slices of the search (not inside one: the pool runs the spec's first steps).
  const timer = location !== null && at === null ? setTimeout(start, Math.max(0, AUTO_WORKERS_AFTER_MS - (performance.now() - started))) : null;
  const handOver = location === null ? null : (depth: number, expanded: number): boolean => ready && (at === null || at(depth, expanded));
  let r: Awaited<ReturnType<Search<S, C>['runUntil']>>;
  try {
    r = await search.runUntil(handOver, at !== null);
  } catch (e) {
    await (pool as WorkerPool | null)?.terminate();
    throw e;
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
  if ('status' in r) {
    // Why the workers did not take over, if they failed before the search ended: ending them now fails their loading too.
    const failed = failure;
    await (pool as WorkerPool | null)?.terminate();
    if (failed !== null && r.stats.seconds * 1000 >= AUTO_WORKERS_AFTER_MS) r.warnings = [...(r.warnings ?? []), `${failed}; searched on one thread instead`];
    return r;
  }
  try {
    return await checkParallel(spec, rt, { ...parallel, workerPool: pool! }, resolved, seed, started, cores, r);
  } catch (e) {
    // The pool was ready: its workers had loaded the spec.
    if (e instanceof WorkerLoadFailure) throw new InterleaveError('INTERNAL', `the workers could not take over the search: ${e.message}`);
    throw e;
  }
}
