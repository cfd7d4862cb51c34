/**
 * Laws of the checker, as fast-check properties over random specs and states:
 * - the fingerprint ignores object key order and the order of bags and sets;
 * - on random small transition systems the distinct count equals a plain reference explorer's, and a BFS
 *   counterexample is no longer than the shortest path a brute-force search finds;
 * - replay reproduces every trace step by step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bag, check, compileCodec, defineSpec, fingerprint, FP, setOf, SpecRuntime, WordBuffer, z } from 'interleave';

function fp(codec: ReturnType<typeof compileCodec>, value: unknown): string {
  const out = new WordBuffer(16);
  const len = codec.encode(value as never, out);
  fingerprint(out.buf, 0, len);
  return `${FP[0]}:${FP[1]}:${[...out.buf.subarray(0, len)].join(',')}`;
}

function shuffleKeys(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rnd));
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).sort(() => rnd() - 0.5);
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffleKeys(x, rnd)]));
  }
  return v;
}

const Msg = z.object({ from: z.number().int().min(0).max(3), to: z.number().int().min(0).max(3), kind: z.enum(['ping', 'pong']) });
const packedSchema = z.object({
  flags: z.array(z.boolean()).length(3),
  net: bag(Msg, { max: 5 }),
  members: setOf(z.number().int().min(0).max(7), { max: 8 }),
  mode: z.enum(['a', 'b', 'c']),
  opt: z.number().int().min(0).max(9).optional(),
});
const msgArb = fc.record({ from: fc.integer({ min: 0, max: 3 }), to: fc.integer({ min: 0, max: 3 }), kind: fc.constantFrom('ping' as const, 'pong' as const) });
const stateArb = fc.record(
  {
    flags: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    net: fc.array(msgArb, { maxLength: 5 }),
    members: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }),
    mode: fc.constantFrom('a' as const, 'b' as const, 'c' as const),
    opt: fc.integer({ min: 0, max: 9 }),
  },
  { requiredKeys: ['flags', 'net', 'members', 'mode'] },
);

describe('fingerprints are canonical', () => {
  for (const mode of ['packed', 'dynamic'] as const) {
    const codec = compileCodec(packedSchema, { forceDynamic: mode === 'dynamic' });
    it(`${mode} codec: key order and bag/set order do not change the fingerprint; decode round-trips`, () => {
      expect(codec.mode).toBe(mode);
      fc.assert(
        fc.property(stateArb, fc.integer(), (state, seed) => {
          let x = seed >>> 0 || 1;
          const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
          const permuted = shuffleKeys({ ...state, net: [...state.net].sort(() => rnd() - 0.5), members: [...state.members].reverse() }, rnd);
          expect(fp(codec, permuted)).toBe(fp(codec, state));
          const out = new WordBuffer(16);
          const len = codec.encode(state as never, out);
          const back = codec.decode(out.buf, 0, len) as typeof state;
          expect(fp(codec, back)).toBe(fp(codec, state));
          expect([...back.net].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
            [...state.net].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
          );
          expect(new Set(back.members)).toEqual(new Set(state.members));
          expect(back.opt).toBe(state.opt);
        }),
        { numRuns: 300 },
      );
    });
  }
  it('packed codec: every decoded list, bag and set has each of its indexes filled, in order (none is sparse)', () => {
    const lists = z.object({ log: z.array(Msg).min(0).max(4), net: bag(Msg, { max: 5 }), members: setOf(z.number().int().min(0).max(7), { max: 8 }) });
    const codec = compileCodec(lists);
    expect(codec.mode).toBe('packed');
    const arb = fc.record({ log: fc.array(msgArb, { maxLength: 4 }), net: fc.array(msgArb, { maxLength: 5 }), members: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }) });
    fc.assert(
      fc.property(arb, (state) => {
        const out = new WordBuffer(16);
        const back = codec.decode(out.buf, 0, codec.encode(state as never, out)) as typeof state;
        for (const [name, a] of Object.entries(back)) {
          const want = (state as Record<string, unknown[]>)[name]!;
          expect(Array.isArray(a) && a.length === want.length).toBe(true);
          expect(Object.keys(a).map(Number)).toEqual(want.map((_, i) => i));
        }
        expect(back.log).toEqual(state.log);
      }),
      { numRuns: 200 },
    );
  });
  it('packed codec: a set inside an element of a bag (decoded from the element\'s one word) round-trips at every size', () => {
    const Item = z.object({ tag: z.enum(['x', 'y']), ids: setOf(z.number().int().min(0).max(3), { max: 4 }) });
    const codec = compileCodec(z.object({ items: bag(Item, { max: 3 }), top: setOf(z.number().int().min(0).max(30), { max: 6 }) }));
    expect(codec.mode).toBe('packed');
    const itemArb = fc.record({ tag: fc.constantFrom('x' as const, 'y' as const), ids: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }) });
    const arb = fc.record({ items: fc.array(itemArb, { maxLength: 3 }), top: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }) });
    const canon = (s: { items: { tag: string; ids: number[] }[]; top: number[] }) => ({
      items: s.items.map((i) => JSON.stringify({ tag: i.tag, ids: [...i.ids].sort() })).sort(),
      top: [...s.top].sort((a, b) => a - b),
    });
    fc.assert(
      fc.property(arb, (state) => {
        const out = new WordBuffer(4);
        const len = codec.encode(state as never, out);
        const back = codec.decode(out.buf, 0, len) as typeof state;
        expect(canon(back)).toEqual(canon(state));
        const again = new WordBuffer(4);
        expect([...again.buf.subarray(0, codec.encode(back as never, again))]).toEqual([...out.buf.subarray(0, len)]);
      }),
      { numRuns: 300 },
    );
  });
  // Wide enough that the packed encoder fingerprints its stored words with a loop instead of straight-line code.
  const wide = z.object({ xs: z.array(z.number().int().min(0).max(2 ** 30)).length(40), net: bag(Msg, { max: 5 }) });
  const wideArb = fc.record({ xs: fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: 40, maxLength: 40 }), net: fc.array(msgArb, { maxLength: 5 }) });
  for (const [name, codec, arb] of [
    ['packed', compileCodec(packedSchema), stateArb],
    ['dynamic', compileCodec(packedSchema, { forceDynamic: true }), stateArb],
    ['wide packed', compileCodec(wide), wideArb],
  ] as const) {
    it(`${name} codec: encodeFingerprint writes the same words as encode and leaves their fingerprint in FP`, () => {
      if (name === 'wide packed') expect(codec.words).toBeGreaterThan(32);
      fc.assert(
        fc.property(arb, fc.nat({ max: 40 }), (state, at) => {
          const out = new WordBuffer(8);
          out.ensure(at);
          out.len = at;
          const len = codec.encodeFingerprint(state as never, out);
          const got = [FP[0], FP[1]];
          expect(out.len).toBe(at);
          const words = out.buf.slice(at, at + len);
          const alone = new WordBuffer(8);
          const n = codec.encode(state as never, alone);
          expect([...alone.buf.subarray(0, n)]).toEqual([...words]);
          fingerprint(words, 0, len);
          expect(got).toEqual([FP[0], FP[1]]);
        }),
        { numRuns: 200 },
      );
    });
  }
  it('different states get different encodings (no aliasing of distinct values)', () => {
    const codec = compileCodec(packedSchema);
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const canon = (s: typeof a) => JSON.stringify({ ...s, net: s.net.map((m) => JSON.stringify(m)).sort(), members: [...s.members].sort(), opt: s.opt ?? null });
        const same = canon(a) === canon(b);
        expect(fp(codec, a) === fp(codec, b)).toBe(same);
      }),
      { numRuns: 300 },
    );
  });
  it('packed objects and records without optional fields: any key order gives the same words; a missing or extra key is an error', () => {
    // The packed encoder reads such an object's fields while enumerating its keys, and by name when they come in
    // another order (codec.ts, readFields): both must give the same words.
    const schema = z.object({
      mode: z.enum(['a', 'b']),
      votes: z.record(z.enum(['n1', 'n2', 'n3']), z.boolean()),
      inner: z.object({ p: z.boolean(), q: z.number().int().min(0).max(5) }),
      net: bag(Msg, { max: 3 }),
    });
    const codec = compileCodec(schema);
    expect(codec.mode).toBe('packed');
    const arb = fc.record({
      mode: fc.constantFrom('a' as const, 'b' as const),
      votes: fc.record({ n1: fc.boolean(), n2: fc.boolean(), n3: fc.boolean() }),
      inner: fc.record({ p: fc.boolean(), q: fc.integer({ min: 0, max: 5 }) }),
      net: fc.array(msgArb, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, fc.integer(), (state, seed) => {
        let x = seed >>> 0 || 1;
        const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
        expect(fp(codec, shuffleKeys(state, rnd))).toBe(fp(codec, state));
        // Many hidden classes at one site, as successors made by different effects have.
        expect(fp(codec, { ...state, inner: { ...state.inner } })).toBe(fp(codec, state));
      }),
      { numRuns: 300 },
    );
    const ok = { mode: 'a', votes: { n1: true, n2: false, n3: true }, inner: { p: true, q: 2 }, net: [] };
    const { inner: _dropped, ...missing } = ok;
    expect(() => codec.encode({ ...ok, extra: 1 } as never, new WordBuffer(8))).toThrow(/field 'extra' is not in the state schema/);
    expect(() => codec.encode({ ...ok, inner: { q: 2, p: true, r: 0 } } as never, new WordBuffer(8))).toThrow(/field 'inner.r' is not in the state schema/);
    expect(() => codec.encode(missing as never, new WordBuffer(8))).toThrow(/inner/);
    expect(() => codec.encode({ ...ok, votes: { n1: true, n3: true } } as never, new WordBuffer(8))).toThrow(/votes/);
  });
  it('the generic codec is canonical for records, Sets and Maps of any key order', () => {
    const codec = compileCodec(z.object({ data: z.any() }));
    expect(codec.mode).toBe('dynamic');
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (d) => {
        const keys = Object.keys(d);
        const reversed = Object.fromEntries(keys.reverse().map((k) => [k, d[k]]));
        const set1 = new Set(Object.values(d));
        const set2 = new Set([...set1].reverse());
        const map1 = new Map(Object.entries(d));
        const map2 = new Map([...map1].reverse());
        expect(fp(codec, { data: [d, set1, map1] })).toBe(fp(codec, { data: [reversed, set2, map2] }));
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * A successor that shares parts with the state it was computed from (`{ ...s, x }`, `arr.with(i, v)`) is encoded
 * with that state as a hint: the shared parts' bits are copied from the state's words. The words must be the
 * same as without the hint, whatever is shared, at whatever offset the hint's words sit.
 */
