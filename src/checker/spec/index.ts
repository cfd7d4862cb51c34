/**
 * A spec made ready to run (runtime.ts: constants resolved, codec compiled, successor function compiled, invariants
 * selected, replay), which properties a run checks (selection.ts), what a run of it produces (trace.ts), its identity (identity.ts: the same spec in a worker, a
 * checkpoint), where it was loaded from (spec-location.ts, load-guard.ts) and the diagnoses of its mistakes
 * (difference.ts, diagnose.ts, plain-params.ts); which guards cannot read their parameter (param-free-guard.ts).
 */
export * from './trace.ts';
export * from './constants.ts';
export * from './difference.ts';
export * from './runtime.ts';
export * from './diagnose.ts';
export * from './plain-params.ts';
export * from './identity.ts';
export * from './load-guard.ts';
export * from './spec-location.ts';
export * from './selection.ts';
export * from './param-free-guard.ts';
