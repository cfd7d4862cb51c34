import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import type { SpecRuntime } from '../spec/index.ts';
import {
  CTL_BARRIER,
  CTL_CHUNK,
  CTL_DEADLOCK_RANK,
  CTL_ENTRIES,
  CTL_PAUSE,
  CTL_STOP,
  CTL_VIOLATION_RANK,
  CapacityError,
  ENTRY_CHUNK_MASK,
  ENTRY_CHUNK_SHIFT,
  EntryViews,
  HARD_LOAD,
  SOFT_LOAD,
  WordBuffer,
  entryOf,
  type EntryChunkList,
  primeBuffers,
  slotOf,
} from '../state/index.ts';
import { Expander, KNOWN, META, type SuccessorTable } from './expand.ts';
import { ReachTracker, type ReachHit } from '../properties/index.ts';
import { depthAtEnd, firstByRank, levelEnd, troublesAt } from './level-outcome.ts';

/**
 * One worker's part of a parallel breadth-first level (the coordinator is parallel.ts; the shared seen-set is
 * described in shared-table.ts). Per level:
 *
 * 1. `rank`: the new states of the last level get their ranks: their positions in the merge (by parent rank)
 *    of every worker's records that are still their state's first discovery (a worker records a state at most
 *    once per parent, so the record whose parent rank is the state's key is the one). One worker expanded each
 *    chunk of the last level, and wrote its records in one run, so the merge is the chunks' runs in chunk order:
 *    each worker counts the records it kept per chunk it expanded (`chunkCounts`), all wait for each other (a
 *    barrier on shared words), each sums the counts of the chunks before its own and writes the entries of its
 *    records into `rankEntry` and where they are into the level's order, and all wait again. Each worker reads
 *    its own records and one word per chunk; the level's size is the sum of the counts.
 * 2. `expand`: workers claim chunks of the level's states in rank order, generate successors, and insert them
 *    into the shared table. A successor not seen before gets an entry and a record in the worker's `next`
 *    buffer; one already found in this level from a later-ranked state (by another worker) has its key lowered
 *    to ours, and we write a record too.
 *
 * Records: `[entry, parentRank, length, ...words]`; they stay where they were written, and the next level reads
 * them there (through the order arrays).
 */
export interface LevelViolation {
  kind: 'invariant' | 'assertion' | 'deadlock';
  property: string;
  message: string;
  /** Rank of the state that was expanded (for a deadlock: the deadlocked state). */
  rank: number;
  /** For an invariant: the label of the step from `rank` to the violating state. */
  label?: number;
  /** For an assertion: the failing step. */
  step?: { action: number; param: unknown };
  /** Counterexample length in actions. */
  length: number;
}

export interface LevelError {
  error: { code: string; message: string; details: Record<string, unknown> };
  rank: number;
}

/** The shared arrays a level works on (re-sent when they grow). */
export interface LevelTables {
  table: SharedArrayBuffer;
  /** The entry arrays' chunks added since the last message (entry-chunks.ts). */
  entries: EntryChunkList;
}

export interface LevelTask {
  /** Rank of the level's first state. */
  base: number;
  depth: number;
  /** Entries below this one belong to states of earlier levels. */
  firstEntry: number;
  /** At the depth limit: successors are only looked up. */
  atLimit: boolean;
  /** Each worker's records from the last level (words used), and where each rank's record is. */
  curs: SharedArrayBuffer[];
  /**
   * Room for the records kept per chunk of the last level (slot 0: the records a hand-over found; slot c + 1:
   * chunk c), at least `chunksOf(last level's size, workers) + 1` words.
   */
  chunkCounts: SharedArrayBuffer;
  lens: number[];
  orderWorker: SharedArrayBuffer;
  orderOffset: SharedArrayBuffer;
  /**
   * Per position of the level: the successors its expansion counts as generated, as the single-threaded engine
   * counts them (up to and including a violating successor). The coordinator sums them up to the first violation,
   * so that the counts at a violation do not depend on the number of workers.
   */
  genAt: SharedArrayBuffer;
  /** For the initial level (built by the coordinator, ranked already): its size. */
  initial?: number;
  /**
   * With the first level of a search a thread hands over in the middle of a level (engine.ts: LevelHandover): the
   * next level's states found so far, as records `[entry, parentRank, length, ...words]` that worker 0 starts its
   * records with (their parents' ranks come before the level's, so they are ranked first), and their number.
   */
  found?: SharedArrayBuffer;
  foundCount?: number;
  /** The `reachable` predicates (indices) reached in earlier levels: no longer tested. */
  closed?: number[];
}

