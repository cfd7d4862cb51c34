import { z } from 'zod';

/**
 * Collections whose order does not matter. A `bag` (multiset) or `set` is an array in the state, so effects stay
 * plain `[...xs, x]` code; the schema marks it so the checker's codec stores it in one canonical order (two
 * bags with the same elements are the same state). The decoded array is in that canonical order, so actions
 * that enumerate it (e.g. "deliver any message") see the same order every time.
 */
export type CollectionKind = 'bag' | 'set';

/**
 * The mark that says a schema is a bag or a set: a property keyed by a registry symbol (`Symbol.for`), so it is
 * the same key in every copy of this library loaded into one process (an ES module copy and a CommonJS one, a
 * second install in node_modules). A module-local zod registry would be invisible to the other copy, which would
 * then treat a bag as an ordered array: a different state count and no warning (docs/spec-identity.md).
 */
export const COLLECTION_MARK: unique symbol = Symbol.for('interleave.collection') as never;

function mark<T extends z.ZodType>(schema: T, kind: CollectionKind): T {
  Object.defineProperty(schema, COLLECTION_MARK, { value: kind, enumerable: false, configurable: false, writable: false });
  return schema;
}

/** A multiset of at most `max` elements, held as an array whose order is not part of the state. */
export function bag<T extends z.ZodType>(element: T, options: { max: number }): z.ZodArray<T> {
  return mark(z.array(element).max(options.max), 'bag');
}

/** A set of at most `max` distinct elements, held as an array whose order is not part of the state. */
export function setOf<T extends z.ZodType>(element: T, options: { max: number }): z.ZodArray<T> {
  return mark(z.array(element).max(options.max), 'set');
}

/** Whether a schema was made by `bag` or `setOf` (of any copy of this library), and which. */
export function collectionKind(schema: z.ZodType): CollectionKind | undefined {
  const kind = (schema as { [COLLECTION_MARK]?: unknown })[COLLECTION_MARK];
  return kind === 'bag' || kind === 'set' ? kind : undefined;
}

/**
 * Marks a decoded element that the checker shares between states (see the codec): two marked objects with the same
 * mark are equal exactly when they are the same object, which makes comparing them cheap. Internal.
 */
export const CANONICAL: unique symbol = Symbol.for('interleave/canonical') as never;

/** Small immutable helpers for bags and sets held as arrays. */
export const Bag = {
  add<T>(xs: readonly T[], x: T): T[] {
    return withAdded(xs, x);
  },
  /** Removes one copy of the first element equal to `x` (deep equality on plain data). */
  remove<T>(xs: readonly T[], x: T): T[] {
    let i = xs.indexOf(x);
    if (i < 0) i = xs.findIndex((y) => deepEqual(y, x));
    return i < 0 ? copyOf(xs) : withoutIndex(xs, i);
  },
  /** The distinct elements, in first-seen order (a finite domain for "deliver any message"). */
  distinct<T>(xs: readonly T[]): T[] {
    const out: T[] = [];
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let dup = false;
      for (let j = 0; j < out.length; j++) {
        if (deepEqual(x, out[j])) {
          dup = true;
          break;
        }
      }
      if (!dup) out.push(x);
    }
    return out;
  },
  count<T>(xs: readonly T[], x: T): number {
    let n = 0;
    for (const y of xs) if (deepEqual(x, y)) n++;
    return n;
  },
};

export const SetOf = {
  add<T>(xs: readonly T[], x: T): T[] {
    return has(xs, x) ? copyOf(xs) : withAdded(xs, x);
  },
  remove<T>(xs: readonly T[], x: T): T[] {
    const out: T[] = [];
    for (let i = 0; i < xs.length; i++) if (!deepEqual(x, xs[i])) out.push(xs[i]!);
    return out;
  },
  has<T>(xs: readonly T[], x: T): boolean {
    return has(xs, x);
  },
};

/*
 * New arrays of their final length, filled by a loop: building them with `push` or `[...xs, x]` grows the array's
 * storage once per call (V8's GrowFastSmiOrObjectElements: 98 M instructions of gossip 2/3's search), and these run
 * for every successor (docs/performance.md).
 */
function withAdded<T>(xs: readonly T[], x: T): T[] {
  return withInsertedAt(xs, xs.length, x);
}

