/**
 * The steps a spec allows from a state, as conformance testing and log validation need them: action name,
 * parameter (as plain trace data) and the next state. Computed by the checker's own compiled successor function
 * (`SpecRuntime.successors`), so a behaviour driven against a real system is one the checker would explore.
 */
import { formatStep, type SpecRuntime } from '../checker/index.ts';
import { toJson } from '../trace/index.ts';

/** One enabled step of the spec. */
export interface SpecStep<S> {
  /** The action's index in the spec and its parameter's index in the action's domain (the checker's label). */
  action: number;
  paramIndex: number;
  name: string;
  /** The parameter as the action sees it (undefined for actions without parameters). */
  param: unknown;
  /** The parameter as plain trace data (null for actions without parameters). */
  params: unknown;
  next: S;
}

type Sink = Parameters<SpecRuntime['successors']>[2];

/** Every enabled step from `state`, in the checker's order (actions in declaration order, parameters in domain order). */
export function enabledSteps<S, C>(rt: SpecRuntime<S, C>, state: S, path: () => readonly string[]): SpecStep<S>[] {
  const out: SpecStep<S>[] = [];
  const sink: Sink = {
    action: 0,
    dom: null,
    pi: -1,
    enabled: 0,
    inEffect: false,
    add(next: unknown, pi: number, param: unknown) {
      const action = rt.actions[this.action]!;
      if (rt.strict) rt.validate(next as S, action.name, param);
      out.push({ action: this.action, paramIndex: pi, name: action.name, param, params: action.params === null ? null : toJson(param), next: rt.canonical(next as S) });
    },
    covered() {},
  };
  try {
    rt.successors(state, rt.constants, sink);
  } catch (e) {
    const action = rt.actions[sink.action]!;
    const param = sink.dom !== null && sink.pi >= 0 ? sink.dom[sink.pi] : null;
    throw rt.actionError(e, action, param, path());
  }
  return out;
}

/** `name(params)` as traces show a step. */
export function showStep(step: { action: string; params: unknown }): string {
  return formatStep(step.action, step.params);
}
