/**
 * The rank merge of the distributed search (src/distributed/protocol.ts): each owner's sorted keys and the other
 * owners' give every state the position it has in the merge of all of them, whatever the partition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { earlier, ranksOf, type Candidate } from '../../src/distributed/protocol.ts';

describe('ranksOf', () => {
  it('gives each key its position among all owners\' keys, plus the base', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), fc.nat(1000), (keys, owners, base) => {
        const parts = Array.from({ length: owners }, (_, o) => Float64Array.from(keys.filter((k) => k % owners === o).sort((a, b) => a - b)));
        const all = [...keys].sort((a, b) => a - b);
        parts.forEach((mine, o) => {
          const ranks = ranksOf(mine, parts.filter((_, x) => x !== o), base);
          expect([...ranks]).toEqual([...mine].map((k) => base + all.indexOf(k)));
        });
      }),
    );
  });
});

describe('earlier', () => {
  const c = (kind: Candidate['kind'], length: number, rank: number, k: number): Candidate => ({ kind, property: kind, message: '', rank, k, length });
  it('orders by length, then rank, then successor index, then kind (an invariant before an assertion)', () => {
    expect(earlier(c('deadlock', 3, 9, -1), c('invariant', 4, 1, 0), true)).toBe(true);
    expect(earlier(c('invariant', 4, 1, 0), c('deadlock', 3, 9, -1), false)).toBe(true);
    expect(earlier(c('invariant', 4, 2, 5), c('assertion', 4, 2, 5), true)).toBe(true);
    expect(earlier(c('assertion', 4, 2, 4), c('invariant', 4, 2, 5), true)).toBe(true);
  });
});