/**
 * `xs` without its element at `i`: what `xs.toSpliced(i, 1)` returns, without V8's slow path for it. The arrays the
 * checker decodes for lists, bags and sets are "holey" for V8 (made by `new Array(n)`, and cheaper so), and Node 20's
 * `toSpliced` and `with` take about ten times as long on them as on other arrays (docs/performance.md, "Fifteenth
 * session"). Also used by the network component (components/network.ts).
 */
export function withoutIndex<T>(xs: readonly T[], i: number): T[] {
  const n = xs.length;
  const out = new Array<T>(n - 1);
  for (let j = 0; j < i; j++) out[j] = xs[j]!;
  for (let j = i + 1; j < n; j++) out[j - 1] = xs[j]!;
  return out;
}

/** `xs` with `x` inserted before its element at `i`: `xs.toSpliced(i, 0, x)` without its slow path (above). */
export function withInsertedAt<T>(xs: readonly T[], i: number, x: T): T[] {
  const n = xs.length;
  const out = new Array<T>(n + 1);
  for (let j = 0; j < i; j++) out[j] = xs[j]!;
  out[i] = x;
  for (let j = i; j < n; j++) out[j + 1] = xs[j]!;
  return out;
}

function copyOf<T>(xs: readonly T[]): T[] {
  const n = xs.length;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = xs[i]!;
  return out;
}

/** Whether `xs` holds an element equal to `x` (a loop without a closure: these run for every successor). */
function has<T>(xs: readonly T[], x: T): boolean {
  for (let i = 0; i < xs.length; i++) if (deepEqual(x, xs[i])) return true;
  return false;
}

/**
 * Structural equality on plain data (objects, arrays, primitives, and Sets and Maps of them, which states may
 * hold). Keys are walked with `for…in`, which allocates nothing: plain data has no inherited enumerable keys.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // Shared canonical elements of one codec are equal only when identical.
  const ca = (a as { [CANONICAL]?: object })[CANONICAL];
  if (ca !== undefined && ca === (b as { [CANONICAL]?: object })[CANONICAL]) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Keys as `for…in` sees them, as the state codec does. `b`'s key is looked up only when its value reads
  // undefined (a missing key, or one set to undefined): `hasOwnProperty` on every key cost 1.6 % of a search
  // that compares messages (docs/performance.md). A value `b` only inherits (a class's getter) now counts as its
  // key: such an object is not plain data, and the codec rejects it in a state.
  let na = 0;
  for (const k in a) {
    na++;
    const bv = (b as any)[k];
    if (bv === undefined ? (a as any)[k] !== undefined || !(k in b) : !deepEqual((a as any)[k], bv)) return false;
  }
  let nb = 0;
  for (const _ in b) nb++;
  if (na !== nb) return false;
  if (na !== 0) return true;
  // No keys on either side: two empty objects, or Sets and Maps, which have no enumerable keys (walked as keys,
  // any two would be equal).
  if (a instanceof Set || b instanceof Set) return a instanceof Set && b instanceof Set && sameSet(a, b);
  if (a instanceof Map || b instanceof Map) return a instanceof Map && b instanceof Map && sameMap(a, b);
  return true;
}

/** Each element of one has an equal element in the other (both ways), and the sizes agree. */
function sameSet(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean {
  if (a.size !== b.size) return false;
  const within = (x: unknown, ys: ReadonlySet<unknown>): boolean => {
    if (ys.has(x)) return true;
    for (const y of ys) if (deepEqual(x, y)) return true;
    return false;
  };
  for (const x of a) if (!within(x, b)) return false;
  for (const y of b) if (!within(y, a)) return false;
  return true;
}

/** The same keys (an equal key in the other, both ways), each with an equal value, and the sizes agree. */
function sameMap(a: ReadonlyMap<unknown, unknown>, b: ReadonlyMap<unknown, unknown>): boolean {
  if (a.size !== b.size) return false;
  const within = (k: unknown, v: unknown, other: ReadonlyMap<unknown, unknown>): boolean => {
    if (other.has(k)) return deepEqual(v, other.get(k));
    for (const [k2, v2] of other) if (deepEqual(k, k2) && deepEqual(v, v2)) return true;
    return false;
  };
  for (const [k, v] of a) if (!within(k, v, b)) return false;
  for (const [k, v] of b) if (!within(k, v, a)) return false;
  return true;
}
