/**
 * Replay: re-execute a trace against its spec and say whether it reproduces, or where it diverges. Pure: the
 * caller loads the spec and the trace. Deterministic specs always reproduce their own traces; a divergence
 * means the spec changed since the trace was written, the constants differ, the trace was edited, or the spec
 * is not a function of its inputs (Math.random, Date, iteration order, mutation).
 */
import { SpecRuntime, formatStep, type SpecRuntime as Runtime } from '../checker/index.ts';
import { checkDomain } from '../checker/spec/index.ts';
import { describeThrown, isInterleaveError } from '../errors.ts';
import { isAssertionFailure, type Spec, type SpecAction } from '../model/index.ts';
import { toJson, type TraceFile } from './format.ts';
import { valueAt } from './values.ts';
import { equalValues, firstDifference } from './diff.ts';

export type ReplayDivergenceReason =
  /** steps[0].state is not an initial state. */
  | 'not-initial'
  /** The spec has no action of the recorded name. */
  | 'unknown-action'
  /** The recorded parameter is not in the action's parameter domain in that state. */
  | 'param-not-in-domain'
  /** The action's guard is false for the recorded parameter. */
  | 'guard-false'
  /** The action is not urgent and an urgent action is enabled in that state (docs/urgent-actions.md). */
  | 'preempted'
  /** The action threw (an assertion failing is reported as `assertion`). */
  | 'action-threw'
  /** The action failed an assert(): the counterexample of an assertion ends here. */
  | 'assertion'
  /** The state the action produced differs from the recorded state. */
  | 'state-differs'
  /** A lasso whose last state is not the state of step `loop` (the loop does not close). */
  | 'loop-not-closed';

export type ReplayResult =
  | {
      ok: true;
      steps: number;
      /** The assertion the last step failed, for an assertion counterexample. */
      assertion?: string;
      /** For a lasso: the step the last one leads back to (checked: the states are equal). */
      loop?: number;
    }
  | {
      ok: false;
      /** The index of the step that diverges (0: the initial state). */
      step: number;
      /** The first differing field (`net[1].epoch`), `action` or `params`, or '' for the whole state. */
      field: string;
      expected: unknown;
      actual: unknown;
      reason: ReplayDivergenceReason;
      message: string;
    };

