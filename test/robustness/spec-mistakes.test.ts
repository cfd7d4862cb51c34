/**
 * Issue 7, part 1: every mistake in a spec gives a clear message with a code, naming the spec, the action, its
 * parameters and, where there is one, the path of steps that led there.
 */
import { describe, expect, it } from 'vitest';
import { check, compileCodec, defineSpec, isInterleaveError, z, WordBuffer, type CheckResult, type Spec } from '../../src/index.ts';
import { expectHolds } from '../../src/testing/index.ts';
import * as m from '../fixtures/robustness/spec-mistakes.ts';

function errorOf(r: CheckResult) {
  if (r.status !== 'error') throw new Error(`expected an error result, got ${r.status}`);
  return r.error;
}

describe('spec mistakes', () => {
  it('an action that throws: code, action, parameter and path', async () => {
    const e = errorOf(await check(m.actionThrows));
    expect(e.code).toBe('SPEC_ACTION_THREW');
    expect(e.message).toBe("spec 'action-throws': action 'boom(20)' threw TypeError: cannot handle 20, after inc → inc");
    expect(e.details).toMatchObject({ spec: 'action-throws', action: 'boom', params: 20, path: ['inc', 'inc'] });
  });

  it('an invariant that throws: code, invariant and the path to the state', async () => {
    const e = errorOf(await check(m.invariantThrows));
    expect(e.code).toBe('SPEC_INVARIANT_THREW');
    expect(e.message).toMatch(/^spec 'invariant-throws': invariant 'deep' threw TypeError: .*, in the state reached by inc → inc$/);
    expect(e.details).toMatchObject({ spec: 'invariant-throws', predicate: 'deep' });
  });

  it('an action that modifies its input: caught in strict mode (frozen object)', async () => {
    const e = errorOf(await check(m.mutatesObject, { strict: true }));
    expect(e.code).toBe('SPEC_MUTATED_STATE');
    expect(e.message).toMatch(/^spec 'mutates-object': action 'bump' modified the state it was given/);
    expect(e.details).toMatchObject({ action: 'bump', field: 'x' });
  });

  it('an action that adds to a Set it was given: strict mode compares encodings and names the field', async () => {
    const e = errorOf(await check(m.mutatesSet, { strict: true }));
    expect(e.code).toBe('SPEC_MUTATED_STATE');
    expect(e.message).toBe("spec 'mutates-set': action 'add(0)' modified the state it was given: field 'seen' changed from {} to {0}, in an initial state");
    expect(e.details).toMatchObject({ action: 'add', params: 0, field: 'seen' });
  });

  it('mutation is also caught by the sampled check outside strict mode, never a silent wrong answer', async () => {
    for (const spec of [m.mutatesObject, m.mutatesSet] as Spec[]) {
      const e = errorOf(await check(spec, { strict: false }));
      expect(e.code).toBe('SPEC_MUTATED_STATE');
    }
  });

  it('with workers, the sampled check catches it where it happens, with the same error as one thread (one expansion core)', async () => {
    for (const spec of [m.mutatesObject, m.mutatesSet] as Spec[]) {
      const one = await check(spec, { strict: false });
      const two = await check(spec, { strict: false, workers: 2 });
      expect(two.stats.workers).toBe(2);
      // Before, workers had no sampled check: the mutation surfaced only when the counterexample was rebuilt.
      expect(errorOf(two)).toEqual(errorOf(one));
    }
  });

  it('the testing helpers run in strict mode by default', async () => {
    await expect(expectHolds(m.mutatesObject)).rejects.toThrow(/SPEC_MUTATED_STATE/);
  });

  it.each([
    ['Math.random', m.randomSpec, 'y'],
    ['a module-level counter', m.counterSpec, 'stamp'],
  ])('a nondeterministic spec (%s): names the step, the action and the field', async (_what, spec, field) => {
    const e = errorOf(await check(spec as typeof m.randomSpec));
    expect(e.code).toBe('SPEC_NONDETERMINISTIC');
    expect(e.message).toMatch(new RegExp(`step 1 \\((step|tick)\\): .* field '${field}' was \\d+ then \\d+`));
    expect(e.details).toMatchObject({ step: 1, field });
    expect(e.message).toMatch(/Math\.random/);
  });

  it('a successor outside a bounded schema: the field path, in both modes', async () => {
    for (const strict of [false, true]) {
      const e = errorOf(await check(m.outOfRange, { strict }));
      expect(e.code).toBe('SPEC_BAD_SUCCESSOR');
      expect(e.message).toMatch(/^spec 'out-of-range': action 'jump'.*field 'x'/);
      expect(e.details).toMatchObject({ action: 'jump', field: 'x' });
    }
  });

  it.each([
    ['nan', /holds NaN/],
    ['function', /holds a function/],
    ['instance', /holds an instance of Thing/],
    ['cycle', /nested more than \d+ levels deep \(a cycle\?\)/],
  ])('an unfingerprintable value (%s) in a dynamic field: code and field path', async (kind, text) => {
    const e = errorOf(await check(m.unfingerprintable, { constants: { kind } }));
    expect(e.code).toBe('SPEC_UNFINGERPRINTABLE');
    expect(e.message).toMatch(text);
    expect(e.message).toMatch(/^spec 'unfingerprintable': action 'put': field 'box\.v/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('NaN in a plain number field', async () => {
    const e = errorOf(await check(m.nanNumber));
    expect(e.code).toBe('SPEC_UNFINGERPRINTABLE');
    expect(e.details).toMatchObject({ field: 'r', action: 'half' });
  });

  describe('both codec back ends name the field', () => {
    const schema = z.object({
      a: z.number().int().min(0).max(3),
      b: z.object({ v: z.any() }),
      list: z.array(z.number().int().min(0).max(7)).max(2),
    });
    const ok = { a: 1, b: { v: 1 }, list: [1] };
    class Point {
      x = 1;
    }
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    const cases: [string, unknown, string, string][] = [
      ['out of range', { ...ok, a: 9 }, 'SPEC_BAD_SUCCESSOR', 'a'],
      ['wrong type', { ...ok, a: 'x' }, 'SPEC_BAD_SUCCESSOR', 'a'],
      ['array too long', { ...ok, list: [1, 2, 3] }, 'SPEC_BAD_SUCCESSOR', 'list'],
      ['NaN', { ...ok, b: { v: Number.NaN } }, 'SPEC_UNFINGERPRINTABLE', 'b.v'],
      ['function', { ...ok, b: { v: () => 0 } }, 'SPEC_UNFINGERPRINTABLE', 'b.v'],
      ['class instance', { ...ok, b: { v: new Point() } }, 'SPEC_UNFINGERPRINTABLE', 'b.v'],
      ['cycle', { ...ok, b: { v: cyc } }, 'SPEC_UNFINGERPRINTABLE', 'b.v.self'],
    ];
    for (const forceDynamic of [false, true]) {
      const codec = compileCodec(schema, { forceDynamic });
      it.each(cases)(`${forceDynamic ? 'dynamic' : 'default'} codec: %s`, (_name, value, code, field) => {
        let thrown: unknown;
        try {
          codec.encode(value as never, new WordBuffer(64));
        } catch (e) {
          thrown = e;
        }
        expect(isInterleaveError(thrown)).toBe(true);
        const err = thrown as { code: string; details: { field?: string } };
        expect(err.code).toBe(code);
        expect(err.details.field!.startsWith(field)).toBe(true);
      });
    }
  });

  it('an initial state outside the schema names the field', async () => {
    const spec = defineSpec({
      name: 'bad-init',
      state: z.object({ x: z.number().int().min(0).max(3) }),
      init: () => ({ x: 7 }),
      actions: { stay: { effect: (s) => s } },
    });
    const e = errorOf(await check(spec));
    expect(e.code).toBe('SPEC_INIT_INVALID');
    expect(e.message).toMatch(/^spec 'bad-init': initial state field 'x': Too big/);
  });

  it('duplicate names', () => {
    expect(() =>
      defineSpec({
        name: 'd',
        state: z.object({ x: z.number().int().min(0).max(1) }),
        init: () => ({ x: 0 }),
        actions: { flip: { effect: (s) => ({ x: 1 - s.x }) } },
        invariants: { flip: () => true },
      }),
    ).toThrow(expect.objectContaining({ code: 'SPEC_DUPLICATE_NAME', message: expect.stringMatching(/the name 'flip' is used twice/) }));
  });

  it('an empty parameter domain', () => {
    expect(() =>
      defineSpec({
        name: 'e',
        state: z.object({ x: z.number().int().min(0).max(1) }),
        init: () => ({ x: 0 }),
        actions: { pick: { params: [] as number[], effect: (s) => s } },
      }),
    ).toThrow(expect.objectContaining({ code: 'SPEC_BAD_PARAMS', message: expect.stringMatching(/action 'pick' has an empty parameter domain/) }));
  });

  it('a parameter domain that is not an array', async () => {
    const spec = defineSpec({
      name: 'p',
      state: z.object({ x: z.number().int().min(0).max(1) }),
      init: () => ({ x: 0 }),
      actions: { pick: { params: (() => null) as unknown as () => number[], effect: (s) => s } },
    });
    const e = errorOf(await check(spec));
    expect(e.code).toBe('SPEC_BAD_PARAMS');
    expect(e.message).toMatch(/action 'pick': params returned null, expected an array/);
  });

  it('a constant that fails its schema, an unknown constant, an unknown invariant: the known names listed', async () => {
    const two = (await import('../fixtures/robustness/two-specs.ts')).alpha;
    let e = errorOf(await check(two, { constants: { n: 'abc' } }));
    expect(e.code).toBe('CONSTANT_INVALID');
    expect(e.message).toMatch(/constant 'n': .*expected number/);
    e = errorOf(await check(two, { constants: { n: 99 } }));
    expect(e.code).toBe('CONSTANT_INVALID');
    e = errorOf(await check(two, { constants: { m: 1 } }));
    expect(e.message).toBe("spec 'alpha' has no constant 'm' (known: n)");
    e = errorOf(await check(two, { invariants: ['nope'] }));
    expect(e.code).toBe('UNKNOWN_PROPERTY');
    expect(e.message).toBe("spec 'alpha' has no invariant, assertion or property 'nope' (known: small)");
  });
});
