import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import type { SpecRuntime } from '../spec/index.ts';
import { WordBuffer } from '../state/index.ts';
import { Expander, META } from './expand.ts';

/**
 * Expansion for a caller that keeps the seen-set itself: a distributed node (src/distributed/participant.ts),
 * whose main thread owns its states and the traffic to other nodes, hands batches of its level's states to this,
 * on worker threads (worker.ts, `states`) or on its own thread. Each state is expanded by the one expansion core
 * (expand.ts: `Expander.expand`) and everything that needs the decoded states is done here, in parallel: the
 * invariants of every successor, the sampled mutation check, the deadlock test. What needs the seen-set (which
 * successors are new, where routing stops at a broken invariant, the coverage counted up to there) is left to the
 * caller, which reads the results in rank order and so decides exactly as one thread would.
 *
 * A batch's result is one Int32Array, per state in order:
 *   [nb, flags, count, ...count enabled actions, ...count successor counts after each (coverage)]
 *   then per successor: [hi, lo, label, invariant, length, ...words]
 * where `invariant` is -1 when every invariant holds, the index of the first broken one in `rt.invariants`, or
 * INVARIANT_THREW (the error is in `notes`). Rare things (errors, a failed assertion) are in `notes`.
 */

/** `flags` of a state in a batch result. */
export const EXPAND_FAILED = 1;
export const ASSERTION_FAILED = 2;
export const AUDIT_FAILED = 4;
/** No step enabled, not terminal, deadlocks checked (and no assertion failed). */
export const DEADLOCKED = 8;
export const TERMINAL_FAILED = 16;
/**
 * A state that failed (its expansion, a successor's invariant, the mutation check or `terminal` threw), scanned
 * for a deadlock as one thread scans it after a violation at a smaller rank (level-outcome.ts), deadlocks checked:
 * no step enabled and not terminal, or the scan threw (`StateNote.scanError`).
 */
export const SCAN_DEADLOCKED = 32;
export const SCAN_FAILED = 64;
/** `invariant` of a successor: evaluating an invariant threw. */
export const INVARIANT_THREW = -2;

/** An error as it travels between threads and processes (the path is added where the parents are). */
export interface FailurePayload {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The rare facts of one state of a batch (its position in the batch is `i`). */
export interface StateNote {
  i: number;
  /** EXPAND_FAILED, AUDIT_FAILED or TERMINAL_FAILED: the error. */
  error?: FailurePayload;
  /** SCAN_FAILED: the error the scan for a deadlock threw. */
  scanError?: FailurePayload;
  /** ASSERTION_FAILED: the failure and the step it failed in. */
  assertion?: { property: string; message: string; action: number; param: unknown };
  /** Successor `k`'s invariant threw this. */
  invariant?: { k: number; error: FailurePayload }[];
}

export interface StateBatch {
  /** Records [length, ...words], one per state. */
  words: Int32Array;
  /** The states' breadth-first ranks (the mutation check samples by rank, as every search does). */
  ranks: Int32Array;
  deadlock: boolean;
}

export interface StateBatchResult {
  out: Int32Array;
  notes: StateNote[];
}

/** The error a spec's code threw while a state was expanded, described as the one-thread searches describe it. */
export function failureOf<S, C>(rt: SpecRuntime<S, C>, e: unknown, a: number, param: unknown, state?: S): FailurePayload {
  const action = a >= 0 ? rt.actions[a] : undefined;
  const err = action ? rt.actionError(e, action, param ?? null, [], state) : isInterleaveError(e) ? e : new InterleaveError('INTERNAL', describeThrown(e));
  return { code: err.code, message: err.message.replace(/, in an initial state$/, ''), details: { ...err.details, path: undefined } };
}

export class StateBatchExpander<S = any, C = any> {
  readonly x: Expander<S, C>;
  private readonly out = new WordBuffer(1 << 12);

  constructor(readonly rt: SpecRuntime<S, C>) {
    const nA = rt.actions.length;
    // Coverage is counted by the caller (it knows where routing stops): these counts are not read.
    this.x = new Expander(rt, { enabled: new Float64Array(nA), taken: new Float64Array(nA) });
  }

