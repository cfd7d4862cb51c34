/**
 * The seen-set: 64-bit fingerprints in an open-addressing table (linear probing) of typed arrays, plus, for each
 * distinct state in discovery order, the index of its parent and the label of the step that reached it. No
 * strings, no Map, no stored states: a path is rebuilt by replaying labels from an initial state.
 *
 * Layout: `table` holds triples (hi, lo, id+1); 0 in the third word means an empty slot. The table doubles when
 * it is more than `MAX_LOAD` full. `parent(id)` is the parent's id, or -1-k for the k-th initial state;
 * `label(id)` is `action + actionCount * paramIndex` (-1 for an initial state). Both are kept in chunks of
 * `ENTRY_CHUNK` ids, and chunks past the first are never copied: each of their pages is faulted in once, when its
 * first id is written (flat arrays grown by half again faulted each page about three times and copied it twice;
 * docs/performance.md, "Thirteenth session").
 */
import { formatCount } from '../../format-count.ts';

const MAX_LOAD = 0.6;
/** Ids per chunk of the per-state arrays (here and in the parallel search's entry-chunks.ts): 256 KiB an array. */
export const ENTRY_CHUNK_SHIFT = 16;
export const ENTRY_CHUNK = 1 << ENTRY_CHUNK_SHIFT;
export const ENTRY_CHUNK_MASK = ENTRY_CHUNK - 1;
/** Largest typed array V8 allows (elements), and the largest id an Int32 parent pointer can hold. */
const MAX_TYPED_LENGTH = 2 ** 32;
const MAX_STATES = 2 ** 31 - 2;

/** Thrown when the seen-set cannot grow: the search stops as `incomplete` with reason `memory`. */
export class CapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapacityError';
  }
}

