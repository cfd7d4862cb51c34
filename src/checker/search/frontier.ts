import { WordBuffer } from '../state/index.ts';

/**
 * The search strategy as data: the set of states waiting to be expanded. The one exploration loop in
 * `engine.ts` pushes encoded successors and takes the next record; the frontier decides the order.
 *
 * A record is `[id, depth, length, ...words]` in `buf`. `take()` returns the offset of the next record (or -1
 * when empty); the record stays readable until the next `push`, which is all the loop needs (it decodes the
 * state before generating successors).
 */
export interface Frontier {
  /** The words; re-read after every push (the buffer may have grown). */
  readonly buf: Int32Array;
  /** Appends a record holding `words[offset..offset+len)`. */
  push(id: number, depth: number, words: Int32Array, len: number, offset?: number): void;
  /** The offset of the next record to expand, or -1 when the frontier is empty. */
  take(): number;
  /** Records waiting. */
  size(): number;
  /** Bytes held. */
  readonly bytes: number;
  /** Asked before the buffer grows (memory-budget.ts: MemoryBudget.admit); throws CapacityError to refuse it. */
  admit: ((bytes: number, what: string) => void) | null;
  /** The waiting records as `[id, depth, length, ...words]` in the order that re-pushing them restores this frontier. */
  snapshot(): Int32Array;
}

/** Pushes the records of a frontier snapshot into an empty frontier. */
export function restoreFrontier(f: Frontier, records: Int32Array): void {
  for (let p = 0; p < records.length; ) {
    const len = records[p + 2]!;
    f.push(records[p]!, records[p + 1]!, records.subarray(p + 3, p + 3 + len), len);
    p += 3 + len;
  }
}

/** Writes the record `[id, depth, len, ...words[offset..offset+len)]` at `p` (the buffer has room). */
function writeRecord(b: Int32Array, p: number, id: number, depth: number, words: Int32Array, len: number, offset: number): void {
  b[p] = id;
  b[p + 1] = depth;
  b[p + 2] = len;
  for (let i = 0; i < len; i++) b[p + 3 + i] = words[offset + i]!;
}

/** The records' buffer and count, common to both frontiers. */
abstract class RecordFrontier {
  readonly q: WordBuffer;
  count = 0;

  constructor(capacity = 1 << 12) {
    this.q = new WordBuffer(capacity);
  }

  get buf(): Int32Array {
    return this.q.buf;
  }
  get bytes(): number {
    return this.q.buf.byteLength;
  }
  get admit(): ((bytes: number, what: string) => void) | null {
    return this.q.admit;
  }
  set admit(f: ((bytes: number, what: string) => void) | null) {
    this.q.admit = f;
  }
  size(): number {
    return this.count;
  }
}

/** Breadth-first: a FIFO queue. Counterexamples are shortest. */
export class QueueFrontier extends RecordFrontier implements Frontier {
  head = 0;

  push(id: number, depth: number, words: Int32Array, len: number, offset = 0): void {
    const q = this.q;
    if (q.len + len + 3 > q.buf.length && this.head > q.buf.length / 2) {
      // Drop the consumed head before growing.
      q.buf.copyWithin(0, this.head, q.len);
      q.len -= this.head;
      this.head = 0;
    }
    const p = q.len;
    writeRecord(q.ensure(len + 3), p, id, depth, words, len, offset);
    q.len = p + 3 + len;
    this.count++;
  }

  snapshot(): Int32Array {
    return this.q.buf.slice(this.head, this.q.len);
  }

  /** The depth of the next record, or -1 when the queue is empty. */
  headDepth(): number {
    return this.head < this.q.len ? this.q.buf[this.head + 1]! : -1;
  }

  /** The records at the head that have the head's depth: the rest of the level being expanded (0 when empty). */
  levelAhead(): number {
    const b = this.q.buf;
    const end = this.q.len;
    let p = this.head;
    if (p >= end) return 0;
    const depth = b[p + 1]!;
    let n = 0;
    for (; p < end && b[p + 1] === depth; p += 3 + b[p + 2]!) n++;
    return n;
  }

  take(): number {
    if (this.head >= this.q.len) return -1;
    const at = this.head;
    this.head = at + 3 + this.q.buf[at + 2]!;
    this.count--;
    return at;
  }
}

/**
 * Depth-first: a LIFO stack. Memory stays proportional to the depth times the branching, not to the widest
 * level; counterexamples are not shortest. Each record is followed by its start offset so it can be popped.
 */
export class StackFrontier extends RecordFrontier implements Frontier {

  push(id: number, depth: number, words: Int32Array, len: number, offset = 0): void {
    const q = this.q;
    const p = q.len;
    const b = q.ensure(len + 4);
    writeRecord(b, p, id, depth, words, len, offset);
    b[p + 3 + len] = p;
    q.len = p + 4 + len;
    this.count++;
  }

  snapshot(): Int32Array {
    const out = new WordBuffer(Math.max(16, this.q.len));
    const b = this.q.buf;
    for (let p = 0; p < this.q.len; ) {
      const len = b[p + 2]!;
      const o = out.ensure(len + 3);
      o.set(b.subarray(p, p + 3 + len), out.len);
      out.len += len + 3;
      p += len + 4;
    }
    return out.buf.slice(0, out.len);
  }

  take(): number {
    const q = this.q;
    if (q.len === 0) return -1;
    const at = q.buf[q.len - 1]!;
    q.len = at; // the record's words stay in place until the next push overwrites them
    this.count--;
    return at;
  }
}

/**
 * Runs the queue's compaction (dropping the consumed head) a few dozen times, on a throwaway queue. The search loop
 * inlines `push`; the first compaction of a real search comes long after V8 has optimised that loop, and code that
 * has never run has no type feedback, so it would throw the optimised loop away to compile it again (a pause of
 * ~100 ms at full speed; docs/performance.md, warm-up). Called as each search starts: V8 allocates feedback only
 * after a function's first calls, and may drop a function's bytecode and feedback while it is not running.
 */
function primeQueue(): void {
  const f = new QueueFrontier(8);
  const w = new Int32Array(1);
  for (let i = 0; i < 64; i++) {
    f.push(i, 0, w, 1);
    f.take();
  }
}

export function frontierFor(strategy: 'bfs' | 'dfs'): Frontier {
  if (strategy === 'bfs') primeQueue();
  return strategy === 'dfs' ? new StackFrontier() : new QueueFrontier();
}