export interface ExpandReply {
  status: 'done' | 'paused' | 'aborted';
  /** The level's size. */
  n: number;
  /** This worker's records for the next level: its buffer, words used and record count. */
  buf: SharedArrayBuffer | null;
  len: number;
  records: number;
  /** This worker's first (least rank) invariant or assertion violation, and its first deadlock. */
  violation: LevelViolation | null;
  deadlock: LevelViolation | null;
  /** Its first error in a state it expanded, and its first in a state it only scanned for a deadlock (see levelOutcome). */
  error: LevelError | null;
  scanError: LevelError | null;
  beyondLimit: boolean;
  generated: number;
  /** The `reachable` predicates this worker reached in this level (each at its least rank here). */
  reached: ReachHit[];
}

/**
 * What ends level `depth`, from every worker's reply (level-outcome.ts): an error, a violation or deadlock (with the
 * depth one thread reports then), or null when nothing does. A worker that expanded a state in full, not knowing of
 * a violation at a smaller rank, scanned it too when it failed (`scanError`, or a deadlock), so that the outcome
 * does not depend on which worker learnt what when.
 */
export function levelOutcome(replies: readonly ExpandReply[], deadlock: boolean, depth: number): { error: LevelError } | { violation: LevelViolation; depth: number } | null {
  const error = firstByRank(replies.map((r) => r.error));
  const scanError = firstByRank(replies.map((r) => r.scanError));
  const violation = firstByRank(replies.map((r) => r.violation));
  const stuck = firstByRank(replies.map((r) => r.deadlock));
  const troubles = troublesAt({ error, scanError, violation, deadlock: stuck });
  const end = levelEnd(troubles, deadlock);
  if (end === 'error') return { error: error! };
  if (end === 'scanError') return { error: scanError! };
  if (end === null) return null;
  return { violation: end === 'violation' ? violation! : stuck!, depth: depthAtEnd(end, depth, troubles, violation?.kind === 'invariant') };
}

/** States a worker claims at a time; a small level is cut finer, so that every worker gets a share of it. */
const CHUNK = 64;
const CHUNKS_PER_WORKER = 16;
const BLOCK = 256;
/**
 * Entries per worker left in the entry arrays when this worker asks them to grow (parallel.ts keeps 8 × 1024 past
 * what it grows them for mid-level, and this much past its guess between levels).
 */
const ENTRY_SLACK = 4096;

/**
 * What a worker's record buffer is multiplied by when it grows: by half again rather than doubled, so that it ends
 * less far above the widest level's records. Each worker keeps two, and they stay at their largest for the rest of
 * the search. With parallel.ts's smaller reserve past a guess, bytes a state on two workers went from 49–53 to 44–47
 * on two-phase commit with 7 RMs and from 56–59 to 55 on gossip 2/4 (docs/performance.md, "Fourteenth session").
 * The one thread's queue still doubles: by half again, it ended further above its need.
 */
const RECORD_GROWTH = 1.5;

/** The states per chunk of a level of `n` states (every worker computes the same). */
function chunkSize(n: number, workers: number): number {
  return Math.max(1, Math.min(CHUNK, Math.ceil(n / (workers * CHUNKS_PER_WORKER))));
}

/** The chunks of a level of `n` states. */
export function chunksOf(n: number, workers: number): number {
  return Math.ceil(n / chunkSize(n, workers));
}

function emptyReply(): ExpandReply {
  return { status: 'done', n: 0, buf: null, len: 0, records: 0, violation: null, deadlock: null, error: null, scanError: null, beyondLimit: false, generated: 0, reached: [] };
}

function atomicMin(ctl: Int32Array, at: number, v: number): void {
  let cur = Atomics.load(ctl, at);
  while (v < cur) {
    const seen = Atomics.compareExchange(ctl, at, cur, v);
    if (seen === cur) return;
    cur = seen;
  }
}

/**
 * Also where this worker's successors go (expand.ts: SuccessorTable): the shared seen-set, and a record in `next`
 * for each successor that is new, or found first from here.
 */
