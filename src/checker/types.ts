import type { ErrorCode, ErrorDetails } from '../errors.ts';
import type { Coverage } from './properties/index.ts';
import type { ExplorationObserver } from './properties/index.ts';
export type { Coverage, ActionCoverage } from './properties/index.ts';
import type { CheckpointOptions, SearchSnapshot } from './persistence/index.ts';

export type { Trace, TraceStep } from './spec/index.ts';
import type { Trace } from './spec/index.ts';

export type Strategy = 'bfs' | 'dfs' | 'random';

/** Options of `check`. Every field has a default; the result echoes the options used. */
export interface CheckOptions {
  /** Constants, merged over the schema's defaults and validated by it. */
  constants?: Record<string, unknown>;
  /**
   * Which properties to check (default: all). Invariants, assertions and temporal properties share one namespace,
   * and each name goes to its own kind, whichever list holds it: `properties: ['onePrimaryPerShard']` checks that
   * invariant alone. A kind is restricted to the names of that kind when its own list is given or another list
   * names one of its members; `properties: []` means no temporal property (invariants and assertions all
   * checked). `skipProperties` then removes names of any kind. See docs/properties.md.
   */
  invariants?: readonly string[];
  /** Names of the declared assertions to check (see `invariants`); a deselected assertion that fails drops its step. */
  assertions?: readonly string[];
  /** Names to leave unchecked, of any kind (see `invariants`). */
  skipProperties?: readonly string[];
  /** Names of the temporal properties to check (default: all; `[]` for none). Needs a complete search. */
  properties?: readonly string[];
  /** Names of the `reachable` predicates to check (see `invariants`; default: all). docs/reachability.md. */
  reachable?: readonly string[];
  /** Also return the trace to the first state found where this `reachable` predicate holds (`result.witness`). */
  witness?: string;
  /** Fail a complete run (status `unreached`) when a temporal property holds only vacuously (default: warn). */
  strictVacuity?: boolean;
  /** `bfs` (default; shortest counterexamples), `dfs` (a stack: lean on memory), `random` (simulation). */
  strategy?: Strategy;
  /** Reduce states to their symmetry representative (the spec must declare `symmetry`). Default false. */
  symmetry?: boolean;
  /** Random simulation: how many walks (default 1000); each is at most `maxDepth` steps (default 100). */
  runs?: number;
  /** Receives every distinct state and transition (graph export). Slows the search. */
  observer?: ExplorationObserver<any>;
  /** Report states with no enabled action as a violation named `deadlock` (default: true). */
  deadlock?: boolean;
  /** Stop expanding at this depth (number of actions from an initial state). Default: none. */
  maxDepth?: number;
  /** Stop after this many distinct states. Default: none. */
  maxStates?: number;
  /** Stop after this many seconds. Default: none. */
  timeLimit?: number;
  /** Check every successor against the state schema and freeze states to catch mutation (default: false). */
  strict?: boolean;
  /** Called with progress and lifecycle events. */
  onEvent?: (event: CheckEvent) => void;
  /** How often a `progress` event is emitted, in milliseconds (default 2000). */
  progressInterval?: number;
  /** Aborting it stops the search: the result is `incomplete` with reason `interrupted`. */
  signal?: AbortSignal;
  /**
   * Stop cleanly (incomplete, reason `memory`) once the search's own tables, or the memory `memoryProbe`
   * reports (checked every ~50 ms), pass this many bytes.
   */
  memoryLimit?: number;
  /** Reports the process's memory in bytes (the CLI passes RSS); used for `peakMemoryBytes` and `memoryLimit`. */
  memoryProbe?: () => number;
  /** Save the search periodically and when it stops early (interrupt, time or memory limit); see checkpoint.ts. */
  checkpoint?: CheckpointOptions;
  /** Continue a search from a snapshot (it must come from the same spec, constants and options). */
  resume?: SearchSnapshot;
  /** Seed for random choices (echoed in results and traces). Default 0. */
  seed?: number;
  /**
   * Worker threads for the breadth-first search (default 1). With more than one, the spec is loaded again in
   * each worker from the module that defined it (`spec.sourceUrl`); a spec without one runs on one thread.
   * Liveness, symmetry and DFS run on one thread. `'auto'`: one thread first, then one worker per core from the
   * next level once the search has run a second and the workers are ready (search/auto.ts). Random simulation
   * splits its walks into this many deterministic slices (see docs/strategies.md; `'auto'` is one).
   */
  workers?: number | 'auto';
  /** Workers started ahead with `startWorkerPool(spec, options)` (same spec and options); used once, then ended. */
  // The file, not search/index.ts: the searches import these types (no import circle).
  workerPool?: import('./search/worker-pool.ts').WorkerPool;
  /** Use the generic (dynamic) state codec even where the packed one applies (for testing). */
  forceDynamicCodec?: boolean;
}

export interface CheckStats {
  /** Distinct reachable states found. */
  distinct: number;
  /** Initial states plus every successor computed, duplicates included (TLC's "states generated"). */
  generated: number;
  /** The largest number of actions from an initial state to a distinct state found (BFS: the last level). */
  depth: number;
  seconds: number;
  statesPerSecond: number;
  /** States waiting to be expanded when the search stopped. */
  queue: number;
  /** Peak memory: the process's resident size if a probe was given, else the search's own tables. */
  peakMemoryBytes: number;
  /** Bytes of the seen-set and frontier divided by distinct states. */
  bytesPerState: number;
  workers: number;
}

