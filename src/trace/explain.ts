/**
 * Explanations and trace expressions, computed when a trace is written (`check --trace-out`, `explore`) and
 * stored in it, so the tools that read traces (`show`, `view`) never run spec code.
 *
 * - An **explanation** says why an invariant or assertion failed: the predicate's name and message and the state
 *   fields it read in the failing state, each with its value and the last step that changed it. The fields come
 *   from the spec's `explain` hook when it gives them, else from evaluating the predicate once more on a Proxy of
 *   (a copy of) the failing state that logs every property path read. For an assertion, the failing action's
 *   effect is run again on the proxied state before the step, up to its failing `assert`.
 * - **Views** are the spec's named derived values (`views`), evaluated in every state of the trace.
 */
import { SpecRuntime } from '../checker/index.ts';
import { describeThrown } from '../errors.ts';
import { isAssertionFailure, type Spec } from '../model/index.ts';
import { toJson, type TraceExplanation, type TraceFile } from './format.ts';
import { childPath, valueAt } from './values.ts';
import { equalValues } from './diff.ts';

/** A step with runtime values (states as the spec sees them: Set, Map, bigint). */
export interface RuntimeStep {
  action: string;
  params: unknown;
  state: unknown;
}

/** What a function read of its argument: leaf paths and containers whose shape or size it looked at. */
export interface ReadLog {
  /** Paths in the order first read; a container appears only when nothing below it was read. */
  paths: string[];
  /** The function's result, or the exception it threw. */
  result: { value: unknown } | { threw: unknown };
}

/**
 * Calls `fn` on a Proxy of a deep copy of `value` that logs every field path read. Reading a primitive logs its
 * path; reading an array's length, an object's keys, or anything of a Set or Map logs the container's path.
 */
