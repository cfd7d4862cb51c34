import { describe, expect, it } from 'vitest';
import { CapacityError, ENTRY_CHUNK } from '../../src/checker/state/seen-set.ts';
import { EntryChunks, EntryViews } from '../../src/checker/state/entry-chunks.ts';

describe('the entry arrays of a parallel search, in chunks (entry-chunks.ts)', () => {
  it('grows by whole chunks, keeps what was written, and sends each chunk to the workers once', () => {
    const admitted: number[] = [];
    const a = new EntryChunks((bytes) => admitted.push(bytes));
    a.reserve(1);
    expect([a.capacity, a.bytes]).toEqual([ENTRY_CHUNK, ENTRY_CHUNK * 12]);
    const last = ENTRY_CHUNK - 1;
    a.set(last, 7, 3);
    a.setRank(last, 5);
    const worker = new EntryViews();
    const first = a.message();
    expect([first.from, first.chunks.length]).toEqual([0, 1]);
    worker.update(first);
    a.reserve(2 * ENTRY_CHUNK + 1);
    expect(a.capacity).toBe(3 * ENTRY_CHUNK);
    expect(admitted).toEqual([ENTRY_CHUNK * 12, ENTRY_CHUNK * 12, ENTRY_CHUNK * 12]);
    // Nothing was copied: the first chunk's values are where they were, and the new ones start at zero.
    expect([a.parent(last), a.label(last), a.entryAt(last), a.parent(ENTRY_CHUNK), a.label(2 * ENTRY_CHUNK)]).toEqual([7, 3, 5, 0, 0]);
    a.set(ENTRY_CHUNK + 1, 11, 4);
    a.setRank(2 * ENTRY_CHUNK, ENTRY_CHUNK + 1);
    const second = a.message();
    expect([second.from, second.chunks.length]).toEqual([1, 2]);
    expect(a.message()).toEqual({ from: 3, chunks: [] });
    worker.update(second);
    // The worker sees the coordinator's writes through the shared buffers, and the coordinator the worker's.
    expect(worker.capacity).toBe(3 * ENTRY_CHUNK);
    expect([worker.parents[1]![1], worker.labels[1]![1], worker.ranks[2]![0]]).toEqual([11, 4, ENTRY_CHUNK + 1]);
    worker.parents[0]![0] = -1;
    expect(a.parent(0)).toBe(-1);
  });

  it('a worker reused by a new search drops the chunks of the last one', () => {
    const worker = new EntryViews();
    const old = new EntryChunks(() => {});
    old.reserve(3 * ENTRY_CHUNK);
    worker.update(old.message());
    const fresh = new EntryChunks(() => {});
    fresh.reserve(1);
    fresh.set(0, 42, 1);
    worker.update(fresh.message());
    expect(worker.capacity).toBe(ENTRY_CHUNK);
    expect(worker.parents[0]![0]).toBe(42);
  });

  it('a refused chunk leaves the arrays as they were', () => {
    let room = 1;
    const a = new EntryChunks(() => {
      if (room-- <= 0) throw new CapacityError('growing the parent table would pass the memory limit');
    });
    a.reserve(1);
    expect(() => a.reserve(ENTRY_CHUNK + 1)).toThrow(CapacityError);
    expect([a.capacity, a.message().chunks.length]).toEqual([ENTRY_CHUNK, 1]);
  });
});
