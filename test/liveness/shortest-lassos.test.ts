/**
 * What "shortest" means for a lasso (docs/liveness.md "Shortest lassos"), on graphs small enough to check every
 * length by hand: the stem is the shortest; among the states a shortest stem can end at, the loop is the
 * shortest fair cycle back to it, where a weak group is satisfied by being taken *or* disabled somewhere on the
 * loop, and a strong group by being taken *or* never enabled on it. Lengths are the same for BFS and DFS.
 */
import { describe, expect, it } from 'vitest';
import { check, defineSpec, replay, SpecRuntime, traceFileOf, z, type CheckResult, type Spec } from 'interleave';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { LOOP_SEARCH_BUDGET } from '../../src/checker/properties/lasso.ts';
import { psyncZeroWrite } from './psync-zero-write.ts';

const strategies = ['bfs', 'dfs'] as const;

function lasso(r: CheckResult) {
  if (r.status !== 'violation') throw new Error(`expected a violation, got ${r.status}`);
  return { loop: r.trace.loop, length: r.trace.steps.length - 1, xs: r.trace.steps.map((s) => (s.state as { x: number }).x), lasso: r.lasso, shortest: r.shortest };
}

/** Replays the loop from steps[loop] and checks it is a genuine cycle (enabled steps, back to the same state). */
function expectRealCycle(spec: Spec, r: CheckResult) {
  if (r.status !== 'violation') throw new Error('no violation');
  const rt = new SpecRuntime(spec, {});
  const { steps, loop } = r.trace;
  let s = steps[loop!]!.state;
  for (const step of steps.slice(loop! + 1)) {
    const action = rt.actions.find((a) => a.name === step.action)!;
    expect(rt.enabled(action, s, step.params)).toBe(true);
    s = rt.canonical(rt.step(action, s, step.params));
  }
  expect(s).toEqual(steps[loop!]!.state);
}

/**
 * x ∈ 0..3. `flip` (WF(A)) goes 0 ↔ 1; `advance` (WF(B)) goes 1 → 2 → 3 → 1. A is enabled at {0, 1}, B at
 * {1, 2, 3}. The loop 0 → 1 → 0 takes A and passes 0, where B is disabled: fair, 2 actions. Requiring a state
 * where A is disabled (what the loop construction did before) forces 0 → 1 → 2 → 3 → 1 → 0: 5 actions.
 */
const weakTakenOrDisabled = defineSpec({
  name: 'weak-taken-or-disabled',
  state: z.object({ x: z.number().int().min(0).max(3) }),
  init: () => ({ x: 0 }),
  actions: {
    flip: { guard: (s) => s.x <= 1, effect: (s) => ({ x: 1 - s.x }), fairness: 'weak', process: 'A' },
    advance: { guard: (s) => s.x >= 1, effect: (s) => ({ x: s.x === 3 ? 1 : s.x + 1 }), fairness: 'weak', process: 'B' },
  },
  properties: ({ alwaysEventually }) => ({ reachesFour: alwaysEventually((s) => s.x === 4) }),
});

/**
 * x ∈ 0..3. `idle` (WF(A)) goes 0 ↔ 3; `enter` (WF(B)) 0 → 1; `serve` (SF(S)) 1 → 2; `leave` (WF(C)) 2 → 0.
 * S is enabled only at 1. The loop 0 → 3 → 0 never passes 1, so S is enabled finitely often there: fair
 * (B is disabled at 3, C at 0 and 3), 2 actions. Requiring every strong group to be taken gave 0 → 1 → 2 → 0: 3.
 */
const strongTakenOrAvoided = defineSpec({
  name: 'strong-taken-or-avoided',
  state: z.object({ x: z.number().int().min(0).max(3) }),
  init: () => ({ x: 0 }),
  actions: {
    idle: { guard: (s) => s.x === 0 || s.x === 3, effect: (s) => ({ x: 3 - s.x }), fairness: 'weak', process: 'A' },
    enter: { guard: (s) => s.x === 0, effect: () => ({ x: 1 }), fairness: 'weak', process: 'B' },
    serve: { guard: (s) => s.x === 1, effect: () => ({ x: 2 }), fairness: 'strong', process: 'S' },
    leave: { guard: (s) => s.x === 2, effect: () => ({ x: 0 }), fairness: 'weak', process: 'C' },
  },
  properties: ({ eventuallyAlways }) => ({ settlesAtTwo: eventuallyAlways((s) => s.x === 2) }),
});

