import { describe, expect, it } from 'vitest';
import { notPlainData } from '../../src/checker/spec/plain-data.ts';

class Point {
  x = 1;
}

describe('notPlainData: where a value stops being plain data', () => {
  it('names the first value that is not plain, with the path to it', () => {
    expect(notPlainData({ a: [1, { b: new Set([1, () => 0]) }] })).toEqual({ path: '.a[1].b{set}[1]', what: 'a function' });
    expect(notPlainData({ 'x-y': new Map([[1, NaN]]) })).toEqual({ path: '["x-y"]{map}[0][1]', what: 'NaN' });
    expect(notPlainData([[[Symbol('s')]]])).toEqual({ path: '[0][0][0]', what: 'a symbol' });
    expect(notPlainData({ ok: 1, deep: { p: new Point() } }, '.root')).toEqual({ path: '.root.deep.p', what: 'a Point' });
    expect(notPlainData(Infinity)).toEqual({ path: '', what: 'Infinity' });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(notPlainData(cycle)).toEqual({ path: '.self'.repeat(64), what: 'a value nested deeper than 64 levels (or a cycle)' });
  });

  it('accepts numbers, strings, booleans, null, undefined, bigints, and plain arrays, objects, Sets and Maps of them', () => {
    expect(notPlainData({ fine: [1, 'a', null, undefined, 2n, true, new Set([1]), new Map([[1, { z: 2 }]])], none: Object.create(null) })).toBeNull();
  });
});
