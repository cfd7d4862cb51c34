/**
 * The checker's public exports (re-exported by src/index.ts: these names are permanent). Each folder is entered
 * through its own index.ts; the map is in docs/architecture.md.
 */
export { check, simulate, Random, walkSeed, QueueFrontier, StackFrontier, frontierFor, type Frontier, startWorkerPool, runsInParallel, WorkerPool } from './search/index.ts';
export { SpecRuntime, formatStep, resolveConstants } from './spec/index.ts';
export { compileCodec, WordBuffer, type StateCodec, SeenSet, fingerprint, FP } from './state/index.ts';
export type * from './types.ts';
export { StateGraph, type ExplorationObserver, LivenessRun, checkInstance, components, expandProperties, type PropertyInstance, type LivenessVerdict, CoverageCounters, coverageWarnings } from './properties/index.ts';
export { SymmetryReducer, allPermutations, permutationsOf } from './reductions/index.ts';