describe('encoding with the previous state as a hint', () => {
  const Cell = z.number().int().min(0).max(6);
  const Row = z.array(Cell).length(4);
  const schema = z.object({
    grid: z.array(Row).length(3),
    pair: z.tuple([z.boolean(), z.object({ a: z.enum(['x', 'y', 'z']), b: z.number().int().min(-3).max(3) })]),
    tagged: z.discriminatedUnion('k', [z.object({ k: z.literal('on'), v: z.number().int().min(0).max(15) }), z.object({ k: z.literal('off') })]),
    maybe: Row.optional(),
    list: z.array(Row).max(2),
    rec: z.record(z.enum(['p', 'q']), Row),
    net: bag(Msg, { max: 3 }),
  });
  const cell = fc.integer({ min: 0, max: 6 });
  const row = fc.array(cell, { minLength: 4, maxLength: 4 });
  const arb = fc.record(
    {
      grid: fc.array(row, { minLength: 3, maxLength: 3 }),
      pair: fc.tuple(fc.boolean(), fc.record({ a: fc.constantFrom('x' as const, 'y' as const, 'z' as const), b: fc.integer({ min: -3, max: 3 }) })),
      tagged: fc.oneof(fc.record({ k: fc.constant('on' as const), v: fc.integer({ min: 0, max: 15 }) }), fc.constant({ k: 'off' as const })),
      maybe: row,
      list: fc.array(row, { maxLength: 2 }),
      rec: fc.record({ p: row, q: row }),
      net: fc.array(msgArb, { maxLength: 3 }),
    },
    { requiredKeys: ['grid', 'pair', 'tagged', 'list', 'rec', 'net'] },
  );
  /** Builds a successor of `prev`: at each place, the very object of `prev` (shared) or a fresh value from `fresh`. */
  function mix(prev: unknown, fresh: unknown, coin: () => boolean): unknown {
    if (coin()) return prev;
    if (Array.isArray(prev) && Array.isArray(fresh) && prev.length === fresh.length) return fresh.map((f, i) => mix(prev[i], f, coin));
    if (prev !== null && typeof prev === 'object' && fresh !== null && typeof fresh === 'object' && !Array.isArray(prev) && !Array.isArray(fresh)) {
      const keys = Object.keys(fresh);
      if (keys.length === Object.keys(prev).length && keys.every((k) => k in prev)) {
        return Object.fromEntries(keys.map((k) => [k, mix((prev as Record<string, unknown>)[k], (fresh as Record<string, unknown>)[k], coin)]));
      }
    }
    return fresh;
  }
  const codec = compileCodec(schema);
  it('gives the same words as encoding the successor alone', () => {
    expect(codec.mode).toBe('packed');
    expect(codec.words).toBeGreaterThan(2);
    fc.assert(
      fc.property(arb, arb, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), fc.integer({ min: 0, max: 7 }), (a, b, coins, at) => {
        // The previous state's words sit at offset `at` among other words, as in a frontier.
        const store = new WordBuffer(8);
        store.ensure(at).fill(-1, 0, at);
        store.len = at;
        const plen = codec.encode(a as never, store);
        store.ensure(4).fill(-1, at + plen, at + plen + 4);
        const prev = codec.decode(store.buf, at, plen);
        let c = 0;
        const next = mix(prev, b, () => coins[c++ % coins.length]!);
        const alone = new WordBuffer(4);
        const n1 = codec.encode(next as never, alone);
        const hinted = new WordBuffer(4);
        const n2 = codec.encode(next as never, hinted, prev as never, store.buf, at);
        expect([...hinted.buf.subarray(0, n2)]).toEqual([...alone.buf.subarray(0, n1)]);
      }),
      { numRuns: 500 },
    );
  });
  it('copies a shared part from the words instead of walking it again', () => {
    const out = new WordBuffer(8);
    const len = codec.encode({ grid: [[1, 2, 3, 4], [5, 6, 0, 1], [2, 3, 4, 5]], pair: [true, { a: 'y', b: -2 }], tagged: { k: 'on', v: 9 }, list: [[1, 1, 1, 1]], rec: { p: [2, 2, 2, 2], q: [3, 3, 3, 3] }, net: [{ from: 1, to: 2, kind: 'pong' }] } as never, out);
    const prev = codec.decode(out.buf, 0, len) as Record<string, unknown>;
    const words = out.buf.slice(0, len);
    // The state itself, unchanged: every word comes from the hint (here deliberately not prev's own words).
    const other = new Int32Array(len).fill(0x5555);
    const copied = new WordBuffer(4);
    codec.encode(prev as never, copied, prev as never, other, 0);
    expect([...copied.buf.subarray(0, len)]).not.toEqual([...words]);
    // With its own words, a successor sharing everything but one cell encodes as if alone.
    const grid = prev.grid as number[][];
    const next = { ...prev, grid: grid.with(2, grid[2]!.with(0, 6)) };
    const hinted = new WordBuffer(4);
    const alone = new WordBuffer(4);
    codec.encode(next as never, hinted, prev as never, words, 0);
    codec.encode(next as never, alone);
    expect([...hinted.buf.subarray(0, len)]).toEqual([...alone.buf.subarray(0, len)]);
    expect([...hinted.buf.subarray(0, len)]).not.toEqual([...words]);
  });
  it('still rejects a fresh part outside the schema next to shared parts', () => {
    const out = new WordBuffer(8);
    const len = codec.encode({ grid: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], pair: [true, { a: 'x', b: 0 }], tagged: { k: 'off' }, list: [], rec: { p: [0, 0, 0, 0], q: [0, 0, 0, 0] }, net: [] } as never, out);
    const prev = codec.decode(out.buf, 0, len) as { grid: number[][] };
    const next = { ...prev, grid: prev.grid.with(1, [0, 9, 0, 0]) };
    expect(() => codec.encode(next as never, new WordBuffer(4), prev as never, out.buf, 0)).toThrow(/grid\[1\]\[1\]/);
  });
});

