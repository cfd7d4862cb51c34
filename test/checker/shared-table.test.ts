import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeenSet, copySlots, grownCapacity, insertSlots } from '../../src/checker/state/seen-set.ts';
import { entryOf, rehashPart } from '../../src/checker/state/shared-table.ts';

/** A table of `cap` slots holding the fingerprints `fps` (entry e as w = -e - 2), inserted in order. */
function filled(cap: number, fps: [number, number][]): Int32Array {
  const t = new Int32Array(cap * 3);
  insertSlots(Int32Array.from(fps.flatMap(([hi, lo], e) => [hi, lo, -e - 2])), t);
  return t;
}

/** Rehashes by parts, as the workers do (the parts in any order), then inserts what they deferred. */
function byParts(old: Int32Array, cap: number, parts: number, order: number[]): { t: Int32Array; deferred: number } {
  const t = new Int32Array(cap * 3);
  const d = order.map((k) => rehashPart(old, t, k, parts));
  for (const x of d) insertSlots(x, t);
  return { t, deferred: d.reduce((s, x) => s + x.length / 3, 0) };
}

describe('the shared table grown by parts (parallel rehash)', () => {
  it('finds every entry, holds nothing else, and keeps every probe run unbroken (random tables, 1–4 parts, ×2 and ×4)', () => {
    const fp = fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(fp, { minLength: 0, maxLength: 54, selector: ([hi, lo]) => `${hi},${lo}` }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(2, 4),
        fc.boolean(),
        (fps, parts, factor, reversed) => {
          const old = filled(64, fps); // up to 85 % full: long runs, runs that wrap past the end
          const order = Array.from({ length: parts }, (_, k) => (reversed ? parts - 1 - k : k));
          const { t } = byParts(old, 64 * factor, parts, order);
          const mask = 64 * factor - 1;
          fps.forEach(([hi, lo], e) => expect(entryOf(t, mask, hi, lo)).toBe(e));
          let held = 0;
          for (let j = 0; j < t.length; j += 3) if (t[j + 2] !== 0) held++;
          expect(held).toBe(fps.length);
          // No two parts write the same slot (they run at once, without atomics): part k writes only slots
          // whose position modulo the old capacity is in its own range.
          for (let k = 0; k < parts; k++) {
            const alone = new Int32Array(64 * factor * 3);
            rehashPart(old, alone, k, parts);
            const [a, b] = [Math.floor((64 * k) / parts), Math.floor((64 * (k + 1)) / parts)];
            for (let i = 0; i < 64 * factor; i++) if (alone[i * 3 + 2] !== 0) expect(i % 64 >= a && i % 64 < b, `part ${k} of ${parts} wrote slot ${i}`).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches the serial copy entry for entry on a large table, deferring only a few entries per region end', () => {
    const fps: [number, number][] = [];
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) | 0);
    const seen = new Set<string>();
    while (fps.length < 0.6 * (1 << 16)) {
      const f: [number, number] = [next(), next()];
      if (!seen.has(`${f[0]},${f[1]}`)) (seen.add(`${f[0]},${f[1]}`), fps.push(f));
    }
    const old = filled(1 << 16, fps);
    const serial = new Int32Array((1 << 17) * 3);
    copySlots(old, serial);
    const { t, deferred } = byParts(old, 1 << 17, 2, [1, 0]);
    const mask = (1 << 17) - 1;
    for (let e = 0; e < fps.length; e++) expect(entryOf(t, mask, fps[e]![0], fps[e]![1])).toBe(entryOf(serial, mask, fps[e]![0], fps[e]![1]));
    // 2 parts × 2 destination regions: the runs crossing a region end are short at this load.
    expect(deferred).toBeLessThan(64);
  });
});

describe('seen-set growth', () => {
  it('quadruples below 2^18 slots, then doubles: 300 k states fit in 2^19 slots (6 MiB), not 2^20', () => {
    expect([2 ** 10, 2 ** 16, 2 ** 17, 2 ** 18, 2 ** 19].map(grownCapacity)).toEqual([2 ** 12, 2 ** 18, 2 ** 19, 2 ** 19, 2 ** 20]);
    const seen = new SeenSet(2 ** 16);
    for (let i = 0; i < 300_000; i++) seen.insert(Math.imul(i, 0x9e3779b1), i, -1, -1);
    expect([seen.size, seen.capacity]).toEqual([300_000, 2 ** 19]);
    // Every state is still found after the growths.
    let found = 0;
    for (let i = 0; i < 300_000; i++) if (seen.find(Math.imul(i, 0x9e3779b1), i) === i) found++;
    expect(found).toBe(300_000);
  });
});
