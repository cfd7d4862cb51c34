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
 * `workers: 'auto'` (the CLI's default): the search starts on one thread. Once it has run AUTO_WORKERS_AFTER_MS and
 * a handover is due (handoverDue), worker threads, one per core, start and load the spec; once they are ready and a
 * handover is still due, the search stops between two expansions and the workers go on from there with everything
 * it found (engine.ts: LevelHandover), so nothing is searched twice. A search that ends within the first second
 * never starts a worker (on a machine with few cores, loading them would slow it down). The counts, the coverage and
 * the counterexample are those of any number of workers; `stats.workers` says how many threads the search ended on,
 * `stats.seconds` counts from the start.
 */
export const AUTO_WORKERS_AFTER_MS = 1000;
/** How often a search past AUTO_WORKERS_AFTER_MS looks again whether a handover is due, to start the workers. */
const AUTO_RECHECK_MS = 100;

/**
 * What a handover costs, in seconds of the search: the workers take the tables over (tens of milliseconds), then
 * each compiles the search's code afresh and runs slower until it has (about 0.15 s on two workers; docs/performance.md,
 * "Worker warm-up").
 */
const HANDOVER_COST_S = 0.2;
/**
 * And for each state found so far: the workers' tables take over the thread's seen-set, its entries copied into
 * fresh memory (43 ms for 860,000 states of gossip 2/4: SharedTables.adopt in parallel.ts).
 */
const HANDOVER_COST_S_PER_STATE = 5e-8;
/**
 * And the workers' loading, a share of it for each core: about 0.3 s of CPU each, which on a machine with no core to
 * spare slows this thread while it goes on searching (two workers on 2 cores: ready after 0.5 s instead of 0.35).
 */
const LOADING_COST_S = 0.3;
/** The share of one worker per core that a parallel search is counted on (issue 19's goal for 16 cores). */
const PARALLEL_EFFICIENCY = 0.75;

/** The least work (seconds of this thread's) waiting in the frontier for which workers are worth starting at all. */
const MIN_WAITING_S = 0.05;

/**
 * Whether the workers should start, and once ready take the search over, now. The search has expanded states at
 * `secondsPerState` for `searchedSeconds`, has found `found` states and has `queued` waiting in the frontier (the
 * rest of the level and the next level found so far). With `cores` workers at PARALLEL_EFFICIENCY, a second of this
 * thread's work takes 1 / (0.75 × cores) s, so the workers save `gain` = 1 − 1 / (0.75 × cores) of what is left,
 * against the handover's cost (HANDOVER_COST_S and a share per state found). What is left is not known; two
 * estimates, either of which is enough:
 * - the waiting states' work alone (a lower bound: the levels after them are not known yet) pays for the handover:
 *   for a search of under a million states, about 0.6 s of work on 2 cores, 0.3 s on 4, 0.22 s on 16. A search
 *   near its end (the frontier shrinking level by level) stays on its warm thread. (The workers' loading is not
 *   counted here: the bound is low already for a search that grows, and counting it delayed two-phase commit with
 *   8 RMs by 0.5 s on 2 cores.)
 * - the search has gone on past the first second for as long as the handover, the loading included
 *   (LOADING_COST_S shared by the cores), could cost it: cost / gain, about 1.05 s on 2 cores, 0.24 s on 16. As a
 *   renter buys once the rent paid reaches the price, so a long search whose levels each hold less than that (a
 *   deep, narrow one) still goes parallel, losing at most that time. Not when less than MIN_WAITING_S waits: a
 *   frontier of a few states cannot be shared.
 */
export function handoverDue(queued: number, found: number, secondsPerState: number, searchedSeconds: number, cores: number): boolean {
  const gain = 1 - 1 / (PARALLEL_EFFICIENCY * cores);
  if (gain <= 0) return false;
  const cost = HANDOVER_COST_S + found * HANDOVER_COST_S_PER_STATE;
  const waiting = queued * secondsPerState;
  return waiting * gain >= cost || (searchedSeconds >= AUTO_WORKERS_AFTER_MS / 1000 + (cost + LOADING_COST_S / cores) / gain && waiting >= MIN_WAITING_S);
}

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
  const searching = performance.now();
  /** Whether a handover is due now (handoverDue), at this thread's pace so far. */
  const due = (): boolean => {
    const searched = (performance.now() - searching) / 1000;
    return handoverDue(search.queueSize(), search.seen.size, searched / Math.max(1, search.x.expanded), searched, cores);
  };
  // The workers start once the search has run AUTO_WORKERS_AFTER_MS and a handover is due (else it looks again every
  // AUTO_RECHECK_MS): on 2 cores, loading them slows the thread, for nothing if they never take over. By a timer,
  // so between two slices of the search (not inside one: the pool runs the spec's first steps).
  let timer: ReturnType<typeof setTimeout> | null = null;
  const tick = (): void => {
    if (due()) start();
    else timer = setTimeout(tick, AUTO_RECHECK_MS);
  };
  if (location !== null && at === null) timer = setTimeout(tick, Math.max(0, AUTO_WORKERS_AFTER_MS - (performance.now() - started)));
  const handOver = location === null ? null : (depth: number, expanded: number): boolean => ready && (at === null ? due() : at(depth, expanded));
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