export function recordReads(value: unknown, fn: (proxied: unknown) => unknown): ReadLog {
  const leaves: string[] = [];
  const seen = new Set<string>();
  const note = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p);
      leaves.push(p);
    }
  };
  const proxies = new WeakMap<object, unknown>();
  const wrap = (target: unknown, path: string): unknown => {
    if (target === null || typeof target !== 'object') return target;
    const cached = proxies.get(target);
    if (cached) return cached;
    const opaque = target instanceof Set || target instanceof Map;
    const proxy = new Proxy(target, {
      get(t, key, receiver) {
        if (opaque) {
          note(path);
          const v = Reflect.get(t, key, t);
          return typeof v === 'function' ? v.bind(t) : v;
        }
        if (typeof key === 'symbol') return Reflect.get(t, key, receiver);
        if (Array.isArray(t) && key === 'length') {
          note(path);
          return t.length;
        }
        if (!Object.prototype.hasOwnProperty.call(t, key)) return Reflect.get(t, key, receiver);
        const v = (t as Record<string, unknown>)[key];
        const p = childPath(path, Array.isArray(t) && /^\d+$/.test(key) ? Number(key) : key);
        if (v !== null && typeof v === 'object') return wrap(v, p);
        note(p);
        return v;
      },
      has(t, key) {
        if (typeof key === 'string') note(Object.prototype.hasOwnProperty.call(t, key) ? childPath(path, Array.isArray(t) && /^\d+$/.test(key) ? Number(key) : key) : path);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        note(path);
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  let result: ReadLog['result'];
  try {
    result = { value: fn(wrap(structuredClone(value), '')) };
  } catch (e) {
    result = { threw: e };
  }
  // A container read (length, keys) is dropped when something below it was read: the leaves say more.
  const below = (p: string, q: string) => q.length > p.length && q.startsWith(p) && (p === '' || q[p.length] === '.' || q[p.length] === '[');
  const paths = leaves.filter((p) => p !== '' && !leaves.some((q) => below(p, q)));
  return { paths, result };
}

/** The last step (≤ `at`) whose state differs from the previous one at `path` (0: never changed). */
export function lastChanged(steps: readonly { state: unknown }[], path: string, at = steps.length - 1): number {
  for (let k = at; k >= 1; k--) {
    if (!equalValues(valueAt(steps[k]!.state, path) ?? null, valueAt(steps[k - 1]!.state, path) ?? null)) return k;
  }
  return 0;
}

export interface ViolationInfo {
  property: string;
  kind: string;
  message?: string;
}

/**
 * The explanation of an invariant or assertion violation at the last step of `steps` (runtime values; `json` are
 * the same steps as trace values). Null for other kinds, or when the property is unknown to the spec.
 */
export function explainViolation(rt: SpecRuntime, steps: readonly RuntimeStep[], json: readonly { state: unknown }[], violation: ViolationInfo): TraceExplanation | null {
  const spec = rt.spec;
  const last = steps.length - 1;
  const state = steps[last]!.state;
  let reads: string[];
  let message = violation.message;
  if (violation.kind === 'invariant') {
    const inv = spec.invariants.find((i) => i.name === violation.property);
    if (!inv) return null;
    reads = recordReads(state, (s) => inv.test(s, rt.constants)).paths;
    message ??= `invariant '${inv.name}' is violated`;
  } else if (violation.kind === 'assertion') {
    const step = steps[last]!;
    const action = spec.actions.find((a) => a.name === step.action);
    if (!action || last === 0) return null;
    const log = recordReads(state, (s) => rt.step(action, s, step.params));
    reads = log.paths;
    if ('threw' in log.result && isAssertionFailure(log.result.threw)) message ??= log.result.threw.message;
  } else {
    return null;
  }
  let source: TraceExplanation['source'] = 'reads';
  let note: string | undefined;
  if (spec.explain) {
    try {
      const hint = spec.explain(state, rt.constants, violation.property);
      if (hint && Array.isArray(hint.fields)) {
        reads = hint.fields.map(String);
        source = 'hook';
        if (typeof hint.note === 'string') note = hint.note;
      }
    } catch (e) {
      note = `the spec's explain hook threw ${describeThrown(e)}; showing the fields the predicate read`;
    }
  }
  const fields = reads.map((path) => ({ path, value: (valueAt(json[last]!.state, path) ?? null) as unknown, changedAt: lastChanged(json, path, last) }));
  const out: TraceExplanation = { property: violation.property, kind: violation.kind, message: message ?? violation.property, step: last, source, fields };
  if (note !== undefined) out.note = note;
  return out;
}

/** The spec's views evaluated in a state, as trace values (a view that throws shows as `<threw …>`); undefined without views. */
export function viewsOf(spec: Spec, constants: unknown, state: unknown): Record<string, unknown> | undefined {
  if (spec.views.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const v of spec.views) {
    try {
      out[v.name] = toJson(v.compute(state, constants));
    } catch (e) {
      out[v.name] = { '#unserializable': `threw ${describeThrown(e)}` };
    }
  }
  return out;
}

/**
 * Adds the views of every step and, for an invariant or assertion counterexample, the explanation, to a trace
 * file written from `steps` (the same steps with runtime values). Returns the same object.
 */
export function annotateTrace(file: TraceFile, rt: SpecRuntime, steps: readonly RuntimeStep[]): TraceFile {
  if (rt.spec.views.length > 0) {
    file.steps.forEach((s, i) => {
      const v = viewsOf(rt.spec, rt.constants, steps[i]!.state);
      if (v) s.views = v;
    });
  }
  if (file.property !== null && (file.kind === 'invariant' || file.kind === 'assertion')) {
    try {
      const e = explainViolation(rt, steps, file.steps, { property: file.property, kind: file.kind, message: file.message });
      if (e) file.explanation = e;
    } catch {
      // An explanation is a help, never a reason to lose the trace.
    }
  }
  return file;
}

/**
 * Annotates the trace file of a check result (`traceFileOf`) with views and the explanation, re-creating the
 * spec's runtime with the result's constants. Never throws: a trace is written even when this fails.
 */
export function annotateForTrace(file: TraceFile, spec: Spec, result: { constants: Record<string, unknown>; trace?: { steps: readonly RuntimeStep[] } }): TraceFile {
  if (!result.trace || (spec.views.length === 0 && !(file.kind === 'invariant' || file.kind === 'assertion'))) return file;
  try {
    return annotateTrace(file, new SpecRuntime(spec, { constants: result.constants }), result.trace.steps);
  } catch {
    return file;
  }
}
