/**
 * The one way values and action parameters are printed: in traces (`check`, `show`), in error messages, in
 * replay divergences, in graph labels and in the JSON fields that carry a step as text. Record parameters print
 * with their names: `deliver(from: 1, to: 0)`; a scalar as itself: `failover(1)`; no parameter: `fillBig`.
 * Depends on nothing but trace/values.ts, so the checker core can use it.
 */
import { tagOf } from '../trace/values.ts';

/** Compact one-line rendering of plain data: `{from: 1, to: 0}`, `[0, 1, 2]`, `"text"`. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  const tag = tagOf(v);
  if (tag !== null) {
    const inner = (v as Record<string, unknown>)[tag];
    switch (tag) {
      case '#set':
        return Array.isArray(inner) ? `{${inner.map(formatValue).join(', ')}}` : String(inner);
      case '#tup':
        return Array.isArray(inner) ? `(${inner.map(formatValue).join(', ')})` : String(inner);
      case '#map':
        return Array.isArray(inner) ? `Map{${inner.map((e) => (Array.isArray(e) ? `${formatValue(e[0])} ↦ ${formatValue(e[1])}` : formatValue(e))).join(', ')}}` : String(inner);
      case '#bigint':
        return `${String(inner)}n`;
      case '#unserializable':
        return `<${String(inner)}>`;
    }
  }
  if (v instanceof Set) return `{${[...v].map(formatValue).join(', ')}}`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${formatValue(k)} ↦ ${formatValue(x)}`).join(', ')}}`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue(x)}`)
    .join(', ')}}`;
}

/**
 * Formats an action with its parameters: `deliver(from: 1, to: 0)`, `failover(1)`, `fillBig`. Never throws
 * (a parameter that cannot be printed, e.g. a cyclic object, prints as `String(params)`).
 */
export function formatAction(action: string, params: unknown): string {
  if (params === null || params === undefined) return action;
  try {
    if (typeof params === 'object' && !Array.isArray(params) && !(params instanceof Set) && !(params instanceof Map) && tagOf(params) === null) {
      const inner = formatValue(params);
      return `${action}(${inner.slice(1, -1)})`;
    }
    return `${action}(${formatValue(params)})`;
  } catch {
    return `${action}(${String(params)})`;
  }
}
