import { isAssertionFailure, type AssertionFailure, type SpecPredicate } from '../../model/index.ts';
import { checkParamDomains, deepFreeze, mutationError, type SpecRuntime, type StepSink } from '../spec/index.ts';
import { FP, WordBuffer, fingerprint, primeCodec, withRoom } from '../state/index.ts';
import type { SymmetryAudit, SymmetryReducer } from '../reductions/index.ts';
import type { ReachTracker } from '../properties/index.ts';

/**
 * The one expansion core of every search (docs/architecture.md). `Expander.expand` takes one encoded state and
 * does everything a state's expansion means, once for all strategies:
 *
 *   decode (frozen with --strict) → every enabled step, in action then parameter order (the compiled successor
 *   function, SpecRuntime.successors) → strict-mode validation of each successor → an assertion in an effect
 *   caught and kept → each successor encoded (its symmetry representative, if reducing) and fingerprinted.
 *
 * `Expander.route` then offers the successors, in generation order, to a `SuccessorTable` (below: where they go),
 * checks the invariants on those the table reports new, and hands those to the table to keep; `Expander.lookup`
 * only looks them up (at the depth limit). Coverage (per action: states where it was enabled, steps taken) and
 * the `generated` count are kept here too, counted when the driver commits to an expansion (route or lookup),
 * so that a state expanded again after a pause counts once. `Expander.audit` is the sampled check that an
 * action did not modify its input (every state with --strict).
 *
 * What the core does not decide is the order and the barrier: the single-thread search (engine.ts) pops a
 * frontier; each worker (level.ts) claims ranks of a breadth-first level and waits for the others at its end.
 * Both stop on the first violation in breadth-first order in their own way (a pending violation, or ranks).
 */

/**
 * Where successors go: the seam between the expansion core and a search's storage. One thread: a local seen-set
 * and frontier (engine.ts: LocalTable). Worker threads: one seen-set shared by all, in SharedArrayBuffers,
 * claimed by compare-and-swap (level.ts: SharedTable). Many machines (the distributed search): a table that
 * sends a successor whose fingerprint another machine owns to a transport and returns SENT (the owner inserts
 * it, checks its invariants when it is new there, see `Expander.invariantOf`, and keeps it), and inserts the
 * others locally like one of the two above.
 *
 * The successor `k` of the expansion is described by `Expander.meta` (hi, lo, label, action, offset, length:
 * its words are `Expander.out.buf[offset .. offset+length)`), `Expander.nexts[k]` (the decoded state) and
 * `Expander.params[k]`. A table must not hold on to `nexts` (the core clears them).
 */
export interface SuccessorTable {
  /** Reads the slot a fingerprint hashes to, ahead of `insert` (the loads of a batch overlap); any number. */
  touch(hi: number, lo: number): number;
  /** At the depth limit: whether the state with this fingerprint is known (nothing is inserted). */
  has(hi: number, lo: number): boolean;
  /**
   * Offers successor `k`, reached from the state `parent` (its id, or rank) by step `label`. Returns the id under
   * which the table keeps it when it is new (or, breadth-first across workers, when this is now its first
   * discovery); KNOWN when it was seen already; SENT when another owner takes it; STOP when the search must end
   * here (a state limit: the driver knows why).
   */
  insert(hi: number, lo: number, parent: number, label: number, k: number): number;
  /** Keeps successor `k`, inserted as `id`, to be expanded at `depth` (its invariants hold). */
  keep(id: number, depth: number, k: number): void;
}

/** `SuccessorTable.insert`: the successor was seen already. */
export const KNOWN = -1;
/** `SuccessorTable.insert`: the search ends at this successor (the driver knows why). */
export const STOP = -2;
/** `SuccessorTable.insert`: another owner (a machine) takes this successor. */
export const SENT = -3;

/** `Expander.route`: every successor was offered, and the invariants hold on the new ones. */
export const ROUTED = -1;
/** `Expander.route`: the table said STOP (the driver knows why: a state limit). */
export const STOPPED = -2;

/** Words of `Expander.meta` per successor. */
export const META = 6;

/** An assertion that failed in an effect while the state was expanded: the step it failed in. */
export interface FailedAssertion {
  failure: AssertionFailure;
  action: number;
  paramIndex: number;
  param: unknown;
}

