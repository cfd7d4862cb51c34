import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareValues, fromItf, readTrace, toItf, valueFromItf, valueToItf, type TraceFile } from '../../src/trace/index.ts';
import { dieHardTrace, gossipBuggyTrace, twoPhaseTrace } from '../helpers/traces.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/itf/${name}`, import.meta.url), 'utf8');
const sortValues = (xs: unknown[]) => [...xs].sort(compareValues);
const sortEntries = (xs: [unknown, unknown][]) => [...xs].sort((a, b) => compareValues(a[0], b[0]));

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/);
const bigBeyondSafe = fc.bigInt().filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER));

/** Values of our trace format: JSON plus canonical #set/#map, #tup and #bigint beyond ±2^53. */
const ourValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    bigBeyondSafe.map((n) => ({ '#bigint': n.toString() })),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => ({ '#set': sortValues(xs) })),
    fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 3 }).map((es) => ({ '#map': sortEntries(es) })),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => ({ '#tup': xs })),
  ),
})).v;

/** ITF values as Quint writes them: every integer as #bigint, sets and maps in canonical order. */
const itfValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.bigInt().map((n) => ({ '#bigint': n.toString() })),
    fc.string(),
    fc.boolean(),
    fc.constant({ tag: 'None', value: { '#tup': [] } }),
    fc.record({ tag: fc.constantFrom('Some', 'Leader', 'Vote'), value: tie('v') }),
    fc.stringMatching(/^<[a-z ]{1,10}>$/).map((s) => ({ '#unserializable': s })),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key.filter((k) => k !== 'tag'), tie('v'), { maxKeys: 4 }),
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => ({ '#set': sortValues(xs) })),
    fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 3 }).map((es) => ({ '#map': sortEntries(es) })),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => ({ '#tup': xs })),
  ),
})).v;

