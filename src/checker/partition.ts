import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import { isAssertionFailure } from '../model/index.ts';
import { WordBuffer } from './codec.ts';
import { SpecRuntime, deepFreeze } from './runtime.ts';
import { CapacityError, FP, SeenSet, fingerprint } from './seen-set.ts';

/**
 * One partition of a parallel breadth-first search. Worker w of W owns the states whose fingerprint maps to w
 * (`ownerOf`); it keeps their seen-set and frontier, expands its own states level by level, inserts the
 * successors it owns at once and hands the others to their owners through outboxes. Levels are synchronous, so
 * the search visits the same states and counts the same successors as the single-threaded engine.
 *
 * Invariants are checked once per distinct state, when it is expanded (the owner decodes it then anyway), so a
 * violation at depth d is found in level d's expansion; a counterexample stays shortest.
 *
 * Ids are global: `gid = localId * W + w`. Outbox records: `[hi, lo, parentGid, label, length, ...words]`.
 * Frontier records: `[gid, length, ...words]`.
 */
export interface PartitionViolation {
  kind: 'invariant' | 'assertion' | 'deadlock';
  property: string;
  message: string;
  /** The state where it happened (for an assertion: the state the failing step started from). */
  gid: number;
  /** Counterexample length in actions. */
  length: number;
  /** For an assertion: the failing step. */
  step?: { action: number; param: unknown };
}

export interface PartitionError {
  error: { code: string; message: string; details: Record<string, unknown> };
  gid: number;
}

export function ownerOf(hi: number, lo: number, workers: number): number {
  return ((hi ^ (lo >>> 16)) >>> 0) % workers;
}

const CHUNK = 16;

