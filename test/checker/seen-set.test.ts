import { describe, expect, it } from 'vitest';
import { CapacityError, ENTRY_CHUNK, SeenSet } from '../../src/checker/state/seen-set.ts';

/** A fingerprint per id, spread over the table. */
const fp = (i: number): [number, number] => [Math.imul(i + 1, 0x9e3779b1) | 0, Math.imul(i + 7, 0x85ebca6b) ^ i];

/** Fills a seen-set with `n` states: state i's parent is i >> 1 (state 0 is the initial state 0), its label i % 13. */
function filled(n: number): SeenSet {
  const seen = new SeenSet(1 << 10);
  let numbered = 0;
  for (let i = 0; i < n; i++) {
    const [hi, lo] = fp(i);
    if (seen.insert(hi, lo, i === 0 ? -1 : i >> 1, i === 0 ? -1 : i % 13) === i) numbered++;
  }
  expect(numbered).toBe(n);
  return seen;
}

describe('the seen-set of one thread (seen-set.ts)', () => {
  const n = 2 * ENTRY_CHUNK + 5;

  it('keeps parents and labels across chunks, finds every state, and rebuilds paths', () => {
    const seen = filled(n);
    expect(seen.size).toBe(n);
    for (const i of [0, 1, ENTRY_CHUNK - 1, ENTRY_CHUNK, ENTRY_CHUNK + 1, 2 * ENTRY_CHUNK, n - 1]) {
      expect([seen.parent(i), seen.label(i)]).toEqual(i === 0 ? [-1, -1] : [i >> 1, i % 13]);
      const [hi, lo] = fp(i);
      expect(seen.find(hi, lo)).toBe(i);
      expect(seen.insert(hi, lo, 0, 0)).toBe(-1 - i);
    }
    const path = [n - 1];
    while (path[0] !== 0) path.unshift(path[0]! >> 1);
    expect(path).toHaveLength(19);
    expect(seen.pathTo(n - 1)).toEqual(path);
    // Three chunks of parents and labels, 8 bytes an id, beside the table.
    expect(seen.bytes).toBe(seen.table.byteLength + 3 * ENTRY_CHUNK * 8);
  });

  it('rediscover replaces a state\'s first discovery', () => {
    const seen = filled(ENTRY_CHUNK + 2);
    seen.rediscover(ENTRY_CHUNK + 1, 3, 12);
    expect([seen.parent(ENTRY_CHUNK + 1), seen.label(ENTRY_CHUNK + 1)]).toEqual([3, 12]);
    expect(seen.pathTo(ENTRY_CHUNK + 1)).toEqual([0, 1, 3, ENTRY_CHUNK + 1]);
  });

  it('a snapshot holds exactly `size` parents and labels, and restoring it gives the same seen-set', () => {
    const seen = filled(n);
    const snap = seen.snapshot();
    expect([snap.parents.length, snap.labels.length, snap.size]).toEqual([n, n, n]);
    expect([snap.parents[ENTRY_CHUNK + 3], snap.labels[n - 1]]).toEqual([(ENTRY_CHUNK + 3) >> 1, (n - 1) % 13]);
    const back = new SeenSet(1 << 10);
    back.restore(snap);
    expect(back.size).toBe(n);
    // The snapshot's parents and labels are copies (its table is a view): a later discovery does not change them.
    seen.rediscover(5, 1, 1);
    expect([snap.parents[5], snap.labels[5]]).toEqual([2, 5]);
    for (let i = 0; i < n; i += 997) expect([back.parent(i), back.label(i), back.find(...fp(i))]).toEqual([snap.parents[i], snap.labels[i], i]);
    // It goes on numbering after the restored states, in the chunk that is partly filled.
    expect(back.insert(1, 2, 7, 7)).toBe(n);
    expect([back.parent(n), back.label(n)]).toEqual([7, 7]);
  });

  it('adds a chunk only within the memory limit, and says which table could not grow', () => {
    const seen = new SeenSet(1 << 10);
    const asked: string[] = [];
    seen.admit = (bytes, what) => asked.push(`${what}: ${bytes}`);
    seen.insert(1, 1, -1, -1);
    // A small first chunk, grown four times over up to a whole chunk; then whole chunks.
    for (let i = 1; i <= ENTRY_CHUNK + 1; i++) seen.insert(i + 1, i, 0, 0);
    expect(asked.filter((a) => a.startsWith('the parent table'))).toEqual([1024, 3072, 12288, ENTRY_CHUNK - 16384, ENTRY_CHUNK].map((n) => `the parent table: ${n * 8}`));
    expect(seen.bytes).toBe(seen.table.byteLength + 2 * ENTRY_CHUNK * 8);
    const tight = new SeenSet(1 << 10);
    tight.maxBytes = tight.bytes + 100;
    expect(() => tight.insert(1, 1, -1, -1)).toThrow(CapacityError);
    expect(() => tight.insert(1, 1, -1, -1)).toThrow(/parent table would pass the memory limit/);
    // Refused before anything was written: the seen-set is as it was.
    expect([tight.size, tight.find(1, 1)]).toEqual([0, -1]);
  });
});