export interface ExpanderOptions<S, C> {
  /** Symmetry: successors are encoded as their class's representative (reductions/symmetry.ts). */
  sym?: SymmetryReducer<S, C> | null;
  /** Checks the declared symmetry on the states the mutation check samples. */
  symAudit?: SymmetryAudit<S, C> | null;
  /** Words left free before each successor's encoding in `out` (a worker writes its record header there). */
  header?: number;
  /** Where the encoded successors are written (default: a buffer of the expander's own, emptied per state). */
  out?: WordBuffer;
  /** Per action, the states in which it had an enabled step, and the steps it took (coverage). */
  enabled: Float64Array;
  taken: Float64Array;
  /** The spec's `reachable` predicates to test on every new successor (properties/reachability.ts), or null. */
  reach?: ReachTracker<S, C> | null;
}

export class Expander<S = any, C = any> implements StepSink {
  // The StepSink side (SpecRuntime.successors writes these): the action and parameter being tried, its domain
  // (null: no parameters), the steps enabled so far, and whether an effect is running.
  action = 0;
  dom: readonly unknown[] | null = null;
  pi = -1;
  enabled = 0;
  inEffect = false;

  /** The state being expanded, and the words it was decoded from (`words[offset..]`: the encoder copies shared parts). */
  state: S | null = null;
  words: Int32Array = new Int32Array(0);
  offset = 0;
  /** Successors collected: `meta` holds [hi, lo, label, action, offset, length] per successor. */
  nb = 0;
  meta = new Int32Array(64 * META);
  readonly nexts: unknown[] = [];
  readonly params: unknown[] = [];
  /** With symmetry: the size of each successor's class (the states its representative stands for). */
  readonly orbits: number[] = [];
  /** The assertion that failed in this expansion (the successors before it were collected), or null. */
  assertion: FailedAssertion | null = null;
  /** After `route` returned a successor's index: the invariant it broke. */
  broken: SpecPredicate<S, C> | null = null;
  /** The successor whose routing threw (-1 otherwise, and while the successors are collected): for `blame`. */
  at = -1;
  /** Successors generated (offered to a table or looked up), over the expander's life. */
  generated = 0;
  /** States committed (routed or looked up): the mutation check samples by it. */
  expanded = 0;
  /** Where successors are encoded (a worker points it at the record buffer of the level it writes). */
  out: WordBuffer;
  private readonly ownOut: boolean;
  private readonly header: number;
  private readonly sym: SymmetryReducer<S, C> | null;
  private readonly symAudit: SymmetryAudit<S, C> | null;
  private readonly nActions: number;
  private readonly strict: boolean;
  /** Coverage: the actions enabled in this state, in order, and how many successors had been collected after each. */
  readonly enabledNow: Int32Array;
  readonly collectedBy: Int32Array;
  enabledCount = 0;
  private readonly covEnabled: Float64Array;
  private readonly covTaken: Float64Array;
  /** Xor of the slots touched ahead of inserting (kept so that the loads are not optimised away). */
  touched = 0;
  /** The reachable predicates not reached yet, tested on each new successor whose invariants hold (or null). */
  readonly reach: ReachTracker<S, C> | null;

  constructor(
    readonly rt: SpecRuntime<S, C>,
    options: ExpanderOptions<S, C>,
  ) {
    this.sym = options.sym ?? null;
    this.symAudit = options.symAudit ?? null;
    this.header = options.header ?? 0;
    this.ownOut = options.out === undefined;
    this.out = options.out ?? new WordBuffer(256);
    this.nActions = rt.actions.length;
    this.strict = rt.strict;
    this.enabledNow = new Int32Array(this.nActions + 1);
    this.collectedBy = new Int32Array(this.nActions + 1);
    this.covEnabled = options.enabled;
    this.covTaken = options.taken;
    this.reach = options.reach ?? null;
    primeCodec(rt.codec);
  }

  /** Decodes a state (frozen with --strict, so that an action modifying it throws where it does). */
  load(words: Int32Array, offset: number, len: number): S {
    const s = this.rt.codec.decode(words, offset, len);
    return this.rt.strict ? deepFreeze(s) : s;
  }

