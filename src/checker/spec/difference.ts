/**
 * Where two states differ: run only after something went wrong, so that an error names the field (and, with
 * diagnose.ts, the action) instead of only saying that something changed.
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
