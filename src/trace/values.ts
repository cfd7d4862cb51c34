/**
 * Trace values: the plain JSON that trace files hold, plus the tagged forms ITF uses for what JSON lacks
 * (`{"#set": [...]}`, `{"#map": [[k, v], ...]}`, `{"#tup": [...]}`, `{"#bigint": "digits"}`,
 * `{"#unserializable": "text"}`). Pure functions: conversion from live values, canonical order, field paths
 * (the diff of two values is trace/diff.ts).
 */

/** The ITF tags a trace value may carry (each as the only key of an object). */
export const VALUE_TAGS = ['#set', '#map', '#tup', '#bigint', '#unserializable'] as const;
export type ValueTag = (typeof VALUE_TAGS)[number];

/** Keys that must never become object keys when data is parsed (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A number as a trace value: itself when finite; otherwise `{"#unserializable": "Infinity"}` (or `"-Infinity"`,
 * `"NaN"`), the ITF tag for what JSON cannot hold. (JSON.stringify would write `null`, and the trace would then
 * not replay.) -0 is written as 0: the checker's state codecs treat -0 and 0 as one value.
 */
export function numberToJson(v: number): number | { '#unserializable': string } {
  return Number.isFinite(v) ? v : { '#unserializable': String(v) };
}

/** The number a tagged non-finite number stands for (see numberToJson), or undefined for any other value. */
function taggedNumber(v: unknown): number | undefined {
  if (tagOf(v) !== '#unserializable') return undefined;
  const text = (v as { '#unserializable': unknown })['#unserializable'];
  return text === 'Infinity' ? Infinity : text === '-Infinity' ? -Infinity : text === 'NaN' ? NaN : undefined;
}

/** The tag of a tagged value (`{"#set": [...]}` → `#set`), or null for plain data. */
export function tagOf(v: unknown): ValueTag | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const k = keys[0]!;
  return (VALUE_TAGS as readonly string[]).includes(k) ? (k as ValueTag) : null;
}

function rank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
  }
  if (Array.isArray(v)) return 4;
  const t = tagOf(v);
  if (t === '#bigint' || taggedNumber(v) !== undefined) return 2;
  return 5;
}

function numeric(v: unknown): bigint | number {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  const n = taggedNumber(v);
  if (n !== undefined) return n;
  const s = (v as { '#bigint': string })['#bigint'];
  try {
    return BigInt(s);
  } catch {
    return NaN;
  }
}

/**
 * The canonical order of trace values: null < booleans < numbers < strings < arrays < objects; numbers by value
 * (`#bigint` included), strings by code unit, arrays lexicographically, objects by their sorted keys then
 * values. Sets and maps are written in this order, so the same set always has the same text.
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Number(a) - Number(b);
    case 2: {
      const x = numeric(a);
      const y = numeric(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default: {
      const ka = Object.keys(a as object).sort();
      const kb = Object.keys(b as object).sort();
      const c = compareValues(ka, kb);
      if (c !== 0) return c;
      for (const k of ka) {
        const d = compareValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
        if (d !== 0) return d;
      }
      return 0;
    }
  }
}

/** Appends a key to a field path: `net[2].from`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `[${k}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${k}` : `${path}[${k}]`;
}

/** Reads the value at a field path produced by `childPath` (undefined when absent). */
export function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  const re = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let v: unknown = root;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (v === null || typeof v !== 'object') return undefined;
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string));
    if (typeof key === 'string' && !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/**
 * Converts a state or parameter to a trace value: plain JSON, with a Set as `{"#set": [...]}` and a Map as
 * `{"#map": [[k, v], ...]}` (both in canonical order, see `compareValues`), a bigint as `{"#bigint": "digits"}`,
 * undefined as null (and dropped from objects). Arrays (the spec's sequences, bags and setOf collections, already
 * in the codec's canonical order) stay arrays.
 */
export function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return { '#bigint': value.toString() };
  if (typeof value === 'number') return numberToJson(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Set) return { '#set': [...value].map(toJson).sort(compareValues) };
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => [toJson(k), toJson(v)] as [unknown, unknown]);
    return { '#map': entries.sort((a, b) => compareValues(a[0], b[0])) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) setKey(out, k, toJson(v));
  return out;
}

/** Sets a key on a plain object, `__proto__` included, without touching any prototype. */
export function setKey(out: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  else out[key] = v;
}
