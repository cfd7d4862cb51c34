import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from 'interleave';
import { checkHandingOverAt } from '../../src/checker/search/check.ts';
import { handoverDue } from '../../src/checker/search/auto.ts';
import { dieHard } from '../../specs/die-hard.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';
import { grid } from '../fixtures/grid.ts';
import { slowStart } from '../fixtures/slow-start.ts';
import { narrowSlow } from '../fixtures/narrow-slow.ts';
import { COLUMNS, ROWS, wideSlow } from '../fixtures/wide-slow.ts';

// `workers: 'auto'` starts on one thread and hands the search over to workers between two expansions
// (search/auto.ts): the workers go on with the states, counts, coverage and reachable hits found so far, from the
// rest of the level being expanded and the next level's states found so far. Wherever it happens, the result must
// be the one thread's: same counts, coverage, verdict and counterexample.
const cores = availableParallelism();
const workersSeen = new Set<number>();

/** Checks `spec` on one thread and with a handover at `at`; `handedOver`: whether the handover must happen (null: either). */
async function same(name: string, spec: any, options: CheckOptions, at: (depth: number, expanded: number) => boolean, handedOver: boolean | null = true): Promise<string> {
  const one = await check(spec, options);
  const auto = await checkHandingOverAt(spec, options, at);
  if (handedOver !== null) expect(auto.stats.workers, name).toBe(handedOver && cores > 1 ? cores : 1);
  workersSeen.add(auto.stats.workers);
  expect(auto.status, name).toBe(one.status);
  expect([auto.stats.distinct, auto.stats.generated, auto.stats.depth], name).toEqual([one.stats.distinct, one.stats.generated, one.stats.depth]);
  if (one.status === 'violation' && auto.status === 'violation') {
    expect(auto.violation, name).toEqual(one.violation);
    expect(auto.trace, name).toEqual(one.trace);
    expect(auto.shortest, name).toBe(true);
  } else {
    // (At a violation the workers count new states per action up to their last level: as parallel.test.ts.)
    expect([auto.coverage, auto.warnings], name).toEqual([one.coverage, one.warnings]);
  }
  expect((auto as any).reached, name).toEqual((one as any).reached);
  return one.status === 'violation' ? one.violation.kind : one.status;
}