/**
 * From x = 0 one step (WF(sys)) leads to 1 or 2, both outside `x = 0` for good: two shortest stems of 1. From 1
 * the loop is 1 → 3 → 4 → 1 (3 actions), from 2 it is 2 → 5 → 2 (2 actions): the lasso ends its stem at 2.
 * Before, the stem ended at whichever of 1, 2 the backward search met first (1 with BFS numbering): 1 + 3.
 */
const twoLoops = defineSpec({
  name: 'two-loops',
  state: z.object({ x: z.number().int().min(0).max(5) }),
  init: () => ({ x: 0 }),
  actions: ({ action }) => ({
    step: action({
      params: (s) => ({ 0: [1, 2], 1: [3], 3: [4], 4: [1], 2: [5], 5: [2] })[s.x]!,
      effect: (_s, _c, to) => ({ x: to }),
      fairness: 'weak',
      process: 'sys',
    }),
  }),
  properties: ({ alwaysEventually }) => ({ backToZero: alwaysEventually((s) => s.x === 0) }),
});

describe('the loop meets fairness the way TLA+ states it', () => {
  it('WF: taking the group satisfies it; no state where it is disabled is needed (loop 2, was 5)', async () => {
    for (const strategy of strategies) {
      const r = await check(weakTakenOrDisabled, { strategy });
      expect(r.stats.distinct).toBe(4);
      const l = lasso(r);
      expect([l.loop, l.length, l.xs]).toEqual([0, 2, [0, 1, 0]]);
      expect(l.lasso).toEqual({ stem: 0, loop: 2, loopShortest: true });
      expectRealCycle(weakTakenOrDisabled, r);
    }
  });

  it('SF: a loop that never passes a state where the group is enabled satisfies it (loop 2, was 3)', async () => {
    for (const strategy of strategies) {
      const r = await check(strongTakenOrAvoided, { strategy });
      expect(r.stats.distinct).toBe(4);
      const l = lasso(r);
      expect([l.loop, l.length, l.xs]).toEqual([0, 2, [0, 3, 0]]);
      expect(l.lasso).toEqual({ stem: 0, loop: 2, loopShortest: true });
      expectRealCycle(strongTakenOrAvoided, r);
    }
  });
});

describe('the shortest loop over every end of a shortest stem', () => {
  it('two stems of 1: the one whose loop is 2, not 3, with BFS and DFS alike', async () => {
    for (const strategy of strategies) {
      const r = await check(twoLoops, { strategy });
      expect(r.stats.distinct).toBe(6);
      const l = lasso(r);
      expect([l.loop, l.length, l.xs]).toEqual([1, 3, [0, 2, 5, 2]]);
      expect(l.lasso).toEqual({ stem: 1, loop: 2, loopShortest: true });
      expect(l.shortest).toBe(false);
      expectRealCycle(twoLoops, r);
    }
  });

  it('the zero-length-write psync loop: stem 1 (psync), loop 3 (write, disconnect, psync), both properties, BFS and DFS', async () => {
    for (const strategy of strategies) {
      for (const property of ['onlineForGood', 'eventuallyOnline']) {
        const r = await check(psyncZeroWrite, { properties: [property], strategy, deadlock: false });
        expect(r.stats.distinct).toBe(4);
        if (r.status !== 'violation') throw new Error(r.status);
        expect(r.lasso).toEqual({ stem: 1, loop: 3, loopShortest: true });
        expect(r.trace.steps.slice(2).map((s) => s.action)).toEqual(['write', 'disconnect', 'psync']);
      }
    }
  });
});

