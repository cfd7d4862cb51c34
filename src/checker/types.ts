import type { ErrorCode, ErrorDetails } from '../errors.ts';
import type { CheckpointOptions, SearchSnapshot } from './checkpoint.ts';

/** One step of a trace: the action taken (with its parameter) and the state after it. */
export interface TraceStep<S = unknown> {
  /** `init` for the first step. */
  action: string;
  /** The action's parameter, or null for an action without parameters (and for `init`). */
  params: unknown;
  state: S;
}

/** A path through the state space. `steps[0]` is an initial state; k actions give k+1 steps. */
export interface Trace<S = unknown> {
  steps: TraceStep<S>[];
  /** For a lasso (liveness counterexample): the index of the step where the loop starts. */
  loop?: number;
}

export type Strategy = 'bfs' | 'dfs' | 'random';

/** Options of `check`. Every field has a default; the result echoes the options used. */
export interface CheckOptions {
  /** Constants, merged over the schema's defaults and validated by it. */
  constants?: Record<string, unknown>;
  /** Names of the invariants to check (default: all). */
  invariants?: readonly string[];
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

export type ViolationKind = 'invariant' | 'assertion' | 'deadlock' | 'property';

export interface Violation {
  kind: ViolationKind;
  /** The invariant, assertion or property name (`deadlock` for a deadlock). */
  property: string;
  message: string;
}

export type IncompleteReason = 'maxDepth' | 'maxStates' | 'timeLimit' | 'interrupted' | 'memory';

export interface ResultBase {
  spec: string;
  constants: Record<string, unknown>;
  options: ResolvedOptions;
  stats: CheckStats;
  fingerprint: FingerprintInfo;
  seed: number;
  /** The state codec used: `packed` (fixed-width bit fields) or `dynamic` (generic canonical form). */
  codec: 'packed' | 'dynamic';
}

export interface ResolvedOptions {
  strategy: Strategy;
  invariants: string[];
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
    })
  | (ResultBase & { status: 'incomplete'; reason: IncompleteReason; message: string })
  | (ResultBase & { status: 'error'; error: { code: ErrorCode; message: string; details: ErrorDetails }; trace?: Trace<S> });

export type CheckEvent =
  | { type: 'start'; spec: string; constants: Record<string, unknown>; codec: 'packed' | 'dynamic' }
  | { type: 'progress'; distinct: number; generated: number; queue: number; depth: number; seconds: number; statesPerSecond: number }
  | { type: 'done'; status: CheckResult['status'] };