/** TLC's estimate of the probability that two distinct states shared a 64-bit fingerprint. */
export interface FingerprintInfo {
  bits: 64;
  /** n·(g−n)/2^64 for n distinct and g generated states (TLC's "calculated (optimistic)" value). */
  collisionProbability: number;
}

export type ViolationKind = 'invariant' | 'assertion' | 'deadlock' | 'property' | 'unreachable' | 'vacuous';

export interface Violation {
  kind: ViolationKind;
  /** The invariant, assertion or property name (`deadlock` for a deadlock). */
  property: string;
  message: string;
}

export type IncompleteReason = 'maxDepth' | 'maxStates' | 'timeLimit' | 'interrupted' | 'memory' | 'simulation' | 'resumed' | 'cluster';

/** With `symmetry`: how much the reduction saved. */
export interface SymmetryInfo {
  /** The order of the symmetry group (identity included). */
  permutations: number;
  /** Distinct states kept (one per symmetry class). */
  representatives: number;
  /** The states they stand for (the sum of the class sizes): what a run without symmetry finds. */
  states: number;
  /** states / representatives. */
  reductionFactor: number;
}

/** With `strategy: 'random'`. */
export interface SimulationInfo {
  runs: number;
  maxDepth: number;
  /** Walks completed (all of `runs`, unless stopped early). */
  walks: number;
  walksPerSecond: number;
  /** The index of the walk whose violation is reported (the shortest, lowest index first), or null. */
  violatingWalk: number | null;
  workers: number;
}

export interface ResultBase {
  spec: string;
  constants: Record<string, unknown>;
  options: ResolvedOptions;
  stats: CheckStats;
  fingerprint: FingerprintInfo;
  seed: number;
  /** The state codec used: `packed` (fixed-width bit fields) or `dynamic` (generic canonical form). */
  codec: 'packed' | 'dynamic';
  /** Per action: enabled, taken, new states; actions never enabled; vacuous properties. */
  coverage?: Coverage;
  /** Things the user should know (unexercised actions, vacuity, symmetry with liveness, unchecked properties). */
  warnings?: string[];
  symmetry?: SymmetryInfo;
  simulation?: SimulationInfo;
  /** Each `reachable` predicate checked: reached or not (docs/reachability.md). */
  reachable?: ReachableReport[];
  /** With `witness`: the trace to the first state found where that predicate holds (a witness, not a violation). */
  witness?: Witness;
  /** Each temporal property checked on a complete run: whether it holds only vacuously (its premise never held). */
  temporal?: TemporalReport[];
}

/** One `reachable` predicate after a run. */
export interface ReachableReport {
  name: string;
  reached: boolean;
  /** Actions from an initial state to the first state found where it holds (breadth-first: the least), or null. */
  depth: number | null;
}

export interface Witness {
  name: string;
  trace: Trace;
  /** True when breadth-first search guarantees no shorter trace reaches the predicate. */
  shortest: boolean;
}

/** One temporal property after a complete run. */
export interface TemporalReport {
  property: string;
  /** True when its premise never held in a reachable state (for `forEach`: for some element, named in `instances`). */
  vacuous: boolean;
  instances?: string[];
}

export interface ResolvedOptions {
  strategy: Strategy;
  invariants: string[];
  /** Declared assertions checked (null: the spec declares none, and every assertion that fails is a violation). */
  assertions: string[] | null;
  /** Temporal properties checked. */
  properties: string[];
  /** `reachable` predicates checked (absent: none, or a result from before they existed). */
  reachable?: string[];
  symmetry: boolean;
  deadlock: boolean;
  maxDepth: number | null;
  maxStates: number | null;
  timeLimit: number | null;
  strict: boolean;
}

export type CheckResult<S = unknown> =
  | (ResultBase & { status: 'ok' })
  | (ResultBase & {
      status: 'violation';
      violation: Violation;
      trace: Trace<S>;
      /** True when the search order guarantees no shorter counterexample exists (BFS). */
      shortest: boolean;
      /**
       * A temporal property's lasso: stem and loop lengths in actions (`trace.loop` = stem). The stem is always
       * the shortest; `loopShortest`: no lasso with a stem that short has a shorter loop (docs/liveness.md).
       */
      lasso?: { stem: number; loop: number; loopShortest: boolean };
    })
  | (ResultBase & {
      /**
       * A complete search where something the spec says must happen never did: a `reachable` predicate never held
       * (kind `unreachable`), or, with `strictVacuity`, a temporal property's premise never held (kind `vacuous`).
       * There is no trace: no state shows it.
       */
      status: 'unreached';
      violation: Violation;
    })
  | (ResultBase & {
      status: 'incomplete';
      reason: IncompleteReason;
      message: string;
      /** A violation the search found, when it was interrupted while rebuilding its counterexample (no trace). */
      violation?: Violation;
    })
  | (ResultBase & { status: 'error'; error: { code: ErrorCode; message: string; details: ErrorDetails }; trace?: Trace<S> });

export type CheckEvent =
  | { type: 'start'; spec: string; constants: Record<string, unknown>; codec: 'packed' | 'dynamic' }
  | { type: 'progress'; distinct: number; generated: number; queue: number; depth: number; seconds: number; statesPerSecond: number }
  | { type: 'done'; status: CheckResult['status'] };
