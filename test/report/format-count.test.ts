/** Counts print as toLocaleString('en-US') prints them, without loading ICU's locale data (src/format-count.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/format-count.ts';

describe('formatCount', () => {
  it('groups digits by three', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1745408)).toBe('1,745,408');
    expect(formatCount(-27194221)).toBe('-27,194,221');
    expect(formatCount(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991');
  });

  it('writes every integer as toLocaleString("en-US") does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1e7, max: 1e7 })), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves fractions and non-finite numbers to toLocaleString', () => {
    for (const n of [1234.5678, Number.NaN, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, 2 ** 60]) expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });
});
