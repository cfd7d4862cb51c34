/**
 * Conformance testing: the types shared by `testConformance` (a spec drives a real system) and `validateLog`
 * (a recorded log is checked against a spec). Results are values; nothing here prints.
 */

/** One step of a behaviour: an action of the spec and its parameter as plain data (null: no parameter). */
export interface BehaviourStep {
  action: string;
  params: unknown;
}

/** What every driver call receives: an abort signal (fired at the step timeout) and the deadline it stands for. */
export interface DriverContext {
  signal: AbortSignal;
  /** `performance.now()` value at which the call times out; waits for convergence should end before it. */
  deadline: number;
}

/**
 * The bridge to the real system. Each call is awaited, with a timeout (`stepTimeout`).
 * - `reset` brings the system to the spec's initial state; it is called before every behaviour.
 * - `step` performs one action of the spec with its parameter on the real system, and returns once the system has
 *   settled: where the system converges asynchronously (a replica catching up), `step` waits for it explicitly,
 *   polling with a deadline, never with a fixed sleep. A step that throws is a divergence (the system refused an
 *   action the spec allows).
 * - `observe` reads the system's state and returns it as a view, the same shape `view(state)` gives for the spec.
 */
export interface Driver<V> {
  reset(context: DriverContext): Promise<void>;
  step(action: string, params: unknown, context: DriverContext): Promise<void>;
  observe(context: DriverContext): Promise<V>;
}

/** Maps a spec state to what the real system lets one observe of it (a plain-data value, compared by equality). */
export type ViewFunction<S, C, V> = (state: S, constants: C) => V;

export interface ConformanceOptions<S, C, V> {
  /** The spec state as the driver's `observe` sees the system (default: the whole state). */
  view?: ViewFunction<S, C, V>;
  /** Constants for the spec (the rest take their defaults). */
  constants?: Record<string, unknown>;
  /** Seed of the random walks (default 0). Walk k uses the checker's `walkSeed(seed, k)`. */
  seed?: number;
  /** Number of random walks (default 20). */
  walks?: number;
  /** Steps per random walk at most (default 8; a walk ends early in a state where no action is enabled). */
  walkLength?: number;
  /**
   * Also run every behaviour of 1, 2, ... up to this many steps (fewer where no action is enabled), in the checker's
   * order, before the walks (default 0: none). A divergence found there is the shortest within the depth.
   */
  depth?: number;
  /** Run exactly these behaviours (steps by action name and parameter) instead of generating them. */
  behaviours?: readonly (readonly BehaviourStep[])[];
  /** Milliseconds each driver call (reset, step, observe) may take (default 10 000). */
  stepTimeout?: number;
  /** Shrink a divergence to a shorter behaviour that still diverges (default true). */
  shrink?: boolean;
  /** Behaviours the shrinker may run at most (default 50). */
  maxShrinkRuns?: number;
  /** Called after every step run against the system (for progress, or to record a log). */
  onStep?: (event: ConformanceStepEvent<V>) => void;
  /** Aborting it stops the run between steps (the result is `incomplete`). */
  signal?: AbortSignal;
}

export interface ConformanceStepEvent<V> {
  /** Which behaviour: `walk` k, exhaustive `path` k, `given` k, or a `shrink` run. */
  behaviour: { kind: BehaviourKind; index: number };
  /** 0 for the state observed after reset; then the step's number. */
  step: number;
  action: string;
  params: unknown;
  expected: V;
  observed: V;
}

export type BehaviourKind = 'walk' | 'path' | 'given' | 'shrink';

/** How the real system departed from the spec. */
export interface Divergence<V> {
  /**
   * `state`: the observation differs from the view of the spec's state; `step-failed`: the driver's step threw
   * (the system refused an action the spec allows); `timeout`: the step did not finish within `stepTimeout`.
   */
  kind: 'state' | 'step-failed' | 'timeout';
  /** The (shrunk) behaviour; its last step is where the system diverged (none: right after reset). */
  steps: BehaviourStep[];
  /** The view of the spec's state after the last step, and what was observed (null unless kind is `state`). */
  expected: V;
  observed: V | null;
  /** The first field that differs (`nodes[1].link`, '' for the whole view; null unless kind is `state`). */
  field: string | null;
  expectedValue: unknown;
  observedValue: unknown;
  /** One line that says what happened. */
  message: string;
  /** The behaviour that first diverged before shrinking, and how to get it again. */
  found: { kind: BehaviourKind; index: number; seed: number; length: number };
  /** Behaviours run while shrinking. */
  shrinkRuns: number;
}

interface ConformanceBase {
  spec: string;
  constants: Record<string, unknown>;
  seed: number;
  /** Behaviours run (shrink runs excluded) and steps run in them. */
  behaviours: number;
  steps: number;
  /** How often each action was driven (shrink runs excluded). */
  coverage: Record<string, number>;
  seconds: number;
}

export type ConformanceResult<V = unknown> =
  | (ConformanceBase & { status: 'ok' })
  | (ConformanceBase & { status: 'divergence'; divergence: Divergence<V> })
  | (ConformanceBase & { status: 'incomplete'; reason: 'interrupted'; message: string })
  | (ConformanceBase & { status: 'error'; error: { code: string; message: string; details?: Record<string, unknown> } });

/** A recorded log of a real system: events (actions, optionally with parameters and a partial observation). */
export interface ObservedLog {
  /** Constants of the spec for this log (the rest take their defaults; options.constants wins). */
  constants?: Record<string, unknown>;
  /** A partial view of the initial state (only the fields given are compared). */
  initial?: unknown;
  events: readonly ObservedEvent[];
}

export interface ObservedEvent {
  action: string;
  /** The parameter as plain data; absent: any parameter of the action's domain may have been taken. */
  params?: unknown;
  /** A partial view of the state after the event (only the fields given are compared). */
  observed?: unknown;
}

export interface ValidateLogOptions<S, C, V> {
  view?: ViewFunction<S, C, V>;
  constants?: Record<string, unknown>;
  /** Actions the log does not record: any number of them may happen between two events (default none). */
  silent?: readonly string[];
  /** Spec states the search may hold at most (default 100 000; beyond: `incomplete`). */
  maxStates?: number;
}

export type LogValidationResult =
  | { status: 'ok'; spec: string; events: number; states: number; /** One behaviour of the spec that matches the log. */ behaviour: BehaviourStep[] }
  | {
      status: 'mismatch';
      spec: string;
      events: number;
      states: number;
      /** Events 0..matched-1 are explained by some behaviour; event `matched` is not (-1: the initial observation). */
      matched: number;
      /** The unexplained event (null: the initial observation). */
      event: ObservedEvent | null;
      /** Why: no such action, not enabled, parameter not in the domain, or the observation differs (with the field). */
      message: string;
      /** How many spec states were consistent with the matched prefix. */
      candidates: number;
      /** A behaviour of the spec that matches the longest prefix. */
      behaviour: BehaviourStep[];
    }
  | { status: 'incomplete'; spec: string; events: number; states: number; matched: number; message: string };
