import { describe, expect, it } from 'vitest';
import { check, defineSpec, profileCheck, z } from '../../src/index.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';

// Parameter lists that read no state are computed once per run (src/checker/spec/state-free-domain.ts).

const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A counter per slot; `bump(i)` adds one to slot i up to 2. `params` decides how the slots are listed. */
function counters(name: string, params: (s: { xs: number[] }, c: { n: number }) => readonly number[]) {
  return defineSpec({
    name,
    constants: z.object({ n: z.number().int().default(3) }),
    state: (c: { n: number }) => z.object({ xs: z.array(z.number().int().min(0).max(2)).length(c.n) }),
    init: (c) => ({ xs: ids(c.n).map(() => 0) }),
    actions: ({ action }) => ({
      bump: action({
        params,
        guard: (s, _c, i) => s.xs[i]! < 2,
        effect: (s, _c, i) => ({ xs: s.xs.map((x, j) => (j === i ? x + 1 : x)) }),
      }),
    }),
  });
}

describe('parameter lists that read no state', () => {
  it('are computed once: the same states as a params that reads the state, far fewer calls', async () => {
    const plain = await check(twoPhaseCommit, { constants: { rms: 5 }, workers: 1 });
    expect(plain.stats.distinct).toBe(8832);
    expect(plain.stats.generated).toBe(58146);
    const { result, profile } = await profileCheck(twoPhaseCommit, { constants: { rms: 5 } });
    expect(result.stats.distinct).toBe(8832);
    expect(result.stats.generated).toBe(58146);
    // Once at the first state, and once per state the sampled soundness checks look at (the first 4,096, then one
    // in 256): not once per state expanded.
    const params = profile.entries.find((e) => e.label === 'RMPrepare: params')!;
    expect(params.calls).toBeGreaterThanOrEqual(4096);
    expect(params.calls).toBeLessThan(4096 + 8832 / 256 + 10);

    // The same list, but read from the state: called for every state expanded, and the same answer.
    const reading = counters('reading', (s) => ids(s.xs.length));
    const free = counters('free', (_s, c) => ids(c.n));
    const [a, b] = await Promise.all([profileCheck(reading, { constants: { n: 6 }, deadlock: false }), profileCheck(free, { constants: { n: 6 }, deadlock: false })]);
    expect(a.result.stats.distinct).toBe(729);
    expect(b.result.stats.distinct).toBe(729);
    expect(b.result.stats.generated).toBe(a.result.stats.generated);
    expect(a.profile.entries.find((e) => e.label === 'bump: params')!.calls).toBeGreaterThanOrEqual(2 * 729); // search and sampled checks
    expect(b.profile.entries.find((e) => e.label === 'bump: params')!.calls).toBe(1 + 729); // the first state, then the sampled checks (all 729)
  });

  it('a list that holds the state itself is the state: computed per state', async () => {
    // `params: (s) => [s]` reads nothing of the state, but its list is the state's.
    const spec = defineSpec({
      name: 'self',
      state: z.object({ x: z.number().int().min(0).max(4) }),
      init: () => ({ x: 0 }),
      actions: {
        step: {
          params: (s: { x: number }) => [s],
          guard: (_s, _c, p: { x: number }) => p.x < 4,
          effect: (_s, _c, p: { x: number }) => ({ x: p.x + 1 }),
        },
      },
    });
    const r = await check(spec, { workers: 1, deadlock: false });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(5);
    expect(r.stats.depth).toBe(4);
  });

  it('a params the probe cannot run (it clones the state) is called per state, with the same answer', async () => {
    const cloning = counters('cloning', (s, c) => (structuredClone(s), ids(c.n)));
    const r = await check(cloning, { constants: { n: 4 }, workers: 1, deadlock: false });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(81);
    expect(r.stats.depth).toBe(8);
  });

  it('a params that changes outside the state and the constants is SPEC_NONDETERMINISTIC, never a smaller search', async () => {
    let calls = 0;
    // Lists slot 0 only for its first 2 calls, then every slot: taken once, the search would see 3 of 81 states.
    const drifting = counters('drifting', (_s, c) => (++calls > 2 ? ids(c.n) : [0]));
    const r = await check(drifting, { constants: { n: 4 }, workers: 1, deadlock: false });
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.error.code).toBe('SPEC_NONDETERMINISTIC');
    expect(r.error.message).toMatch(/action 'bump': its params read nothing of the state/);
  });

  it('workers take the same lists: the same counts on 2 threads', async () => {
    const one = await check(twoPhaseCommit, { constants: { rms: 5 }, workers: 1 });
    const two = await check(twoPhaseCommit, { constants: { rms: 5 }, workers: 2 });
    expect(two.stats.distinct).toBe(one.stats.distinct);
    expect(two.stats.generated).toBe(one.stats.generated);
    expect(two.stats.depth).toBe(one.stats.depth);
  });
});