  /**
   * Collects every successor of `s` (decoded from `words[offset..]`). An assertion that fails in an effect is
   * kept in `assertion` (the steps before it stay collected); any other error is thrown, with `blame` saying
   * which step it came from.
   */
  expand(s: S, words: Int32Array, offset: number): void {
    this.state = s;
    this.words = words;
    this.offset = offset;
    this.nb = 0;
    if (this.ownOut) this.out.len = 0;
    this.enabled = 0;
    this.inEffect = false;
    this.pi = -1;
    this.at = -1;
    this.enabledCount = 0;
    this.assertion = null;
    this.broken = null;
    try {
      this.rt.successors(s, this.rt.constants, this);
    } catch (e) {
      if (!this.inEffect || !isAssertionFailure(e)) throw e;
      this.rt.assertionSelected(e); // an undeclared name is SPEC_INVALID (a deselected one never gets here)
      const dom = this.dom;
      this.assertion = { failure: e, action: this.action, paramIndex: this.pi, param: dom === null ? null : dom[this.pi] };
      this.covered(this.action);
    }
  }

  /** The action and parameter an error thrown by `expand` or `route` came from (action -1: none). */
  blame(): { action: number; param: unknown } {
    if (this.at >= 0) return { action: this.meta[this.at * META + 3]!, param: this.params[this.at] ?? null };
    const dom = this.dom;
    return { action: this.action, param: this.pi < 0 || dom === null ? null : dom[this.pi] };
  }

  /** StepSink: action `action` had an enabled step in this state. */
  covered(action: number): void {
    this.enabledNow[this.enabledCount] = action;
    this.collectedBy[this.enabledCount++] = this.nb;
  }

  /** StepSink: one successor, reached by the `pi`th parameter of the current action. */
  add(next: unknown, pi: number, param: unknown): void {
    const rt = this.rt;
    const p = this.dom === null ? null : param;
    if (typeof next !== 'object' || next === null) rt.step(rt.actions[this.action]!, this.state!, param); // throws the descriptive error
    if (rt.strict) rt.validate(next as S, rt.actions[this.action]!.name, p);
    const out = this.out;
    if (this.header !== 0) {
      out.ensure(this.header);
      out.len += this.header;
    }
    const off = out.len;
    const sym = this.sym;
    let wlen: number;
    if (sym === null) wlen = rt.codec.encodeFingerprint(next as S, out, this.state!, this.words, this.offset);
    else {
      // The symmetry reducer writes its representative at the start of a buffer.
      wlen = sym.encode(next as S, rt.scratch);
      out.ensure(wlen).set(rt.scratch.buf.subarray(0, wlen), off);
      this.orbits[this.nb] = sym.orbitSize();
      fingerprint(out.buf, off, wlen);
    }
    out.len = off + wlen;
    const nb = this.nb;
    const m = nb * META;
    let meta = this.meta;
    if (meta.length < m + META) meta = this.meta = withRoom(meta, m + META); // stored only when it grew
    meta[m] = FP[0]!;
    meta[m + 1] = FP[1]!;
    meta[m + 2] = this.action + this.nActions * pi;
    meta[m + 3] = this.action;
    meta[m + 4] = off;
    meta[m + 5] = wlen;
    this.nexts[nb] = next;
    this.params[nb] = p;
    this.nb = nb + 1;
  }

  /** Counts the expansion (coverage: the actions enabled; generated and steps taken: the first `offered` successors). */
  private commit(offered: number): void {
    countCoverage(this.covEnabled, this.covTaken, this.enabledNow, 0, this.collectedBy, 0, this.enabledCount, offered);
    this.generated += offered;
    this.expanded++;
  }

  /** Drops the collected successors without counting them (the driver expands the state again later). */
  discard(): void {
    const nexts = this.nexts;
    for (let k = 0; k < this.nb; k++) nexts[k] = null;
    this.nb = 0;
  }

