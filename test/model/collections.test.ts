/**
 * The Bag and SetOf helpers against plain reference implementations (multiset and set semantics over plain data,
 * compared by JSON text), as fast-check properties. Inputs are never modified.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bag, deepEqual, SetOf } from 'interleave';

const key = (x: unknown): string => JSON.stringify(x);
const sorted = (xs: readonly unknown[]): string[] => xs.map(key).sort();
// Small elements, so that equal but distinct objects (and identical ones) are common.
const el = fc.oneof(fc.record({ from: fc.integer({ min: 0, max: 1 }), to: fc.integer({ min: 0, max: 1 }) }), fc.tuple(fc.boolean()), fc.integer({ min: 0, max: 2 }));
const list = fc.array(el, { maxLength: 6 });

describe('Bag and SetOf helpers', () => {
  it('Bag.add adds one copy; Bag.remove removes one copy of an equal element (none if there is none)', () => {
    fc.assert(
      fc.property(list, el, (xs, x) => {
        const before = key(xs);
        const added = Bag.add(xs, x);
        expect(sorted(added)).toEqual(sorted([...xs, x]));
        // The helpers build arrays of their final length (collections.ts: withAdded): every index is filled, in order.
        added.forEach((y, j) => expect(y).toBe(j < xs.length ? xs[j] : x));
        expect(Object.keys(added).length).toBe(xs.length + 1);
        expect(Object.keys(Bag.remove(xs, x)).length).toBe(xs.length - (xs.some((y) => key(y) === key(x)) ? 1 : 0));
        const i = xs.findIndex((y) => key(y) === key(x));
        const expected = i < 0 ? xs : xs.filter((_, j) => j !== i);
        const removed = Bag.remove(xs, x);
        expect(sorted(removed)).toEqual(sorted(expected));
        expect(removed).not.toBe(xs);
        // An element taken from the bag itself is found by identity first: its first identical copy goes.
        if (xs.length > 0) {
          const last = xs[xs.length - 1]!;
          const at = xs.indexOf(last);
          const out = Bag.remove(xs, last);
          expect(out.length).toBe(xs.length - 1);
          out.forEach((y, j) => expect(y).toBe(xs[j < at ? j : j + 1]));
        }
        expect(key(xs)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
  it('Bag.distinct keeps the first of each group of equal elements, in order; Bag.count counts equal ones', () => {
    fc.assert(
      fc.property(list, (xs) => {
        const before = key(xs);
        const firsts = xs.filter((x, i) => xs.findIndex((y) => key(y) === key(x)) === i);
        const d = Bag.distinct(xs);
        expect(d.map(key)).toEqual(firsts.map(key));
        d.forEach((x, k) => expect(x).toBe(firsts[k]));
        expect(d).not.toBe(xs);
        for (const x of xs) expect(Bag.count(xs, x)).toBe(xs.filter((y) => key(y) === key(x)).length);
        expect(key(xs)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });
  it('SetOf keeps one copy of each element', () => {
    fc.assert(
      fc.property(list, el, (xs, x) => {
        const set = Bag.distinct(xs);
        expect(SetOf.has(set, x)).toBe(set.some((y) => key(y) === key(x)));
        expect(sorted(SetOf.add(set, x))).toEqual(sorted(SetOf.has(set, x) ? set : [...set, x]));
        expect(sorted(SetOf.remove(set, x))).toEqual(sorted(set.filter((y) => key(y) !== key(x))));
      }),
      { numRuns: 300 },
    );
  });

  it('deepEqual on records: any key order; a key set to undefined differs from a missing one', () => {
    // Records over a few keys, some of them explicitly undefined; equality must match the one written out here.
    const rec = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(undefined, 0, 1, 'x'), { maxKeys: 3 });
    const same = (x: Record<string, unknown>, y: Record<string, unknown>): boolean => {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      return key(kx) === key(ky) && kx.every((k) => x[k] === y[k]);
    };
    const reversed = (x: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(x).reverse());
    fc.assert(
      fc.property(rec, rec, (x, y) => {
        expect(deepEqual(x, y)).toBe(same(x, y));
        expect(deepEqual(y, x)).toBe(same(x, y));
        expect(deepEqual(x, reversed(x))).toBe(true);
        expect(deepEqual({ m: x }, { m: reversed(y) })).toBe(same(x, y));
      }),
      { numRuns: 500 },
    );
    expect(deepEqual({ a: undefined }, {})).toBe(false);
    expect(deepEqual({}, { a: undefined })).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(deepEqual({ a: undefined }, { a: undefined })).toBe(true);
    // A key that only an object's prototype has (toString) is not a key of the record.
    expect(deepEqual({ toString: undefined }, { x: 1 })).toBe(false);
  });

  it('deepEqual compares Sets and Maps by their contents (they have no enumerable keys to walk)', () => {
    expect(deepEqual(new Set([1, 2]), new Set([2, 1]))).toBe(true);
    expect(deepEqual(new Set([1]), new Set([2]))).toBe(false);
    expect(deepEqual(new Set([{ a: 1 }]), new Set([{ a: 1 }]))).toBe(true);
    expect(deepEqual(new Set([{ a: 1 }, { a: 1 }]), new Set([{ a: 1 }, { a: 2 }]))).toBe(false);
    expect(deepEqual(new Map([[1, 'x']]), new Map([[1, 'x']]))).toBe(true);
    expect(deepEqual(new Map([[1, 'x']]), new Map([[1, 'y']]))).toBe(false);
    expect(deepEqual(new Map([[{ k: 1 }, 'x']]), new Map([[{ k: 1 }, 'x']]))).toBe(true);
    expect(deepEqual(new Map([[{ k: 1 }, 'x']]), new Map([[{ k: 2 }, 'x']]))).toBe(false);
    expect(deepEqual(new Set(), new Map())).toBe(false);
    expect(deepEqual(new Set(), {})).toBe(false);
    expect(deepEqual({}, {})).toBe(true);
    expect(deepEqual({ a: new Set([1]) }, { a: new Set([1]) })).toBe(true);
    expect(deepEqual({ a: new Set([1]) }, { a: new Set([3]) })).toBe(false);
    // So a bag of Sets removes the equal one, not the first.
    expect(Bag.remove([new Set([1]), new Set([2])], new Set([2]))).toEqual([new Set([1])]);
    expect(SetOf.add([new Set([1])], new Set([2]))).toHaveLength(2);
  });
});
