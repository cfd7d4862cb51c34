import { InterleaveError } from '../errors.ts';
import {
  ASSERTION_FAILED,
  AUDIT_FAILED,
  DEADLOCKED,
  EXPAND_FAILED,
  INVARIANT_THREW,
  SCAN_DEADLOCKED,
  SCAN_FAILED,
  StateBatchExpander,
  TERMINAL_FAILED,
  countCoverage,
  failureOf,
  type FailurePayload,
  type StateBatch,
  type StateBatchResult,
  type StateNote,
  type WorkerPool,
} from '../checker/search/index.ts';
import type { SpecRuntime } from '../checker/spec/index.ts';
import { FP, SeenSet, WordBuffer } from '../checker/state/index.ts';
import {
  BATCH,
  BATCH_BYTES,
  END,
  K_LIMIT,
  MAX_IN_FLIGHT,
  RECORD_HEADER,
  KEY_TTL_MS,
  coordKey,
  ctlKey,
  float64s,
  heartbeatKey,
  inKey,
  int32s,
  keysKey,
  ownerOf,
  ranksOf,
  toBuffer,
  type Candidate,
  type NodeError,
  type ToCoordinator,
  type ToNode,
} from './protocol.ts';
import type { Transport } from './transport.ts';

/** Thrown inside a participant when the search ends without it (an abort, a lost coordinator). */
export class SearchAborted extends Error {}

/** Looks at the coordinator's heartbeat this often while waiting. */
const LOOK_MS = 2000;
/** Milliseconds of expansion between two looks at the inbox (and at most this many states). */
const DRAIN_MS = 20;
const DRAIN_EVERY = 1024;
/** States per batch expanded on this thread; with worker threads, batches in flight per worker. */
const BATCH_STATES = 256;
const IN_FLIGHT_PER_WORKER = 2;

/**
 * One node's part of one distributed search (docs/distributed.md): it owns the states whose fingerprint maps to
 * its index, keeps their parent pointers (parent's breadth-first rank, successor index, step label), and expands
 * its states of each level in batches (state-batch.ts: the expansion core, invariants, mutation check, deadlocks),
 * on its own thread or on a pool of worker threads (`--workers`). This thread reads the batches' successors in
 * rank order and routes them: one it owns goes into its seen-set, one another node owns into a batch for that
 * owner. Everything that depends on the seen-set happens here, in the order one thread would meet it, so the
 * number of threads changes nothing but the time.
 *
 * A state's first discovery in a level is the one with the smallest key (parent rank, successor index): the one
 * a single-threaded breadth-first search meets first. At the end of a level the owners' sorted keys give every
 * new state its global rank, so ranks, counts and counterexamples do not depend on the number of nodes.
 */
