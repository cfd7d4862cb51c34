/** The terminal rendering through the real CLI: `check` and `show` print the same FIFO pop and assertion step. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/interleave.mjs');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('check and show (transcripts)', () => {
  it('stale gossip: step 6 delivers the head of a FIFO link and prints one removal, in check and in show', () => {
    const trace = path.join(mkdtempSync(path.join(tmpdir(), 'interleave-report-')), 'gossip.json');
    const c = run('check', 'specs/cluster-stale-gossip.ts', '--const', 'variant=buggy', '--no-deadlock', '--trace-out', trace);
    expect(c.code).toBe(1);
    const pop = '  - net.channels[0][0] (was {id: 0, sender: 1, replicaof: 0, epoch: 1})\n    (4 unchanged: nodes, gossipLeft, failoverDone, sent)';
    expect(c.out).toContain(pop);
    const s = run('show', trace);
    expect(s.code).toBe(0);
    expect(s.out).toContain(pop);
    // --diff-only: the initial state lists only variables that change later (both of these do), and there are no
    // '(N unchanged)' lines.
    const d = run('show', trace, '--diff-only', '--vars', 'failoverDone,gossipLeft');
    expect(d.out).toContain('step 0  init\n    gossipLeft = 3\n    failoverDone = false\nstep 1');
    expect(d.out).not.toContain('unchanged');
  });

  it('slot-stats-failover: the failing assertion step carries its message; the depth is the counterexample length', () => {
    const c = run('check', 'specs/slot-stats-failover.ts');
    expect(c.code).toBe(1);
    expect(c.out).toContain("step 2  replicationFeedReplicas\n  ✗ assertion 'noNegativeSlotBytes' fails in this step: serverAssert(");
    expect(c.out).toContain('counterexample: 2 actions');
    expect(c.out).toMatch(/4 distinct states, 4 generated, depth 2,/);
    // The table of --expected prints the same depth beside the trace length.
    const t = run('check', 'specs/slot-stats-failover.ts', '--expected');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/slot-stats-failover +buggy +violates noNegativeSlotBytes in 2 +violated +noNegativeSlotBytes +4 +2 +2 /);
  });
});
