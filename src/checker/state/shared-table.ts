import { withRoom } from './codec.ts';
import { CapacityError, copySlots, slotOf, touchPages } from './seen-set.ts';

/**
 * The seen-set of a parallel search, shared by every worker thread in SharedArrayBuffers (see parallel.ts).
 *
 * `table` holds triples (hi, lo, w) with linear probing, hashed like SeenSet. The third word is 0 for an empty
 * slot, -1 while a worker writes it (readers wait), and otherwise -(e + 2) for the state's entry e. Entries are
 * handed out in blocks as workers find states, so their order is not the breadth-first order; per entry,
 * `parentOf[e]` is the rank of the state it was found from (-1-k for the k-th initial state) and `labelOf[e]`
 * the step's label. A state's rank is its position in breadth-first order (the id the single-threaded engine
 * gives it); `rankEntry[r]` is the entry of rank r. Those three arrays are kept in chunks (entry-chunks.ts). A level's new states get their ranks when the next level
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
/**
 * The smallest rank whose expansion produced a violation, or (deadlocks checked) failed: later states are only
 * scanned for deadlocks (search/level-outcome.ts).
 */
export const CTL_VIOLATION_RANK = 64;
/** The smallest rank with a deadlock or an error: later states are skipped. */
export const CTL_DEADLOCK_RANK = 80;
/** Workers' arrivals at the barriers of a level's ranking (level.ts: rank), counted over the level. */
export const CTL_BARRIER = 96;
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

/** Copies every entry into a table of `cap` slots (one thread: the initial states). */
export function rehash(old: Int32Array, cap: number): Int32Array {
  const t = sharedInts(cap * 3, 'the seen-set');
  copySlots(old, t);
  return t;
}

/**
 * One worker's part of copying the table into a larger, empty one while every worker is stopped; the parts run
 * at once, without atomics. On the project's machine two workers copy a 48 MiB table in 25–30 ms, against
 * 50–70 ms for one thread (docs/performance.md).
 *
 * Part k of n takes the entries whose home slot in the old table is in [a, b) = [k/n, (k+1)/n) of it. The home
 * in the new table keeps the old home's bits (slotOf masks the same hash), so it is in one of the regions
 * [a + j·C, b + j·C) of the new table (C: old capacity), which no other part writes. Those entries sit in the old
 * table from slot a up to the first empty slot at or after b (linear probing leaves no gap between an entry and
 * its home). An entry whose probe would leave its region is returned instead (hi, lo, w triples; a handful at
 * each region's end) and inserted (`insertSlots`) after every part is done, which keeps every probe run
 * unbroken.
 */
export function rehashPart(old: Int32Array, t: Int32Array, part: number, parts: number): Int32Array {
  // Slot numbers are below 2^31, so they stay small integers.
  const oldCap = (old.length / 3) | 0;
  const oldMask = (oldCap - 1) | 0;
  const mask = (t.length / 3 - 1) | 0;
  const a = Math.floor((oldCap * part) / parts) | 0;
  const b = Math.floor((oldCap * (part + 1)) / parts) | 0;
  for (let r = a * 3; r < t.length; r += oldCap * 3) touchPages(t, r, r + (b - a) * 3); // this part's regions
  let deferred = new Int32Array(48);
  let nd = 0;
  for (let p = a, last = (a + oldCap) | 0; p < last; p++) {
    const j = (p & oldMask) * 3;
    const w = old[j + 2]!;
    if (w === 0) {
      if (p >= b) break;
      continue;
    }
    const hi = old[j]!;
    const lo = old[j + 1]!;
    // slotOf's hash, unmasked: both homes are its low bits. Inline: two slotOf calls here ran 3 times slower.
    const x = lo ^ Math.imul(hi, 0x9e3779b1);
    const home = x & oldMask;
    if (home < a || home >= b) continue; // another part's (a run that started before a)
    let i = x & mask;
    const end = (i - home + b) | 0;
    while (i < end && t[i * 3 + 2] !== 0) i++;
    if (i === end) {
      deferred = withRoom(deferred, nd + 3);
      deferred[nd] = hi;
      deferred[nd + 1] = lo;
      deferred[nd + 2] = w;
      nd += 3;
      continue;
    }
    t[i * 3] = hi;
    t[i * 3 + 1] = lo;
    t[i * 3 + 2] = w;
  }
  return deferred.slice(0, nd);
}
