/**
 * Properties beyond the invariants and assertions the expansion core checks on every state (search/expand.ts):
 * liveness (liveness.ts; its counterexample lassos: lasso.ts) on the state graph a search records (state-graph.ts),
 * and action coverage (coverage.ts).
 */
export * from './coverage.ts';
export * from './state-graph.ts';
export * from './liveness.ts';
export * from './reachability.ts';
