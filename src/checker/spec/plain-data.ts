/**
 * What counts as plain data (parameters and states are written into traces and `--json`, compared on replay, and
 * shown in messages): numbers, strings, booleans, null, undefined, bigints, and plain arrays, objects, Sets and
 * Maps of them. plain-params.ts checks parameter domains with it.
 */
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
