/**
 * Issue 17 item 1: a spec declares its legitimate end states (`terminal`), so a bounded model that finishes is
 * not a deadlock, while a state wedged elsewhere still is; on one thread, with workers and in simulation alike.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/index.ts';
import { counter } from '../fixtures/terminal/counter.ts';

const root = path.resolve(import.meta.dirname, '../..');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/interleave.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('terminal: legitimate end states', () => {
  for (const workers of [1, 2]) {
    it(`a state where terminal holds is not a deadlock; a wedged state still is (workers: ${workers})`, async () => {
      const clean = await check(counter, { workers });
      expect(clean.status).toBe('ok');
      expect(clean.stats).toMatchObject({ distinct: 4, depth: 3 });
      const jammed = await check(counter, { constants: { jam: true }, workers });
      expect(jammed.status).toBe('violation');
      if (jammed.status !== 'violation') return;
      expect(jammed.violation.property).toBe('deadlock');
      expect(jammed.trace.steps.map((s) => s.action)).toEqual(['init', 'inc', 'jam']);
      expect(jammed.stats.distinct).toBe(5);
    });
  }

  it('without terminal the end of the count is a deadlock, as before', async () => {
    const r = await check(counter, { constants: { terminal: 'none' } });
    expect(r.status).toBe('violation');
    if (r.status === 'violation') expect(r.trace.steps.length - 1).toBe(3);
  });

  it('a random simulation does not report a terminal state as a deadlock, and does report the wedge', async () => {
    // A simulation never claims that no violation exists: incomplete, without one.
    const clean = await check(counter, { strategy: 'random', seed: 7, runs: 50 });
    expect(clean.status).toBe('incomplete');
    const jammed = await check(counter, { constants: { jam: true }, strategy: 'random', seed: 7, runs: 50 });
    expect(jammed.status === 'violation' && jammed.violation.property).toBe('deadlock');
  });

  it('a terminal that throws is SPEC_INVARIANT_THREW naming it; one that returns a number is SPEC_INVALID', async () => {
    const threw = await check(counter, { constants: { terminal: 'throws' }, workers: 1 });
    expect(threw.status === 'error' && threw.error.code).toBe('SPEC_INVARIANT_THREW');
    if (threw.status === 'error') expect(threw.error.message).toMatch(/'terminal' threw .*no end in sight.*inc → inc → inc/);
    const num = await check(counter, { constants: { terminal: 'number' }, workers: 1 });
    expect(num.status === 'error' && num.error.code).toBe('SPEC_INVALID');
    if (num.status === 'error') expect(num.error.message).toContain("'terminal' returned 1 (number), expected true or false");
  });
});

describe('the CLI and expected configurations', () => {
  it("the README's command prints no false deadlock: cluster-stale-gossip's fixed variant holds (terminal declared)", () => {
    const r = cli('check', 'specs/cluster-stale-gossip.ts', '--const', 'variant=fixed', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toContain('no violation — 543 distinct states');
    expect(r.out).toMatch(/checked: noReplicaLoop, deadlock/);
  });

  it('constants picked by hand that match an expected entry get its options (said on stderr); --deadlock overrides', () => {
    const consts = ['--const', 'variant=faithful', '--const', 'maxWrites=2', '--const', 'maxPromotions=1', '--const', 'maxSyncs=2', '--workers', '1'];
    const r = cli('check', 'specs/redis-replication.ts', ...consts);
    expect(r.code).toBe(0);
    expect(r.err).toContain("note: the options of the expected configuration 'faithful' apply: --no-deadlock (the spec expects it to hold)");
    expect(r.out).toContain('648 distinct states');
    const forced = cli('check', 'specs/redis-replication.ts', ...consts, '--deadlock');
    expect(forced.code).toBe(1);
    expect(forced.err).not.toContain('note:');
    expect(forced.out).toContain("deadlock: no action is enabled in this state (property 'deadlock')");
  });

  it('check FILE --expected runs every configuration of the file against what it expects', () => {
    const r = cli('check', 'test/fixtures/terminal/counter.ts', '--expected', '--workers', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/✓ terminal-counter\s+clean\s+holds\s+holds\s+4\s+3/);
    expect(r.out).toMatch(/✓ terminal-counter\s+jammed\s+violates deadlock in 2\s+violated\s+deadlock\s+5\s+2\s+2/);
    expect(r.out).toMatch(/✓ terminal-counter\s+no terminal\s+holds\s+holds\s+4\s+3/);
    expect(r.out).toContain('all 3 verdicts as expected');
    const json = JSON.parse(cli('check', 'specs/tls-write-retry.ts', '--expected', '--json', '--workers', '1').out);
    expect(json).toMatchObject({ status: 'ok', passed: 6, failed: 0 });
  });

  it('list says whether a spec declares end states', () => {
    expect(cli('list', 'specs/two-phase-commit.ts').out).toContain('end states: where `terminal` holds');
    expect(cli('list', 'specs/die-hard.ts').out).toContain('end states: none declared');
    expect(JSON.parse(cli('list', 'specs/two-phase-commit.ts', '--json').out).specs[0].terminal).toBe(true);
  });
});