describe("workers: 'auto' hands the search over to workers", () => {
  it('gives the counts, coverage and reachable hits of one thread, at a level start or in the middle of one', async () => {
    // Two-phase commit declares a `reachable` predicate (committed, first reached at depth 5 with 4 RMs).
    for (const depth of [1, 5, 9]) {
      await same(`2pc rms=4, at level ${depth}`, twoPhaseCommit, { constants: { rms: 4 }, deadlock: false }, (d) => d >= depth);
    }
    // 1,568 states; levels 0–13. After the first state (the next level's first states found), and mid-level.
    for (const expanded of [1, 9, 100, 777]) {
      await same(`2pc rms=4, after ${expanded} states`, twoPhaseCommit, { constants: { rms: 4 }, deadlock: false }, (_, n) => n >= expanded);
    }
    await same('peterson n=4 at level 7', peterson, { constants: { n: 4 }, properties: [] }, (d) => d >= 7);
    const r = await checkHandingOverAt(twoPhaseCommit, { constants: { rms: 5 }, deadlock: false }, (d) => d >= 4);
    // TLC's counts.
    expect([r.status, r.stats.distinct, r.stats.generated]).toEqual(['ok', 8832, 58146]);
    // Past 9,830 states the seen-set's table has grown into shared memory at the shared table's first size, and the
    // workers take that memory as their table (parallel.ts: SharedTables.adopt); before, they copy it.
    await same('2pc rms=6, after 12,000 states', twoPhaseCommit, { constants: { rms: 6 }, deadlock: false }, (_, n) => n >= 12000);
  });

  it('finds the same shortest counterexample as one thread, found before or after the handover', async () => {
    // A violation in the level being expanded when the handover is due ends the search on one thread.
    const kinds = new Set<string>();
    workersSeen.clear();
    for (const depth of [1, 4]) {
      kinds.add(await same(`die-hard at ${depth}`, dieHard, {}, (d) => d >= depth, null));
      kinds.add(await same(`grid invariant after ${depth * 30} states`, grid, { constants: { n: 9, target: 'invariant' } }, (_, n) => n >= depth * 30, null));
      for (const target of ['invariant', 'assertion', 'deadlock'] as const) kinds.add(await same(`grid ${target} at ${depth}`, grid, { constants: { n: 9, target } }, (d) => d >= depth, null));
      for (const spec of [clusterStaleGossip, slotStatsFailover] as any[]) {
        kinds.add(await same(`${spec.name} buggy at ${depth}`, spec, { constants: { variant: 'buggy' }, properties: [] }, (d) => d >= depth, null));
      }
    }
    expect([...kinds].sort()).toEqual(['assertion', 'deadlock', 'invariant']);
    // Both happened: violations found by the workers after a handover, and on one thread before it.
    expect([...workersSeen].sort()).toEqual(cores > 1 ? [1, cores] : [1]);
  });

  it('hands over to ready workers only when the waiting states would pay for it, or the search has lasted', () => {
    // 0.2 s of handover (and 50 ns a state found) against what the workers save of the waiting work: on 2 cores
    // (0.75 each) a third of it, so 0.6 s of waiting work; on 16, 0.22 s. One core never hands over.
    const due = (queued: number, found: number, perState: number, searched: number, cores: number) => handoverDue(queued, found, perState, searched, cores);
    expect(due(110_000, 0, 6e-6, 1.2, 2)).toBe(true); // 0.66 s waiting
    expect(due(90_000, 0, 6e-6, 1.2, 2)).toBe(false); // 0.54 s
    expect(due(110_000, 2_000_000, 6e-6, 1.2, 2)).toBe(false); // 0.66 s, but 0.3 s to hand over
    expect(due(160_000, 2_000_000, 6e-6, 1.2, 2)).toBe(true); // 0.96 s
    expect(due(37_000, 870_000, 1.7e-6, 1.55, 2)).toBe(false); // gossip 2/4 when its workers were ready: 63 ms
    expect(due(40_000, 0, 6e-6, 1.2, 16)).toBe(true); // 0.24 s
    expect(due(30_000, 0, 6e-6, 1.2, 16)).toBe(false); // 0.18 s
    expect(due(1e9, 0, 1e-3, 100, 1)).toBe(false);
    // A search that has gone on past its first second for as long as the handover and the workers' loading (0.3 s
    // of CPU shared by the cores) could cost it (1.05 s on 2 cores, 0.24 s on 16) hands over with less waiting, but
    // not with under 0.05 s of it (a frontier too narrow to share).
    expect(due(30_000, 0, 6e-6, 2.04, 2)).toBe(false);
    expect(due(30_000, 0, 6e-6, 2.06, 2)).toBe(true);
    expect(due(30_000, 0, 6e-6, 1.25, 16)).toBe(true);
    expect(due(8_000, 0, 6e-6, 100, 16)).toBe(false); // 0.048 s waiting
    expect(due(1, 0, 5e-3, 100, 16)).toBe(false); // one slow state at a time (the test below)
  });

  it('starts no worker while too little work waits for them to pay for themselves', async () => {
    // 600 states in a row, 5 ms each: past the first second, but one state waits at a time. A worker that loaded
    // the spec would have written to the log.
    const dir = mkdtempSync(path.join(tmpdir(), 'interleave-auto-'));
    const log = path.join(dir, 'loads.log');
    process.env.INTERLEAVE_TEST_LOAD_LOG = log;
    try {
      const r = await check(narrowSlow, { workers: 'auto', deadlock: false });
      expect([r.status, r.stats.distinct, r.stats.workers, r.warnings ?? []]).toEqual(['ok', 601, 1, []]);
      expect(r.stats.seconds).toBeGreaterThan(1.2);
      expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe('');
    } finally {
      delete process.env.INTERLEAVE_TEST_LOAD_LOG;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands a search over once it has lasted, though no level pays for the handover by itself', async () => {
    // Levels of 2,000 states, 0.08 s of work each, for about 5 s on one thread: the workers start at 2.05 s on 2
    // cores (1.24 s on 16).
    const r = await check(wideSlow, { workers: 'auto', deadlock: false });
    expect([r.status, r.stats.distinct, r.stats.workers]).toEqual(['ok', 1 + COLUMNS * ROWS, cores > 1 ? cores : 1]);
  });

  it('says nothing of the workers when the search ends while they are still loading', async () => {
    // The first step spins past the first second, so the workers start; the search ends before they are ready, and
    // ending them is not a failure to report ("a search worker exited with code …; searched on one thread
    // instead" was).
    const r = await check(slowStart, { workers: 'auto', deadlock: false });
    expect([r.status, r.stats.distinct, r.stats.workers, r.warnings ?? []]).toEqual(['ok', 4, 1, []]);
    expect(r.stats.seconds).toBeGreaterThan(1.2);
  });

  it('stays on one thread when the search ends first, and honours the depth limit after a handover', async () => {
    await same('never', twoPhaseCommit, { constants: { rms: 3 }, deadlock: false }, () => false, false);
    // Past the last level: there is no next level to hand over.
    await same('after the end', twoPhaseCommit, { constants: { rms: 3 }, deadlock: false }, (d) => d >= 11, false);
    const limited = await checkHandingOverAt(peterson, { constants: { n: 4 }, maxDepth: 9, properties: [] }, (d) => d >= 3);
    const one = await check(peterson, { constants: { n: 4 }, maxDepth: 9, properties: [] });
    expect([limited.status, limited.stats.workers > 1 || cores === 1]).toEqual(['incomplete', true]);
    if (limited.status === 'incomplete' && one.status === 'incomplete') expect([limited.reason, limited.stats.distinct, limited.stats.depth]).toEqual([one.reason, one.stats.distinct, one.stats.depth]);
  });
});