export class LevelExpander<S = any, C = any> implements SuccessorTable {
  private t: Int32Array = new Int32Array(0);
  private mask = 0;
  /** parentOf, labelOf and rankEntry, in chunks (entry-chunks.ts). */
  private readonly entries = new EntryViews();
  private firstEntry = 0;
  /** The entries this worker may hand out: [entryNext, entryEnd). */
  private entryNext = 0;
  private entryEnd = 0;
  private readonly buffers: [WordBuffer, WordBuffer];
  next: WordBuffer;
  private task: LevelTask | null = null;
  private curs: Int32Array[] = [];
  private orderWorker: Int32Array = new Int32Array(0);
  private orderOffset: Int32Array = new Int32Array(0);
  private genAt: Int32Array = new Int32Array(0);
  private pos = 0;
  /** The level's size, and the records this worker wrote for the next one. */
  private n = 0;
  private records = 0;
  /** This worker's view of CTL_DEADLOCK_RANK and CTL_VIOLATION_RANK (read per chunk). */
  private deadlockRank = 0x7fffffff;
  private violationRank = 0x7fffffff;
  private chunkEnd = 0;
  private chunk = CHUNK;
  /**
   * Where this level's records come from, in the order written: per run, the chunk expanded (-1: the records a
   * hand-over found) and the offset of its first record in `next`. The next level's `rank` reads them.
   */
  private runChunk: number[] = [];
  private runStart: number[] = [];
  private reply: ExpandReply = emptyReply();
  /** The `reachable` predicates tested on new states (properties/reachability.ts), or null. */
  private readonly reach: ReachTracker<S, C> | null;
  /**
   * This level's coverage counts, sent with each reply: per action the states where it was enabled, then per action
   * the steps taken, then per action the new states (as coverage.ts counts them).
   */
  readonly cov: Float64Array;
  /** The expansion core (expand.ts); its successors are encoded straight into records of `next`. */
  private readonly x: Expander<S, C>;
  /** Where the next kept record goes in `next` while a state's successors are routed. */
  private tail = 0;

  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly index: number,
    readonly workers: number,
    readonly deadlock: boolean,
    readonly ctl: Int32Array,
    reachable: readonly string[] = [],
  ) {
    primeBuffers();
    this.reach = reachable.length ? new ReachTracker(rt.spec.reachable.filter((r) => reachable.includes(r.name)), rt.constants, rt.spec.name) : null;
    this.buffers = [new WordBuffer(1 << 12, true, RECORD_GROWTH), new WordBuffer(1 << 12, true, RECORD_GROWTH)];
    const nA = rt.actions.length;
    this.cov = new Float64Array(nA * 3);
    this.next = this.buffers[0];
    this.x = new Expander(rt, { header: 3, out: this.next, enabled: this.cov.subarray(0, nA), taken: this.cov.subarray(nA, 2 * nA), reach: this.reach });
  }

  /** Bytes of this worker's record buffers. */
  get bytes(): number {
    return this.buffers[0].buf.byteLength + this.buffers[1].buf.byteLength;
  }

  setTables(tables: LevelTables): void {
    this.t = new Int32Array(tables.table);
    this.mask = this.t.length / 3 - 1;
    this.entries.update(tables.entries);
  }

  /** Starts a level: the records go to the buffer the previous level did not use (others read that one now). */
  startLevel(task: LevelTask, tables: LevelTables): ExpandReply {
    this.setTables(tables);
    this.task = task;
    this.curs = task.curs.map((b) => new Int32Array(b));
    this.orderWorker = new Int32Array(task.orderWorker);
    this.orderOffset = new Int32Array(task.orderOffset);
    this.genAt = new Int32Array(task.genAt);
    this.reply = emptyReply();
    this.cov.fill(0);
    if (this.reach !== null) {
      this.reach.close(task.closed ?? []);
      this.reach.take();
    }
    if (task.initial !== undefined) this.n = task.initial;
    else {
      const n = this.rank(task.base, task.lens, new Int32Array(task.chunkCounts));
      if (n < 0) {
        this.reply.status = 'aborted';
        return this.reply;
      }
      this.n = n;
    }
    this.reply.n = this.n;
    // Every worker computes the same chunk size from the level's size (the chunk counter counts chunks).
    this.chunk = chunkSize(this.n, this.workers);
    this.runChunk.length = 0;
    this.runStart.length = 0;
    this.next = this.buffers[task.depth & 1]!;
    this.next.len = 0;
    this.x.out = this.next;
    this.records = 0;
    if (task.found !== undefined && this.index === 0) {
      const found = new Int32Array(task.found);
      this.next.ensure(found.length).set(found);
      this.next.len = found.length;
      this.records = task.foundCount!;
      this.runChunk.push(-1);
      this.runStart.push(0);
    }
    // Entries left over from the last level are dropped, so this level's are all at or above firstEntry.
    this.entryNext = this.entryEnd = 0;
    this.firstEntry = task.firstEntry;
    this.pos = this.chunkEnd = 0;
    this.deadlockRank = this.violationRank = 0x7fffffff;
    return this.expand();
  }

  /**
   * Waits until every worker has arrived, for the `round`-th time in this level (CTL_BARRIER counts arrivals; the
   * coordinator sets it to 0 before each level). False if the search was stopped meanwhile.
   */
  private barrier(round: number): boolean {
    const ctl = this.ctl;
    const all = this.workers * round;
    if (Atomics.add(ctl, CTL_BARRIER, 1) + 1 === all) {
      Atomics.notify(ctl, CTL_BARRIER);
      return true;
    }
    for (;;) {
      const v = Atomics.load(ctl, CTL_BARRIER);
      if (v >= all) return true;
      if (Atomics.load(ctl, CTL_STOP) !== 0) return false;
      Atomics.wait(ctl, CTL_BARRIER, v, 50);
    }
  }

  /** Continues a level after the tables grew. */
  resume(tables: LevelTables): ExpandReply {
    this.setTables(tables);
    return this.expand();
  }

  private expand(): ExpandReply {
    const task = this.task!;
    const ctl = this.ctl;
    const r = this.reply;
    try {
      for (;;) {
        if (this.pos >= this.chunkEnd) {
          const c = Atomics.add(ctl, CTL_CHUNK, 1);
          const start = c * this.chunk;
          if (start >= this.n) break;
          this.runChunk.push(c);
          this.runStart.push(this.next.len);
          this.pos = start;
          this.chunkEnd = Math.min(this.n, start + this.chunk);
        }
        // The shared words are read once per chunk: a pause asked for meanwhile waits for the chunk's end (the
        // tables' hard limits, checked per state, keep that safe), and the ranks only save work.
        if (Atomics.load(ctl, CTL_STOP) !== 0) {
          r.status = 'aborted';
          return r;
        }
        if (Atomics.load(ctl, CTL_PAUSE) !== 0) {
          r.status = 'paused';
          return r;
        }
        this.deadlockRank = Math.min(this.deadlockRank, Atomics.load(ctl, CTL_DEADLOCK_RANK));
        this.violationRank = Math.min(this.violationRank, Atomics.load(ctl, CTL_VIOLATION_RANK));
        const end = this.chunkEnd;
        for (; this.pos < end; this.pos++) {
          const rank = task.base + this.pos;
          // A deadlock (or error) at a smaller rank ends the level: later states do not matter.
          if (rank > this.deadlockRank) {
            this.pos = end;
            break;
          }
          // A stop (time limit, signal, memory) is looked at before every state, not per chunk: with slow actions
          // a chunk could take seconds (one uncontended shared load per state).
          if (Atomics.load(ctl, CTL_STOP) !== 0) {
            r.status = 'aborted';
            return r;
          }
          if (!this.expandOne(this.pos, rank, task)) {
            Atomics.store(ctl, CTL_PAUSE, 1);
            r.status = 'paused';
            return r;
          }
        }
      }
    } catch (e) {
      if (e instanceof CapacityError) throw e;
      const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `worker: ${describeThrown(e)}`);
      r.error = { error: { code: err.code, message: err.message, details: err.details }, rank: -1 };
    }
    r.status = 'done';
    if (this.reach !== null) r.reached = this.reach.take();
    r.buf = this.next.buf.buffer as SharedArrayBuffer;
    r.len = this.next.len;
    r.records = this.records;
    return r;
  }

  /** An error as the reply carries it (the path is added by the coordinator, which has the parents). */
  private payload(e: unknown, a: number, param: unknown, state?: S): LevelError['error'] {
    const rt = this.rt;
    const action = a >= 0 ? rt.actions[a] : undefined;
    const err = action ? rt.actionError(e, action, param ?? null, [], state) : isInterleaveError(e) ? e : new InterleaveError('INTERNAL', describeThrown(e));
    return { code: err.code, message: err.message.replace(/, in an initial state$/, ''), details: { ...err.details, path: undefined } };
  }

  /** States of larger rank than `rank` cannot change the level's outcome any more. */
  private endsLevel(rank: number): void {
    atomicMin(this.ctl, CTL_DEADLOCK_RANK, rank);
    this.deadlockRank = Math.min(this.deadlockRank, rank);
  }

  /**
   * An error while the state of rank `rank` was expanded in full (its action, an invariant of a successor, the
   * mutation check, `terminal`). One thread meets it only when no violation came before it in the level; after one,
   * it would only have scanned the state for a deadlock, so that is done here too (levelOutcome decides which
   * counts). The state's record is at `b[off..]`: it is decoded afresh (the action may have modified the state it
   * was given). The states after it can change the outcome only if a violation at a smaller rank turns up, and then
   * one thread would only scan them: from here on they are only scanned, as after a violation.
   */
  private failed(e: unknown, a: number, param: unknown, rank: number, depth: number, b: Int32Array, off: number, state?: S): void {
    const prev = this.reply.error;
    if (prev === null || rank < prev.rank) this.reply.error = { error: this.payload(e, a, param, state), rank };
    if (!this.deadlock) {
      this.endsLevel(rank);
      return;
    }
    this.scan(this.x.load(b, off + 3, b[off + 2]!), rank, depth);
    atomicMin(this.ctl, CTL_VIOLATION_RANK, rank);
    this.violationRank = Math.min(this.violationRank, rank);
  }

  /** Scans a state for a deadlock, as one thread does after a violation one step deeper: guards and `terminal` only. */
  private scan(s: S, rank: number, depth: number): void {
    const rt = this.rt;
    try {
      if (!rt.anyEnabled(s, () => []) && !rt.isTerminal(s, () => [])) this.found(this.deadlockAt(rank, depth));
    } catch (e) {
      const prev = this.reply.scanError;
      if (prev === null || rank < prev.rank) this.reply.scanError = { error: this.payload(e, -1, null), rank };
      this.endsLevel(rank);
    }
  }

  private found(v: LevelViolation): void {
    if (v.kind === 'deadlock') {
      if (this.reply.deadlock === null || v.rank < this.reply.deadlock.rank) this.reply.deadlock = v;
      this.endsLevel(v.rank);
    } else {
      if (this.reply.violation === null || v.rank < this.reply.violation.rank) this.reply.violation = v;
      atomicMin(this.ctl, CTL_VIOLATION_RANK, v.rank);
      this.violationRank = Math.min(this.violationRank, v.rank);
    }
  }

  /**
   * Expands the state of rank `rank`. Returns false, having inserted nothing, when the tables must grow first
   * (the state is expanded again after).
   */
  private expandOne(i: number, rank: number, task: LevelTask): boolean {
    const rt = this.rt;
    const x = this.x;
    const b = this.curs[this.orderWorker[i]!]!;
    const off = this.orderOffset[i]!;
    const len = b[off + 2]!;
    const depth = task.depth;
    if (rank > this.violationRank) {
      // A violation one step deeper is pending: only a deadlock at this depth could still be shorter.
      if (this.deadlock) this.scan(x.load(b, off + 3, len), rank, depth);
      this.genAt[i] = 0;
      return true;
    }
    const before = x.sampled(rank) ? b.slice(off + 3, off + 3 + len) : null;
    const s = x.load(b, off + 3, len);
    const q = this.next;
    const start = q.len;
    try {
      x.expand(s, b, off + 3);
    } catch (e) {
      if (e instanceof CapacityError) throw e;
      q.len = start;
      const where = x.blame();
      x.discard();
      this.failed(e, where.action, where.param, rank, depth, b, off, s);
      return true;
    }
    const nb = x.nb;
    const enabled = x.enabled;
    const assertion = x.assertion;
    const generated = x.generated;
    let broken = -1;
    if (task.atLimit) {
      // Nobody inserts at the depth limit: plain lookups.
      q.len = start;
      if (x.lookup(this) >= 0) this.reply.beyondLimit = true;
    } else {
      // Every successor may be new: make sure this worker holds that many entries, within the tables' room.
      if (this.entryEnd - this.entryNext < nb) {
        const take = Math.max(BLOCK, nb);
        const from = Atomics.add(this.ctl, CTL_ENTRIES, take);
        this.entryNext = from;
        this.entryEnd = from + take;
        const used = from + take;
        // Asks for a pause when the tables are nearly full. Written as an `or` done every time (with 0 when there
        // is room): a store made only on the rare full path would have no type feedback when V8 optimises this
        // function, and the first pause would throw the optimised code away (docs/performance.md, warm-up).
        const room = this.entries.capacity;
        const full = used > room - ENTRY_SLACK * this.workers || used > (this.mask + 1) * SOFT_LOAD;
        Atomics.or(this.ctl, CTL_PAUSE, full ? 1 : 0);
        if (used > room || used > (this.mask + 1) * HARD_LOAD) {
          q.len = start;
          x.discard();
          return false;
        }
      }
      this.tail = start;
      try {
        broken = x.route(this, rank, depth);
      } catch (e) {
        if (e instanceof CapacityError) throw e;
        q.len = this.tail;
        const where = x.blame();
        x.discard();
        this.failed(e, where.action, where.param, rank, depth, b, off);
        return true;
      }
      q.len = this.tail;
    }
    this.reply.generated += x.generated - generated;
    this.genAt[i] = x.generated - generated;
    if (broken >= 0) {
      const bad = x.broken!;
      this.found({ kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated`, rank, label: x.meta[broken * META + 2]!, length: depth + 1 });
    } else if (assertion !== null) {
      const f = assertion.failure;
      this.found({ kind: 'assertion', property: f.property, message: f.message, rank, length: depth + 1, step: { action: assertion.action, param: assertion.param } });
    }
    if (before !== null) {
      try {
        x.audit(s, before, () => []);
      } catch (e) {
        this.failed(e, -1, null, rank, depth, b, off);
        return true;
      }
    }
    if (broken < 0 && assertion === null && enabled === 0 && this.deadlock) {
      let terminal: boolean;
      try {
        terminal = rt.isTerminal(s, () => []);
      } catch (e) {
        this.failed(e, -1, null, rank, depth, b, off);
        return true;
      }
      if (!terminal) this.found(this.deadlockAt(rank, depth));
    }
    return true;
  }

  /** SuccessorTable: reads a successor's slot ahead of inserting it. */
  touch(hi: number, lo: number): number {
    return this.t[slotOf(hi, lo, this.mask) * 3 + 2]!;
  }

  /** SuccessorTable: at the depth limit. */
  has(hi: number, lo: number): boolean {
    return entryOf(this.t, this.mask, hi, lo) >= 0;
  }

  /**
   * SuccessorTable: inserts successor `k` into the shared table; when it is new in this level, or found first from
   * here, its record is kept (moved down over dropped ones): [entry, parentRank, length, ...words].
   */
  insert(hi: number, lo: number, parent: number, label: number, k: number): number {
    const entry = this.insertShared(hi, lo, parent, label);
    if (entry < 0) return KNOWN;
    const meta = this.x.meta;
    const p = meta[k * META + 4]! - 3;
    const wlen = meta[k * META + 5]!;
    const qb = this.next.buf;
    const tail = this.tail;
    // Moved word by word: copyWithin is a call into the runtime, dearer than a few words (docs/performance.md).
    if (tail !== p) for (let j = 3; j < 3 + wlen; j++) qb[tail + j] = qb[p + j]!;
    qb[tail] = entry;
    qb[tail + 1] = parent;
    qb[tail + 2] = wlen;
    this.tail = tail + 3 + wlen;
    this.records++;
    return entry;
  }

  /** SuccessorTable: the record written by `insert` is the next level's frontier already. */
  keep(): void {}

  /**
   * Inserts a successor found from the state of rank `parent` by step `label`. Returns its level entry when it is
   * new, or when this is now its first discovery (smallest parent rank); -1 when it is known already.
   */
  private insertShared(hi: number, lo: number, parent: number, label: number): number {
    const t = this.t;
    const mask = this.mask;
    let i = slotOf(hi, lo, mask);
    for (;;) {
      const j = i * 3;
      const w = Atomics.load(t, j + 2);
      // (Races go back to the top to read the slot again, rather than through code of their own: code that first
      // runs after V8 has optimised this function would throw the optimised worker loop away; docs/performance.md.)
      if (w === 0) {
        if (Atomics.compareExchange(t, j + 2, 0, -1) === 0) {
          const entry = this.entryNext++;
          t[j] = hi;
          t[j + 1] = lo;
          this.entries.parents[entry >>> ENTRY_CHUNK_SHIFT]![entry & ENTRY_CHUNK_MASK] = parent;
          this.entries.labels[entry >>> ENTRY_CHUNK_SHIFT]![entry & ENTRY_CHUNK_MASK] = label;
          Atomics.store(t, j + 2, -entry - 2);
          return entry;
        }
        continue; // another worker claimed the slot first: read it again
      }
      if (w === -1) continue; // another worker is writing the slot: read it again
      if (t[j] === hi && t[j + 1] === lo) {
        const entry = -w - 2;
        if (entry < this.firstEntry) return -1; // a state of an earlier level
        // Found in this level already. From a smaller rank (by anyone), or from this rank (by us, an earlier
        // step): that discovery stands. From a larger rank (another worker): ours comes first in BFS order.
        const parents = this.entries.parents[entry >>> ENTRY_CHUNK_SHIFT]!;
        const at = entry & ENTRY_CHUNK_MASK;
        if (parents[at]! <= parent) return -1;
        if (Atomics.compareExchange(t, j + 2, w, -1) !== w) continue; // someone else holds it: look again
        const lower = parents[at]! > parent;
        if (lower) {
          parents[at] = parent;
          this.entries.labels[entry >>> ENTRY_CHUNK_SHIFT]![at] = label;
        }
        Atomics.store(t, j + 2, w);
        return lower ? entry : -1;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Gives this worker's new states of the last level their ranks (see above), waiting twice for the others;
   * returns the level's size, or -1 when the search was stopped meanwhile.
   */
  private rank(base: number, lens: number[], counts: Int32Array): number {
    const { parents, labels, ranks } = this.entries;
    const me = this.index;
    const b = this.curs[me]!;
    const end = lens[me]!;
    const chunkOfRun = this.runChunk;
    const startOfRun = this.runStart;
    const runs = chunkOfRun.length;
    // The chunks of the last level, whose size and chunk size every worker knows alike.
    const chunks = Math.ceil(this.n / this.chunk);
    // 1. The records this worker kept, per chunk it expanded (worker 0 also writes the hand-over's slot).
    if (me === 0 && (runs === 0 || chunkOfRun[0] !== -1)) counts[0] = 0;
    for (let r = 0; r < runs; r++) {
      const to = r + 1 < runs ? startOfRun[r + 1]! : end;
      let kept = 0;
      for (let p = startOfRun[r]!; p < to; p += 3 + b[p + 2]!) {
        const e = b[p]!;
        if (parents[e >>> ENTRY_CHUNK_SHIFT]![e & ENTRY_CHUNK_MASK] === b[p + 1]) kept++;
      }
      counts[chunkOfRun[r]! + 1] = kept;
    }
    if (!this.barrier(1)) return -1;
    // 2. Ranks in chunk order: a run's first kept record comes after every kept record of the chunks before it.
    const ow = this.orderWorker;
    const oo = this.orderOffset;
    const nA = this.rt.actions.length;
    const fresh = this.cov.subarray(2 * nA);
    let k = 0;
    let r = 0;
    for (let c = -1; c < chunks; c++) {
      if (r < runs && chunkOfRun[r] === c) {
        const to = r + 1 < runs ? startOfRun[r + 1]! : end;
        for (let p = startOfRun[r]!; p < to; p += 3 + b[p + 2]!) {
          const entry = b[p]!;
          if (parents[entry >>> ENTRY_CHUNK_SHIFT]![entry & ENTRY_CHUNK_MASK] !== b[p + 1]) continue; // found first from a smaller rank, by another worker
          fresh[labels[entry >>> ENTRY_CHUNK_SHIFT]![entry & ENTRY_CHUNK_MASK]! % nA]!++;
          const rank = base + k;
          ranks[rank >>> ENTRY_CHUNK_SHIFT]![rank & ENTRY_CHUNK_MASK] = entry;
          ow[k] = me;
          oo[k] = p;
          k++;
        }
        r++;
      } else k += counts[c + 1]!;
    }
    // Every position of the level is written before any worker expands it.
    return this.barrier(2) ? k : -1;
  }

  private deadlockAt(rank: number, depth: number): LevelViolation {
    return { kind: 'deadlock', property: 'deadlock', message: 'deadlock: no action is enabled in this state', rank, length: depth };
  }


}