export class SeenSet {
  table: Int32Array;
  mask: number;
  size = 0;
  /** parents[c][i]: the parent of id c·ENTRY_CHUNK + i; labels likewise. */
  private readonly parents: Int32Array[] = [];
  private readonly labels: Int32Array[] = [];
  /** Ids the chunks hold: the first chunk starts small and is grown (copied) to ENTRY_CHUNK ids, then chunks are added. */
  private room = 0;
  /** Growing past this many bytes throws CapacityError instead (default: no limit but the platform's). */
  maxBytes = Infinity;
  /** Asked before a growth (memory-budget.ts: MemoryBudget.admit); throws CapacityError to refuse it. */
  admit: ((bytes: number, what: string) => void) | null = null;
  /**
   * Whether the table grows into SharedArrayBuffers: set for a search that may hand over to worker threads
   * (`workers: 'auto'`), whose shared table then takes this table's memory as it is instead of faulting in a copy.
   */
  shared = false;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap * 3);
    this.mask = cap - 1;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table and the per-state arrays. */
  get bytes(): number {
    return this.table.byteLength + this.room * 8;
  }

  /** The parent of state `id` (< size): its id, or -1-k for the k-th initial state. */
  parent(id: number): number {
    return this.parents[id >>> ENTRY_CHUNK_SHIFT]![id & ENTRY_CHUNK_MASK]!;
  }

  /** The label of the step that first reached state `id` (< size); -1 for an initial state. */
  label(id: number): number {
    return this.labels[id >>> ENTRY_CHUNK_SHIFT]![id & ENTRY_CHUNK_MASK]!;
  }

  /** Records another discovery of state `id` (< size) as its first (the distributed search's rank order). */
  rediscover(id: number, parent: number, label: number): void {
    this.parents[id >>> ENTRY_CHUNK_SHIFT]![id & ENTRY_CHUNK_MASK] = parent;
    this.labels[id >>> ENTRY_CHUNK_SHIFT]![id & ENTRY_CHUNK_MASK] = label;
  }

  /**
   * Inserts a fingerprint. Returns the new id (>= 0) when it was not there, or -1-id of the existing state.
   */
  insert(hi: number, lo: number, parent: number, label: number): number {
    if (this.size + 1 > this.capacity * MAX_LOAD) this.grow();
    const t = this.table;
    let i = slotOf(hi, lo, this.mask);
    for (;;) {
      const j = i * 3;
      const id1 = t[j + 2]!;
      if (id1 === 0) {
        const id = this.size;
        if (id >= this.room) this.addRoom(); // first: refused room leaves the seen-set as it was
        const c = id >>> ENTRY_CHUNK_SHIFT;
        this.size = id + 1;
        t[j] = hi;
        t[j + 1] = lo;
        t[j + 2] = id + 1;
        this.parents[c]![id & ENTRY_CHUNK_MASK] = parent;
        this.labels[c]![id & ENTRY_CHUNK_MASK] = label;
        return id;
      }
      if (t[j] === hi && t[j + 1] === lo) return -id1;
      i = (i + 1) & this.mask;
    }
  }

  /** Reads the first slot a fingerprint probes (to bring it into cache before a batch of inserts). */
  peek(hi: number, lo: number): number {
    return this.table[slotOf(hi, lo, this.mask) * 3 + 2]!;
  }

  /** The id of a fingerprint, or -1. */
  find(hi: number, lo: number): number {
    const t = this.table;
    let i = slotOf(hi, lo, this.mask);
    for (;;) {
      const j = i * 3;
      const id1 = t[j + 2]!;
      if (id1 === 0) return -1;
      if (t[j] === hi && t[j + 1] === lo) return id1 - 1;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const cap = grownCapacity(this.capacity);
    if (cap * 3 > MAX_TYPED_LENGTH || this.size >= MAX_STATES) {
      throw new CapacityError(`the seen-set cannot hold more than ${formatCount(Math.floor(this.capacity * MAX_LOAD))} states`);
    }
    if (this.bytes + cap * 12 > this.maxBytes) {
      throw new CapacityError(`growing the seen-set to ${Math.round((cap * 12) / 2 ** 20)} MiB would pass the memory limit`);
    }
    this.admit?.(cap * 12, 'the seen-set');
    const t = allocate(cap * 3, this.shared);
    copySlots(old, t);
    this.table = t;
    this.mask = cap - 1;
  }

  /**
   * Adds room for more ids: a first chunk of 1,024 ids, grown four times over (with a copy) up to ENTRY_CHUNK ids, so
   * that a small search holds little; then whole chunks, never copied.
   */
  private addRoom(): void {
    const first = this.room < ENTRY_CHUNK;
    const n = first ? Math.max(1024, this.room * 4) : ENTRY_CHUNK;
    const more = first ? n - this.room : n;
    if (this.bytes + more * 8 > this.maxBytes) throw new CapacityError('growing the parent table would pass the memory limit');
    this.admit?.(more * 8, 'the parent table');
    const p = allocate(n);
    const l = allocate(n);
    if (first) {
      if (this.room > 0) {
        p.set(this.parents[0]!);
        l.set(this.labels[0]!);
      }
      this.parents[0] = p;
      this.labels[0] = l;
      this.room = n;
    } else {
      this.parents.push(p);
      this.labels.push(l);
      this.room += n;
    }
  }

  /** Views of the parents and labels of ids c·ENTRY_CHUNK on (the first chunk may hold fewer than ENTRY_CHUNK ids). */
  entryChunk(c: number): { parents: Int32Array; labels: Int32Array } {
    return { parents: this.parents[c]!, labels: this.labels[c]! };
  }

  /** The table (a view, valid until the next insert) and copies of the parents and labels, for a checkpoint. */
  snapshot(): { table: Int32Array; parents: Int32Array; labels: Int32Array; size: number; mask: number } {
    return { table: this.table, parents: joined(this.parents, this.size), labels: joined(this.labels, this.size), size: this.size, mask: this.mask };
  }

  /** Replaces the contents with a snapshot's (copies the arrays; validate the snapshot first). */
  restore(snap: { table: Int32Array; parents: Int32Array; labels: Int32Array; size: number; mask: number }): void {
    this.table = snap.table.slice();
    this.mask = snap.mask;
    this.size = snap.size;
    this.parents.length = 0;
    this.labels.length = 0;
    this.room = 0;
    while (this.room < snap.size) this.addRoom();
    for (let c = 0, from = 0; from < snap.size; c++, from += ENTRY_CHUNK) {
      const end = Math.min(snap.size, from + ENTRY_CHUNK);
      this.parents[c]!.set(snap.parents.subarray(from, end));
      this.labels[c]!.set(snap.labels.subarray(from, end));
    }
  }

  /** The ids from an initial state to `id`, inclusive. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    let cur = id;
    for (;;) {
      path.push(cur);
      const p = this.parent(cur);
      if (p < 0) break;
      cur = p;
    }
    return path.reverse();
  }
}

/**
 * The capacity a table of `cap` slots grows to: four times while it is small (below 2^18 slots, 3 MiB: there
 * rehashing is the cost of growth), then twice (memory is: at 2^20 a table quadrupled from 2^18 would hold a
 * spec of 300 k states at 42 bytes a state instead of 21; docs/performance.md, "Memory").
 */
export function grownCapacity(cap: number): number {
  return cap * (cap < 1 << 18 ? 4 : 2);
}

/** The home slot of a fingerprint in a table of mask + 1 slots. */
export function slotOf(hi: number, lo: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}

/**
 * Copies the occupied slots of a table of triples (hi, lo, w; w = 0 is empty) into an empty, larger one, by
 * linear probing from each fingerprint's home slot.
 */
export function copySlots(old: Int32Array, t: Int32Array): void {
  touchPages(t, 0, t.length);
  insertSlots(old, t);
}

/**
 * Faults the pages of a fresh (all-zero) array in [from, end) in one pass, one word a page, before a copy writes
 * them: cheaper than faulting them inside the copy's interleaved write streams, and 3–5 times cheaper when another
 * thread faults pages at the same time (docs/performance.md).
 */
export function touchPages(t: Int32Array, from: number, end: number): void {
  for (let w = from; w < end; w += 1024) t[w] = 0;
}

/** Inserts the occupied triples of `from` (a table, or a list of triples) into the table `t`, by linear probing. */
export function insertSlots(from: Int32Array, t: Int32Array): void {
  const mask = t.length / 3 - 1;
  for (let j = 0; j < from.length; j += 3) {
    const w = from[j + 2]!;
    if (w === 0) continue;
    const hi = from[j]!;
    const lo = from[j + 1]!;
    let i = slotOf(hi, lo, mask);
    while (t[i * 3 + 2] !== 0) i = (i + 1) & mask;
    t[i * 3] = hi;
    t[i * 3 + 1] = lo;
    t[i * 3 + 2] = w;
  }
}

/** The first `n` ids' values of a list of chunks, as one array. */
function joined(chunks: readonly Int32Array[], n: number): Int32Array {
  const out = allocate(n);
  for (let c = 0, from = 0; from < n; c++, from += ENTRY_CHUNK) out.set(chunks[c]!.subarray(0, Math.min(ENTRY_CHUNK, n - from)), from);
  return out;
}

function allocate(n: number, shared = false): Int32Array {
  try {
    return shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
  } catch (e) {
    throw new CapacityError(`cannot allocate ${Math.round((n * 4) / 2 ** 20)} MiB for the seen-set (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * JavaScript statements computing the same fingerprint as `fingerprint` over `words` words held in the locals
 * `w0, w1, ...`, storing it in `fp[0]`, `fp[1]` (`fp`: the name of FP in the generated code). Generated encoders
 * use it to fingerprint a state from their registers, without reading the words back (see StateCodec.encodeFingerprint).
 */
export function fingerprintSource(words: number, fp: string): string {
  const lines = [`let h1=${0x3c6ef372 ^ words},h2=${0x9b05688c ^ Math.imul(words, 0x85ebca6b)},k=0,m=0;`];
  for (let i = 0; i < words; i++) {
    lines.push(
      `k=Math.imul(w${i},0xcc9e2d51);k=(k<<15)|(k>>>17);k=Math.imul(k,0x1b873593);h1^=k;h1=(h1<<13)|(h1>>>19);h1=(Math.imul(h1,5)+0xe6546b64)|0;`,
      `m=w${i}^0x5bd1e995;m=Math.imul(m,0x2c1b3c6d);m=(m<<17)|(m>>>15);h2=Math.imul(h2^m,0x297a2d39);h2=(h2<<11)|(h2>>>21);h2=(h2+0x85ebca77)|0;`,
    );
  }
  lines.push(
    'h1^=h1>>>16;h1=Math.imul(h1,0x85ebca6b);h1^=h1>>>13;h1=Math.imul(h1,0xc2b2ae35);h1^=h1>>>16;',
    'h2^=h2>>>15;h2=Math.imul(h2,0x2c1b3c6d);h2^=h2>>>12;h2=Math.imul(h2,0x297a2d39);h2^=h2>>>15;h2^=h1>>>7;',
    `${fp}[0]=h1;${fp}[1]=h2;`,
  );
  return lines.join('\n');
}

/** 64-bit fingerprint of words, as two 32-bit lanes (murmur3-style mixing with independent seeds), left in FP. */
export const FP = new Int32Array(2);

export function fingerprint(b: Int32Array, off: number, len: number): void {
  let h1 = 0x3c6ef372 ^ len;
  let h2 = 0x9b05688c ^ Math.imul(len, 0x85ebca6b);
  for (let i = off, end = off + len; i < end; i++) {
    let k = b[i]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let m = b[i]! ^ 0x5bd1e995;
    m = Math.imul(m, 0x2c1b3c6d);
    m = (m << 17) | (m >>> 15);
    h2 = Math.imul(h2 ^ m, 0x297a2d39);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (h2 + 0x85ebca77) | 0;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 0x2c1b3c6d);
  h2 ^= h2 >>> 12;
  h2 = Math.imul(h2, 0x297a2d39);
  h2 ^= h2 >>> 15;
  h2 ^= h1 >>> 7;
  FP[0] = h1;
  FP[1] = h2;
}

/**
 * What a run reports of its 64-bit fingerprints: TLC's estimate of the probability that two of the `distinct`
 * states shared one, given `generated` successors computed (duplicates included).
 */
export function fingerprintInfo(distinct: number, generated: number): { bits: 64; collisionProbability: number } {
  return { bits: 64, collisionProbability: (distinct * Math.max(0, generated - distinct)) / 2 ** 64 };
}
