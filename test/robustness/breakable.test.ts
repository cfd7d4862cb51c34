/**
 * Issue 16, item 9 (the rest): an expansion that never returns, and the rebuilding of a counterexample, no longer
 * make SIGINT or --time-limit wait (src/checker/search/breakable.ts). Each test waits for the spec's own "started" line.
 */
import { describe, expect, it } from 'vitest';
import { start, waitFor } from './helpers.ts';

describe('SIGINT and the time limit in the middle of an expansion (item 9)', () => {
  it('SIGINT stops an expansion that loops forever: exit 3 with statistics (it waited forever)', async () => {
    const p = start(['check', 'test/fixtures/hostile/hang.ts', '--workers', '1']);
    await waitFor(() => p.output().stderr.includes('hang: looping'), 30_000, 'the expansion to loop');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('incomplete — interrupted: the search was stopped in the middle of an expansion');
    expect(r.stdout).toMatch(/4 distinct states, 4 generated, depth 3/);
  }, 60_000);

  it('--time-limit 1 stops an expansion that loops forever: exit 3 with statistics (it waited forever)', async () => {
    const p = start(['check', 'test/fixtures/hostile/hang.ts', '--workers', '1', '--time-limit', '1']);
    const r = await p.done;
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('incomplete — stopped after the time limit of 1 s, in the middle of an expansion');
    expect(r.stdout).toMatch(/4 distinct states, 4 generated, depth 3/);
  }, 60_000);

  it('SIGINT while the counterexample is rebuilt: exit 3, the violation named, no trace (it was ignored)', async () => {
    const p = start(['check', 'test/fixtures/hostile/slow-trace.ts', '--workers', '1']);
    await waitFor(() => p.output().stderr.includes('slow-trace: rebuilding'), 30_000, 'the rebuilding to start');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("interrupted while rebuilding the counterexample of a violation: invariant 'below40' is violated");
    expect(r.stdout).toContain("41 distinct states, 41 generated, depth 40");
    expect(r.stdout).toContain("a violation was found (property 'below40'), but its counterexample was not rebuilt");
    expect(r.stdout).not.toContain('step 1');
  }, 60_000);
});

/**
 * Issue 16, item 9 with workers, and after fast states (test/fixtures/hostile/hang-deep.ts: a grid of two counters
 * whose expansions are fast until depth 12, where an action loops forever). Each test waits for the spec's
 * "hang-deep: looping" line; `start` kills the CLI with SIGKILL after 60 s, so a regression fails instead of hanging.
 * Exact numbers: 78 states have depth 11 or less (1 + 2 + ... + 12), each with two successors (157 generated with
 * the initial state); 13 more have depth 12.
 */
const DEEP = 'test/fixtures/hostile/hang-deep.ts';

async function signalWhenLooping(args: readonly string[], signal: NodeJS.Signals) {
  const p = start(['check', DEEP, ...args]);
  await waitFor(() => p.output().stderr.includes('hang-deep: looping'), 45_000, 'the expansion to loop');
  p.child.kill(signal);
  return p.done;
}

describe('an expansion that never returns, with workers and after fast states (item 9)', () => {
  it('one thread, SIGINT after a run of fast states: exit 3, stopped in the middle of the expansion (it waited forever)', async () => {
    const r = await signalWhenLooping(['--workers', '1'], 'SIGINT');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('incomplete — interrupted: the search was stopped in the middle of an expansion');
    expect(r.stdout).toContain('91 distinct states, 157 generated, depth 12');
    expect(r.stderr).toContain('SIGINT: stopping the search');
  }, 90_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`2 workers, ${signal}: the stuck worker is ended after the grace period; exit 3 with the finished levels' counts (it waited forever)`, async () => {
      const r = await signalWhenLooping(['--workers', '2'], signal);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${signal}: stopping the search`);
      expect(r.stdout).toContain('incomplete — interrupted: the search was stopped before it finished (a search worker was still in the middle of an expansion 1 s after the request, and was ended; the counts are those of the levels finished)');
      expect(r.stdout).toContain('78 distinct states, 157 generated, depth 11');
    }, 90_000);
  }

  for (const workers of ['1', '2']) {
    it(`--time-limit 2 with ${workers} worker(s): exit 3, stopped (it waited forever)`, async () => {
      const r = await start(['check', DEEP, '--workers', workers, '--time-limit', '2']).done;
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('incomplete — stopped after the time limit of 2 s');
      // Where it stopped depends on how long the workers took to start (a loaded machine): never past depth 12.
      expect(r.stdout).toMatch(/(\d+) distinct states/);
      expect(Number(/([\d,]+) distinct states/.exec(r.stdout)![1]!.replace(/,/g, ''))).toBeLessThanOrEqual(91);
    }, 90_000);
  }

  it('2 workers, the hang inside the identity probe (the first 64 states, run on the main thread): SIGINT and the time limit stop it', async () => {
    const r = await signalWhenLooping(['--workers', '2', '--const', 'hangAt=1'], 'SIGINT');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('incomplete — interrupted before the search started (while running the first steps of the spec to check that the workers load the same spec)');
    expect(r.stdout).toContain('0 distinct states, 0 generated, depth 0');
    const t = await start(['check', DEEP, '--workers', '2', '--const', 'hangAt=1', '--time-limit', '1']).done;
    expect(t.code).toBe(3);
    expect(t.stdout).toContain('incomplete — stopped after the time limit of 1 s, before the search started');
  }, 120_000);
});
