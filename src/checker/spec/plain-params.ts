/**
 * Parameters are data: they are written into traces and `--json`, compared on replay, and shown in messages. A
 * domain that holds a function, a symbol, a class instance (a Date, a user class), NaN, Infinity or a cycle would
 * be explored and then lost or changed on the way out, so it is SPEC_BAD_PARAMS. Set and Map are accepted, as in
 * states (traces write them with `#set` / `#map`, and replay compares them), with plain contents. Checked on the states the mutation check samples (engine.ts) and on
 * every replayed step, not on every state: the cost stays out of the search loop.
 */
import { InterleaveError } from '../../errors.ts';
import type { SpecRuntime } from './runtime.ts';

const MAX_DEPTH = 64;

/** Where `value` stops being plain data, or null: `{ path: '.to', what: 'a function' }`. */
export function notPlainData(value: unknown, path = '', depth = 0): { path: string; what: string } | null {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'string':
    case 'bigint':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : { path, what: String(value) };
    case 'function':
      return { path, what: 'a function' };
    case 'symbol':
      return { path, what: 'a symbol' };
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return { path, what: `a value nested deeper than ${MAX_DEPTH} levels (or a cycle)` };
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return { path, what: 'an array of a subclass' };
    for (let i = 0; i < value.length; i++) {
      const bad = notPlainData(value[i], `${path}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  // Sets and Maps are state values too: traces write them as {"#set": [...]} and {"#map": [[k, v], ...]}.
  if (value instanceof Set) return notPlainData([...value], `${path}{set}`, depth + 1);
  if (value instanceof Map) return notPlainData([...value], `${path}{map}`, depth + 1);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return { path, what: typeof name === 'string' && name ? `a ${name}` : 'an object that is not plain' };
  }
  for (const k of Object.keys(value as object)) {
    const bad = notPlainData((value as Record<string, unknown>)[k], /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/** Throws SPEC_BAD_PARAMS when a parameter of `domain` (the domain of `action`) is not plain data. */
export function checkDomain(spec: string, action: string, domain: readonly unknown[], path?: () => readonly string[]): void {
  for (let i = 0; i < domain.length; i++) {
    const bad = notPlainData(domain[i]);
    if (bad === null) continue;
    const via = path?.() ?? [];
    throw new InterleaveError(
      'SPEC_BAD_PARAMS',
      `spec '${spec}': action '${action}': parameter ${i} of its domain is not plain data: ${bad.what}${bad.path ? ` at ${bad.path.replace(/^\./, '')}` : ''} (parameters go into traces: use numbers, strings, booleans, null, and plain arrays, objects, Sets and Maps of them)${via.length ? `, after ${via.join(' → ')}` : ''}`,
      { spec, action, field: bad.path || undefined, path: via },
    );
  }
}

/** Checks the parameter domain of every action in `state` (see checkDomain). */
export function checkParamDomains(rt: SpecRuntime, state: unknown, path?: () => readonly string[]): void {
  for (const action of rt.actions) {
    if (action.params === null) continue;
    checkDomain(rt.spec.name, action.name, rt.domain(action, state), path);
  }
}