export class Partition<S = any, C = any> {
  private readonly starts = new Int32Array(CHUNK);
  /** Xor of slots touched ahead of inserts (kept so the loads are not optimised away). */
  touched = 0;
  readonly seen = new SeenSet(1 << 16);
  cur = new WordBuffer(1 << 12);
  next = new WordBuffer(1 << 12);
  outboxes: WordBuffer[];
  generated = 0;
  readonly inits: S[] = [];

  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly index: number,
    readonly workers: number,
    readonly deadlock: boolean,
    readonly stop: Int32Array,
  ) {
    this.outboxes = Array.from({ length: workers }, () => new WordBuffer(1 << 10));
  }

  gid(local: number): number {
    return local * this.workers + this.index;
  }

  get bytes(): number {
    return this.seen.bytes + this.cur.buf.byteLength + this.next.buf.byteLength + this.outboxes.reduce((n, o) => n + o.buf.byteLength, 0);
  }

  get frontierSize(): number {
    let n = 0;
    const b = this.cur.buf;
    for (let i = 0; i < this.cur.len; i += 2 + b[i + 1]!) n++;
    return n;
  }

  private pushNext(gid: number, words: Int32Array, off: number, len: number): void {
    const q = this.next;
    const b = q.ensure(len + 2);
    const p = q.len;
    b[p] = gid;
    b[p + 1] = len;
    for (let i = 0; i < len; i++) b[p + 2 + i] = words[off + i]!;
    q.len = p + 2 + len;
  }

  /** Inserts the initial states this partition owns. */
  initialize(): PartitionViolation | null {
    const rt = this.rt;
    const inits = rt.initialStates();
    this.inits.push(...inits);
    for (let k = 0; k < inits.length; k++) {
      if (this.index === 0) this.generated++;
      const len = rt.encode(inits[k]!);
      if (ownerOf(FP[0]!, FP[1]!, this.workers) !== this.index) continue;
      const local = this.seen.insert(FP[0]!, FP[1]!, -1 - k, -1);
      if (local < 0) continue;
      this.pushNext(this.gid(local), rt.scratch.buf, 0, len);
    }
    this.swap();
    return null;
  }

  swap(): void {
    const t = this.cur;
    this.cur = this.next;
    this.next = t;
    this.next.len = 0;
  }

  /**
   * Expands every state of the current level (depth `depth`). Returns the first violation (a deadlock at this
   * depth beats a violation one action deeper), an error, or null. Every successor goes to its owner's outbox.
   */
  expand(depth: number): { violation: PartitionViolation | null; error: PartitionError | null; beyondLimit: boolean; aborted: boolean } {
    const rt = this.rt;
    const { actions, constants, codec } = rt;
    const nActions = actions.length;
    const W = this.workers;
    const strict = rt.strict;
    for (const o of this.outboxes) o.len = 0;
    let pending: PartitionViolation | null = null;
    let beyondLimit = false;
    const qb = this.cur.buf;
    const end = this.cur.len;
    let count = 0;
    for (let at = 0; at < end; ) {
      const gid = qb[at]!;
      const len = qb[at + 1]!;
      const off = at + 2;
      at = off + len;
      if ((++count & 1023) === 0 && Atomics.load(this.stop, 0) !== 0) return { violation: null, error: null, beyondLimit, aborted: true };
      let s = codec.decode(qb, off, len);
      if (strict) s = deepFreeze(s);
      let enabled = 0;
      let a = -1;
      let param: unknown = null;
      try {
        if (rt.invariants.length > 0) {
          const bad = rt.failingInvariant(s);
          if (bad !== null) {
            const where = depth === 0 ? ' in an initial state' : '';
            return { violation: { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated${where}`, gid, length: depth }, error: null, beyondLimit, aborted: false };
          }
        }
        if (pending !== null) {
          if (!this.anyEnabled(s)) return { violation: this.deadlockAt(gid, depth), error: null, beyondLimit, aborted: false };
          continue;
        }
        expansion: for (a = 0; a < nActions; a++) {
          const action = actions[a]!;
          const dom = action.params === null ? null : rt.domain(action, s);
          const n = dom === null ? 1 : dom.length;
          for (let pi = 0; pi < n; pi++) {
            param = dom === null ? undefined : dom[pi];
            if (action.guard !== null && action.guard(s, constants, param) !== true) continue;
            enabled++;
            let next: S;
            try {
              next = action.effect(s, constants, param);
            } catch (e) {
              if (isAssertionFailure(e)) {
                pending = { kind: 'assertion', property: e.property, message: e.message, gid, length: depth + 1, step: { action: a, param: dom === null ? null : param } };
                if (!this.deadlock) return { violation: pending, error: null, beyondLimit, aborted: false };
                break expansion;
              }
              throw e;
            }
            this.generated++;
            if (typeof next !== 'object' || next === null) rt.step(action, s, param);
            if (strict) rt.validate(next, action.name, dom === null ? null : param);
            // Encode straight into a record of the owner's outbox: [hi, lo, parent, label, length, ...words].
            // Own successors go to the own outbox too, so inserting is one batched pass (see insert).
            const label = a + nActions * pi;
            let o = this.outboxes[0]!;
            const p = o.len;
            o.len = p + 5;
            const wlen = codec.encode(next, o);
            fingerprint(o.buf, p + 5, wlen);
            const hi = FP[0]!;
            const lo = FP[1]!;
            const owner = ownerOf(hi, lo, W);
            if (owner !== 0) {
              // Move the record to its owner's outbox.
              const words = o.buf;
              o.len = p;
              o = this.outboxes[owner]!;
              const b = o.ensure(wlen + 5);
              const q = o.len;
              for (let i = 0; i < wlen; i++) b[q + 5 + i] = words[p + 5 + i]!;
              o.len = q + 5;
            }
            const b = o.buf;
            const q = o.len - 5;
            b[q] = hi;
            b[q + 1] = lo;
            b[q + 2] = gid;
            b[q + 3] = label;
            b[q + 4] = wlen;
            o.len = q + 5 + wlen;
          }
        }
      } catch (e) {
        if (e instanceof CapacityError) throw e;
        return { violation: null, error: this.errorOf(e, a, param, gid), beyondLimit, aborted: false };
      }
      if (enabled === 0 && pending === null && this.deadlock) return { violation: this.deadlockAt(gid, depth), error: null, beyondLimit, aborted: false };
    }
    return { violation: pending, error: null, beyondLimit, aborted: false };
  }

  /**
   * Inserts the successors this partition owns: its own outbox and those the other partitions sent (`inboxes`,
   * in worker order without this one), all in worker order. Records are taken in chunks whose seen-set slots are
   * touched first, so the cache misses of a chunk overlap.
   */
  insert(inboxes: readonly { buf: Int32Array; len: number }[], _depth: number, atLimit: boolean): { violation: PartitionViolation | null; error: PartitionError | null; beyondLimit: boolean } {
    const seen = this.seen;
    let beyondLimit = false;
    const own = this.outboxes[this.index]!;
    const all = [...inboxes.slice(0, this.index), { buf: own.buf, len: own.len }, ...inboxes.slice(this.index)];
    const starts = this.starts;
    let touched = 0;
    for (const box of all) {
      const b = box.buf;
      for (let p = 0; p < box.len; ) {
        // A chunk of up to CHUNK records: touch their slots, then insert them in order.
        let n = 0;
        for (let r = p; r < box.len && n < CHUNK; r += 5 + b[r + 4]!) {
          starts[n++] = r;
          touched ^= seen.peek(b[r]!, b[r + 1]!);
        }
        for (let k = 0; k < n; k++) {
          const r = starts[k]!;
          const hi = b[r]!;
          const lo = b[r + 1]!;
          const len = b[r + 4]!;
          if (atLimit) {
            if (seen.find(hi, lo) < 0) beyondLimit = true;
            continue;
          }
          const local = seen.insert(hi, lo, b[r + 2]!, b[r + 3]!);
          if (local >= 0) this.pushNext(this.gid(local), b, r + 5, len);
        }
        p = starts[n - 1]! + 5 + b[starts[n - 1]! + 4]!;
      }
    }
    this.touched ^= touched;
    return { violation: null, error: null, beyondLimit };
  }

  private deadlockAt(gid: number, depth: number): PartitionViolation {
    return { kind: 'deadlock', property: 'deadlock', message: 'deadlock: no action is enabled in this state', gid, length: depth };
  }

  private anyEnabled(s: S): boolean {
    const rt = this.rt;
    for (const action of rt.actions) {
      const dom = action.params === null ? null : rt.domain(action, s);
      const n = dom === null ? 1 : dom.length;
      for (let pi = 0; pi < n; pi++) if (rt.enabled(action, s, dom === null ? null : dom[pi])) return true;
    }
    return false;
  }

  private errorOf(e: unknown, a: number, param: unknown, gid: number): PartitionError {
    const action = a >= 0 ? this.rt.actions[a] : undefined;
    let err: InterleaveError;
    if (action) err = this.rt.actionError(e, action, param ?? null, []);
    else err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', describeThrown(e));
    // The path is added by the coordinator, which can follow parents across partitions.
    const message = err.message.replace(/ in an initial state$/, '');
    return { error: { code: err.code, message, details: { ...err.details, path: undefined } }, gid };
  }
}
