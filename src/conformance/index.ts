/** Conformance: a spec drives a real system (`testConformance`), and a recorded log is checked against a spec (`validateLog`). */
export { testConformance, allPaths, isBehaviour } from './run.ts';
export { validateLog, parseLog, partialDifference } from './validate-log.ts';
export { enabledSteps, showStep, type SpecStep } from './steps.ts';
export type * from './types.ts';
