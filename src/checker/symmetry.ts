import { InterleaveError, describeThrown } from '../errors.ts';
import type { Symmetry } from '../model/index.ts';
import { WordBuffer, type StateCodec } from './codec.ts';

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
  const perms = symmetry.permutations ? symmetry.permutations(constants).map((p) => [...p]) : allPermutations(symmetry.size!(constants));
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
