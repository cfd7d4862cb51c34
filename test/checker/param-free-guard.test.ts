import { describe, expect, it } from 'vitest';
import { check, defineSpec, z } from '../../src/index.ts';
import { readsNoParam } from '../../src/checker/spec/param-free-guard.ts';

// A guard that cannot read its parameter runs once per action and state (src/checker/spec/param-free-guard.ts).

const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
type S = { on: boolean; xs: number[] };

/**
 * Slots that `bump(i)` raises up to 2 while the switch is on; `flip` turns the switch. `guard` is bump's guard, so
 * that the same predicate can be written with and without the parameter.
 */
function slots(name: string, guard: (s: S, c: { n: number }, i: number) => boolean, urgent = false) {
  return defineSpec({
    name,
    constants: z.object({ n: z.number().int().default(4) }),
    state: (c: { n: number }) => z.object({ on: z.boolean(), xs: z.array(z.number().int().min(0).max(2)).length(c.n) }),
    init: (c) => ({ on: false, xs: ids(c.n).map(() => 0) }),
    actions: ({ action }) => ({
      flip: action({ effect: (s) => ({ ...s, on: !s.on }) }),
      bump: action({
        params: (_s, c) => ids(c.n),
        guard,
        effect: (s, _c, i) => ({ ...s, xs: s.xs.map((x, j) => (j === i ? Math.min(2, x + 1) : x)) }),
        urgent,
      }),
    }),
  });
}

describe('guards that do not read the parameter', () => {
  it('are told apart by their source, never taking one that can read the third argument', () => {
    const yes: ((...a: never[]) => unknown)[] = [
      (s: S) => s.on,
      (s: S, c: unknown) => [s, c],
      () => true,
      function named(s: S) {
        return s.on;
      },
      { guard: (s: S) => s.on }.guard,
      {
        guard(s: S) {
          return s.on;
        },
      }.guard,
    ];
    const no: ((...a: never[]) => unknown)[] = [
      (_s: S, _c: unknown, i: number) => i > 0,
      (_s: S, _c: unknown, i = 1) => i > 0,
      (...args: unknown[]) => args[2] !== undefined,
      ({ on }: S) => on,
      function (s: S) {
        return s.on && arguments[2] === 0;
      },
      ((_s: S, _c: unknown, i: number) => i > 0).bind(null),
      new Function('s', 'c', 'return arguments[2] === 0') as (...a: never[]) => unknown,
    ];
    for (const f of yes) expect(readsNoParam(f), String(f)).toBe(true);
    for (const f of no) expect(readsNoParam(f), String(f)).toBe(false);
  });

  it('run once per state and action: same states, steps and coverage as a guard that takes the parameter', async () => {
    let onceCalls = 0;
    let eachCalls = 0;
    const once = slots('once', (s) => (onceCalls++, s.on));
    const each = slots('each', (s, _c, _i) => (eachCalls++, s.on));
    const [a, b] = [await check(once, { workers: 1, deadlock: false }), await check(each, { workers: 1, deadlock: false })];
    for (const r of [a, b]) {
      expect(r.status).toBe('ok');
      expect(r.stats.distinct).toBe(2 * 3 ** 4);
      expect(r.stats.generated).toBe(1 + 2 * 3 ** 4 + 3 ** 4 * 4); // the initial state, flip everywhere, bump(i) where on
      expect(r.stats.depth).toBe(10);
    }
    expect(a.coverage).toEqual(b.coverage);
    // `once`: one call per state expanded (162; the sampled soundness checks call it for every parameter of a
    // few states); `each`: four per state.
    expect(eachCalls).toBeGreaterThanOrEqual(4 * 2 * 81);
    expect(onceCalls).toBeLessThan(eachCalls / 2);
  });

  it('an urgent action too: pre-emption is the same', async () => {
    const a = await check(slots('once-urgent', (s) => s.on, true), { workers: 1, deadlock: false });
    const b = await check(slots('each-urgent', (s, _c, _i) => s.on, true), { workers: 1, deadlock: false });
    expect(a.stats.distinct).toBe(b.stats.distinct);
    expect(a.stats.generated).toBe(b.stats.generated);
    // With the switch on only bump is taken: flip happens once, from the initial state.
    expect(a.stats.generated).toBe(1 + 1 + 3 ** 4 * 4);
    expect(a.stats.distinct).toBe(1 + 3 ** 4);
    expect(a.coverage).toEqual(b.coverage);
  });

  it('a guard that returns something other than a boolean is reported for the first parameter, as before', async () => {
    const bad = (g: (s: S, c: { n: number }, i: number) => boolean) => check(slots('bad', g), { workers: 1, deadlock: false });
    const a = await bad((s) => (s.on ? (1 as unknown as boolean) : false));
    const b = await bad((s, _c, _i) => (s.on ? (1 as unknown as boolean) : false));
    if (a.status !== 'error' || b.status !== 'error') throw new Error(`expected errors, got ${a.status} and ${b.status}`);
    expect(a.error.code).toBe('SPEC_BAD_GUARD');
    expect(a.error.message).toContain("action 'bump(0)'");
    expect(a.error.message).toBe(b.error.message);
  });
});
