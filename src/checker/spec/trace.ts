/** The trace types: what a search, a replay and the trace tools produce (re-exported by ../types.ts). */

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
