import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import { isAssertionFailure, type Symmetry } from '../../model/index.ts';
import { WordBuffer, type StateCodec } from '../state/index.ts';
import { formatStep, shortPath, type SpecRuntime, type StepSink } from '../spec/index.ts';
import { FP, fingerprint } from '../state/index.ts';

function callSymmetry<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new InterleaveError('SPEC_INVALID', `symmetry.${what} threw ${describeThrown(e)}`, {}, { cause: e });
  }
}

/** The permutations a spec lists, checked: an array of arrays, each a permutation of 0..n-1 for one n. */
function listedPermutations<C>(permutations: (c: C) => readonly (readonly number[])[], constants: C): number[][] {
  const list: unknown = callSymmetry('permutations', () => permutations(constants));
  const bad = (why: string): never => {
    throw new InterleaveError('SPEC_INVALID', `symmetry.permutations must return an array of permutations (arrays of the indices 0..n-1, each once): ${why}`);
  };
  if (!Array.isArray(list)) return bad(`it returned ${list === null ? 'null' : typeof list}`);
  const n = Array.isArray(list[0]) ? list[0].length : 0;
  return list.map((p: unknown, k) => {
    if (!Array.isArray(p)) return bad(`element ${k} is ${p === null ? 'null' : typeof p}`);
    const seen = new Set<unknown>(p);
    if (p.length !== n || seen.size !== n || !p.every((v) => Number.isInteger(v) && v >= 0 && v < n)) return bad(`element ${k} is ${JSON.stringify(p)}`);
    return [...(p as number[])];
  });
}

/** Every permutation of 0..n-1 in lexicographic order (the identity first). */
export function allPermutations(n: number): number[][] {
  if (!Number.isInteger(n) || n < 0 || n > 8) {
    throw new InterleaveError('SPEC_INVALID', `symmetry: size must be an integer from 0 to 8 (8! = 40,320 permutations), got ${n}`);
  }
  const out: number[][] = [];
  const cur: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const rec = () => {
    if (cur.length === n) {
      out.push([...cur]);
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      cur.push(i);
      rec();
      cur.pop();
      used[i] = false;
    }
  };
  rec();
  return out;
}

/** The permutations a spec's symmetry declares, for given constants, without the identity. */
export function permutationsOf<S, C>(symmetry: Symmetry<S, C>, constants: C): number[][] {
  const perms = symmetry.permutations ? listedPermutations(symmetry.permutations, constants) : allPermutations(callSymmetry('size', () => symmetry.size!(constants)));
  return perms.filter((p) => !p.every((v, i) => v === i));
}

/**
 * Symmetry reduction: the representative of a state is the least encoding (shorter first, then word by word)
 * among its images under every permutation. Counts, for the last state encoded, how many permutations fix it,
 * so the size of its class (orbit) is |G| / |stabilizer| without enumerating it.
 */
export class SymmetryReducer<S, C> {
  readonly perms: number[][];
  readonly tmp = new WordBuffer(256);
  /** Permutations (identity included) that map the last state encoded to itself. */
  fixed = 1;

  constructor(
    readonly symmetry: Symmetry<S, C>,
    readonly codec: StateCodec<S>,
    readonly constants: C,
  ) {
    this.perms = permutationsOf(symmetry, constants);
  }

  /** The group's order (identity included). */
  get order(): number {
    return this.perms.length + 1;
  }

  /** The size of the last encoded state's symmetry class. */
  orbitSize(): number {
    return this.order / this.fixed;
  }

  /** Writes the representative's words at out[0..len) and returns len (out.len is left at 0). */
  encode(state: S, out: WordBuffer): number {
    out.len = 0;
    const len0 = this.codec.encode(state, out);
    let best = len0;
    let fixed = 1;
    const tmp = this.tmp;
    const perms = this.perms;
    // The identity image stays at out[0..len0); keep a copy to count the stabilizer.
    tmp.len = 0;
    const id = tmp.ensure(len0 * 2 + 16);
    for (let i = 0; i < len0; i++) id[i] = out.buf[i]!;
    for (let k = 0; k < perms.length; k++) {
      let image: S;
      try {
        image = this.symmetry.apply(state, perms[k]!, this.constants);
      } catch (e) {
        throw new InterleaveError('SPEC_ACTION_THREW', `symmetry.apply threw ${describeThrown(e)} for permutation [${perms[k]!.join(', ')}]`, {}, { cause: e });
      }
      tmp.len = len0;
      const len = this.codec.encode(image, tmp);
      const b = tmp.buf;
      // Equal to the state itself?
      if (len === len0) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (b[len0 + i] !== b[i]) {
            same = false;
            break;
          }
        }
        if (same) {
          fixed++;
          continue;
        }
      }
      // Less than the best so far?
      let cmp = len - best;
      if (cmp === 0) {
        const o = out.buf;
        for (let i = 0; i < len; i++) {
          const d = b[len0 + i]! - o[i]!;
          if (d !== 0) {
            cmp = d;
            break;
          }
        }
      }
      if (cmp < 0) {
        const o = out.ensure(len);
        for (let i = 0; i < len; i++) o[i] = b[len0 + i]!;
        best = len;
      }
    }
    out.len = 0;
    this.fixed = fixed;
    return best;
  }
}

/**
 * The permutations a symmetry audit tries: generators of the declared group. For `size` (the full symmetric
 * group) a transposition and the n-cycle, which generate it; for listed `permutations`, the list itself. A
 * property that each generator preserves, every product of them preserves.
 */
