import { describe, expect, it } from 'vitest';
import { readTrace, toJson, traceFileSchema, TRACE_FORMAT_VERSION } from '../../src/trace/index.ts';
import { dieHardTrace, gossipBuggyTrace, twoPhaseTrace } from '../helpers/traces.ts';

describe('trace format v1', () => {
  it('round-trips check → traceFileOf → JSON → readTrace for die-hard, buggy gossip and two-phase commit', async () => {
    for (const make of [dieHardTrace, gossipBuggyTrace, twoPhaseTrace]) {
      const t = await make();
      expect(t.version).toBe(TRACE_FORMAT_VERSION);
      expect(t.steps[0]!.action).toBe('init');
      const back = readTrace(JSON.stringify(t, null, 2));
      expect(back.format).toBe('interleave');
      expect(back.trace).toEqual(t);
      expect(traceFileSchema.parse(t)).toEqual(t);
    }
  });

  it('records the violated property, kind, seed and constants', async () => {
    const t = await gossipBuggyTrace();
    expect(t).toMatchObject({ spec: { name: 'gossip', file: 'specs/bench/gossip.ts' }, property: 'noReplicaLoop', kind: 'invariant', seed: 0, shortest: true });
    expect(t.constants).toEqual({ variant: 'buggy', maxEpoch: 2, bagSize: 4 });
    expect(t.steps.map((s) => s.action)).toEqual(['init', 'send', 'failover', 'send', 'deliver', 'deliver']);
  });

  it('writes Sets and Maps as canonical #set / #map values and bigints as #bigint', () => {
    expect(toJson(new Set([3, 1, 2]))).toEqual({ '#set': [1, 2, 3] });
    expect(toJson(new Map<unknown, unknown>([['b', 1], ['a', new Set(['y', 'x'])]]))).toEqual({ '#map': [['a', { '#set': ['x', 'y'] }], ['b', 1]] });
    expect(toJson(2n ** 70n)).toEqual({ '#bigint': '1180591620717411303424' });
    expect(toJson({ a: undefined, b: [undefined] })).toEqual({ b: [null] });
  });
});

describe('readTrace errors name the step and field', () => {
  const good = { version: 1, spec: { name: 's' }, steps: [{ action: 'init', params: null, state: { x: 1 } }, { action: 'inc', params: null, state: { x: 2 } }] };
  const code = (text: string) => {
    try {
      readTrace(text, 't.json');
    } catch (e) {
      return `${(e as { code: string }).code}: ${(e as Error).message}`;
    }
    return 'no error';
  };

  it('rejects text that is not JSON', () => {
    expect(code('{"version": 1,')).toMatch(/^TRACE_INVALID: t\.json is not valid JSON/);
  });
  it('rejects another version and a missing version', () => {
    expect(code(JSON.stringify({ ...good, version: 2 }))).toBe('TRACE_INVALID: t.json: trace format version 2 is not supported (this interleave reads version 1)');
    expect(code(JSON.stringify({ spec: good.spec, steps: good.steps }))).toMatch(/no 'version' field/);
  });
  it('names the step and field of a schema failure', () => {
    const bad = structuredClone(good) as any;
    bad.steps[1].state = 'oops';
    expect(code(JSON.stringify(bad))).toMatch(/^TRACE_INVALID: t\.json: step 1, field state: /);
    const noAction = structuredClone(good) as any;
    delete noAction.steps[1].action;
    expect(code(JSON.stringify(noAction))).toMatch(/step 1, field action/);
    const notInit = structuredClone(good) as any;
    notInit.steps[0].action = 'start';
    expect(code(JSON.stringify(notInit))).toMatch(/step 0, field action: steps\[0\] must be the initial state/);
    expect(code(JSON.stringify({ ...good, loop: 5 }))).toMatch(/field loop: loop 5 is past the last step/);
  });
  it('rejects __proto__, constructor and prototype keys without polluting any prototype', () => {
    const text = '{"version":1,"spec":{"name":"s"},"steps":[{"action":"init","params":null,"state":{"x":{"__proto__":{"polluted":true}}}}]}';
    expect(code(text)).toMatch(/^TRACE_INVALID: t\.json: forbidden key '__proto__' at \$\.steps\[0\]\.state\.x\.__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(code(text.replace('__proto__', 'constructor'))).toMatch(/forbidden key 'constructor'/);
    expect(code(text.replace('__proto__', 'prototype'))).toMatch(/forbidden key 'prototype'/);
  });
});
