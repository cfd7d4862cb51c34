/**
 * Helpers that make a spec a regression test (vitest or any runner that reports thrown errors).
 *
 *   await expectViolation(spec, 'noReplicaLoop', { length: 6, constants: { variant: 'buggy' } });
 *   await expectHolds(spec, { distinct: 288, constants: { rms: 3 }, deadlock: false });
 *
 * Each runs the real checker and throws an Error with a readable message when the result differs; each returns
 * the CheckResult so a test can assert more. They check in strict mode by default (`strict: true`: every
 * successor is validated against the schema and states are frozen, so an action that modifies its input fails
 * the spec's own tests); pass `strict: false` for speed on large state spaces.
 */
import { check } from '../checker/index.ts';
import type { CheckOptions, CheckResult, Trace } from '../checker/index.ts';
import type { Spec } from '../model/index.ts';

export interface ExpectViolationOptions extends CheckOptions {
  /** Expected counterexample length in actions (steps minus the initial state). */
  length?: number;
  /** Expected action names of the counterexample, in order (the interleaving). */
  actions?: readonly string[];
  /** Expected distinct states explored before the violation was found. */
  distinct?: number;
}

export interface ExpectHoldsOptions extends CheckOptions {
  distinct?: number;
  generated?: number;
  depth?: number;
}

function describe(r: CheckResult): string {
  switch (r.status) {
    case 'ok':
      return `ok (${r.stats.distinct} distinct states)`;
    case 'violation':
      return `violation of '${r.violation.property}' in ${r.trace.steps.length - 1} actions: ${actionNames(r.trace).join(' → ')}`;
    case 'unreached':
      return `unreached: ${r.violation.message}`;
    case 'incomplete':
      return `incomplete (${r.reason}: ${r.message})`;
    case 'error':
      return `error ${r.error.code}: ${r.error.message}`;
  }
}

/** The action names of a trace, without the initial step. */
export function actionNames(trace: Trace): string[] {
  return trace.steps.slice(1).map((s) => s.action);
}

/** Checks `spec` and throws unless it violates `property` (with the given length, actions, distinct count). */
export async function expectViolation<S, C>(spec: Spec<S, C>, property: string, options: ExpectViolationOptions = {}): Promise<Extract<CheckResult<S>, { status: 'violation' }>> {
  const r = await check(spec, { strict: true, ...options });
  if (r.status !== 'violation') throw new Error(`${spec.name}: expected a violation of '${property}', got ${describe(r as CheckResult)}`);
  const problems: string[] = [];
  if (r.violation.property !== property) problems.push(`property '${r.violation.property}' instead of '${property}'`);
  const length = r.trace.steps.length - 1;
  if (options.length !== undefined && length !== options.length) problems.push(`length ${length} instead of ${options.length}`);
  const names = actionNames(r.trace);
  if (options.actions !== undefined && names.join(',') !== options.actions.join(',')) {
    problems.push(`actions ${names.join(' → ')} instead of ${options.actions.join(' → ')}`);
  }
  if (options.distinct !== undefined && r.stats.distinct !== options.distinct) problems.push(`${r.stats.distinct} distinct states instead of ${options.distinct}`);
  if (problems.length) throw new Error(`${spec.name}: ${problems.join('; ')} (got ${describe(r as CheckResult)})`);
  return r;
}

/** Checks `spec` and throws unless every invariant holds on the complete state space (with the given counts). */
export async function expectHolds<S, C>(spec: Spec<S, C>, options: ExpectHoldsOptions = {}): Promise<Extract<CheckResult<S>, { status: 'ok' }>> {
  const r = await check(spec, { strict: true, ...options });
  if (r.status !== 'ok') throw new Error(`${spec.name}: expected every property to hold, got ${describe(r as CheckResult)}`);
  const problems: string[] = [];
  for (const key of ['distinct', 'generated', 'depth'] as const) {
    const want = options[key];
    if (want !== undefined && r.stats[key] !== want) problems.push(`${key} ${r.stats[key]} instead of ${want}`);
  }
  if (problems.length) throw new Error(`${spec.name}: ${problems.join('; ')}`);
  return r;
}

// Conformance: a spec drives a real system, and a recorded log is checked against a spec (docs/conformance.md).
export {
  testConformance,
  validateLog,
  parseLog,
  partialDifference,
  allPaths,
  isBehaviour,
  type Driver,
  type DriverContext,
  type ViewFunction,
  type BehaviourStep,
  type ConformanceOptions,
  type ConformanceResult,
  type ConformanceStepEvent,
  type Divergence,
  type ObservedLog,
  type ObservedEvent,
  type ValidateLogOptions,
  type LogValidationResult,
} from '../conformance/index.ts';