/**
 * Small bag and set elements are decoded once per code and shared between states, and a shared element carries its
 * code, so encoding it again is one property read. Only a value the codec decoded may be read that way.
 */
describe('shared elements of bags and sets', () => {
  const schema = z.object({ net: bag(Msg, { max: 3 }) });
  const codec = compileCodec(schema);
  const words = (state: unknown): number[] => {
    const out = new WordBuffer(4);
    return [...out.buf.subarray(0, codec.encode(state as never, out))];
  };
  const decoded = (state: unknown) => {
    const out = new WordBuffer(4);
    return codec.decode(out.buf, 0, codec.encode(state as never, out)) as { net: z.infer<typeof Msg>[] };
  };
  it('a decoded element is encoded from the code it carries', () => {
    const m = decoded({ net: [{ from: 1, to: 2, kind: 'pong' }] }).net[0]!;
    const key = Object.getOwnPropertySymbols(m).find((k) => typeof (m as never)[k] === 'number')!;
    expect(key).toBeDefined();
    // An object holding that code under the codec's key is taken at its word, whatever its fields say.
    const forged = Object.defineProperty({ from: 0, to: 0, kind: 'ping' }, key, { value: (m as never)[key] });
    expect(words({ net: [forged] })).toEqual(words({ net: [{ from: 1, to: 2, kind: 'pong' }] }));
  });
  it('a copy of a decoded element, changed or not, is encoded from its own fields', () => {
    fc.assert(
      fc.property(fc.array(msgArb, { minLength: 1, maxLength: 3 }), msgArb, fc.nat(), (net, change, i) => {
        const prev = decoded({ net });
        const k = i % prev.net.length;
        const copy = { ...prev.net[k]!, ...change };
        const next = { net: prev.net.map((m, j) => (j === k ? copy : m)) };
        // The same messages as fresh objects (prev.net is in the codec's canonical order, not net's).
        const fresh = prev.net.map(({ from, to, kind }) => ({ from, to, kind }));
        expect(words(next)).toEqual(words({ net: fresh.map((m, j) => (j === k ? { ...m, ...change } : m)) }));
        expect(words({ net: prev.net.map((m) => ({ ...m })) })).toEqual(words({ net }));
      }),
      { numRuns: 300 },
    );
  });
  it('an element with a Set inside (which cannot be frozen) is encoded from its fields every time', () => {
    const c = compileCodec(z.object({ xs: bag(z.object({ s: z.set(z.number().int().min(0).max(2)).max(3) }), { max: 2 }) }));
    const out = new WordBuffer(4);
    const len = c.encode({ xs: [{ s: new Set([1]) }] } as never, out);
    const before = [...out.buf.subarray(0, len)];
    const state = c.decode(out.buf, 0, len) as { xs: { s: Set<number> }[] };
    state.xs[0]!.s.add(2); // a spec modifying a shared element: the mutation check must see it
    const again = new WordBuffer(4);
    expect([...again.buf.subarray(0, c.encode(state as never, again))]).not.toEqual(before);
  });
});