/** Re-executes `trace` against `spec` with the trace's constants. Throws only for bad constants (CONSTANT_INVALID). */
export function replay(spec: Spec, trace: TraceFile): ReplayResult {
  const rt = new SpecRuntime(spec, { constants: trace.constants });
  const first = trace.steps[0]!;
  const inits = rt.initialStates().map((s) => toJson(s));
  if (!inits.some((s) => equalValues(s, first.state))) {
    const nearest = inits[0];
    const field = firstDifference(first.state, nearest) ?? '';
    return diverge(0, field, valueAt(first.state, field), valueAt(nearest, field), 'not-initial', `step 0 is not an initial state of '${spec.name}'${inits.length > 1 ? ` (none of ${inits.length})` : ''}${field ? `: field ${field}` : ''}`);
  }
  let state: unknown = rt.initialStates()[inits.findIndex((s) => equalValues(s, first.state))];
  for (let i = 1; i < trace.steps.length; i++) {
    const step = trace.steps[i]!;
    const action = rt.actions.find((a) => a.name === step.action);
    if (!action) {
      return diverge(i, 'action', step.action, null, 'unknown-action', `step ${i}: spec '${spec.name}' has no action '${step.action}' (known: ${rt.actions.map((a) => a.name).join(', ')})`);
    }
    const found = findParam(rt, action, state, step.params);
    if ('error' in found) return diverge(i, 'params', step.params, null, 'action-threw', `step ${i}: the parameter domain of '${action.name}' threw ${found.error}`);
    if (!found.ok) {
      return diverge(i, 'params', step.params, found.domain, 'param-not-in-domain', `step ${i}: ${formatStep(action.name, step.params)} is not among the ${found.domain.length} choices of '${action.name}' in this state`);
    }
    const param = found.param;
    let enabled: boolean;
    try {
      enabled = rt.enabled(action, state, param);
    } catch (e) {
      return diverge(i, 'action', step.action, null, 'action-threw', `step ${i}: the guard of ${formatStep(action.name, step.params)} threw ${describeThrown(e)}`);
    }
    if (!enabled) return diverge(i, 'action', step.action, null, 'guard-false', `step ${i}: ${formatStep(action.name, step.params)} is not enabled (its guard is false)`);
    let urgent: ReturnType<Runtime['preemptedBy']>;
    try {
      urgent = rt.preemptedBy(action, state);
    } catch (e) {
      return diverge(i, 'action', step.action, null, 'action-threw', `step ${i}: an urgent action's parameter domain or guard threw ${describeThrown(e)}`);
    }
    if (urgent !== null) {
      const pre = formatStep(urgent.action.name, urgent.action.params === null ? null : toJson(urgent.param));
      return diverge(i, 'action', step.action, urgent.action.name, 'preempted', `step ${i}: ${formatStep(action.name, step.params)} is pre-empted: the urgent step ${pre} is enabled in this state, so only urgent steps are taken there`);
    }
    let next: unknown;
    try {
      next = rt.canonical(rt.step(action, state, param));
    } catch (e) {
      if (isAssertionFailure(e) && i === trace.steps.length - 1 && equalValues(step.state, trace.steps[i - 1]!.state)) {
        // An assertion counterexample records the state before the failing action as its last state.
        return { ok: true, steps: trace.steps.length - 1, assertion: (e as { property?: string }).property };
      }
      if (isAssertionFailure(e)) return diverge(i, 'action', step.action, null, 'assertion', `step ${i}: ${formatStep(action.name, step.params)} failed an assertion: ${describeThrown(e)}`);
      return diverge(i, 'action', step.action, null, 'action-threw', `step ${i}: ${formatStep(action.name, step.params)} threw ${isInterleaveError(e) ? e.message : describeThrown(e)}`);
    }
    const actual = toJson(next);
    const field = firstDifference(step.state, actual);
    if (field !== null) {
      const expected = valueAt(step.state, field);
      const got = valueAt(actual, field);
      return diverge(i, field, expected, got, 'state-differs', `step ${i} (${formatStep(action.name, step.params)}): field ${field || '(state)'} is ${show(got)} on replay, the trace says ${show(expected)}`);
    }
    state = next;
  }
  const last = trace.steps.length - 1;
  if (trace.loop === undefined) return { ok: true, steps: last };
  const field = firstDifference(trace.steps[trace.loop]!.state, trace.steps[last]!.state);
  if (field !== null) {
    return diverge(last, field, valueAt(trace.steps[trace.loop]!.state, field), valueAt(trace.steps[last]!.state, field), 'loop-not-closed', `the loop does not close: the last step's state differs from step ${trace.loop}'s (where the trace says the loop starts) in field ${field || '(state)'}`);
  }
  return { ok: true, steps: last, loop: trace.loop };
}

function findParam(rt: Runtime, action: SpecAction, state: unknown, recorded: unknown): { ok: true; param: unknown } | { ok: false; domain: unknown[] } | { error: string } {
  if (action.params === null) return recorded === null ? { ok: true, param: null } : { ok: false, domain: [null] };
  let domain: readonly unknown[];
  try {
    domain = rt.domain(action, state);
  } catch (e) {
    return { error: describeThrown(e) };
  }
  checkDomain(rt.spec.name, action.name, domain);
  for (const p of domain) if (equalValues(toJson(p), recorded)) return { ok: true, param: p };
  return { ok: false, domain: domain.map((p) => toJson(p)) };
}

function diverge(step: number, field: string, expected: unknown, actual: unknown, reason: ReplayDivergenceReason, message: string): ReplayResult {
  return { ok: false, step, field, expected: expected === undefined ? null : expected, actual: actual === undefined ? null : actual, reason, message };
}

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