describe('ITF values', () => {
  it('ours → ITF → ours is the identity (records, sets, maps, tuples, nested arrays, big integers, null, doubles)', () => {
    fc.assert(fc.property(ourValue, (v) => {
        expect(valueFromItf(JSON.parse(JSON.stringify(valueToItf(v))))).toEqual(v);
      }), { numRuns: 400 });
  });
  it('ITF → ours → ITF is the identity for what Quint writes', () => {
    fc.assert(fc.property(itfValue, (v) => {
        expect(valueToItf(valueFromItf(v))).toEqual(v);
      }), { numRuns: 400 });
  });
  it('writes integers as #bigint (as Quint does) and reads plain numbers too (as Apalache writes them)', () => {
    expect(valueToItf(5)).toEqual({ '#bigint': '5' });
    expect(valueFromItf(5)).toBe(5);
    expect(valueFromItf({ '#bigint': '-12' })).toBe(-12);
    expect(valueFromItf({ '#bigint': '9007199254740993' })).toEqual({ '#bigint': '9007199254740993' });
  });
  it('writes sets and maps in canonical order whatever order they came in', () => {
    expect(valueToItf({ '#set': [3, 1, 2] })).toEqual({ '#set': [{ '#bigint': '1' }, { '#bigint': '2' }, { '#bigint': '3' }] });
    expect(valueFromItf({ '#map': [['b', 1], ['a', 2]] })).toEqual({ '#map': [['a', 2], ['b', 1]] });
  });
  it('rejects unknown tags, malformed tagged values and non-integer numbers with ITF_INVALID naming the field', () => {
    expect(() => valueFromItf({ x: { '#frob': 1 } }, '', 3)).toThrow("state 3, field 'x': unknown tag '#frob'");
    expect(() => valueFromItf({ '#bigint': 'ten' }, 'n')).toThrow(/#bigint expects a string of digits/);
    expect(() => valueFromItf({ '#map': [[1]] }, 'm')).toThrow(/#map entry 0 is not a \[key, value\] pair/);
    expect(() => valueFromItf(1.5, 'f')).toThrow(/not an integer/);
    expect(() => valueFromItf(null, 'z')).toThrow(/null is not an ITF value/);
  });
});

describe('ITF traces', () => {
  it('round-trips our traces (die-hard, buggy gossip, two-phase commit) through ITF text', async () => {
    for (const make of [dieHardTrace, gossipBuggyTrace, twoPhaseTrace]) {
      const t = await make();
      const itf = toItf(t);
      expect(itf.vars).toEqual(Object.keys(t.steps[0]!.state));
      expect(itf.states[1]!['mbt::actionTaken']).toBe(t.steps[1]!.action);
      const back = readTrace(JSON.stringify(itf));
      expect(back.format).toBe('itf');
      expect(back.trace).toEqual(t);
    }
  });

  it("writes parameters as Quint's mbt::nondetPicks (Some per field) and the loop index", () => {
    const t: TraceFile = {
      version: 1,
      spec: { name: 'x' },
      constants: {},
      seed: 0,
      property: null,
      steps: [
        { action: 'init', params: null, state: { a: 0 } },
        { action: 'deliver', params: { from: 1, to: 0 }, state: { a: 1 } },
        { action: 'pick', params: 2, state: { a: 2 } },
      ],
      loop: 1,
    };
    const itf = toItf(t);
    expect(itf.states[1]!['mbt::nondetPicks']).toEqual({ from: { tag: 'Some', value: { '#bigint': '1' } }, to: { tag: 'Some', value: { '#bigint': '0' } } });
    expect(itf.states[2]!['mbt::nondetPicks']).toEqual({ param: { tag: 'Some', value: { '#bigint': '2' } } });
    expect(itf.states[0]!['#meta']).toEqual({ index: 0 });
    expect(itf.loop).toBe(1);
    expect(fromItf(JSON.parse(JSON.stringify(itf)))).toEqual(t);
  });

  it('reads a Quint trace: repeated vars, mbt::actionTaken, Some/None nondet picks, big integers', () => {
    const { trace, format } = readTrace(fixture('quint-counter.itf.json'));
    expect(format).toBe('itf');
    expect(trace.spec).toEqual({ name: 'counter' });
    expect(trace.steps.map((s) => s.action)).toEqual(['init', 'add', 'add', 'reset']);
    expect(trace.steps.map((s) => s.params)).toEqual([null, { amount: 3 }, { amount: { '#bigint': '-9007199254740993' } }, null]);
    expect(Object.keys(trace.steps[0]!.state)).toEqual(['log', 'n']);
    expect(trace.steps[2]!.state).toEqual({ log: [3, { '#bigint': '-9007199254740993' }], n: -9007199254740990 });
  });

  it('reads variants, sets, maps with tuple keys, None as null, #unserializable and the loop', () => {
    const { trace } = readTrace(fixture('quint-cluster.itf.json'));
    expect(trace.loop).toBe(1);
    expect(trace.steps[0]!.state.leader).toBeNull();
    expect(trace.steps[2]!.state.leader).toEqual({ tag: 'Some', value: 'n1' });
    expect(trace.steps[0]!.state.roles).toEqual({ '#map': [['n1', { tag: 'Follower', value: { '#tup': [] } }], ['n2', { tag: 'Follower', value: { '#tup': [] } }]] });
    expect(trace.steps[1]!.state.msgs).toEqual({ '#set': [{ from: 'n1', to: 'n2', kind: { tag: 'Vote', value: 1 } }] });
    expect(trace.steps[0]!.state.terms).toEqual({ '#map': [[{ '#tup': ['n1', 0] }, true]] });
    expect(trace.steps[2]!.state.debug).toEqual({ '#unserializable': '<function>' });
    expect(trace.steps[1]).toMatchObject({ action: 'requestVote', params: { from: 'n1', to: 'n2' } });
  });

  it('reads an Apalache trace: plain numbers, params as constants, steps named step', () => {
    const { trace } = readTrace(fixture('apalache-plain-numbers.itf.json'));
    expect(trace.constants).toEqual({ N: 3 });
    expect(trace.steps).toEqual([
      { action: 'init', params: null, state: { x: 0, y: { '#tup': [1, 'a'] } } },
      { action: 'step', params: null, state: { x: 1, y: { '#tup': [2, 'b'] } } },
    ]);
  });

  it('rejects malformed ITF traces', () => {
    expect(() => readTrace('{"#meta": {}, "vars": []}', 'x.itf.json')).toThrow(/ITF_INVALID|needs a `states` array/);
    expect(() => readTrace('{"states": []}', 'x.itf.json')).toThrow(/no states/);
    expect(() => readTrace('{"states": [{"x": {"#frob": 1}}]}', 'x.itf.json')).toThrow("x.itf.json: state 0, field 'x': unknown tag '#frob'");
    expect(() => readTrace('{"states": [{"x": 1}], "loop": 4}', 'x.itf.json')).toThrow(/loop 4 is not a state index/);
  });
});
