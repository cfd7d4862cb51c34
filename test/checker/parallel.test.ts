import { describe, expect, it } from 'vitest';
import { counter as terminalCounter } from '../fixtures/terminal/counter.ts';
import { check, defineSpec, z } from 'interleave';
import { dieHard } from '../../specs/die-hard.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { dualChannelReplication } from '../../specs/dual-channel-replication.ts';
import { kvrocksTlsFullsync } from '../../specs/kvrocks-tls-fullsync.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';
import { tlsWriteRetry } from '../../specs/tls-write-retry.ts';
import { grid } from '../fixtures/grid.ts';
import { ENTRY_CHUNK } from '../../src/checker/state/seen-set.ts';

/** Defined in this test file, which imports vitest: a worker thread cannot load this module. */
export const localCounter = defineSpec({
  name: 'local-counter',
  state: z.object({ x: z.number().int().min(0).max(4) }),
  init: () => ({ x: 0 }),
  actions: { inc: { guard: (s) => s.x < 4, effect: (s) => ({ x: s.x + 1 }) } },
});

describe('a spec module the workers cannot load', () => {
  it('is searched on one thread, with a warning that says why', async () => {
    const r = await check(localCounter, { workers: 2, deadlock: false });
    expect(r.status).toBe('ok');
    expect(r.stats).toMatchObject({ distinct: 5, generated: 5, workers: 1 });
    expect(r.coverage!.actions).toEqual([{ action: 'inc', enabled: 4, taken: 4, newStates: 4 }]);
    expect(r.warnings).toEqual([expect.stringMatching(/^a search worker could not load test\/checker\/parallel\.test\.ts: .*; searched on one thread instead$/)]);
  });
});

