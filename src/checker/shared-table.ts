import { CapacityError, copySlots, slotOf } from './seen-set.ts';

/**
 * The seen-set of a parallel search, shared by every worker thread in SharedArrayBuffers (see parallel.ts).
 *
 * `table` holds triples (hi, lo, w) with linear probing, hashed like SeenSet. The third word is 0 for an empty
 * slot, -1 while a worker writes it (readers wait), and otherwise -(e + 2) for the state's entry e. Entries are
 * handed out in blocks as workers find states, so their order is not the breadth-first order; per entry,
 * `parentOf[e]` is the rank of the state it was found from (-1-k for the k-th initial state) and `labelOf[e]`
 * the step's label. A state's rank is its position in breadth-first order (the id the single-threaded engine
 * gives it); `rankEntry[r]` is the entry of rank r. A level's new states get their ranks when the next level
 * starts (level.ts).
 *
 * Which discovery of a state counts is decided by its key, the parent's rank: the smallest, which is the one the
 * single-threaded search makes first. Entries of earlier levels are below the level's first entry, so telling
 * an old state from one found in this level needs no other memory access.
 */
// The control words, each in a cache line of its own (16 words apart): the chunk and level counters change
// all the time, and the flags every worker reads per chunk should not share a line with them.
export const CTL_STOP = 0;
/** A worker asks for the tables to grow: every worker stops at its next state boundary. */
export const CTL_PAUSE = 16;
/** The next chunk of the level to claim. */
export const CTL_CHUNK = 32;
/** Entries handed out (in blocks), over the whole search. */
export const CTL_ENTRIES = 48;
/** The smallest rank whose expansion produced a violation: later states are only scanned for deadlocks. */
export const CTL_VIOLATION_RANK = 64;
/** The smallest rank with a deadlock or an error: later states are skipped. */
export const CTL_DEADLOCK_RANK = 80;
/** Workers arrived at the barrier between ranking a level and expanding it. */
export const CTL_BARRIER = 96;
/** The sum of the states the workers kept: the size of the level to expand. */
export const CTL_LEVEL_SIZE = 112;
export const CTL_WORDS = 128;

/** Load at which the table asks to grow, and the load it never passes. */
export const SOFT_LOAD = 0.6;
export const HARD_LOAD = 0.85;

/** A SharedArrayBuffer-backed Int32Array; a failed allocation is a CapacityError (the search ends `incomplete`). */
export function sharedInts(n: number, what: string): Int32Array {
  try {
    return new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4));
  } catch (e) {
    throw new CapacityError(`cannot allocate ${Math.round((n * 4) / 2 ** 20)} MiB for ${what} (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The entry of a fingerprint, or -1 (use while no worker writes). */
export function entryOf(t: Int32Array, mask: number, hi: number, lo: number): number {
  let i = slotOf(hi, lo, mask);
  for (;;) {
    const j = i * 3;
    const w = t[j + 2]!;
    if (w === 0) return -1;
    if (t[j] === hi && t[j + 1] === lo) return -w - 2;
    i = (i + 1) & mask;
  }
}

/** Copies every entry into a table of `cap` slots. */
export function rehash(old: Int32Array, cap: number): Int32Array {
  const t = sharedInts(cap * 3, 'the seen-set');
  copySlots(old, t);
  return t;
}
