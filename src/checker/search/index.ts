/**
 * The searches. One expansion core (expand.ts) used by every strategy: breadth- and depth-first on one thread
 * (engine.ts, over a frontier: frontier.ts), breadth-first on worker threads (parallel.ts coordinates levels,
 * level.ts is one worker's part of a level, worker.ts its thread, worker-pool.ts the threads; state-batch.ts is
 * what those threads do for a distributed node; level-outcome.ts decides what ends a level for both), and random
 * walks (simulate.ts, random.ts); the memory limit (memory-budget.ts) and stopping a slow expansion (breakable.ts).
 * See docs/architecture.md.
 */
export * from './expand.ts';
export * from './breakable.ts';
export * from './memory-budget.ts';
export * from './frontier.ts';
export * from './random.ts';
export * from './simulate.ts';
export * from './worker-pool.ts';
export * from './state-batch.ts';
export * from './level-outcome.ts';
export { runsInParallel, startStateWorkers, startWorkerPool } from './parallel.ts';
export * from './engine.ts';
export * from './check.ts';
export * from './result-base.ts';
