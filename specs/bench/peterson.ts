/**
 * Peterson's filter lock for `n` processes, exactly as docs/bench-models.md defines it (the model
 * SPIN and TLC agree on): pc[i] ∈ {0 idle, 1 set-victim, 2 wait, 3 critical}, level[i] ∈ 0..n-1,
 * victim[l] ∈ 0..n-1. Invariant `mutex`: no two processes are critical at once.
 *
 * Known answers: n=3: 288 distinct / 652 generated; n=4: 4,752 / 13,081 (depth 24); n=5: 88,560 / 286,986
 * (depth 36); n=6: 1,827,936 / 6,803,689 (depth 50); n=7: 41,512,352 / 174,214,146 (depth 66).
 *
 * Liveness `starvationFree`: a process at pc = 1 eventually reaches pc = 3. With `fairness = process` (weak
 * fairness of each process's actions) it holds for n = 3; with `fairness = system` (weak fairness of the
 * system as a whole) it is violated by a lasso.
 */
import { defineSpec, permute, z } from 'interleave';

const cache: number[][] = [];
const procs = (n: number): number[] => (cache[n] ??= Array.from({ length: n }, (_, i) => i));

export const peterson = defineSpec({
  name: 'peterson',
  description: "Peterson's filter lock for n processes (benchmark model with known state counts).",
  constants: z.object({
    n: z.number().int().min(2).max(12).default(3),
    fairness: z.enum(['process', 'system']).default('process'),
  }),
  state: (c) => {
    const Index = z.number().int().min(0).max(c.n - 1);
    return z.object({
      pc: z.array(z.number().int().min(0).max(3)).length(c.n),
      level: z.array(Index).length(c.n),
      victim: z.array(Index).length(c.n),
    });
  },
  init: (c) => ({ pc: procs(c.n).map(() => 0), level: procs(c.n).map(() => 0), victim: procs(c.n).map(() => 0) }),
  actions: ({ action }) => {
    const process = (i: number, c: { fairness: string }) => (c.fairness === 'process' ? `p${i}` : 'system');
    return {
      enter: action({
        params: (_s, c) => procs(c.n),
        guard: (s, _c, i) => s.pc[i] === 0,
        effect: (s, _c, i) => ({ pc: s.pc.with(i, 1), level: s.level.with(i, 1), victim: s.victim }),
        fairness: 'weak',
        process,
      }),
      setVictim: action({
        params: (_s, c) => procs(c.n),
        guard: (s, _c, i) => s.pc[i] === 1,
        effect: (s, _c, i) => ({ pc: s.pc.with(i, 2), level: s.level, victim: s.victim.with(s.level[i]!, i) }),
        fairness: 'weak',
        process,
      }),
      wait: action({
        params: (_s, c) => procs(c.n),
        guard: (s, c, i) => {
          if (s.pc[i] !== 2) return false;
          const l = s.level[i]!;
          if (s.victim[l] !== i) return true;
          for (let k = 0; k < c.n; k++) if (k !== i && s.level[k]! >= l) return false;
          return true;
        },
        effect: (s, c, i) =>
          s.level[i] === c.n - 1
            ? { pc: s.pc.with(i, 3), level: s.level, victim: s.victim }
            : { pc: s.pc.with(i, 1), level: s.level.with(i, s.level[i]! + 1), victim: s.victim },
        fairness: 'weak',
        process,
      }),
      exit: action({
        params: (_s, c) => procs(c.n),
        guard: (s, _c, i) => s.pc[i] === 3,
        effect: (s, _c, i) => ({ pc: s.pc.with(i, 0), level: s.level.with(i, 0), victim: s.victim }),
        fairness: 'weak',
        process,
      }),
    };
  },
  invariants: {
    mutex: (s) => {
      let critical = 0;
      for (const pc of s.pc) if (pc === 3) critical++;
      return critical <= 1;
    },
  },
  properties: ({ forEach, leadsTo }) => ({
    /** ∀i: pc[i] = 1 ~> pc[i] = 3 (a process that starts to enter eventually reaches the critical section). */
    starvationFree: forEach(
      (c) => procs(c.n),
      (i) => leadsTo((s) => s.pc[i] === 1, (s) => s.pc[i] === 3),
    ),
  }),
  /** Processes are interchangeable: permute pc and level by process, and the process ids stored in victim. */
  symmetry: {
    size: (c) => c.n,
    // victim[0] is never written (it stays 0), so it is not an identity.
    apply: (s, perm) => ({ pc: permute(s.pc, perm), level: permute(s.level, perm), victim: s.victim.map((v, l) => (l === 0 ? v : perm[v]!)) }),
  },
  expected: [
    { name: 'n=3', constants: { n: 3 }, status: 'ok' },
    { name: 'n=3 system', constants: { n: 3, fairness: 'system' }, status: 'violation', property: 'starvationFree', length: 19 },
  ],
});

export default peterson;
