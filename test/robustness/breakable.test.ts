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
