/**
 * Issue 17 item 4: reachability properties (`reachable`: Stateright's `sometimes`) and vacuous liveness, on the real
 * checker with the fixture test/fixtures/reachability/grid.ts ((n+1)² states, depth 2n; `corner` at depth 2n,
 * `diagonal` at depth 4, `overflow` never; `overflowRecovers` vacuous). docs/reachability.md.
 */
import { describe, expect, it } from 'vitest';
import { check, defineSpec, z } from '../../src/index.ts';
import { reachGrid } from '../fixtures/reachability/grid.ts';

const actions = (r: { trace: { steps: readonly { action: string }[] } }) => r.trace.steps.slice(1).map((s) => s.action);

describe('reachable predicates', () => {
  it('a complete run that never reaches one fails (unreached), naming it and the state count; no trace', async () => {
    const r = await check(reachGrid, { workers: 1 });
    expect(r.status).toBe('unreached');
    if (r.status !== 'unreached') return;
    expect(r.violation).toEqual({ kind: 'unreachable', property: 'overflow', message: "reachable 'overflow' was never reached in 16 distinct states (the search was complete)" });
    expect(r.stats).toMatchObject({ distinct: 16, depth: 6 });
    expect(r.reachable).toEqual([
      { name: 'corner', reached: true, depth: 6 },
      { name: 'diagonal', reached: true, depth: 4 },
      { name: 'overflow', reached: false, depth: null },
      { name: 'origin', reached: true, depth: 0 },
    ]);
    expect('trace' in r).toBe(false);
  });

  it('reached ones pass, are listed as checked, and give the shortest witness asked for', async () => {
    const r = await check(reachGrid, { workers: 1, skipProperties: ['overflow'], witness: 'diagonal' });
    expect(r.status).toBe('ok');
    expect(r.options.reachable).toEqual(['corner', 'diagonal', 'origin']);
    expect(r.witness?.name).toBe('diagonal');
    expect(r.witness?.shortest).toBe(true);
    expect(r.witness && actions(r.witness)).toEqual(['incA', 'incA', 'incB', 'incB']);
    const last = r.witness!.trace.steps.at(-1)!.state as { a: number; b: number };
    expect(last).toEqual({ a: 2, b: 2 });
  });

  it('a bounded run that has not reached one warns and stays incomplete (not a failure)', async () => {
    const r = await check(reachGrid, { workers: 1, maxDepth: 3 });
    expect(r.status).toBe('incomplete');
    expect(r.stats.distinct).toBe(10);
    expect(r.reachable?.filter((x) => x.reached).map((x) => x.name)).toEqual(['origin']);
    expect(r.warnings).toContain("reachable 'diagonal' was not reached in the part explored (the search stopped early): not a failure; a complete run decides");
  });

  it('a run stopped by a state limit warns too', async () => {
    const r = await check(reachGrid, { workers: 1, maxStates: 5, properties: [] });
    expect(r.status).toBe('incomplete');
    expect(r.warnings?.some((w) => w.startsWith("reachable 'corner' was not reached in the part explored"))).toBe(true);
  });

  for (const n of [3, 6]) {
    it(`1 and 2 workers give the same verdict, depths and witness (n = ${n})`, async () => {
      const one = await check(reachGrid, { constants: { n }, workers: 1, properties: [], witness: 'corner' });
      const two = await check(reachGrid, { constants: { n }, workers: 2, properties: [], witness: 'corner' });
      expect(two.stats.workers).toBe(2);
      expect(one.status).toBe('unreached');
      expect(two.status).toBe(one.status);
      expect(two.stats.distinct).toBe((n + 1) ** 2);
      expect(two.stats.distinct).toBe(one.stats.distinct);
      expect(two.reachable).toEqual(one.reachable);
      expect(one.reachable?.[0]).toEqual({ name: 'corner', reached: true, depth: 2 * n });
      expect(one.witness!.trace.steps.length - 1).toBe(2 * n);
      expect(two.witness && actions(two.witness)).toEqual(one.witness && actions(one.witness));
      if (one.status === 'unreached' && two.status === 'unreached') expect(two.violation).toEqual(one.violation);
    });
  }

  it('a predicate that holds in an initial state is reached at depth 0, with 1 and 2 workers', async () => {
    for (const workers of [1, 2]) {
      const r = await check(reachGrid, { workers, properties: [], reachable: ['origin'], witness: 'origin' });
      expect(r.status).toBe('ok');
      expect(r.stats.workers).toBe(workers);
      expect(r.reachable).toEqual([{ name: 'origin', reached: true, depth: 0 }]);
      expect(r.witness?.trace.steps.map((s) => s.action)).toEqual(['init']);
    }
  });

  it('check() options select reachable predicates like any other name', async () => {
    const r = await check(reachGrid, { workers: 1, properties: ['diagonal'] });
    expect(r.status).toBe('ok');
    expect(r.options).toMatchObject({ invariants: ['inBounds'], properties: [], reachable: ['diagonal'] });
    const only = await check(reachGrid, { workers: 1, reachable: ['corner'], properties: [] });
    expect(only.options).toMatchObject({ invariants: ['inBounds'], reachable: ['corner'] });
    expect(only.status).toBe('ok');
  });

  it('--witness naming something that is not a selected reachable predicate is UNKNOWN_PROPERTY', async () => {
    const r = await check(reachGrid, { workers: 1, witness: 'inBounds' });
    expect(r.status === 'error' && r.error.code).toBe('UNKNOWN_PROPERTY');
    const off = await check(reachGrid, { workers: 1, witness: 'corner', skipProperties: ['corner'] });
    expect(off.status === 'error' && off.error.message).toContain('it is not selected in this run');
  });

  it('random simulation says it does not check them', async () => {
    const r = await check(reachGrid, { strategy: 'random', runs: 5, seed: 1 });
    expect(r.warnings?.join('\n')).toContain('reachable predicates (corner, diagonal, overflow, origin) are not checked by random simulation');
  });

  it('a spec mistake in the key is a coded error', () => {
    const base = { name: 'bad', state: z.object({ x: z.number() }), init: () => ({ x: 0 }), actions: { a: { effect: (s: { x: number }) => s } } };
    expect(() => defineSpec({ ...base, reachable: { r: 1 as never } })).toThrow(/reachable 'r' must be a function/);
    expect(() => defineSpec({ ...base, invariants: { r: () => true }, reachable: { r: () => true } })).toThrow(/the name 'r' is used twice/);
    expect(() => defineSpec({ ...base, reachable: [] as never })).toThrow(/'reachable' must be an object of named predicates/);
  });

  it('a reachable predicate that throws is SPEC_INVARIANT_THREW naming it', async () => {
    const spec = defineSpec({
      name: 'throws',
      state: z.object({ x: z.number().int().min(0).max(2) }),
      init: () => ({ x: 0 }),
      actions: { inc: { guard: (s) => s.x < 2, effect: (s) => ({ x: s.x + 1 }) } },
      terminal: () => true,
      reachable: { two: (s) => { if (s.x === 1) throw new Error('boom'); return s.x === 2; } },
    });
    const r = await check(spec, { workers: 1 });
    expect(r.status === 'error' && r.error).toMatchObject({ code: 'SPEC_INVARIANT_THREW' });
    expect(r.status === 'error' && r.error.message).toContain("reachable 'two' threw");
  });
});

describe('vacuous liveness', () => {
  it('each temporal property says whether it held only vacuously; a warning by default', async () => {
    const r = await check(reachGrid, { workers: 1, skipProperties: ['overflow'] });
    expect(r.status).toBe('ok');
    expect(r.temporal).toEqual([
      { property: 'overflowRecovers', vacuous: true },
      { property: 'startFinishes', vacuous: false },
    ]);
    expect(r.warnings).toContain("property 'overflowRecovers' holds vacuously: its premise never held");
  });

  it('strictVacuity fails a complete run (unreached, kind vacuous)', async () => {
    const r = await check(reachGrid, { workers: 1, skipProperties: ['overflow'], strictVacuity: true });
    expect(r.status).toBe('unreached');
    if (r.status === 'unreached') {
      expect(r.violation.kind).toBe('vacuous');
      expect(r.violation.property).toBe('overflowRecovers');
      expect(r.violation.message).toContain('never held in 16 distinct states');
    }
    const fine = await check(reachGrid, { workers: 1, skipProperties: ['overflow', 'overflowRecovers'], strictVacuity: true });
    expect(fine.status).toBe('ok');
  });
});
