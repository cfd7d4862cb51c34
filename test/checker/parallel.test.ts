import { describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { dieHard } from '../../specs/die-hard.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';

// The parallel search must visit exactly the states and successors the single-threaded one does, and find a
// counterexample of the same (shortest) length.
describe('parallel breadth-first search (2 workers)', () => {
  it('peterson n=5: same distinct, generated and depth as 1 worker', async () => {
    // Liveness needs the state graph and runs on one thread: check the invariant only.
    const one = await check(peterson, { constants: { n: 5 }, properties: [] });
    const two = await check(peterson, { constants: { n: 5 }, workers: 2, properties: [] });
    expect(two.status).toBe('ok');
    expect(two.stats.workers).toBe(2);
    expect([two.stats.distinct, two.stats.generated, two.stats.depth]).toEqual([one.stats.distinct, one.stats.generated, one.stats.depth]);
    expect(two.stats.distinct).toBe(88560);
    expect(two.stats.generated).toBe(286986);
  });
  it('gossip fixed maxEpoch=2 bagSize=3 and two-phase-commit rms=4: same counts', async () => {
    const g = await check(gossip, { constants: { maxEpoch: 2, bagSize: 3 }, workers: 2 });
    expect([g.stats.distinct, g.stats.generated, g.stats.depth]).toEqual([177201, 683501, 18]);
    const t1 = await check(twoPhaseCommit, { constants: { rms: 4 }, deadlock: false });
    const t2 = await check(twoPhaseCommit, { constants: { rms: 4 }, deadlock: false, workers: 2 });
    expect([t2.stats.distinct, t2.stats.generated, t2.stats.depth]).toEqual([t1.stats.distinct, t1.stats.generated, t1.stats.depth]);
  });
  it('finds shortest counterexamples of the same length and property, and is deterministic', async () => {
    for (const [spec, opts] of [
      [dieHard, {}],
      [gossip, { constants: { variant: 'buggy', maxEpoch: 2, bagSize: 4 } }],
    ] as const) {
      const one = await check(spec as never, opts);
      const a = await check(spec as never, { ...opts, workers: 2 });
      const b = await check(spec as never, { ...opts, workers: 2 });
      expect(one.status).toBe('violation');
      expect(a.status).toBe('violation');
      if (one.status !== 'violation' || a.status !== 'violation' || b.status !== 'violation') return;
      expect(a.violation.property).toBe(one.violation.property);
      expect(a.trace.steps.length).toBe(one.trace.steps.length);
      expect(b.trace).toEqual(a.trace);
    }
  });
  it('honours maxDepth and maxStates as incomplete', async () => {
    const d = await check(peterson, { constants: { n: 4 }, workers: 2, maxDepth: 5, properties: [] });
    expect(d.status).toBe('incomplete');
    if (d.status === 'incomplete') expect(d.reason).toBe('maxDepth');
    const s = await check(peterson, { constants: { n: 4 }, workers: 2, maxStates: 100, properties: [] });
    expect(s.status).toBe('incomplete');
    if (s.status === 'incomplete') expect(s.reason).toBe('maxStates');
    expect(s.stats.workers).toBe(2);
  });
  it('runs liveness checks on one thread', async () => {
    const r = await check(peterson, { constants: { n: 3 }, workers: 2 });
    expect(r.status).toBe('ok');
    expect(r.stats.workers).toBe(1);
  });
});