// The parallel search must visit exactly the states and successors the single-threaded one does, and find the
// same (shortest) counterexample: every state gets the id, parent and label the single-threaded engine gives it.
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
    // Coverage too: per action, the states it was enabled in, the steps taken and the new states they found.
    expect(two.coverage).toEqual(one.coverage);
    expect(two.coverage!.actions.find((a) => a.action === 'enter')).toMatchObject({ enabled: expect.any(Number), taken: expect.any(Number) });
    expect(two.coverage!.actions.reduce((n, a) => n + a.taken, 0)).toBe(286986 - 1);
    expect(two.coverage!.actions.reduce((n, a) => n + a.newStates, 0)).toBe(88560 - 1);
    // The table grows mid-level (2^16 → 2^18 slots), copied by the workers in parts (shared-table.ts: rehashPart):
    // with 3 workers too.
    const three = await check(peterson, { constants: { n: 5 }, workers: 3, properties: [] });
    expect([three.status, three.stats.workers, three.stats.distinct, three.stats.generated, three.stats.depth]).toEqual(['ok', 3, 88560, 286986, one.stats.depth]);
  });
  it('gossip fixed maxEpoch=2 bagSize=3 and two-phase-commit rms=4: same counts', async () => {
    const g = await check(gossip, { constants: { maxEpoch: 2, bagSize: 3 }, workers: 2 });
    expect([g.stats.distinct, g.stats.generated, g.stats.depth]).toEqual([177201, 683501, 18]);
    const t1 = await check(twoPhaseCommit, { constants: { rms: 4 }, deadlock: false });
    const t2 = await check(twoPhaseCommit, { constants: { rms: 4 }, deadlock: false, workers: 2 });
    expect([t2.stats.distinct, t2.stats.generated, t2.stats.depth]).toEqual([t1.stats.distinct, t1.stats.generated, t1.stats.depth]);
    expect(t2.coverage).toEqual(t1.coverage);
    expect(t2.warnings).toEqual(t1.warnings);
  });
  it('finds the same shortest counterexample as 1 worker (invariants, assertions, deadlocks), on every seed spec', async () => {
    const same = async (name: string, spec: any, opts: Record<string, unknown>) => {
      const one = await check(spec, opts);
      const two = await check(spec, { ...opts, workers: 2 });
      expect(two.stats.workers, name).toBe(2);
      expect(two.status, name).toBe(one.status);
      if (one.status === 'violation' && two.status === 'violation') {
        expect(two.violation, name).toEqual(one.violation);
        expect(two.trace, name).toEqual(one.trace);
        expect(two.shortest, name).toBe(true);
      } else {
        expect([two.stats.distinct, two.stats.generated, two.stats.depth], name).toEqual([one.stats.distinct, one.stats.generated, one.stats.depth]);
        expect([two.coverage, two.warnings], name).toEqual([one.coverage, one.warnings]);
      }
      return one.status === 'violation' ? one.violation.kind : one.status;
    };
    const kinds = new Set<string>();
    kinds.add(await same('die-hard', dieHard, {}));
    kinds.add(await same('gossip buggy', gossip, { constants: { variant: 'buggy', maxEpoch: 2, bagSize: 4 } }));
    kinds.add(await same('2pc, no deadlock check', twoPhaseCommit, { constants: { rms: 3 }, deadlock: false }));
    // The seed specs that stopped at their bounds declare `terminal` now: a wedged counter is the deadlock here.
    kinds.add(await same('a wedged counter', terminalCounter, { constants: { jam: true } }));
    for (const spec of [clusterStaleGossip, dualChannelReplication, tlsWriteRetry, slotStatsFailover, kvrocksTlsFullsync] as any[]) {
      for (const variant of ['buggy', 'fixed']) {
        for (const deadlock of [true, false]) kinds.add(await same(`${spec.name} ${variant} deadlock=${deadlock}`, spec, { constants: { variant }, properties: [], deadlock }));
      }
    }
    // The comparison covered every kind of outcome.
    expect([...kinds].sort()).toEqual(['assertion', 'deadlock', 'invariant', 'ok']);
  });
  it('keeps the discovery the single-threaded search makes first, where workers race for a state (2 and 3 workers)', async () => {
    // On the grid most states are found from several states of the level before, expanded by different workers.
    // 15³ = 3,375 states; generated = 3·14·15² (inc) + 14·14·15 (shift) + 1 (stay) + 1 (the initial state).
    for (const target of ['invariant', 'assertion', 'deadlock', 'none'] as const) {
      const one = await check(grid, { constants: { n: 14, target } });
      for (const workers of [2, 3]) {
        const many = await check(grid, { constants: { n: 14, target }, workers });
        expect(many.status, target).toBe(one.status);
        expect(many.stats.depth, target).toBe(one.stats.depth);
        if (one.status === 'violation' && many.status === 'violation') {
          expect(many.violation, target).toEqual(one.violation);
          expect(many.trace, target).toEqual(one.trace);
        } else {
          expect([many.stats.distinct, many.stats.generated], target).toEqual([3375, 12392]);
          expect([one.stats.distinct, one.stats.generated], target).toEqual([3375, 12392]);
        }
      }
    }
  });
  it('replays a counterexample whose states lie in several chunks of the entry arrays (entry-chunks.ts)', async () => {
    // 46³ = 97,336 states: the violation near the far corner is found after more than ENTRY_CHUNK entries, so the
    // trace's parents and ranks are read from the first and the second chunk.
    const one = await check(grid, { constants: { n: 45, target: 'invariant' } });
    const two = await check(grid, { constants: { n: 45, target: 'invariant' }, workers: 2 });
    expect(one.status).toBe('violation');
    expect(one.stats.distinct).toBeGreaterThan(ENTRY_CHUNK);
    expect([two.status, two.stats.workers, two.stats.distinct, two.stats.generated]).toEqual(['violation', 2, one.stats.distinct, one.stats.generated]);
    if (one.status === 'violation' && two.status === 'violation') {
      expect(two.trace.steps.length).toBe(1 + 3 * 45 - 2);
      expect(two.trace).toEqual(one.trace);
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
