import { InterleaveError } from '../../errors.ts';
import { formatStep, type SpecRuntime } from './runtime.ts';

/**
 * Diagnosis helpers, run only after something went wrong: they find which field differs between two states
 * and which action modified its input, so an error names the action, its parameter and the field.
 */

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  if (v instanceof Set) return `Set(${v.size})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  try {
    const t = JSON.stringify(v);
    return t === undefined ? String(v) : t.length > 60 ? `${t.slice(0, 60)}…` : t;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The first path (`a.b[2]`) where two values differ, with both values shown; null when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): { field: string; left: string; right: string } | null {
  const here = () => ({ field: path || '(state)', left: show(a), right: show(b) });
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return here();
  if (Array.isArray(a) !== Array.isArray(b) || a instanceof Map !== b instanceof Map || a instanceof Set !== b instanceof Set) return here();
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return { field: `${path || '(state)'}.length`, left: String(a.length), right: String(bb.length) };
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], bb[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a instanceof Set) {
    const bs = b as Set<unknown>;
    if (a.size !== bs.size) return { field: `${path || '(state)'}.size`, left: String(a.size), right: String(bs.size) };
    const x = [...a];
    const y = [...bs];
    for (let i = 0; i < x.length; i++) {
      const d = firstDifference(x[i], y[i], `${path}{${i}}`);
      if (d) return here();
    }
    return null;
  }
  if (a instanceof Map) {
    const bm = b as Map<unknown, unknown>;
    if (a.size !== bm.size) return { field: `${path || '(state)'}.size`, left: String(a.size), right: String(bm.size) };
    for (const [k, v] of a) {
      if (!bm.has(k)) return { field: `${path}.get(${show(k)})`, left: show(v), right: 'absent' };
      const d = firstDifference(v, bm.get(k), `${path}.get(${show(k)})`);
      if (d) return d;
    }
    return null;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return null;
}

/**
 * Strict mode found that a state's encoding changed while its successors were computed. Re-runs each enabled
 * step on a fresh copy of the state to find the one that modifies its input, and names it with the field.
 */
export function mutationError<S, C>(rt: SpecRuntime<S, C>, words: Int32Array, path: readonly string[]): InterleaveError {
  const via = path.length ? `, after ${path.join(' → ')}` : ', in an initial state';
  const pristine = rt.codec.decode(words, 0, words.length);
  for (const action of rt.actions) {
    let dom: readonly unknown[];
    try {
      dom = rt.domain(action, rt.codec.decode(words, 0, words.length));
    } catch {
      continue;
    }
    for (let pi = 0; pi < dom.length; pi++) {
      const copy = rt.codec.decode(words, 0, words.length);
      const param = action.params === null ? null : dom[pi];
      try {
        if (rt.enabled(action, copy, param)) action.effect(copy, rt.constants, action.params === null ? undefined : param);
      } catch {
        // The effect's own failure is reported elsewhere; only the modification matters here.
      }
      const d = firstDifference(pristine, copy);
      if (d) {
        return new InterleaveError(
          'SPEC_MUTATED_STATE',
          `${rt.named(`action '${formatStep(action.name, param)}'`)} modified the state it was given: field '${d.field}' changed from ${d.left} to ${d.right}${via}`,
          { spec: rt.spec.name, action: action.name, params: param, field: d.field, path },
        );
      }
    }
  }
  return new InterleaveError('SPEC_MUTATED_STATE', `${rt.named('a step')} modified the state it was given (its encoding changed while its successors were computed)${via}`, {
    spec: rt.spec.name,
    path,
  });
}
