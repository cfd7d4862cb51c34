import { z } from 'zod';
import type { CheckResult } from '../checker/index.ts';
import { toJson } from './values.ts';

export { toJson, setKey } from './values.ts';

/**
 * The trace file format, version 1: defined once here. `check --trace-out` writes it, `check --json` embeds the
 * same object as `trace`, and `replay`, `show`, `view` and `export` read it. Documented in docs/trace-format.md.
 */
export const TRACE_FORMAT_VERSION = 1;

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const traceStepSchema = z.object({
  /** The action taken; `init` for steps[0]. */
  action: z.string().min(1),
  /** The action's parameter (plain JSON), null when it has none. */
  params: jsonValue.nullable().default(null),
  /** The full state after the step. */
  state: z.record(z.string(), jsonValue),
  /** The spec's trace expressions (`views`) evaluated in this state, by name (optional). */
  views: z.record(z.string(), jsonValue).optional(),
});

/** Why the property failed: the predicate's name and message, and the state fields it read (optional). */
export const explanationSchema = z.object({
  property: z.string(),
  kind: z.enum(['invariant', 'assertion']),
  message: z.string(),
  /** The step whose state was evaluated (the last step). */
  step: z.number().int().min(0),
  /** `reads`: the fields the predicate (or the failing action) read; `hook`: the spec's explain hook chose them. */
  source: z.enum(['reads', 'hook']),
  note: z.string().optional(),
  fields: z.array(
    z.object({
      /** A field path (`view[0].replicaof`), as `childPath` writes it. */
      path: z.string(),
      /** Its value in the failing state (null when absent). */
      value: jsonValue,
      /** The last step that changed it (0: it holds its initial value). */
      changedAt: z.number().int().min(0),
    }),
  ),
});

export type TraceExplanation = z.output<typeof explanationSchema>;

export const traceFileSchema = z
  .object({
    /** Always 1 for this format. */
    version: z.literal(TRACE_FORMAT_VERSION),
    spec: z.object({
      name: z.string().min(1),
      /** The spec file, relative to the trace file's folder or absolute (optional: ITF imports have none). */
      file: z.string().optional(),
    }),
    constants: z.record(z.string(), jsonValue).default({}),
    seed: z.number().int().default(0),
    /** The violated property (invariant, assertion, `deadlock`, temporal property), if the trace is a counterexample. */
    property: z.string().nullable().default(null),
    /** What kind of violation: invariant, assertion, deadlock or property. */
    kind: z.enum(['invariant', 'assertion', 'deadlock', 'property']).optional(),
    message: z.string().optional(),
    /** True when no shorter counterexample exists (BFS). */
    shortest: z.boolean().optional(),
    steps: z.array(traceStepSchema).min(1),
    /** For a lasso: the index of the step where the loop starts (the last step leads back to it). */
    loop: z.number().int().min(0).optional(),
    /** Why the invariant or assertion failed (written by `check --trace-out` and `explore`; docs/trace-format.md). */
    explanation: explanationSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.steps[0] && t.steps[0].action !== 'init') {
      ctx.addIssue({ code: 'custom', path: ['steps', 0, 'action'], message: "steps[0] must be the initial state (action 'init')" });
    }
    if (t.explanation !== undefined && t.explanation.step >= t.steps.length) {
      ctx.addIssue({ code: 'custom', path: ['explanation', 'step'], message: `step ${t.explanation.step} is past the last step (${t.steps.length - 1})` });
    }
    if (t.loop !== undefined && t.loop >= t.steps.length) {
      ctx.addIssue({ code: 'custom', path: ['loop'], message: `loop ${t.loop} is past the last step (${t.steps.length - 1})` });
    }
  });

export type TraceFile = z.output<typeof traceFileSchema>;

/** The trace file of a counterexample result (or null when the result has no trace). */
export function traceFileOf(result: CheckResult, specFile?: string): TraceFile | null {
  if (result.status !== 'violation' && !(result.status === 'error' && result.trace)) return null;
  const trace = result.trace!;
  const file: TraceFile = {
    version: TRACE_FORMAT_VERSION,
    spec: specFile === undefined ? { name: result.spec } : { name: result.spec, file: specFile },
    constants: toJson(result.constants) as Record<string, unknown>,
    seed: result.seed,
    property: result.status === 'violation' ? result.violation.property : null,
    steps: trace.steps.map((s) => ({ action: s.action, params: toJson(s.params), state: toJson(s.state) as Record<string, unknown> })),
  };
  if (result.status === 'violation') {
    file.kind = result.violation.kind as NonNullable<TraceFile['kind']>;
    file.message = result.violation.message;
    file.shortest = result.shortest;
  }
  if (trace.loop !== undefined) file.loop = trace.loop;
  return file;
}

/**
 * The trace file of a result's witness (`check --witness NAME`: the trace to the first state found where a
 * `reachable` predicate holds; docs/reachability.md), or null. `property` names the predicate; it has no `kind`
 * (it is not a violation).
 */
export function witnessFileOf(result: CheckResult, specFile?: string): TraceFile | null {
  if (result.status === 'error' || !result.witness) return null;
  const w = result.witness;
  return {
    version: TRACE_FORMAT_VERSION,
    spec: specFile === undefined ? { name: result.spec } : { name: result.spec, file: specFile },
    constants: toJson(result.constants) as Record<string, unknown>,
    seed: result.seed,
    property: w.name,
    steps: w.trace.steps.map((s) => ({ action: s.action, params: toJson(s.params), state: toJson(s.state) as Record<string, unknown> })),
    message: `a witness of reachable '${w.name}': ${w.trace.steps.length - 1} actions${w.shortest ? ' (shortest: breadth-first search)' : ''}`,
  };
}