/** A random transition system: `size` states 0..size-1, edges listed per state, some initial and bad states. */
const graphArb = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.record({
      size: fc.constant(size),
      edges: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 4 }), { minLength: size, maxLength: size }),
      inits: fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { minLength: 1, maxLength: 3 }),
      bad: fc.uniqueArray(fc.integer({ min: 0, max: size - 1 }), { maxLength: 3 }),
      dup: fc.boolean(),
    }),
  );

type Graph = { size: number; edges: number[][]; inits: number[]; bad: number[]; dup: boolean };

function specOf(g: Graph, withInvariant: boolean) {
  return defineSpec({
    name: 'random-graph',
    state: z.object({ v: z.number().int().min(0).max(g.size - 1), pad: z.boolean() }),
    init: () => g.inits.map((v) => ({ v, pad: false })),
    actions: ({ action }) => ({
      go: action({ params: (s) => g.edges[s.v]!, effect: (s, _c, to) => ({ v: to, pad: s.pad }) }),
      // A second action with the same effect exercises duplicate successors across actions.
      also: action({ guard: (s) => g.dup && g.edges[s.v]!.length > 0, effect: (s) => ({ v: g.edges[s.v]![0]!, pad: s.pad }) }),
    }),
    invariants: withInvariant ? { good: (s) => !g.bad.includes(s.v) } : {},
  });
}