  expandStates(batch: StateBatch): StateBatchResult {
    const rt = this.rt;
    const x = this.x;
    const q = this.out;
    const b = batch.words;
    const notes: StateNote[] = [];
    const checks = rt.invariants.length !== 0;
    q.len = 0;
    for (let i = 0, off = 0; i < batch.ranks.length; i++) {
      const len = b[off]!;
      const at = off + 1;
      off = at + len;
      const rank = batch.ranks[i]!;
      const before = x.sampled(rank) ? b.slice(at, at + len) : null;
      const s = x.load(b, at, len);
      try {
        x.expand(s, b, at);
      } catch (e) {
        const where = x.blame();
        x.discard();
        const note: StateNote = { i, error: failureOf(rt, e, where.action, where.param, s) };
        q.ensure(3).set([0, EXPAND_FAILED | (batch.deadlock ? this.scan(x.load(b, at, len), note) : 0), 0], q.len);
        q.len += 3;
        notes.push(note);
        continue;
      }
      const nb = x.nb;
      const count = x.enabledCount;
      let flags = 0;
      let note: StateNote | null = null;
      const head = q.len;
      const h = q.ensure(3 + 2 * count);
      h[head] = nb;
      h[head + 2] = count;
      h.set(x.enabledNow.subarray(0, count), head + 3);
      h.set(x.collectedBy.subarray(0, count), head + 3 + count);
      q.len = head + 3 + 2 * count;
      const meta = x.meta;
      const words = x.out.buf;
      for (let k = 0; k < nb; k++) {
        const m = k * META;
        let inv = -1;
        if (checks) {
          try {
            const bad = rt.failingInvariant(x.nexts[k] as S);
            if (bad !== null) inv = rt.invariants.indexOf(bad);
          } catch (e) {
            inv = INVARIANT_THREW;
            note ??= { i };
            (note.invariant ??= []).push({ k, error: failureOf(rt, e, meta[m + 3]!, x.params[k] ?? null) });
          }
        }
        const wlen = meta[m + 5]!;
        const r = q.ensure(5 + wlen);
        const p = q.len;
        r[p] = meta[m]!;
        r[p + 1] = meta[m + 1]!;
        r[p + 2] = meta[m + 2]!;
        r[p + 3] = inv;
        r[p + 4] = wlen;
        r.set(words.subarray(meta[m + 4]!, meta[m + 4]! + wlen), p + 5);
        q.len = p + 5 + wlen;
      }
      x.discard();
      const assertion = x.assertion;
      if (assertion !== null) {
        flags |= ASSERTION_FAILED;
        note ??= { i };
        note.assertion = { property: assertion.failure.property, message: assertion.failure.message, action: assertion.action, param: assertion.param };
      }
      let audited = true;
      if (before !== null) {
        try {
          x.audit(s, before, () => []);
        } catch (e) {
          flags |= AUDIT_FAILED;
          note ??= { i };
          note.error = failureOf(rt, e, -1, null);
          audited = false;
        }
      }
      if (audited && assertion === null && x.enabled === 0 && batch.deadlock) {
        try {
          if (!rt.isTerminal(s, () => [])) flags |= DEADLOCKED;
        } catch (e) {
          flags |= TERMINAL_FAILED;
          note ??= { i };
          note.error = failureOf(rt, e, -1, null);
        }
      }
      if (batch.deadlock && ((flags & (AUDIT_FAILED | TERMINAL_FAILED)) !== 0 || note?.invariant !== undefined)) {
        note ??= { i };
        flags |= this.scan(x.load(b, at, len), note);
      }
      q.buf[head + 1] = flags;
      if (note !== null) notes.push(note);
    }
    return { out: q.buf.slice(0, q.len), notes };
  }

  /** Scans a state (decoded afresh) for a deadlock: SCAN_DEADLOCKED, SCAN_FAILED (the error in `note`) or 0. */
  private scan(s: S, note: StateNote): number {
    const rt = this.rt;
    try {
      return !rt.anyEnabled(s, () => []) && !rt.isTerminal(s, () => []) ? SCAN_DEADLOCKED : 0;
    } catch (e) {
      note.scanError = failureOf(rt, e, -1, null);
      return SCAN_FAILED;
    }
  }
}
