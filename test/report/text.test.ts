/** The terminal rendering of traces and results (src/report): what a counterexample reads like. */
import { describe, expect, it } from 'vitest';
import { check, traceFileOf } from 'interleave';
import { diffValues, formatValue, renderStats, renderTrace } from '../../src/report/text.ts';
import { renderExtras } from '../../src/report/extras.ts';
import type { TraceFile } from '../../src/trace/index.ts';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';
import { dieHard } from '../../specs/die-hard.ts';

const msg = (id: number) => ({ id, sender: 1, replicaof: -1, epoch: id });
const lines = (before: unknown, after: unknown) =>
  diffValues(before, after, 'q', 20).map((c) => (c.kind === 'changed' ? `~ ${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}` : c.kind === 'added' ? `+ ${c.path} = ${formatValue(c.after)}` : `- ${c.path} (was ${formatValue(c.before)})`));

describe('sequence diff of arrays (LCS)', () => {
  it('a pop from the head of a FIFO is one removal of q[0], not edits to every element', () => {
    expect(lines([msg(0), msg(1), msg(2)], [msg(1), msg(2)])).toEqual(['- q[0] (was {id: 0, sender: 1, replicaof: -1, epoch: 0})']);
  });

  it('a push is one addition at the end; pop and push in one step are both shown', () => {
    expect(lines([msg(0), msg(1)], [msg(0), msg(1), msg(2)])).toEqual(['+ q[2] = {id: 2, sender: 1, replicaof: -1, epoch: 2}']);
    expect(lines([msg(0), msg(1)], [msg(1), msg(2)])).toEqual(['- q[0] (was {id: 0, sender: 1, replicaof: -1, epoch: 0})', '+ q[1] = {id: 2, sender: 1, replicaof: -1, epoch: 2}']);
  });

  it('an element changed in place is opened at its own path; removal from the middle keeps the rest', () => {
    expect(lines([msg(0), msg(1), msg(2)], [msg(0), { ...msg(1), epoch: 9 }, msg(2)])).toEqual(['~ q[1].epoch: 1 → 9']);
    expect(lines([msg(0), msg(1), msg(2)], [msg(0), msg(2)])).toEqual(['- q[1] (was {id: 1, sender: 1, replicaof: -1, epoch: 1})']);
  });

  it('the stale-gossip counterexample: step 6 delivers the head of N’s link from B, printed as a pop', async () => {
    const r = await check(clusterStaleGossip, { constants: { variant: 'buggy' }, deadlock: false });
    const out = renderTrace(traceFileOf(r)!);
    const step6 = out.slice(out.indexOf('step 6'));
    expect(step6).toContain('  - net.channels[0][0] (was {id: 0, sender: 1, replicaof: 0, epoch: 1})');
    expect(step6).not.toContain('~ net.channels[0]');
    expect(step6).not.toContain('net.channels[0][1]');
  });
});

describe('renderTrace', () => {
  it('marks the step where an assertion fails with its message (not "(no change)"); depth = trace length', async () => {
    const r = await check(slotStatsFailover);
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    const t = traceFileOf(r)!;
    expect(t.kind).toBe('assertion');
    const out = renderTrace(t);
    const last = out.slice(out.indexOf('step 2'));
    expect(last).toContain("✗ assertion 'noNegativeSlotBytes' fails in this step: serverAssert(slot_stats[c->slot].network_bytes_out >= llabs(len)) failed: 0 < 2 (R = 0)");
    expect(out).not.toContain('(no change');
    expect(t.steps.length - 1).toBe(2);
    expect(r.stats.depth).toBe(1);
    expect(renderStats(r)).toContain('depth 2,');
  });

  it('"(N unchanged: …)" always names the variables, even more than six', async () => {
    const r = await check(slotStatsFailover);
    const out = renderTrace(traceFileOf(r)!);
    expect(out).toContain('(7 unchanged: replicas, replicasEldb, backlog, networkBytesOut, tally, writesLeft, readsLeft)');
  });

  it('diffOnly: the initial state shows only the variables that change later, and names the others', () => {
    const t: Pick<TraceFile, 'steps'> = {
      steps: [
        { action: 'init', params: null, state: { a: 0, b: 'x', c: [1] } },
        { action: 'inc', params: null, state: { a: 1, b: 'x', c: [1] } },
        { action: 'noop', params: null, state: { a: 1, b: 'x', c: [1] } },
      ],
    };
    expect(renderTrace(t, { diffOnly: true })).toBe(['step 0  init', '    a = 0', '    (2 never change: b, c)', 'step 1  inc', '  ~ a: 0 → 1', 'step 2  noop', '    (no change: the step leaves the state as it was)'].join('\n'));
    expect(renderTrace(t)).toContain('    (2 unchanged: b, c)');
  });
});

describe('renderExtras', () => {
  it('explains the coverage columns in one line above the table', async () => {
    const r = await check(dieHard);
    const out = renderExtras(r, undefined, { coverage: true }).split('\n');
    const head = out.findIndex((l) => l.trimStart().startsWith('action'));
    expect(out[head - 1]).toBe('  coverage: enabled = states explored where the action could run; taken = steps run (one per enabled parameter); new = steps that found a state not seen before (new far below enabled: the action mostly reaches states already seen)');
  });
});
