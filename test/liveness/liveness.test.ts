import { describe, expect, it } from 'vitest';
import { check, defineSpec, SpecRuntime, z, type Spec, type Trace } from 'interleave';
import { peterson } from '../../specs/bench/peterson.ts';
import { fullSync } from '../fixtures/full-sync.ts';

/** Replays steps[loop+1..] from steps[loop] with the recorded actions and returns the final state. */
function replayLoop(spec: Spec, constants: Record<string, unknown>, trace: Trace): unknown {
  const rt = new SpecRuntime(spec, { constants });
  let s = trace.steps[trace.loop!]!.state;
  for (const step of trace.steps.slice(trace.loop! + 1)) {
    const action = rt.actions.find((a) => a.name === step.action)!;
    expect(rt.enabled(action, s, step.params)).toBe(true);
    s = rt.canonical(rt.step(action, s, step.params));
    expect(s).toEqual(step.state);
  }
  return s;
}

describe("Peterson's filter lock, n = 3: starvationFree (∀i: pc[i] = 1 ~> pc[i] = 3)", () => {
  it('holds under weak fairness of each process', async () => {
    const r = await check(peterson, { constants: { n: 3, fairness: 'process' } });
    expect(r.status).toBe('ok');
    expect(r.options.properties).toEqual(['starvationFree']);
    expect(r.stats.distinct).toBe(288);
  });

  it('is violated by a lasso under weak fairness of the system as a whole', async () => {
    const constants = { n: 3, fairness: 'system' };
    const r = await check(peterson, { constants });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation).toMatchObject({ kind: 'property', property: 'starvationFree' });
    expect(r.violation.message).toContain('i = 0');
    expect(r.shortest).toBe(false);
    const { steps, loop } = r.trace;
    expect(loop).toBe(7);
    expect(steps.length - 1).toBe(19);
    // A real cycle: replaying the loop's actions from steps[loop] comes back to the same state.
    expect(replayLoop(peterson, constants, r.trace)).toEqual(steps[loop!]!.state);
    // The starving process waits at pc = 1 and never reaches the critical section inside the loop.
    const cycle = steps.slice(loop!);
    for (const st of cycle) expect((st.state as { pc: number[] }).pc[0]).not.toBe(3);
    expect(steps.slice(0, loop! + 1).some((st) => (st.state as { pc: number[] }).pc[0] === 1)).toBe(true);
    // Fair to the system as a whole: the loop takes steps (no stuttering), all of another process.
    expect(cycle.length).toBeGreaterThan(1);
    expect(cycle.slice(1).every((st) => st.params !== 0)).toBe(true);
  });

  it('is never reported as holding when the search is bounded', async () => {
    for (const limits of [{ maxDepth: 5 }, { maxStates: 100 }]) {
      const r = await check(peterson, { constants: { n: 3 }, ...limits });
      expect(r.status).toBe('incomplete');
      expect(r.warnings!.some((w) => w.includes('temporal properties were not checked'))).toBe(true);
    }
  });

  it('is not checked under symmetry (with a warning)', async () => {
    const r = await check(peterson, { constants: { n: 3, fairness: 'system' }, symmetry: true });
    expect(r.status).toBe('ok');
    expect(r.options.properties).toEqual([]);
    expect(r.warnings!.some((w) => w.includes('symmetry reduction does not preserve per-process fairness'))).toBe(true);
  });

  it('rejects an unknown property name', async () => {
    const r = await check(peterson, { properties: ['nope'] });
    expect(r.status).toBe('error');
    if (r.status === 'error') expect(r.error.code).toBe('UNKNOWN_PROPERTY');
  });
});

describe('fairness semantics on tiny specs', () => {
  // x toggles between 0 and 1 forever; `finish` is enabled only when x = 0 (so never continuously enabled).
  const toggler = (finish: 'none' | 'weak' | 'strong') =>
    defineSpec({
      name: 'toggler',
      state: z.object({ x: z.number().int().min(0).max(1), done: z.boolean() }),
      init: () => ({ x: 0, done: false }),
      actions: {
        toggle: { guard: (s) => !s.done, effect: (s) => ({ ...s, x: 1 - s.x }), fairness: 'weak', process: 'toggler' },
        finish: { guard: (s) => !s.done && s.x === 0, effect: (s) => ({ ...s, done: true }), fairness: finish, process: 'finisher' },
      },
      properties: ({ eventually }) => ({ finishes: eventually((s) => s.done) }),
    });

  it('strong fairness makes an intermittently enabled action happen', async () => {
    const r = await check(toggler('strong'), { deadlock: false });
    expect(r.status).toBe('ok');
  });

  it('weak fairness does not: the lasso toggles forever', async () => {
    const r = await check(toggler('weak'), { deadlock: false });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.trace.loop).toBeDefined();
    expect(r.trace.steps.slice(r.trace.loop! + 1).every((s) => s.action === 'toggle')).toBe(true);
    expect(r.trace.steps.length - 1 - r.trace.loop!).toBe(2);
  });

  it('without fairness, stuttering is a counterexample (the loop is empty)', async () => {
    const spec = defineSpec({
      name: 'lazy',
      state: z.object({ done: z.boolean() }),
      init: () => ({ done: false }),
      actions: { finish: { guard: (s) => !s.done, effect: () => ({ done: true }) } },
      properties: ({ eventually }) => ({ finishes: eventually((s) => s.done) }),
    });
    const r = await check(spec, { deadlock: false });
    expect(r.status).toBe('violation');
    if (r.status === 'violation') {
      expect(r.trace.steps.length).toBe(1);
      expect(r.trace.loop).toBe(0);
      expect(r.violation.message).toContain('stutters forever');
    }
  });

  it('leadsTo whose premise never holds is vacuous (warned)', async () => {
    const spec = defineSpec({
      name: 'vacuous',
      state: z.object({ n: z.number().int().min(0).max(2) }),
      init: () => ({ n: 0 }),
      actions: { inc: { guard: (s) => s.n < 2, effect: (s) => ({ n: s.n + 1 }), fairness: 'weak' } },
      properties: ({ leadsTo }) => ({ never: leadsTo((s) => s.n > 5, (s) => s.n === 0) }),
    });
    const r = await check(spec, { deadlock: false });
    expect(r.status).toBe('ok');
    expect(r.coverage!.vacuous).toEqual(["'never'"]);
    expect(r.warnings).toContain("property 'never' holds vacuously: its premise never held");
  });
});

describe('the Kvrocks full-sync shape (fixture for seed bug 002 in its liveness form)', () => {
  it('buggy: a lasso psync → rejected → fetch → send fails → EOF → restart → again', async () => {
    const r = await check(fullSync, { constants: { variant: 'buggy' }, deadlock: false });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.property).toBe('fullSyncCompletes');
    const loopActions = r.trace.steps.slice(r.trace.loop! + 1).map((s) => s.action);
    expect(loopActions).toEqual(['Psync', 'PsyncRejected', 'FetchMeta', 'MasterSendFile', 'ReplicaReadEof', 'Restart']);
    expect(replayLoop(fullSync, { variant: 'buggy' }, r.trace)).toEqual(r.trace.steps[r.trace.loop!]!.state);
  });

  it('fixed: holds with a finite fault budget', async () => {
    for (const faults of [0, 1, 2]) {
      const r = await check(fullSync, { constants: { variant: 'fixed', faults }, deadlock: false });
      expect(r.status).toBe('ok');
    }
  });
});
