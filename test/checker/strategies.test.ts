import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from 'interleave';
import { dieHard } from '../../specs/die-hard.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import type { Spec } from 'interleave';

const cases: [string, Spec, CheckOptions, number][] = [
  ['die-hard (invariants off)', dieHard, { invariants: [] }, 16],
  ['two-phase-commit rms=3', twoPhaseCommit, { constants: { rms: 3 }, deadlock: false }, 288],
  ['peterson n=3', peterson, { constants: { n: 3 }, properties: [] }, 288],
  ['peterson n=4', peterson, { constants: { n: 4 }, properties: [] }, 4752],
  ['gossip fixed 1/2', gossip, { constants: { maxEpoch: 1, bagSize: 2 } }, 1914],
];

describe('strategies: one engine, the frontier decides the order', () => {
  for (const [name, spec, options, distinct] of cases) {
    it(`BFS and DFS reach the same states: ${name}`, async () => {
      const bfs = await check(spec, { ...options, strategy: 'bfs' });
      const dfs = await check(spec, { ...options, strategy: 'dfs' });
      expect(bfs.status).toBe('ok');
      expect(dfs.status).toBe('ok');
      expect(bfs.stats.distinct).toBe(distinct);
      expect(dfs.stats.distinct).toBe(distinct);
      expect(dfs.stats.generated).toBe(bfs.stats.generated);
      expect(dfs.options.strategy).toBe('dfs');
    });
  }

  it('DFS finds a violation, not guaranteed shortest, and its trace replays', async () => {
    const r = await check(dieHard, { strategy: 'dfs' });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.shortest).toBe(false);
    expect(r.trace.steps.at(-1)!.state).toMatchObject({ big: 4 });
    expect(r.trace.steps.length - 1).toBeGreaterThanOrEqual(6);
  });
});

describe('random simulation', () => {
  const opts: CheckOptions = { strategy: 'random', seed: 42, runs: 2000, maxDepth: 30 };

  it('finds die-hard’s violation and echoes the seed', async () => {
    const r = await check(dieHard, opts);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.seed).toBe(42);
    expect(r.violation.property).toBe('bigNotFour');
    expect(r.shortest).toBe(false);
    expect(r.trace.steps.at(-1)!.state).toMatchObject({ big: 4 });
    expect(r.simulation!.walks).toBe(2000);
    expect(r.simulation!.walksPerSecond).toBeGreaterThan(0);
  });

  it('is reproducible: the same seed gives the same walks, whatever the worker split', async () => {
    const a = await check(dieHard, opts);
    const b = await check(dieHard, opts);
    const c = await check(dieHard, { ...opts, workers: 3 });
    const d = await check(dieHard, { ...opts, seed: 43 });
    const steps = (r: typeof a) => (r.status === 'violation' ? JSON.stringify(r.trace.steps) : r.status);
    expect(steps(b)).toBe(steps(a));
    expect(steps(c)).toBe(steps(a));
    expect(a.simulation!.violatingWalk).toBe(c.simulation!.violatingWalk);
    expect(steps(d)).not.toBe(steps(a));
  });

  it('never reports ok: finding nothing is incomplete', async () => {
    const r = await check(twoPhaseCommit, { strategy: 'random', seed: 1, runs: 50, maxDepth: 10, deadlock: false });
    expect(r.status).toBe('incomplete');
    if (r.status === 'incomplete') expect(r.reason).toBe('simulation');
  });
});

describe('coverage', () => {
  it('is pinned on die-hard', async () => {
    const r = await check(dieHard, { invariants: [] });
    expect(r.coverage!.actions).toEqual([
      { action: 'fillSmall', enabled: 16, taken: 16, newStates: 3 },
      { action: 'fillBig', enabled: 16, taken: 16, newStates: 3 },
      { action: 'emptySmall', enabled: 16, taken: 16, newStates: 2 },
      { action: 'emptyBig', enabled: 16, taken: 16, newStates: 1 },
      { action: 'smallToBig', enabled: 16, taken: 16, newStates: 3 },
      { action: 'bigToSmall', enabled: 16, taken: 16, newStates: 3 },
    ]);
    expect(r.coverage!.neverEnabled).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('warns about actions never enabled', async () => {
    const r = await check(peterson, { constants: { n: 3 }, maxDepth: 3 });
    expect(r.coverage!.neverEnabled).toEqual(['exit']);
    expect(r.warnings).toContain("action 'exit' was never enabled in the part explored (the search stopped early)");
  });
});
