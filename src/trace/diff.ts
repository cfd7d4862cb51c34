/**
 * The one structural diff of values. Everything that says how two states differ uses it: the trace printer
 * (`check`, `show`: report/text.ts), replay's and conformance's "field X is … on replay" (`firstDifference`),
 * equality of trace values (`equalValues`), the checker's errors about a mutated or nondeterministic step
 * (checker/spec/difference.ts), and the viewer's state tree, which runs `alignSequences` itself (its source is
 * inlined in the page, so the browser aligns arrays exactly as the terminal does).
 *
 * Records are opened key by key. Arrays are diffed as sequences: two arrays of the same length are compared index
 * by index (an array indexed by node or link keeps its indices); arrays of different lengths are aligned on their
 * longest common subsequence, so removing the head of a FIFO queue is one removal of `q[0]` and a push one
 * addition at the end, not edits to every element. Tagged values (`#set`, `#map`, …) are compared whole.
 * Pure functions on trace values (plain JSON plus the ITF tags: trace/values.ts).
 */
import { childPath, tagOf } from './values.ts';

/** One difference: a value changed at `path`, or an element or key added or removed there. */
export interface Change {
  kind: 'changed' | 'added' | 'removed';
  /** Where: `net.channels[0][1]`, as `childPath` writes it (a removed element has its index before the step). */
  path: string;
  /** The value before (absent for `added`). */
  before?: unknown;
  /** The value after (absent for `removed`). */
  after?: unknown;
}

export interface DiffOptions {
  /** The path of the values themselves (default `''`). */
  path?: string;
  /**
   * Arrays to compare whole, as one `changed` leaf, instead of opening them (default: none, every array is
   * opened). The trace printer keeps short arrays of scalars of the same length whole (`~ R[0]: [0, 1] → [0, 2]`).
   */
  keepWhole?: (before: readonly unknown[], after: readonly unknown[]) => boolean;
  /** Stop after this many changes (`firstDifference` asks for one). Default: all. */
  limit?: number;
}

/**
 * Above this many element pairs (n × m) arrays of different lengths are compared index by index instead of
 * aligned (the alignment table has one number per pair).
 */
export const SEQUENCE_DIFF_LIMIT = 250_000;

/**
 * Aligns two sequences given as element keys (equal keys: equal elements). Returns index pairs in order:
 * `[i, j]` keeps element i of `a` as element j of `b` (equal, or, where a run of removals meets a run of
 * additions at the same place, changed into it), `[i, -1]` removes a[i], `[-1, j]` adds b[j]. Same lengths: index
 * by index. Different lengths: the longest common subsequence (O(n·m) time and memory), or index by index above
 * `limit` element pairs.
 *
 * Self-contained on purpose (no imports, closures, inner functions or syntax newer than ES2019): the viewer
 * inlines its source (src/viewer/client.ts) and runs it in the browser.
 */
export function alignSequences(a: readonly string[], b: readonly string[], limit: number): number[][] {
  const n = a.length;
  const m = b.length;
  const out: number[][] = [];
  let i = 0;
  let j = 0;
  if (n === m || n * m > limit) {
    for (i = 0; i < Math.max(n, m); i++) out.push([i < n ? i : -1, i < m ? i : -1]);
    return out;
  }
  // lcs[i * w + j]: the length of the longest common subsequence of a[i..] and b[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (i = n - 1; i >= 0; i--) {
    for (j = m - 1; j >= 0; j--) lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  }
  const dels: number[] = [];
  const ins: number[] = [];
  i = 0;
  j = 0;
  for (;;) {
    const end = i === n && j === m;
    const match = !end && i < n && j < m && a[i] === b[j];
    if (end || match) {
      // The end of a gap: its removals and additions, a removal and an addition at the same place paired.
      let k = 0;
      for (; k < dels.length && k < ins.length; k++) out.push([dels[k]!, ins[k]!]);
      for (let d = k; d < dels.length; d++) out.push([dels[d]!, -1]);
      for (let d = k; d < ins.length; d++) out.push([-1, ins[d]!]);
      dels.length = 0;
      ins.length = 0;
    }
    if (end) break;
    if (match) {
      out.push([i, j]);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      ins.push(j);
      j++;
    } else {
      dels.push(i);
      i++;
    }
  }
  return out;
}

/**
 * A key for a value: equal keys exactly when `equalValues` holds (object key order ignored, NaN equal to NaN,
 * -0 equal to 0, undefined distinct from null).
 */
export function valueKey(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '0' : String(v);
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return `${v}n`;
    case 'object':
      break;
    default:
      return `<${typeof v}:${String(v)}>`;
  }
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${valueKey(o[k])}`)
    .join(',')}}`;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Structural equality of values (object key order does not matter; NaN equals NaN; -0 equals 0). */
export function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((x, i) => equalValues(x, y[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra);
  return ka.length === Object.keys(rb).length && ka.every((k) => has(rb, k) && equalValues(ra[k], rb[k]));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && tagOf(v) === null;
}

function walk(before: unknown, after: unknown, path: string, options: DiffOptions, limit: number, out: Change[]): void {
  if (out.length >= limit || equalValues(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    for (const k of Object.keys(before)) {
      if (out.length >= limit) return;
      if (!has(after, k)) out.push({ kind: 'removed', path: childPath(path, k), before: before[k] });
      else walk(before[k], after[k], childPath(path, k), options, limit, out);
    }
    for (const k of Object.keys(after)) if (out.length < limit && !has(before, k)) out.push({ kind: 'added', path: childPath(path, k), after: after[k] });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && !options.keepWhole?.(before, after)) {
    for (const [i, j] of alignSequences(before.map(valueKey), after.map(valueKey), SEQUENCE_DIFF_LIMIT)) {
      if (out.length >= limit) return;
      if (j! < 0) out.push({ kind: 'removed', path: childPath(path, i!), before: before[i!] });
      else if (i! < 0) out.push({ kind: 'added', path: childPath(path, j!), after: after[j!] });
      else walk(before[i!], after[j!], childPath(path, j!), options, limit, out);
    }
    return;
  }
  out.push({ kind: 'changed', path, before, after });
}

/** The changes that turn `before` into `after`, in order (none when they are equal). */
export function diffValues(before: unknown, after: unknown, options: DiffOptions = {}): Change[] {
  const out: Change[] = [];
  walk(before, after, options.path ?? '', options, options.limit ?? Infinity, out);
  return out;
}

/**
 * The path of the first place where two values differ (`R[0][1]`, `net[1].epoch`, `''` for the values
 * themselves), or null when they are equal.
 */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  return firstChange(a, b, path)?.path ?? null;
}

/** The first change between two values (with the values on both sides), or null when they are equal. */
export function firstChange(a: unknown, b: unknown, path = ''): Change | null {
  return diffValues(a, b, { path, limit: 1 })[0] ?? null;
}