  /**
   * Offers the successors to `table` in generation order (their slots are touched first, so that the cache misses
   * overlap; then they are inserted in order: the same ids as one by one). A successor the table reports new has
   * the invariants checked, then is kept at `depth + 1`. Returns ROUTED; or the index of the first new successor
   * that breaks an invariant (`broken`), where routing stops; or STOPPED when the table said so.
   */
  route(table: SuccessorTable, parent: number, depth: number): number {
    const nb = this.nb;
    const meta = this.meta;
    const nexts = this.nexts;
    const rt = this.rt;
    const checks = rt.invariants.length !== 0;
    let touched = 0;
    for (let k = 0; k < nb; k++) touched ^= table.touch(meta[k * META]!, meta[k * META + 1]!);
    this.touched ^= touched;
    let result = ROUTED;
    let k = 0;
    try {
      for (; k < nb; k++) {
        const m = k * META;
        const id = table.insert(meta[m]!, meta[m + 1]!, parent, meta[m + 2]!, k);
        if (id < 0) {
          if (id === STOP) {
            result = STOPPED;
            break;
          }
          continue;
        }
        const bad = checks ? rt.failingInvariant(nexts[k] as S) : null;
        if (bad !== null) {
          this.broken = bad;
          result = k;
          break;
        }
        const reach = this.reach;
        if (reach !== null && reach.open.length !== 0) reach.test(nexts[k] as S, id, parent, meta[m + 2]!, depth + 1);
        table.keep(id, depth + 1, k);
      }
    } catch (e) {
      this.at = k; // for blame
      throw e;
    }
    this.commit(result === ROUTED ? nb : k + 1);
    this.discard();
    return result;
  }

  /**
   * At the depth limit: looks the successors up without inserting them. Returns the index of the first one the
   * table does not know (a state beyond the limit), or -1.
   */
  lookup(table: SuccessorTable): number {
    const nb = this.nb;
    const meta = this.meta;
    let k = 0;
    for (; k < nb; k++) if (!table.has(meta[k * META]!, meta[k * META + 1]!)) break;
    const beyond = k < nb ? k : -1;
    this.commit(beyond < 0 ? nb : k + 1);
    this.discard();
    return beyond;
  }

  /**
   * Whether to run the mutation check on the `n`th state expanded (in the search's order: one thread counts its
   * expansions, workers use the breadth-first rank, which is the same number, so both sample the same states): a
   * sample (the first 4096 states and one in 256 after), or every state with --strict; it costs nothing measurable
   * and catches most mutating specs. The sample test comes first, so that it runs from the first state
   * (docs/performance.md, warm-up).
   */
  sampled(n: number): boolean {
    // Read before the test, so that the load has type feedback from the first state (it is needed from the 4097th).
    const strict = this.strict;
    return (n & 255) === 0 || n < 4096 || strict;
  }

  /**
   * The sampled checks after an expansion (`before`: the state's words before it): the state was not modified by
   * its actions (SPEC_MUTATED_STATE), the declared symmetry holds on it, and its parameters are plain data.
   * `path` says how the state was reached, for the message (computed only on failure).
   */
  audit(s: S, before: Int32Array, path: () => readonly string[]): void {
    const rt = this.rt;
    const scratch = rt.scratch;
    scratch.len = 0;
    const len = rt.codec.encode(s, scratch);
    let same = len === before.length;
    for (let i = 0; same && i < len; i++) same = scratch.buf[i] === before[i];
    if (!same) throw mutationError(rt, before, path());
    if (this.symAudit !== null) this.symAudit.check(s, path);
    // Parameters must be plain data (they go into traces): checked on the same sample.
    checkParamDomains(rt, s, path);
  }

  /** The invariant that fails on an encoded state (a successor another owner sent), or null. */
  invariantOf(words: Int32Array, offset: number, len: number): SpecPredicate<S, C> | null {
    return this.rt.failingInvariant(this.rt.codec.decode(words, offset, len));
  }
}

/**
 * Coverage of one expansion: the actions enabled in it are `now[nowAt .. nowAt+count)`, the `i`th of them having
 * collected successors up to `by[byAt+i]` (they come in action order); the first `offered` successors were taken.
 * Counts each enabled action once in `enabled` and its steps taken in `taken`. (Also used by a caller that
 * routes successors a worker thread collected: state-batch.ts.)
 */
export function countCoverage(enabled: Float64Array, taken: Float64Array, now: Int32Array, nowAt: number, by: Int32Array, byAt: number, count: number, offered: number): void {
  for (let i = 0, prev = 0; i < count; i++) {
    const a = now[nowAt + i]!;
    const b = by[byAt + i]!;
    const to = b < offered ? b : offered;
    enabled[a]!++;
    if (to > prev) taken[a]! += to - prev;
    prev = b;
  }
}
