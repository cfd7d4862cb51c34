/**
 * Issue 17 item 4 on the command line: `reachable` predicates and vacuous liveness as transcripts with exit codes
 * (fixture test/fixtures/reachability/grid.ts: 16 states, depth 6; docs/reachability.md).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const grid = 'test/fixtures/reachability/grid.ts';
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/interleave.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('check with reachable predicates', () => {
  it('an unreachable predicate fails a complete run: exit 1, one line naming it and the state count', () => {
    const r = cli('check', grid, '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.out).toContain("✗ reach-grid (n=3): unreachable overflow: reachable 'overflow' was never reached in 16 distinct states (the search was complete)");
    expect(r.out).toContain('reached: corner (depth 6), diagonal (depth 4), origin (depth 0)');
    expect(r.out).not.toContain('counterexample');
  });

  it('with it deselected the run passes and lists the reachable predicates among what was checked', () => {
    const r = cli('check', grid, '--workers', '1', '--skip-property', 'overflow');
    expect(r.code).toBe(0);
    expect(r.out).toContain('checked: inBounds, temporal overflowRecovers, startFinishes, reachable corner, diagonal, origin, deadlock');
    expect(r.out).toContain('overflowRecovers (vacuously)');
  });

  it('--property selects one (only the names given are checked)', () => {
    const r = cli('check', grid, '--workers', '1', '--property', 'diagonal');
    expect(r.code).toBe(0);
    expect(r.out).toContain('checked: no invariants, reachable diagonal, deadlock');
  });

  it('a bounded run warns instead (exit 3: incomplete)', () => {
    const r = cli('check', grid, '--workers', '1', '--max-depth', '3');
    expect(r.code).toBe(3);
    expect(r.out).toContain("⚠ reachable 'corner' was not reached in the part explored (the search stopped early): not a failure; a complete run decides");
  });

  it('the verdict is the same with 2 workers', () => {
    const r = cli('check', grid, '--workers', '2', '--skip-property', 'overflowRecovers', '--skip-property', 'startFinishes', '--json');
    const j = JSON.parse(r.out);
    expect(r.code).toBe(1);
    expect(j.stats).toMatchObject({ distinct: 16, workers: 2 });
    expect(j.status).toBe('unreached');
    expect(j.violation).toMatchObject({ kind: 'unreachable', property: 'overflow' });
  });

  it('--witness prints the shortest trace to the predicate, says it is a witness, and --trace-out writes it', () => {
    const out = path.join(root, 'test-output', 'reach-witness.json');
    const r = cli('check', grid, '--workers', '1', '--skip-property', 'overflow', '--witness', 'corner', '--trace-out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain("witness of reachable 'corner' (not a violation): 6 actions to a state where it holds (shortest: breadth-first search)");
    expect(r.out).toContain('step 6  incB');
    expect(r.out).toContain('witness trace written to');
    const shown = cli('show', out);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('step 6');
  });

  it('--witness in --json: the trace in the trace format, 6 actions', () => {
    const r = cli('check', grid, '--workers', '1', '--skip-property', 'overflow', '--witness', 'corner', '--json');
    const j = JSON.parse(r.out);
    expect(j.witness.name).toBe('corner');
    expect(j.witness.shortest).toBe(true);
    expect(j.witness.trace.steps).toHaveLength(7);
    expect(j.witness.trace.steps[6].state).toEqual({ a: 3, b: 3 });
  });

  it('--witness of an unknown name is a coded error (exit 2)', () => {
    const r = cli('check', grid, '--workers', '1', '--witness', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toContain("error UNKNOWN_PROPERTY: --witness nope: it is not a reachable predicate of the spec (reachable: corner, diagonal, overflow, origin)");
  });

  it('list shows them', () => {
    const r = cli('list', grid);
    expect(r.out).toContain('reachable: corner, diagonal, overflow, origin (each must hold in some reachable state)');
    const j = JSON.parse(cli('list', grid, '--json').out);
    expect(j.specs[0].reachable).toEqual(['corner', 'diagonal', 'overflow', 'origin']);
  });
});

describe('vacuous liveness on the command line', () => {
  it('--json reports a vacuous field per temporal property; the default is a warning (exit 0)', () => {
    const r = cli('check', grid, '--workers', '1', '--skip-property', 'overflow', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.temporal).toEqual([
      { property: 'overflowRecovers', vacuous: true },
      { property: 'startFinishes', vacuous: false },
    ]);
    expect(j.warnings).toContain("property 'overflowRecovers' holds vacuously: its premise never held");
  });

  it('--strict-vacuity makes it fail the run (exit 1)', () => {
    const r = cli('check', grid, '--workers', '1', '--skip-property', 'overflow', '--strict-vacuity');
    expect(r.code).toBe(1);
    expect(r.out).toContain("✗ reach-grid (n=3): vacuous overflowRecovers: property 'overflowRecovers' holds only vacuously: its premise never held in 16 distinct states (--strict-vacuity)");
    const j = JSON.parse(cli('check', grid, '--workers', '1', '--skip-property', 'overflow', '--strict-vacuity', '--json').out);
    expect(j.status).toBe('unreached');
    expect(j.violation.kind).toBe('vacuous');
  });
});
