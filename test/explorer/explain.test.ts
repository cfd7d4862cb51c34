/**
 * Explanations and views without a browser: what the read-recording Proxy logs, the explain hook, views that throw,
 * and the CLI path (`check --trace-out` writes them, `show` prints them from the file alone).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assert, check, defineSpec, z } from 'interleave';
import { main } from '../../src/cli/main.ts';
import { annotateForTrace, readTrace, recordReads, traceFileOf } from '../../src/trace/index.ts';

describe('recordReads', () => {
  it('logs leaf paths, containers whose size or keys were read, and Sets/Maps as a whole', () => {
    const state = { a: 1, b: { c: [10, 20, 30], d: 'x' }, s: new Set([1, 2]), m: new Map([['k', 1]]), e: [] as number[] };
    const log = recordReads(state, (p: any) => p.a === 1 && p.b.c[2] === 30 && p.s.has(2) && p.m.get('k') === 1 && p.e.length === 0 && Object.keys(p.b).length === 2);
    expect(log.result).toEqual({ value: true });
    // b's keys were read, but also b.c[2]: the leaf says more, so the container b is dropped.
    expect(log.paths).toEqual(['a', 'b.c[2]', 's', 'm', 'e']);
    // map/filter/some over an array read its elements, not the array itself.
    expect(recordReads(state, (p: any) => p.b.c.some((x: number) => x > 15)).paths).toEqual(['b.c[0]', 'b.c[1]']);
    expect(recordReads(state, (p: any) => 'd' in p.b).paths).toEqual(['b.d']);
    // The argument is a copy: a predicate that writes cannot change the state, and frozen states work.
    const frozen = Object.freeze({ x: Object.freeze({ y: 1 }) });
    expect(recordReads(frozen, (p: any) => p.x.y).paths).toEqual(['x.y']);
    const thrown = recordReads({ q: 1 }, (p: any) => p.q.r.s);
    expect(thrown.paths).toEqual(['q']);
    expect('threw' in thrown.result).toBe(true);
  });
});

const root = path.resolve(import.meta.dirname, '../..');

const counter = defineSpec({
  name: 'counter',
  state: z.object({ n: z.number().int(), m: z.number().int(), tag: z.string() }),
  init: () => ({ n: 0, m: 0, tag: 'a' }),
  actions: {
    inc: { guard: (s) => s.n < 2, effect: (s) => ({ ...s, n: s.n + 1 }) },
    bump: { guard: (s) => s.m < 1, effect: (s) => ({ ...s, m: s.m + 1, tag: 'b' }) },
  },
  invariants: { small: (s) => s.n + s.m < 3 },
  views: { total: (s) => s.n + s.m, broken: (s) => (s.n > 1 ? (null as unknown as { x: 1 }).x : 'ok') },
});

describe('explanations and views in traces', () => {
  it('check records what the invariant read, each field with the step where it last changed, and every view', async () => {
    const r = await check(counter);
    const t = annotateForTrace(traceFileOf(r)!, counter, r as never);
    expect(t.steps.map((s) => s.action)).toEqual(['init', 'inc', 'inc', 'bump']);
    expect(t.explanation).toEqual({
      property: 'small',
      kind: 'invariant',
      message: "invariant 'small' is violated",
      step: 3,
      source: 'reads',
      fields: [
        { path: 'n', value: 2, changedAt: 2 },
        { path: 'm', value: 1, changedAt: 3 },
      ],
    });
    expect(t.steps.map((s) => s.views)).toEqual([
      { total: 0, broken: 'ok' },
      { total: 1, broken: 'ok' },
      { total: 2, broken: { '#unserializable': "threw TypeError: Cannot read properties of null (reading 'x')" } },
      { total: 3, broken: { '#unserializable': "threw TypeError: Cannot read properties of null (reading 'x')" } },
    ]);
    // The annotated trace is a valid trace file and reads back unchanged.
    expect(readTrace(JSON.stringify(t)).trace).toEqual(t);
  });

  it("a spec's explain hook names the fields; one that throws falls back to the reads", async () => {
    const hooked = defineSpec({ ...counterDefinition(), name: 'hooked', explain: (_s, _c, p) => (p === 'small' ? { fields: ['tag'], note: 'the tag says bump ran' } : undefined) });
    const r = await check(hooked);
    const e = annotateForTrace(traceFileOf(r)!, hooked, r as never).explanation!;
    expect([e.source, e.note, e.fields]).toEqual(['hook', 'the tag says bump ran', [{ path: 'tag', value: 'b', changedAt: 3 }]]);
    const throwing = defineSpec({ ...counterDefinition(), name: 'throwing', explain: () => { throw new Error('no'); } });
    const r2 = await check(throwing);
    const e2 = annotateForTrace(traceFileOf(r2)!, throwing, r2 as never).explanation!;
    expect([e2.source, e2.note, e2.fields.map((f) => f.path)]).toEqual(['reads', "the spec's explain hook threw Error: no; showing the fields the predicate read", ['n', 'm']]);
  });

  it('an assertion: the fields the failing action read before its assert', async () => {
    const asserting = defineSpec({
      name: 'asserting',
      state: z.object({ x: z.number().int(), y: z.number().int(), z: z.number().int() }),
      init: () => ({ x: 0, y: 7, z: 0 }),
      actions: {
        step: { guard: (s) => s.x < 2, effect: (s) => ({ ...s, x: s.x + 1 }) },
        check: {
          effect: (s) => {
            assert(s.x < 2 || s.y < 5, 'xyBound', `x=${s.x} y=${s.y}`);
            return { ...s, z: s.z + 1 };
          },
        },
      },
    });
    const r = await check(asserting, { deadlock: false });
    const t = annotateForTrace(traceFileOf(r)!, asserting, r as never);
    expect(t.explanation).toEqual({ property: 'xyBound', kind: 'assertion', message: 'x=2 y=7', step: 3, source: 'reads', fields: [{ path: 'x', value: 2, changedAt: 2 }, { path: 'y', value: 7, changedAt: 0 }] });
  });

  it('the CLI: check --trace-out writes them, show prints them from the file alone', async () => {
    // Inside the repository, so the spec's `import 'interleave'` resolves.
    mkdirSync(path.join(root, 'test-output'), { recursive: true });
    const dir = mkdtempSync(path.join(root, 'test-output', 'explain-'));
    const specFile = path.join(dir, 'counter.ts');
    writeFileSync(specFile, `import { defineSpec, z } from 'interleave';\nexport const counter = defineSpec(${counterSource});\n`);
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), isTTY: false, color: false };
    const traceFile = path.join(dir, 't.json');
    expect(await main(['check', specFile, '--trace-out', traceFile], io)).toBe(1);
    const t = JSON.parse(readFileSync(traceFile, 'utf8'));
    expect(t.explanation.fields).toEqual([{ path: 'n', value: 2, changedAt: 2 }, { path: 'm', value: 1, changedAt: 3 }]);
    expect(t.steps[3].views).toEqual({ total: 3 });
    // show reads only the trace: delete the spec first.
    writeFileSync(specFile, 'throw new Error("the spec must not be loaded");\n');
    out.length = 0;
    expect(await main(['show', traceFile], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('step 3  bump\n  ~ m: 0 → 1\n  ~ tag: "a" → "b"\n    (1 unchanged: n)\n  = total: 3');
    expect(text).toContain("why: invariant 'small' fails at step 3 — invariant 'small' is violated\n  the fields the predicate read:\n    n = 2  (last changed at step 2)\n    m = 1  (last changed at step 3)");
  });
});

const counterSource = `{
  name: 'counter',
  state: z.object({ n: z.number().int(), m: z.number().int(), tag: z.string() }),
  init: () => ({ n: 0, m: 0, tag: 'a' }),
  actions: {
    inc: { guard: (s) => s.n < 2, effect: (s) => ({ ...s, n: s.n + 1 }) },
    bump: { guard: (s) => s.m < 1, effect: (s) => ({ ...s, m: s.m + 1, tag: 'b' }) },
  },
  invariants: { small: (s) => s.n + s.m < 3 },
  views: { total: (s) => s.n + s.m },
}`;

function counterDefinition() {
  return {
    state: z.object({ n: z.number().int(), m: z.number().int(), tag: z.string() }),
    init: () => ({ n: 0, m: 0, tag: 'a' }),
    actions: {
      inc: { guard: (s: { n: number }) => s.n < 2, effect: (s: { n: number; m: number; tag: string }) => ({ ...s, n: s.n + 1 }) },
      bump: { guard: (s: { m: number }) => s.m < 1, effect: (s: { n: number; m: number; tag: string }) => ({ ...s, m: s.m + 1, tag: 'b' }) },
    },
    invariants: { small: (s: { n: number; m: number }) => s.n + s.m < 3 },
  };
}