export class Participant<S = any, C = any> {
  private readonly seen = new SeenSet(1 << 12);
  /** Per id: the successor index of its key, and its fingerprint. */
  private kOf = new Int32Array(1024);
  private hiOf = new Int32Array(1024);
  private loOf = new Int32Array(1024);
  /** Ids from here on were found in the level being expanded (they make the next one). */
  private levelFirst = 0;
  /** The next level's states: records [length, ...words] at offOf[id - levelFirst]. */
  private next = new WordBuffer(1 << 12);
  private offOf = new Int32Array(1024);
  /** The level being expanded: its states' ids, ranks and records. */
  private cur: { buf: WordBuffer; ids: Int32Array; ranks: Int32Array; offs: Int32Array } = { buf: new WordBuffer(16), ids: new Int32Array(0), ranks: new Int32Array(0), offs: new Int32Array(0) };
  /** Per level: ids and ranks of this node's states (to find a rank when a counterexample is rebuilt). */
  private readonly levels: { ids: Int32Array; ranks: Int32Array }[] = [];
  /** States of the next level that break an invariant: id, invariant. */
  private bad: { id: number; property: string }[] = [];
  private cands: Candidate[] = [];
  /** This level's first error in a state expanded in full, and in a state's scan for a deadlock (level-outcome.ts). */
  private error: NodeError | null = null;
  private scanError: NodeError | null = null;
  private genAt = new Int32Array(0);
  /** Keys of the next level's states, sorted, and their ids in that order. */
  private sortedKeys = new Float64Array(0);
  private sortedIds = new Int32Array(0);
  /** Expands batches on this thread (without a pool), and checks the invariants of states received. */
  private readonly local: StateBatchExpander<S, C>;
  private readonly cov: Float64Array;
  private readonly nA: number;
  /** Batches being filled, one per owner: [BATCH, sender, records, ...records]. */
  private readonly outs: WordBuffer[];
  private readonly batches: number[];
  private readonly full = new Set<number>();
  private ends = 0;
  private lastLook = 0;
  bytesSent = 0;

  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly t: Transport,
    readonly search: string,
    readonly me: number,
    readonly nodes: number,
    readonly deadlock: boolean,
    /** The coordinator's heartbeat key. */
    readonly coordinator: string,
    readonly stopping: () => boolean,
    /** Worker threads that expand the batches (null: this thread does). */
    readonly pool: WorkerPool | null = null,
  ) {
    this.nA = rt.actions.length;
    this.cov = new Float64Array(this.nA * 3);
    this.local = new StateBatchExpander(rt);
    this.outs = Array.from({ length: nodes }, () => {
      const b = new WordBuffer(BATCH_BYTES / 4 + 1024);
      b.len = 3;
      return b;
    });
    this.batches = new Array(nodes).fill(0);
  }

  /** Takes part in the search until the coordinator ends it (throws SearchAborted when it is aborted). */
  async run(): Promise<void> {
    this.initial();
    for (let d = 0; ; d++) {
      await this.expandLevel(d);
      await this.finishLevel(d);
      await this.summarize(d);
      if (!(await this.decide(d))) return;
    }
  }

  private send(m: ToCoordinator): Promise<number> {
    return this.t.push(coordKey(this.search), JSON.stringify(m));
  }

  /** The initial states: every node computes them, numbers the distinct ones in order and keeps its own. */
  private initial(): void {
    const rt = this.rt;
    const all = new SeenSet(1 << 6);
    const ids: number[] = [];
    const ranks: number[] = [];
    const inits = rt.initialStates();
    const buf = new WordBuffer(1 << 10);
    const offs: number[] = [];
    for (let k = 0; k < inits.length; k++) {
      const len = rt.encode(inits[k]!);
      const hi = FP[0]!;
      const lo = FP[1]!;
      if (all.insert(hi, lo, 0, 0) < 0) continue;
      const rank = all.size - 1;
      if (ownerOf(hi, this.nodes) !== this.me) continue;
      const id = this.seen.insert(hi, lo, -1 - k, -1);
      this.remember(id, hi, lo, 0);
      ids.push(id);
      ranks.push(rank);
      offs.push(buf.len);
      const b = buf.ensure(len + 1);
      b[buf.len] = len;
      b.set(rt.scratch.buf.subarray(0, len), buf.len + 1);
      buf.len += len + 1;
    }
    this.cur = { buf, ids: Int32Array.from(ids), ranks: Int32Array.from(ranks), offs: Int32Array.from(offs) };
    this.levels.push({ ids: this.cur.ids, ranks: this.cur.ranks });
    this.levelFirst = this.seen.size;
  }

  private remember(id: number, hi: number, lo: number, k: number): void {
    if (id >= this.kOf.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(Math.max(id + 1, a.length * 2));
        b.set(a);
        return b;
      };
      this.kOf = grow(this.kOf);
      this.hiOf = grow(this.hiOf);
      this.loOf = grow(this.loOf);
    }
    this.kOf[id] = k;
    this.hiOf[id] = hi;
    this.loOf[id] = lo;
  }

  /**
   * Expands this node's states of level `d` in batches of consecutive ranks, and routes each batch's successors in
   * rank order (with workers, up to IN_FLIGHT_PER_WORKER batches per worker are expanded ahead).
   */
  private async expandLevel(d: number): Promise<void> {
    this.cov.fill(0);
    this.cands = [];
    this.bad = [];
    this.error = null;
    this.scanError = null;
    this.ends = 0;
    this.bytesSent = 0;
    this.batches.fill(0);
    this.next = new WordBuffer(1 << 12);
    const n = this.cur.ids.length;
    this.genAt = new Int32Array(n);
    const channels = this.pool?.channels ?? [];
    const W = channels.length;
    const size = W === 0 ? BATCH_STATES : Math.max(16, Math.min(BATCH_STATES * 2, Math.ceil(n / (W * 4))));
    const count = Math.ceil(n / size);
    const ahead: (Promise<StateBatchResult> | undefined)[] = [];
    let handed = 0;
    const hand = (c: number): Promise<StateBatchResult> => {
      const batch = this.batchOf(c * size, Math.min(n, c * size + size));
      const p = channels[c % W]!.request({ type: 'states', batch }, [batch.words.buffer as ArrayBuffer]).then((m): StateBatchResult => ({ out: m.out, notes: m.notes }));
      p.catch(() => undefined); // awaited in order below; one left behind by an abort must not go unhandled
      return p;
    };
    let lastDrain = performance.now();
    for (let c = 0; c < count; c++) {
      const from = c * size;
      const to = Math.min(n, from + size);
      let r: StateBatchResult;
      if (W === 0) r = this.local.expandStates(this.batchOf(from, to));
      else {
        while (handed < count && handed < c + W * IN_FLIGHT_PER_WORKER) ahead[handed] = hand(handed++);
        r = await ahead[c]!;
        ahead[c] = undefined;
      }
      const out = r.out;
      let note = 0;
      for (let pos = from, p = 0; pos < to; pos++) {
        const at = r.notes[note]?.i === pos - from ? r.notes[note++]! : null;
        p = this.routeState(out, p, pos, this.cur.ranks[pos]!, d, at);
        if (this.full.size !== 0) {
          for (const o of this.full) await this.flush(o, d);
          this.full.clear();
        }
        if ((pos & 63) === 63 && ((pos & (DRAIN_EVERY - 1)) === DRAIN_EVERY - 1 || performance.now() - lastDrain > DRAIN_MS)) {
          await this.drain(d);
          lastDrain = performance.now();
        }
      }
    }
  }

  /** The states of positions [from, to) of the level being expanded, as a batch (a copy: it may go to a worker). */
  private batchOf(from: number, to: number): StateBatch {
    const b = this.cur.buf.buf;
    const offs = this.cur.offs;
    let words = 0;
    for (let pos = from; pos < to; pos++) words += b[offs[pos]!]! + 1;
    const out = new Int32Array(words);
    for (let pos = from, p = 0; pos < to; pos++) {
      const off = offs[pos]!;
      const len = b[off]! + 1;
      out.set(b.subarray(off, off + len), p);
      p += len;
    }
    return { words: out, ranks: this.cur.ranks.slice(from, to), deadlock: this.deadlock };
  }

  private fail(error: FailurePayload, rank: number): void {
    if (this.error === null || rank < this.error.rank) this.error = { rank, error };
  }

  /** What the scan for a deadlock gave in a state that failed (state-batch.ts: SCAN_DEADLOCKED, SCAN_FAILED). */
  private scanned(flags: number, note: StateNote, rank: number, depth: number): void {
    if ((flags & SCAN_FAILED) !== 0 && (this.scanError === null || rank < this.scanError.rank)) this.scanError = { rank, error: note.scanError! };
    if ((flags & SCAN_DEADLOCKED) !== 0) this.cands.push(deadlockAt(rank, depth));
  }

  /**
   * Routes the successors of the state at position `pos` (rank `rank`), read from a batch's result at `p`, as one
   * thread routes them (expand.ts: `Expander.route`): in order, a new one this node owns is kept unless it breaks
   * an invariant, where routing stops; then the failed assertion, the mutation check and the deadlock. Returns
   * where the next state's result starts.
   */
  private routeState(out: Int32Array, p: number, pos: number, rank: number, depth: number, note: StateNote | null): number {
    const nb = out[p]!;
    const flags = out[p + 1]!;
    const count = out[p + 2]!;
    const cov = p + 3;
    p = cov + 2 * count;
    if ((flags & EXPAND_FAILED) !== 0) {
      this.fail(note!.error!, rank);
      this.scanned(flags, note!, rank, depth);
      return p;
    }
    this.genAt[pos] = nb;
    let broken = -1;
    let threw = false;
    for (let k = 0; k < nb; k++) {
      const hi = out[p]!;
      const lo = out[p + 1]!;
      const label = out[p + 2]!;
      const inv = out[p + 3]!;
      const wlen = out[p + 4]!;
      const at = p + 5;
      p = at + wlen;
      if (broken >= 0 || threw) continue;
      const o = ownerOf(hi, this.nodes);
      if (o !== this.me) {
        this.sendTo(o, hi, lo, rank, k, label, out, at, wlen);
        continue;
      }
      const id = this.accept(hi, lo, rank, k, label);
      if (id < 0) continue;
      if (inv === INVARIANT_THREW) {
        this.fail(note!.invariant!.find((t) => t.k === k)!.error, rank);
        threw = true;
      } else if (inv >= 0) {
        this.bad.push({ id, property: this.rt.invariants[inv]!.name });
        broken = k;
      } else this.store(id, out, at, wlen);
    }
    if (threw) {
      this.scanned(flags, note!, rank, depth);
      return p;
    }
    countCoverage(this.cov.subarray(0, this.nA), this.cov.subarray(this.nA, 2 * this.nA), out, cov, out, cov + count, count, broken >= 0 ? broken + 1 : nb);
    // An assertion ends the state's steps after the successors collected before it (an invariant broken by one
    // of those comes first: its successor index is smaller).
    if ((flags & ASSERTION_FAILED) !== 0) {
      const f = note!.assertion!;
      this.cands.push({ kind: 'assertion', property: f.property, message: f.message, rank, k: nb - 1, length: depth + 1, step: { action: f.action, param: f.param } });
    }
    if ((flags & (AUDIT_FAILED | TERMINAL_FAILED)) !== 0) {
      this.fail(note!.error!, rank);
      this.scanned(flags, note!, rank, depth);
    } else if ((flags & DEADLOCKED) !== 0) this.cands.push(deadlockAt(rank, depth));
    return p;
  }

  /** Appends a successor owner `o` takes to its batch. */
  private sendTo(o: number, hi: number, lo: number, parent: number, k: number, label: number, words: Int32Array, at: number, wlen: number): void {
    const out = this.outs[o]!;
    const b = out.ensure(RECORD_HEADER + wlen);
    const p = out.len;
    b[p] = hi;
    b[p + 1] = lo;
    b[p + 2] = parent;
    b[p + 3] = k;
    b[p + 4] = label;
    b[p + 5] = wlen;
    b.set(words.subarray(at, at + wlen), p + RECORD_HEADER);
    out.len = p + RECORD_HEADER + wlen;
    b[2]!++;
    if (out.len * 4 >= BATCH_BYTES) this.full.add(o);
  }

  private store(id: number, words: Int32Array, off: number, len: number): void {
    const at = id - this.levelFirst;
    if (at >= this.offOf.length) {
      const b = new Int32Array(Math.max(at + 1, this.offOf.length * 2));
      b.set(this.offOf);
      this.offOf = b;
    }
    const q = this.next;
    this.offOf[at] = q.len;
    const b = q.ensure(len + 1);
    b[q.len] = len;
    b.set(words.subarray(off, off + len), q.len + 1);
    q.len += len + 1;
  }

  /**
   * Inserts a state found from `parent` (rank) as its successor `k`. Returns its id when it is new; -1 when it is
   * known (its key is lowered when this discovery comes first in breadth-first order).
   */
  private accept(hi: number, lo: number, parent: number, k: number, label: number): number {
    const r = this.seen.insert(hi, lo, parent, label);
    if (r >= 0) {
      this.remember(r, hi, lo, k);
      return r;
    }
    const id = -1 - r;
    if (id < this.levelFirst) return -1;
    const p = this.seen.parent(id);
    if (parent < p || (parent === p && k < this.kOf[id]!)) {
      this.seen.rediscover(id, parent, label);
      this.kOf[id] = k;
    }
    return -1;
  }

  /** Sends owner `o` its batch; waits while the owner has MAX_IN_FLIGHT unread (reading our own inbox). */
  private async flush(o: number, d: number): Promise<void> {
    const out = this.outs[o]!;
    if (out.buf[2] === 0) return;
    out.buf[0] = BATCH;
    out.buf[1] = this.me;
    const key = inKey(this.search, o, d);
    const queued = await this.t.push(key, toBuffer(out.buf, out.len));
    this.bytesSent += out.len * 4;
    this.batches[o]!++;
    out.len = 3;
    out.buf[2] = 0;
    if (queued <= MAX_IN_FLIGHT) return;
    for (;;) {
      const got = await this.drain(d);
      if ((await this.t.length(key)) <= MAX_IN_FLIGHT / 2) return;
      if (got === 0) await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Reads what is in this node's inbox for level `d` (and its control list); returns the messages read. */
  private async drain(d: number): Promise<number> {
    const got = await this.t.take(inKey(this.search, this.me, d), 32);
    for (const v of got) this.receive(v);
    const ctl = await this.t.take(ctlKey(this.search, this.me), 1);
    for (const c of ctl) this.control(JSON.parse(c.toString()) as ToNode);
    await this.look();
    return got.length;
  }

  /** Every LOOK_MS: is the coordinator alive, was this node stopped? */
  private async look(): Promise<void> {
    const now = Date.now();
    if (now - this.lastLook < LOOK_MS) return;
    this.lastLook = now;
    if (this.stopping()) throw new SearchAborted('this node was stopped');
    if (!(await this.t.exists(heartbeatKey(this.coordinator)))) throw new SearchAborted('the coordinator stopped beating');
  }

  /** A control message in the middle of a level: only an abort is expected there. */
  private control(m: ToNode): void {
    if (m.t === 'abort') throw new SearchAborted(m.why);
    if (m.t === 'end') throw new SearchAborted('the search ended');
  }

  private receive(v: Buffer): void {
    const w = int32s(v);
    if (w[0] === END) {
      this.ends++;
      return;
    }
    if (w[0] !== BATCH) throw new InterleaveError('INTERNAL', `a batch of an unknown kind (${w[0]}) arrived`);
    const n = w[2]!;
    for (let i = 0, p = 3; i < n; i++) {
      const hi = w[p]!;
      const lo = w[p + 1]!;
      const parent = w[p + 2]!;
      const k = w[p + 3]!;
      const label = w[p + 4]!;
      const len = w[p + 5]!;
      const at = p + RECORD_HEADER;
      p = at + len;
      const id = this.accept(hi, lo, parent, k, label);
      if (id < 0) continue;
      this.store(id, w, at, len);
      if (this.rt.invariants.length === 0) continue;
      try {
        const bad = this.local.x.invariantOf(w, at, len);
        if (bad !== null) this.bad.push({ id, property: bad.name });
      } catch (e) {
        // Its parent had a step enabled and all its guards ran: the scan for a deadlock finds nothing there.
        this.fail(failureOf(this.rt, e, label % this.nA, null), parent);
      }
    }
  }

  /** Sends the last batches and an END to every other owner, then reads until every other owner's END came. */
  private async finishLevel(d: number): Promise<void> {
    for (let o = 0; o < this.nodes; o++) if (o !== this.me) await this.flush(o, d);
    for (let o = 0; o < this.nodes; o++) {
      if (o === this.me) continue;
      await this.t.push(inKey(this.search, o, d), toBuffer(Int32Array.of(END, this.me, this.batches[o]!)));
    }
    const inbox = inKey(this.search, this.me, d);
    const ctl = ctlKey(this.search, this.me);
    while (this.ends < this.nodes - 1) {
      const r = await this.t.wait([inbox, ctl]);
      if (r === null) await this.look();
      else if (r.key === ctl) this.control(JSON.parse(r.value.toString()) as ToNode);
      else this.receive(r.value);
    }
  }

  /** Publishes the sorted keys of this node's new states and sends the level's summary. */
  private async summarize(d: number): Promise<void> {
    const first = this.levelFirst;
    const n = this.seen.size - first;
    const seen = this.seen;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = seen.parent(first + i) * K_LIMIT + this.kOf[first + i]!;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
    this.sortedIds = Int32Array.from(order, (i) => first + i);
    this.sortedKeys = Float64Array.from(order, (i) => keys[i]!);
    const fresh = this.cov.subarray(2 * this.nA);
    for (let i = 0; i < n; i++) fresh[seen.label(first + i) % this.nA]!++;
    const cand = [...this.cands];
    for (const { id, property } of this.bad) {
      cand.push({ kind: 'invariant', property, message: `invariant '${property}' is violated`, rank: seen.parent(id), k: this.kOf[id]!, label: seen.label(id), length: d + 1 });
    }
    let generated = 0;
    for (let i = 0; i < this.genAt.length; i++) generated += this.genAt[i]!;
    await this.t.put(keysKey(this.search, this.me, d), toBuffer(this.sortedKeys), KEY_TTL_MS);
    await this.send({ t: 'level', i: this.me, d, fresh: n, generated, cand, error: this.error, scanError: this.scanError, cov: [...this.cov], sent: this.bytesSent + this.sortedKeys.byteLength, keys: this.sortedKeys.byteLength });
  }

  /** Answers the coordinator until it says how the search goes on: true for the next level, false at its end. */
  private async decide(d: number): Promise<boolean> {
    const ctl = ctlKey(this.search, this.me);
    for (;;) {
      const r = await this.t.wait([ctl]);
      if (r === null) {
        await this.look();
        continue;
      }
      const m = JSON.parse(r.value.toString()) as ToNode;
      switch (m.t) {
        case 'abort':
          throw new SearchAborted(m.why);
        case 'end':
          return false;
        case 'count': {
          // The states a single thread has found when it stops at the violation (key <= (cut, k)), and the
          // successors it generated before the state of rank `cut`.
          const limit = m.cut * K_LIMIT + m.k;
          let found = 0;
          for (const key of this.sortedKeys) if (key <= limit) found++;
          let generated = 0;
          for (let i = 0; i < this.genAt.length; i++) if (this.cur.ranks[i]! < m.cut) generated += this.genAt[i]!;
          await this.send({ t: 'count', i: this.me, found, generated });
          break;
        }
        case 'locate': {
          const level = this.levels[m.d];
          const at = level ? search(level.ranks, m.rank) : -1;
          if (at >= 0) {
            const id = level!.ids[at]!;
            await this.send({ t: 'located', i: this.me, hi: this.hiOf[id]!, lo: this.loOf[id]!, parent: this.seen.parent(id), label: this.seen.label(id) });
          }
          break;
        }
        case 'continue':
          await this.advance(d, m.base);
          return true;
        default:
          break;
      }
    }
  }

  /** Ranks the new states (merging every owner's sorted keys) and makes them the level to expand. */
  private async advance(d: number, base: number): Promise<void> {
    const others: Float64Array[] = [];
    for (let o = 0; o < this.nodes; o++) {
      if (o === this.me) continue;
      const b = await this.t.getBuffer(keysKey(this.search, o, d));
      if (b === null) throw new SearchAborted(`the keys of node ${o} for level ${d} are gone`);
      others.push(float64s(b));
    }
    // Everyone has read the keys of the level before (they did before sending this level's summary).
    if (d > 0) await this.t.del(keysKey(this.search, this.me, d - 1));
    const ranks = ranksOf(this.sortedKeys, others, base);
    const ids = this.sortedIds;
    const offs = Int32Array.from(ids, (id) => this.offOf[id - this.levelFirst]!);
    this.cur = { buf: this.next, ids, ranks, offs };
    this.levels.push({ ids, ranks });
    this.levelFirst = this.seen.size;
  }
}

function search(sorted: Int32Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = sorted[mid]!;
    if (x === v) return mid;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function deadlockAt(rank: number, depth: number): Candidate {
  return { kind: 'deadlock', property: 'deadlock', message: 'deadlock: no action is enabled in this state', rank, k: -1, length: depth };
}
