/** The one diff (src/trace/diff.ts): equality, first difference, and the sequence alignment's laws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignSequences, diffValues, equalValues, firstDifference, valueKey } from '../../src/trace/index.ts';

/** Length of the longest common subsequence, the textbook way. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  return t[0]![0]!;
}

describe('equalValues and valueKey', () => {
  it('ignore object key order, equate NaN with NaN and -0 with 0, and tell undefined from null', () => {
    expect(equalValues({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(equalValues(NaN, NaN)).toBe(true);
    expect(equalValues(-0, 0)).toBe(true);
    expect(equalValues(null, undefined)).toBe(false);
    expect(equalValues([1, 2], [1, 2, 3])).toBe(false);
    expect(equalValues({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('valueKey agrees with equalValues', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.integer({ min: -2, max: 2 }), fc.constantFrom(null, 'x', true, NaN, -0), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(fc.property(value, value, (a, b) => (valueKey(a) === valueKey(b)) === equalValues(a, b)), { numRuns: 500 });
  });
});

describe('firstDifference', () => {
  it('names the first differing field as a trace path', () => {
    expect(firstDifference({ net: [{ epoch: 0 }, { epoch: 1 }] }, { net: [{ epoch: 0 }, { epoch: 2 }] })).toBe('net[1].epoch');
    expect(firstDifference({ R: [[0, 1]] }, { R: [[0, 2]] })).toBe('R[0][1]');
    expect(firstDifference({ q: [1, 2] }, { q: [1, 2, 3] })).toBe('q[2]');
    expect(firstDifference({ q: [1, 2, 3] }, { q: [2, 3] })).toBe('q[0]');
    expect(firstDifference({ s: { '#set': [1] } }, { s: { '#set': [2] } })).toBe('s');
    expect(firstDifference({ a: 1 }, { a: 1 })).toBeNull();
    expect(firstDifference(1, 2)).toBe('');
  });
});

describe('alignSequences', () => {
  const small = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 9 });

  it('visits every element of both sides once, in order; of different lengths it keeps a longest common subsequence', () => {
    fc.assert(
      fc.property(small, small, (a, b) => {
        const pairs = alignSequences(a, b, 250_000);
        expect(pairs.map((p) => p[0]).filter((i) => i! >= 0)).toEqual(a.map((_, i) => i));
        expect(pairs.map((p) => p[1]).filter((j) => j! >= 0)).toEqual(b.map((_, j) => j));
        const kept = pairs.filter(([i, j]) => i! >= 0 && j! >= 0 && a[i!] === b[j!]).length;
        if (a.length !== b.length) expect(kept).toBe(lcsLength(a, b));
        else expect(pairs).toEqual(a.map((_, i) => [i, i]));
      }),
      { numRuns: 500 },
    );
  });

  it('a removal and an addition in the same gap are paired; index by index above the limit', () => {
    expect(alignSequences(['a', 'b', 'c'], ['a', 'x'], 250_000)).toEqual([[0, 0], [1, 1], [2, -1]]);
    expect(alignSequences(['a', 'b', 'c'], ['b', 'c'], 5)).toEqual([[0, 0], [1, 1], [2, -1]]);
    expect(alignSequences(['a', 'b', 'c'], ['b', 'c'], 6)).toEqual([[0, -1], [1, 0], [2, 1]]);
  });

  it('diffValues applies it at every depth: a pop inside a record inside an array', () => {
    expect(diffValues({ links: [{ q: [1, 2] }, { q: [] }] }, { links: [{ q: [2] }, { q: [] }] })).toEqual([{ kind: 'removed', path: 'links[0].q[0]', before: 1 }]);
  });
});