describe('the candidate budget', () => {
  it('4,000 initial states round one ring: every start needs the whole ring (4,000), the budget (2^23 pairs) runs out first, and the result says so', async () => {
    const N = 4000;
    const ring = defineSpec({
      name: 'wide-ring',
      state: z.object({ x: z.number().int().min(0).max(N - 1) }),
      init: () => Array.from({ length: N }, (_, x) => ({ x })),
      actions: { step: { effect: (s) => ({ x: (s.x + 1) % N }), fairness: 'weak' } },
      properties: ({ eventuallyAlways }) => ({ leavesZeroForGood: eventuallyAlways((s) => s.x !== 0) }),
    });
    const r = await check(ring);
    expect(r.stats.distinct).toBe(N);
    expect(lasso(r)).toMatchObject({ loop: 0, length: N, lasso: { stem: 0, loop: N, loopShortest: false } });
    expect(LOOP_SEARCH_BUDGET).toBe(1 << 23);
  });
});

describe('forEach over the new forms', () => {
  /** x toggles 0 ↔ 1 under WF; 2 states. */
  const toggler = defineSpec({
    name: 'toggler',
    state: z.object({ x: z.number().int().min(0).max(1) }),
    init: () => ({ x: 0 }),
    actions: { toggle: { effect: (s) => ({ x: 1 - s.x }), fairness: 'weak' } },
    properties: ({ forEach, eventuallyAlways, leadsToAlways, stable }) => ({
      settles: forEach([0, 1], (v) => eventuallyAlways((s) => s.x === v)),
      staysAfter: forEach([1], (v) => leadsToAlways((s) => s.x === v, (s) => s.x === v)),
      stays: forEach([0, 1], (v) => stable((s) => s.x === v)),
    }),
  });

  it('eventuallyAlways, leadsToAlways and stable may be quantified; the message names the element', async () => {
    const settles = await check(toggler, { properties: ['settles'] });
    expect(settles.stats.distinct).toBe(2);
    expect(lasso(settles)).toMatchObject({ loop: 0, length: 2, lasso: { stem: 0, loop: 2, loopShortest: true } });
    expect(settles.status === 'violation' && settles.violation.message).toContain("'settles' (i = 0)");
    const after = await check(toggler, { properties: ['staysAfter'] });
    expect(lasso(after)).toMatchObject({ loop: 1, length: 3 });
    expect(after.status === 'violation' && after.violation.message).toContain("'staysAfter' (i = 1)");
    // stable: a shortest path to the step that breaks it (then stuttering): shortest outright.
    const stays = await check(toggler, { properties: ['stays'] });
    expect(lasso(stays)).toMatchObject({ loop: 1, length: 1, xs: [0, 1], shortest: true, lasso: { stem: 1, loop: 0, loopShortest: true } });
    expect(stays.status === 'violation' && stays.violation.message).toContain("'stays' (i = 0)");
  });
});

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTTY: false, color: false };
}

describe('what the CLI and replay say about a lasso', () => {
  const file = 'test/liveness/psync-zero-write.ts';

  it('text says what is guaranteed; --json carries lasso { stem, loop, loopShortest }', async () => {
    const io = capture();
    expect(await main(['check', file, '--property', 'onlineForGood', '--no-deadlock', '--strategy', 'dfs'], io)).toBe(1);
    const text = io.stdout.join('\n');
    expect(text).toContain('counterexample: 4 actions (guaranteed: the shortest stem, then the shortest loop after it; not necessarily the shortest in total)');
    expect(text).toContain('lasso: a stem of 1 actions, then a loop of 3 actions (steps 1–4)');
    const json = capture();
    expect(await main(['check', file, '--property', 'onlineForGood', '--no-deadlock', '--json'], json)).toBe(1);
    const out = JSON.parse(json.stdout.join('\n'));
    expect([out.lasso, out.shortest, out.trace.loop, out.trace.steps.length - 1]).toEqual([{ stem: 1, loop: 3, loopShortest: true }, false, 1, 4]);
  });

  it('replay reproduces the lasso and checks that its loop closes; a loop that does not close diverges', async () => {
    const r = await check(psyncZeroWrite, { properties: ['eventuallyOnline'], deadlock: false });
    const trace = traceFileOf(r)!;
    expect(replay(psyncZeroWrite, trace)).toEqual({ ok: true, steps: 4, loop: 1 });
    // Claim the loop starts at step 0: the last state (link syncing) is not the initial one (link down).
    expect(replay(psyncZeroWrite, { ...trace, loop: 0 })).toMatchObject({ ok: false, step: 4, field: 'link', reason: 'loop-not-closed' });
  });
});
