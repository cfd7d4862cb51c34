import { describe, expect, it } from 'vitest';
import { check, traceFileOf } from 'interleave';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { chartOptionsFromSpec } from '../../src/cli/commands/view.ts';
import type { TraceFile } from '../../src/trace/index.ts';
import { renderViewerHtml, scriptJson, sequenceChart } from '../../src/viewer/index.ts';
import { gossip, gossipBuggyTrace, twoPhaseTrace, twoPhaseWithNoCommit } from '../helpers/traces.ts';

const tf = (states: Record<string, unknown>[], actions?: string[]): TraceFile => ({
  version: 1,
  spec: { name: 't' },
  constants: {},
  seed: 0,
  property: null,
  steps: states.map((state, i) => ({ action: i === 0 ? 'init' : (actions?.[i] ?? 'step'), params: null, state })),
});

describe('sequenceChart', () => {
  it('finds the two stale-gossip messages in the bag net: node1 → node0, delivered out of order', async () => {
    const t = await gossipBuggyTrace();
    const chart = sequenceChart(t, chartOptionsFromSpec(gossip, t));
    expect(chart.source).toBe('heuristic');
    expect(chart.processes).toEqual(['node0', 'node1', 'node2']);
    expect(chart.actors).toEqual([null, 'node1', 'node1', 'node1', 'node0', 'node0']);
    expect(chart.messages.map((m) => [m.from, m.to, m.sent, m.ended, m.status, m.label])).toEqual([
      ['node1', 'node0', 1, 5, 'delivered', 'replicaOf: 0, epoch: 0'],
      ['node1', 'node0', 3, 4, 'delivered', 'replicaOf: 1, epoch: 1'],
    ]);
  });

  it('uses the process of the sending action when messages carry no sender (two-phase commit msgs)', async () => {
    const t = await twoPhaseTrace();
    const chart = sequenceChart(t, chartOptionsFromSpec(twoPhaseWithNoCommit, t));
    expect(chart.messages.length).toBeGreaterThan(0);
    const commit = chart.messages.find((m) => m.label === 'Commit')!;
    expect(commit).toMatchObject({ from: 'TM', status: 'undelivered', ended: null });
    expect(chart.messages.filter((m) => m.label.startsWith('Prepared')).map((m) => m.from).sort()).toEqual(['RM0', 'RM1']);
  });

  it('counts duplicates as separate messages and marks drops by the action name', () => {
    const m = { src: 'a', dst: 'b', v: 1 };
    const t = tf([{ q: [] }, { q: [m] }, { q: [m, m] }, { q: [m] }, { q: [] }], ['', 'send', 'send', 'networkDrop', 'recv']);
    const chart = sequenceChart(t);
    expect(chart.messages.map((x) => [x.sent, x.ended, x.status])).toEqual([
      [1, 3, 'dropped'],
      [2, 4, 'delivered'],
    ]);
    expect(chart.processes).toEqual(['a', 'b']);
  });

  it('finds channels nested in a network component (channels[link]) and messages still in flight', () => {
    const t = tf([{ net: { channels: [[], []], drops: 1 } }, { net: { channels: [[{ type: 'ping', id: 1 }], []], drops: 1 } }]);
    const chart = sequenceChart(t, { actors: [null, 'client'] });
    expect(chart.messages).toMatchObject([{ from: 'client', to: '?', sent: 1, ended: null, status: 'undelivered', channel: 'net.channels[0]', label: 'ping(id: 1)' }]);
  });

  it('uses the view.messages hook when the spec declares one', () => {
    const t = tf([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }], ['', 'send', 'lose', 'x']);
    const chart = sequenceChart(t, {
      processes: ['p', 'q'],
      messages: (s) => (s.n === 1 ? [{ id: 'm1', from: 'p', to: 'q', label: 'hello' }] : s.n === 3 ? [{ id: 'm2', from: 'q', to: 'p', label: 'bye' }] : []),
    });
    expect(chart.source).toBe('hooks');
    expect(chart.messages.map((m) => [m.from, m.to, m.sent, m.ended, m.status])).toEqual([
      ['p', 'q', 1, 2, 'dropped'],
      ['q', 'p', 3, null, 'undelivered'],
    ]);
  });

  it('stale gossip (view hooks): the failover multicast to A and N under one id is two arrows; B → A delivered at step 3', async () => {
    for (const ordering of ['fifo', 'bag']) {
      const r = await check(clusterStaleGossip, { constants: { variant: 'buggy', ordering }, deadlock: false });
      const t = traceFileOf(r)!;
      const chart = sequenceChart(t, chartOptionsFromSpec(clusterStaleGossip, t));
      expect(chart.source).toBe('hooks');
      expect(chart.messages.map((m) => [m.from, m.to, m.sent, m.ended, m.status, m.label])).toEqual([
        ['B', 'N', 1, 6, 'delivered', 'B replica of A e1'],
        ['B', 'N', 2, null, 'undelivered', 'B primary e2'],
        ['B', 'A', 2, 3, 'delivered', 'B primary e2'],
        ['A', 'N', 4, 5, 'delivered', 'A replica of B e2'],
      ]);
      expect(new Set(chart.messages.map((m) => m.id)).size).toBe(4);
    }
  });

  it('hooks: one id to two receivers is two messages; a duplicated copy is a third, delivered separately', () => {
    const m = (to: string) => ({ id: 'h1', from: 'B', to, label: 'pong' });
    const t = tf([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], ['', 'send', 'networkDuplicate', 'recv', 'recv']);
    const inFlight: Record<number, { id: string; from: string; to: string; label: string }[]> = {
      0: [],
      1: [m('A'), m('N')],
      2: [m('A'), m('N'), m('N')],
      3: [m('N'), m('N')],
      4: [m('N')],
    };
    const chart = sequenceChart(t, { processes: ['A', 'B', 'N'], messages: (s) => inFlight[s.n as number]! });
    expect(chart.messages.map((x) => [x.id, x.to, x.sent, x.ended, x.status])).toEqual([
      ['h1:B→A@1', 'A', 1, 3, 'delivered'],
      ['h1:B→N@1', 'N', 1, 4, 'delivered'],
      ['h1:B→N@2', 'N', 2, null, 'undelivered'],
    ]);
  });

  it('ignores arrays that are not messages (matrices, plain lists)', () => {
    expect(sequenceChart(tf([{ R: [[0, 0], [0, 0]], log: [1] }, { R: [[1, 0], [0, 0]], log: [1, 2] }])).messages).toEqual([]);
  });
});

describe('renderViewerHtml', () => {
  it('is one self-contained page: no external URL to load, data escaped so </script> cannot break out', async () => {
    const t = await gossipBuggyTrace();
    t.steps[1]!.state.note = '</script><script>alert(1)</script>';
    const html = renderViewerHtml(t);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html.match(/<\/script>/g)!.length).toBe(3);
    expect(html).toContain("default-src 'none'");
    expect(scriptJson({ s: '</script>&\u2028' })).toBe('{"s":"\\u003c/script\\u003e\\u0026\\u2028"}');
  });
});
