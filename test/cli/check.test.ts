/**
 * CLI transcripts: the real binary, spawned as a user would run it, with exit codes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
function run(...args: string[]) {
  return runWith({}, ...args);
}
function runWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/interleave.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('interleave check FILE', () => {
  it('prints the shortest counterexample step by step and exits 1', () => {
    const r = run('check', 'specs/die-hard.ts');
    expect(r.code).toBe(1);
    expect(r.out).toContain('step 0  init');
    expect(r.out).toContain('step 6  bigToSmall');
    expect(r.out).toContain('~ big: 5 → 4');
    expect(r.out).toContain("invariant 'bigNotFour' is violated");
    expect(r.out).toContain('6 actions (guaranteed shortest');
    expect(r.out).toContain('fingerprint collision probability');
  });
  it('prints a verdict and exits 0 when every invariant holds', () => {
    const r = run('check', 'specs/two-phase-commit.ts', '--const', 'rms=3', '--no-deadlock');
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ two-phase-commit (rms=3): no violation');
    expect(r.out).toContain('288 distinct states, 1,146 generated, depth 10');
  });
  it('--json prints one object with status, property, stats and a trace whose steps[0] is init', () => {
    const r = run('check', 'specs/die-hard.ts', '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.status).toBe('violation');
    expect(j.spec).toBe('die-hard');
    expect(j.property).toBe('bigNotFour');
    expect(j.stats).toMatchObject({ distinct: 14, generated: 73, depth: 6 });
    expect(typeof j.stats.statesPerSecond).toBe('number');
    expect(j.trace.version).toBe(1);
    expect(j.trace.steps).toHaveLength(7);
    expect(j.trace.steps[0]).toEqual({ action: 'init', params: null, state: { small: 0, big: 0 } });
  });
  it('--trace-out writes the trace file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'interleave-cli-'));
    const file = path.join(dir, 'trace.json');
    const r = run('check', 'specs/die-hard.ts', '--trace-out', file);
    expect(r.code).toBe(1);
    expect(existsSync(file)).toBe(true);
    const t = JSON.parse(readFileSync(file, 'utf8'));
    expect(t.property).toBe('bigNotFour');
    expect(t.steps.at(-1).state).toEqual({ small: 3, big: 4 });
    expect(t.spec.name).toBe('die-hard');
  });
  it('a limit makes the run incomplete: exit 3, never ok', () => {
    const r = run('check', 'specs/bench/peterson.ts', '--const', 'n=4', '--max-depth', '5');
    expect(r.code).toBe(3);
    expect(r.out).toContain('incomplete');
    const s = run('check', 'specs/bench/peterson.ts', '--const', 'n=4', '--max-states', '100', '--json');
    expect(s.code).toBe(3);
    expect(JSON.parse(s.out)).toMatchObject({ status: 'incomplete', reason: 'maxStates' });
  });
  it('--invariant selects invariants; an unknown one is bad input listing the known names', () => {
    const r = run('check', 'specs/die-hard.ts', '--invariant', 'nope');
    expect(r.code).toBe(2);
    expect(r.err).toContain("no invariant, assertion or property 'nope' (known: bigNotFour)");
  });
  it('--const is validated by the schema', () => {
    const r = run('check', 'specs/two-phase-commit.ts', '--const', 'rms=abc');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CONSTANT_INVALID.*rms/);
  });
  it('--workers 2 gives the same counts', () => {
    const r = run('check', 'specs/bench/peterson.ts', '--const', 'n=4', '--workers', '2', '--property', 'mutex', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).stats).toMatchObject({ distinct: 4752, generated: 13081, depth: 24, workers: 2 });
  });
  it("runs as usual with the README's huge-page setting for glibc (ignored where glibc does not know it)", () => {
    const r = runWith({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, 'check', 'specs/bench/peterson.ts', '--const', 'n=4', '--skip-property', 'starvationFree', '--json');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(JSON.parse(r.out).stats).toMatchObject({ distinct: 4752, generated: 13081, depth: 24 });
  });
});

describe('interleave check FOLDER (the main job)', () => {
  it('checks every spec and variant against its expectations and exits 0', () => {
    const r = run('check', 'specs/');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/spec\s+variant\s+expected\s+verdict\s+property\s+distinct\s+depth\s+trace\s+seconds/);
    for (const name of ['cluster-stale-gossip', 'dual-channel-replication', 'tls-write-retry', 'slot-stats-failover', 'kvrocks-tls-fullsync', 'die-hard', 'two-phase-commit']) {
      expect(r.out).toContain(name);
    }
    expect(r.out).toMatch(/all \d+ verdicts as expected/);
    expect(r.out).not.toContain('✗');
  });
});

describe('interleave list FILE', () => {
  it('shows constants with defaults, actions and invariants', () => {
    const r = run('list', 'specs/bench/gossip.ts');
    expect(r.code).toBe(0);
    expect(r.out).toContain('spec gossip');
    expect(r.out).toContain('maxEpoch=1 (integer 1..7)');
    expect(r.out).toContain('variant="fixed"');
    expect(r.out).toContain('send(…), failover(…), deliver(…)');
    expect(r.out).toContain('invariants: noReplicaLoop');
  });
});
