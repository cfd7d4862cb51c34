/** The terminal rendering of traces and results (src/report): what a counterexample reads like. */
import { describe, expect, it } from 'vitest';
import { check, traceFileOf } from 'interleave';
import { formatValue, printerDiff, renderStats, renderTrace } from '../../src/report/text.ts';
import { diffValues, SEQUENCE_DIFF_LIMIT } from '../../src/trace/index.ts';
import { renderExtras } from '../../src/report/extras.ts';
import type { TraceFile } from '../../src/trace/index.ts';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';
import { dieHard } from '../../specs/die-hard.ts';

const msg = (id: number) => ({ id, sender: 1, replicaof: -1, epoch: id });
const lines = (before: unknown, after: unknown) =>
  diffValues(before, after, printerDiff('q', 20)).map((c) => (c.kind === 'changed' ? `~ ${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}` : c.kind === 'added' ? `+ ${c.path} = ${formatValue(c.after)}` : `- ${c.path} (was ${formatValue(c.before)})`));

describe('sequence diff of arrays (LCS)', () => {
  it('a pop from the head of a FIFO is one removal of q[0], not edits to every element', () => {
    expect(lines([msg(0), msg(1), msg(2)], [msg(1), msg(2)])).toEqual(['- q[0] (was {id: 0, sender: 1, replicaof: -1, epoch: 0})']);
  });

  it('a push is one addition at the end, also into an empty queue; the last element popped is one removal', () => {
    expect(lines([msg(0), msg(1)], [msg(0), msg(1), msg(2)])).toEqual(['+ q[2] = {id: 2, sender: 1, replicaof: -1, epoch: 2}']);
    expect(lines([], [msg(0)])).toEqual(['+ q[0] = {id: 0, sender: 1, replicaof: -1, epoch: 0}']);
    expect(lines([msg(0)], [])).toEqual(['- q[0] (was {id: 0, sender: 1, replicaof: -1, epoch: 0})']);
  });

  it('arrays of the same length are compared index by index: links indexed by node keep their indices', () => {
    // Link 0 delivers its message and link 2 receives one: an alignment on equal elements would match the empty
    // links across indices and print a removal of link 0 and an addition of a link 2.
    expect(lines([[msg(0)], [], []], [[], [], [msg(5)]])).toEqual(['- q[0][0] (was {id: 0, sender: 1, replicaof: -1, epoch: 0})', '+ q[2][0] = {id: 5, sender: 1, replicaof: -1, epoch: 5}']);
    expect(lines([[msg(0)], [], []], [[msg(0)], [msg(1)], []])).toEqual(['+ q[1][0] = {id: 1, sender: 1, replicaof: -1, epoch: 1}']);
    // The price: a pop and a push on one queue in one step keep its length, and print as edits in place.
    expect(lines([msg(0), msg(1)], [msg(1), msg(2)])).toEqual(['~ q[0].id: 0 → 1', '~ q[0].epoch: 0 → 1', '~ q[1].id: 1 → 2', '~ q[1].epoch: 1 → 2']);
  });

  it('short arrays of scalars of the same length print whole; longer ones are opened', () => {
    expect(lines([0, 1], [0, 2])).toEqual(['~ q: [0, 1] → [0, 2]']);
    expect(lines([0, 1], [0, 1, 2])).toEqual(['+ q[2] = 2']);
    expect(lines(Array.from({ length: 12 }, (_, i) => i), Array.from({ length: 12 }, (_, i) => (i === 7 ? 70 : i)))).toEqual(['~ q[7]: 7 → 70']);
  });

  it('an element changed in place is opened at its own path; removal from the middle keeps the rest', () => {
    expect(lines([msg(0), msg(1), msg(2)], [msg(0), { ...msg(1), epoch: 9 }, msg(2)])).toEqual(['~ q[1].epoch: 1 → 9']);
    expect(lines([msg(0), msg(1), msg(2)], [msg(0), msg(2)])).toEqual(['- q[1] (was {id: 1, sender: 1, replicaof: -1, epoch: 1})']);
    // A removal and an addition at the same place are a change of that element.
    expect(lines([msg(0), msg(1), msg(2)], [msg(0), { ...msg(1), id: 7 }])).toEqual(['~ q[1].id: 1 → 7', '- q[2] (was {id: 2, sender: 1, replicaof: -1, epoch: 2})']);
  });

  it('falls back to index by index above the size cap', () => {
    const n = Math.ceil(Math.sqrt(SEQUENCE_DIFF_LIMIT)) + 1;
    const before = Array.from({ length: n }, (_, i) => i);
    expect(diffValues(before, before.slice(1), { path: 'q' })).toHaveLength(n);
    expect(diffValues([0, 1, 2], [1, 2], { path: 'q' })).toEqual([{ kind: 'removed', path: 'q[0]', before: 0 }]);
  });

  it('the stale-gossip counterexample: every send is a push and every delivery a pop (steps 1–6 pinned)', async () => {
    const r = await check(clusterStaleGossip, { constants: { variant: 'buggy' }, deadlock: false });
    const out = renderTrace(traceFileOf(r)!);
    const step = (k: number) => out.slice(out.indexOf(`step ${k} `), k === 6 ? undefined : out.indexOf(`step ${k + 1} `)).trimEnd().split('\n');
    const m = (id: number, sender: number, replicaof: number, epoch: number) => `{id: ${id}, sender: ${sender}, replicaof: ${replicaof}, epoch: ${epoch}}`;
    expect(step(1)).toEqual(['step 1  clusterSendPing(1)', `  + net.channels[0][0] = ${m(0, 1, 0, 1)}`, '  ~ gossipLeft: 3 → 2', '  ~ sent: 0 → 1', '    (3 unchanged: nodes, view, failoverDone)']);
    // B's failover: one header multicast to N (behind the stale PING) and to A.
    expect(step(2).slice(5, 7)).toEqual([`  + net.channels[0][1] = ${m(1, 1, -1, 2)}`, `  + net.channels[2][0] = ${m(1, 1, -1, 2)}`]);
    expect(step(3)).toContain(`  - net.channels[2][0] (was ${m(1, 1, -1, 2)})`);
    expect(step(4)).toEqual(['step 4  clusterSendPing(0)', `  + net.channels[1][0] = ${m(2, 0, 1, 2)}`, '  ~ gossipLeft: 2 → 1', '  ~ sent: 2 → 3', '    (3 unchanged: nodes, view, failoverDone)']);
    expect(step(5)).toContain(`  - net.channels[1][0] (was ${m(2, 0, 1, 2)})`);
    // The key step: N processes the stale PING at the head of its link from B (a pop; the failover header stays).
    expect(step(6)).toEqual([
      `step 6  clusterProcessPacket(link: 0, index: 0, message: ${m(0, 1, 0, 1)})`,
      '  ~ view[1].role: "primary" → "replica"',
      '  ~ view[1].replicaof: -1 → 0',
      `  - net.channels[0][0] (was ${m(0, 1, 0, 1)})`,
      '    (4 unchanged: nodes, gossipLeft, failoverDone, sent)',
    ]);
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

describe('renderTrace --diff-only on the stale-gossip counterexample', () => {
  it('the initial state shows only the fields that change later, and names the others', async () => {
    const r = await check(clusterStaleGossip, { constants: { variant: 'buggy' }, deadlock: false });
    const out = renderTrace(traceFileOf(r)!, { diffOnly: true });
    const init = out.slice(0, out.indexOf('step 1 ')).trimEnd().split('\n');
    expect(init).toHaveLength(18);
    expect(init).toContain('    net.channels = [[], [], []]');
    expect(init).not.toContain('    net.drops = 0');
    expect(init.at(-1)).toBe('    (5 never change: nodes[0].configEpoch, view[0].epoch, net.drops, net.duplicates, net.reorders)');
    expect(out).not.toContain('unchanged');
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
