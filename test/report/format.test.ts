/** Parameters print one way everywhere: trace text, error messages, replay divergences, graph labels, JSON. */
import { describe, expect, it } from 'vitest';
import { check, defineSpec, formatStep, replay, traceFileOf, z } from 'interleave';
import { exploreGraph } from '../../src/graph/index.ts';
import { formatAction } from '../../src/report/format.ts';
import { renderTrace } from '../../src/report/text.ts';

const spec = (boom: boolean) =>
  defineSpec({
    name: 'params',
    state: z.object({ n: z.number().int().min(0).max(3) }),
    init: () => ({ n: 0 }),
    actions: ({ action }) => ({
      move: action({
        params: [{ from: 0, to: 1 }, { from: 1, to: 2 }],
        guard: (s, _c, p) => s.n === p.from,
        effect: (_s, _c, p) => {
          if (boom && p.from === 1) throw new Error('boom');
          return { n: p.to };
        },
      }),
    }),
    invariants: { belowTwo: (s) => s.n < 2 },
  });

describe('one way to print a parameter', () => {
  it('formatStep (errors, replay, graph) is formatAction (traces): names for records, the value otherwise', () => {
    for (const p of [{ from: 1, to: 0 }, 3, 'x', [1, 2], null, new Set([1]), { link: 0, message: { id: 1 } }]) expect(formatStep('a', p)).toBe(formatAction('a', p));
    expect(formatStep('deliver', { from: 1, to: 0 })).toBe('deliver(from: 1, to: 0)');
    expect(formatStep('failover', 1)).toBe('failover(1)');
    expect(formatStep('tick', null)).toBe('tick');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatStep('loop', cyclic)).toBe('loop([object Object])');
  });

  it('the same text in the trace, in an error message, in a replay divergence and in a graph label', async () => {
    const r = await check(spec(false));
    const t = traceFileOf(r)!;
    expect(renderTrace(t)).toContain('step 2  move(from: 1, to: 2)');
    // JSON carries the record itself; its text form is the same everywhere.
    expect(t.steps[2]!.params).toEqual({ from: 1, to: 2 });

    const thrown = await check(spec(true));
    expect(thrown.status).toBe('error');
    if (thrown.status === 'error') expect(thrown.error.message).toContain("action 'move(from: 1, to: 2)' threw Error: boom, after move(from: 0, to: 1)");

    const bad = structuredClone(t);
    bad.steps[2]!.state = { n: 3 };
    const d = replay(spec(false), bad);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.message).toContain('step 2 (move(from: 1, to: 2))');

    const g = await exploreGraph(spec(false), {});
    const labels: string[] = [];
    g.graph.forEachEdge((_k, a) => labels.push(a.label));
    expect(labels.sort()).toEqual(['move(from: 0, to: 1)', 'move(from: 1, to: 2)']);
  });

  it('JSON: an error carries the parameter as the trace writes it (a Set as #set), and the path before it as text', async () => {
    const sets = defineSpec({
      name: 'set-params',
      state: z.object({ n: z.number().int().min(0).max(3) }),
      init: () => ({ n: 0 }),
      actions: ({ action }) => ({
        add: action({
          params: [new Set([2, 1]), new Set([3])],
          guard: (s, _c, p) => s.n < 2 && (s.n === 0 || p.has(3)),
          effect: (s, _c, p) => {
            if (s.n === 1) throw new Error('boom');
            return { n: s.n + p.size };
          },
        }),
      }),
      invariants: {},
    });
    const r = await check(sets, { deadlock: false });
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.error.message).toContain("action 'add({3})' threw Error: boom, after add({3})");
    const json = JSON.parse(JSON.stringify(r.error));
    expect(json.details.params).toEqual({ '#set': [3] });
    expect(json.details.path).toEqual(['add({3})']);
  });
});