export function auditPermutations(perms: readonly number[][], size: number | null): number[][] {
  if (size === null) return perms.map((p) => [...p]);
  if (size < 2) return [];
  const swap = Array.from({ length: size }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : i));
  const cycle = Array.from({ length: size }, (_, i) => (i + 1) % size);
  return size === 2 ? [swap] : [swap, cycle];
}

/** Collects the fingerprints of the symmetry representatives of a state's successors (an audit's StepSink). */
class ClassSink<S, C> implements StepSink {
  action = 0;
  dom: readonly unknown[] | null = null;
  pi = -1;
  enabled = 0;
  inEffect = false;
  /** Representative fingerprint → the step that reached it first. */
  readonly classes = new Map<string, string>();
  readonly buf = new WordBuffer(256);
  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly reducer: SymmetryReducer<S, C>,
    readonly state: S,
  ) {}
  add(next: unknown, _pi: number, param: unknown): void {
    const action = this.rt.actions[this.action]!;
    if (typeof next !== 'object' || next === null) this.rt.step(action, this.state, param); // throws the descriptive error
    const len = this.reducer.encode(next as S, this.buf);
    fingerprint(this.buf.buf, 0, len);
    const key = `${FP[0]},${FP[1]}`;
    if (!this.classes.has(key)) this.classes.set(key, formatStep(action.name, this.dom === null ? null : param));
  }
  covered(): void {}
}

function showState(v: unknown): string {
  try {
    const t = JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x] : x instanceof Map ? [...x] : typeof x === 'bigint' ? `${x}n` : x));
    return t === undefined ? String(v) : t.length > 200 ? `${t.slice(0, 200)}…` : t;
  } catch {
    return '(a state)';
  }
}

/**
 * Checks that a declared symmetry holds at a state (docs/symmetry.md, "Checking the declared symmetry"): for each
 * audited permutation p, every selected invariant gives the same verdict on the state and on p(state), and the
 * successors of p(state) fall into the same symmetry classes as the successors of the state (their
 * representatives' fingerprints are the same set). Throws SPEC_BAD_SYMMETRY naming the permutation and the state.
 * Run on every state with --strict, on a sample otherwise (engine.ts).
 */
export class SymmetryAudit<S, C> {
  readonly perms: number[][];
  /** States audited so far. */
  audited = 0;
  constructor(
    readonly rt: SpecRuntime<S, C>,
    readonly reducer: SymmetryReducer<S, C>,
  ) {
    const sym = reducer.symmetry;
    this.perms = auditPermutations(reducer.perms, sym.permutations ? null : sym.size!(rt.constants));
  }

  check(state: S, path: () => readonly string[]): void {
    this.audited++;
    const rt = this.rt;
    const base = this.classesOf(state);
    for (const perm of this.perms) {
      let image: S;
      try {
        image = rt.canonical(this.reducer.symmetry.apply(state, perm, rt.constants));
      } catch (e) {
        if (isInterleaveError(e)) throw this.bad(perm, state, path, `its image is not a state of the schema (${e.message})`);
        throw new InterleaveError('SPEC_ACTION_THREW', `${rt.named(`symmetry.apply threw ${describeThrown(e)} for permutation [${perm.join(', ')}]`)}`, { spec: rt.spec.name }, { cause: e });
      }
      for (const inv of rt.invariants) {
        const a = this.verdict(inv.name, inv.test, state);
        const b = this.verdict(inv.name, inv.test, image);
        if (a !== b) throw this.bad(perm, state, path, `invariant '${inv.name}' is ${a} in the state and ${b} in its image ${showState(image)}`);
      }
      let other: Map<string, string>;
      try {
        other = this.classesOf(image);
      } catch (e) {
        throw this.bad(perm, state, path, `the successors of its image ${showState(image)} could not be computed: ${isInterleaveError(e) ? e.message : describeThrown(e)}`);
      }
      for (const [key, step] of base) {
        if (!other.has(key)) throw this.bad(perm, state, path, `its successor by ${step} has no symmetric counterpart among the successors of its image ${showState(image)}`);
      }
      for (const [key, step] of other) {
        if (!base.has(key)) throw this.bad(perm, state, path, `the successor by ${step} of its image ${showState(image)} has no symmetric counterpart among the state's successors`);
      }
    }
  }

  private verdict(name: string, test: (s: S, c: C) => boolean, s: S): boolean {
    try {
      return test(s, this.rt.constants) === true;
    } catch (e) {
      throw new InterleaveError('SPEC_INVARIANT_THREW', this.rt.named(`invariant '${name}' threw ${describeThrown(e)} (on a permuted state, checking the symmetry)`), { spec: this.rt.spec.name, predicate: name }, { cause: e });
    }
  }

  private classesOf(state: S): Map<string, string> {
    const sink = new ClassSink(this.rt, this.reducer, state);
    try {
      this.rt.successors(state, this.rt.constants, sink);
    } catch (e) {
      // An assertion or error in the state's own successors is the search's to report; the classes found so far stand.
      if (!isAssertionFailure(e)) throw e;
    }
    return sink.classes;
  }

  private bad(perm: readonly number[], state: S, path: () => readonly string[], why: string): InterleaveError {
    const p = path();
    const where = p.length ? `reached by ${shortPath(p).join(' → ')}` : 'an initial state';
    return new InterleaveError(
      'SPEC_BAD_SYMMETRY',
      this.rt.named(`the declared symmetry does not hold: permutation [${perm.join(', ')}] of the state ${showState(state)} (${where}): ${why}. Results under a wrong symmetry are unsound: fix symmetry.apply, or check without --symmetry`),
      { spec: this.rt.spec.name, permutation: [...perm], path: p },
    );
  }
}