/** Reference explorer: plain BFS over numbers with a Set and a distance map. */
function reference(g: Graph): { reachable: number; dist: Map<number, number> } {
  const dist = new Map<number, number>();
  const queue: number[] = [];
  for (const i of g.inits) if (!dist.has(i)) (dist.set(i, 0), queue.push(i));
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    for (const w of g.edges[v]!) if (!dist.has(w)) (dist.set(w, dist.get(v)! + 1), queue.push(w));
  }
  return { reachable: dist.size, dist };
}

describe('the checker agrees with a reference explorer on random transition systems', () => {
  it('distinct count equals the reference; generated counts every successor', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, async (g) => {
        const r = await check(specOf(g, false), { deadlock: false });
        const ref = reference(g);
        expect(r.status).toBe('ok');
        expect(r.stats.distinct).toBe(ref.reachable);
        let generated = g.inits.length;
        for (const v of ref.dist.keys()) generated += g.edges[v]!.length + (g.dup && g.edges[v]!.length > 0 ? 1 : 0);
        expect(r.stats.generated).toBe(generated);
      }),
      { numRuns: 150 },
    );
  });
  it('a BFS counterexample is a shortest path to a bad state, and replay reproduces it', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, async (g) => {
        const spec = specOf(g, true);
        const r = await check(spec, { deadlock: false });
        const ref = reference(g);
        const reachableBad = g.bad.filter((b) => ref.dist.has(b)).map((b) => ref.dist.get(b)!);
        if (reachableBad.length === 0) {
          expect(r.status).toBe('ok');
          return;
        }
        expect(r.status).toBe('violation');
        if (r.status !== 'violation') return;
        expect(r.trace.steps.length - 1).toBe(Math.min(...reachableBad));
        // Replay: every step is the named action with its parameter applied to the previous state.
        const rt = new SpecRuntime(spec);
        for (let i = 1; i < r.trace.steps.length; i++) {
          const step = r.trace.steps[i]!;
          const action = rt.actions.find((a) => a.name === step.action)!;
          const prev = r.trace.steps[i - 1]!.state;
          expect(rt.domain(action, prev)).toContainEqual(step.params ?? null);
          expect(rt.enabled(action, prev, step.params)).toBe(true);
          expect(rt.canonical(rt.step(action, prev, step.params))).toEqual(step.state);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('shortest counterexamples across kinds', () => {
  it('with deadlock checking on, the counterexample is as short as the nearest bad or deadlocked state', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, async (g) => {
        const r = await check(specOf(g, true), { deadlock: true });
        const ref = reference(g);
        const lengths: number[] = [];
        for (const [v, d] of ref.dist) {
          if (g.bad.includes(v)) lengths.push(d);
          if (g.edges[v]!.length === 0) lengths.push(d);
        }
        if (lengths.length === 0) {
          expect(r.status).toBe('ok');
          return;
        }
        expect(r.status).toBe('violation');
        if (r.status === 'violation') expect(r.trace.steps.length - 1).toBe(Math.min(...lengths));
      }),
      { numRuns: 200 },
    );
  });
});
