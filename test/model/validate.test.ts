/**
 * Issue 15, item 3: defineSpec validates the spec value. Each mistake is one coded line naming the key; the CLI
 * reports it with exit 2.
 */
import { describe, expect, it } from 'vitest';
import { defineSpec, isInterleaveError, z } from '../../src/index.ts';
import { SPEC_KEYS, closest } from '../../src/model/validate.ts';
import { run } from '../robustness/helpers.ts';

const base = {
  name: 'v',
  state: z.object({ x: z.number().int().min(0).max(3) }),
  init: () => ({ x: 0 }),
  actions: { inc: { guard: (s: { x: number }) => s.x < 3, effect: (s: { x: number }) => ({ x: s.x + 1 }) } },
  invariants: { small: (s: { x: number }) => s.x < 9 },
};

/** The error defineSpec throws for a definition (the test fails if it throws none). */
function mistake(definition: Record<string, unknown>): { code: string; message: string; field: unknown } {
  try {
    defineSpec(definition as never);
  } catch (e) {
    if (!isInterleaveError(e)) throw e;
    return { code: e.code, message: e.message, field: e.details.field };
  }
  throw new Error('defineSpec accepted the definition');
}

describe('defineSpec validates the definition', () => {
  it('an unknown top-level key, with a "did you mean"', () => {
    expect(mistake({ ...base, invariant: base.invariants })).toEqual({
      code: 'SPEC_INVALID',
      field: 'invariant',
      message: `spec 'v': unknown key 'invariant' (did you mean 'invariants'?); known: ${SPEC_KEYS.spec.join(', ')}`,
    });
    expect(mistake({ ...base, propertys: {} }).message).toContain("(did you mean 'properties'?)");
    expect(mistake({ ...base, zzz: 1 }).message).toMatch(/^spec 'v': unknown key 'zzz'; known: /);
  });

  it('an unknown key in an action, in symmetry and in view', () => {
    const gaurd = { ...base, actions: { inc: { gaurd: () => true, effect: (s: unknown) => s } } };
    expect(mistake(gaurd)).toMatchObject({ code: 'SPEC_INVALID', field: 'actions.inc.gaurd' });
    expect(mistake(gaurd).message).toContain("unknown key 'actions.inc.gaurd' (did you mean 'guard'?)");
    expect(mistake({ ...base, symmetry: { size: () => 2, apply: (s: unknown) => s, perms: () => [] } }).field).toBe('symmetry.perms');
    expect(mistake({ ...base, view: { process: () => [] } }).message).toContain("unknown key 'view.process' (did you mean 'processes'?)");
  });

  it('wrong hook types name the hook', () => {
    expect(mistake({ ...base, init: { x: 0 } }).message).toBe("spec 'v': 'init' must be a function of the constants returning the initial state(s)");
    expect(mistake({ ...base, actions: { inc: { effect: 3 } } }).message).toContain("action 'inc' must be an object with an 'effect' function");
    expect(mistake({ ...base, actions: { inc: { effect: (s: unknown) => s, guard: true } } }).message).toBe("spec 'v': action 'inc': 'guard' must be a function");
    expect(mistake({ ...base, actions: [] }).message).toContain("'actions' must be an object of named actions");
    expect(mistake({ ...base, invariants: { small: true } }).message).toContain("invariant 'small' must be a function");
    expect(mistake({ ...base, view: { processes: ['a'] } }).message).toBe("spec 'v': 'view.processes' must be a function");
    expect(mistake({ ...base, description: 7 }).field).toBe('description');
  });

  it('expected entries: keys, status, options and the names they select', () => {
    expect(mistake({ ...base, expected: { status: 'ok' } }).field).toBe('expected');
    expect(mistake({ ...base, expected: [{ status: 'holds' }] }).message).toBe("spec 'v': expected[0].status must be 'ok' or 'violation', got \"holds\"");
    expect(mistake({ ...base, expected: [{ status: 'ok' }, { status: 'ok', option: {} }] }).message).toContain("unknown key 'expected[1].option' (did you mean 'options'?)");
    // An option the folder run would ignore is an error, not a silent no-op.
    expect(mistake({ ...base, expected: [{ status: 'ok', options: { symmetry: true } }] })).toMatchObject({ code: 'SPEC_INVALID', field: 'expected[0].options.symmetry' });
    expect(mistake({ ...base, expected: [{ status: 'ok', options: { invariants: ['smal'] } }] }).message).toBe(
      "spec 'v': expected[0].options.invariants names 'smal', which the spec does not declare (did you mean 'small'?)",
    );
    expect(mistake({ ...base, expected: [{ status: 'ok', options: { properties: ['smal'] } }] }).field).toBe('expected[0].options.properties');
    expect(mistake({ ...base, expected: [{ status: 'ok', options: { deadlock: 'no' } }] }).field).toBe('expected[0].options.deadlock');
    expect(mistake({ ...base, expected: [{ status: 'violation', length: -1 }] }).field).toBe('expected[0].length');
    expect(mistake({ ...base, expected: [{ status: 'ok', property: 'small' }] }).field).toBe('expected[0].property');
    expect(mistake({ ...base, expected: [{ status: 'ok', constants: { n: 1 } }] }).message).toBe("spec 'v': expected[0].constants.n: no such constant; the spec declares none");
  });

  it('a constant default must satisfy its own schema (zod returns defaults unparsed)', () => {
    const bad = { ...base, constants: z.object({ n: z.number().int().min(2).default(1) }) };
    expect(mistake(bad)).toEqual({
      code: 'SPEC_INVALID',
      field: 'constants.n',
      message: "spec 'v': the default of constant 'n' (1) fails its own schema: Too small: expected number to be >=2",
    });
    // A constant without a default is fine (it must be given), and so is a valid default.
    expect(() => defineSpec({ ...base, constants: z.object({ n: z.number(), m: z.number().min(2).default(3) }) } as never)).not.toThrow();
  });

  it('a valid definition with every key still defines a spec', () => {
    const spec = defineSpec({
      ...base,
      description: 'd',
      constants: z.object({ n: z.number().default(1) }),
      properties: {},
      symmetry: { size: () => 1, apply: (s) => s },
      view: { processes: () => ['p'] },
      expected: [{ name: 'n=1', constants: { n: 1 }, status: 'violation', property: 'small', length: 2, options: { deadlock: false, maxDepth: 3, invariants: ['small'], properties: [] } }],
    });
    expect(spec.expected).toHaveLength(1);
  });

  it('closest() suggests near words only', () => {
    expect(closest('invariant', SPEC_KEYS.spec)).toBe('invariants');
    expect(closest('actoins', SPEC_KEYS.spec)).toBe('actions');
    expect(closest('frobnicate', SPEC_KEYS.spec)).toBeUndefined();
  });

  it('the CLI: a typo is exit 2 with one coded line naming the key and the file', () => {
    const r = run(['check', 'test/fixtures/spec-identity/typo-key.ts']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error SPEC_INVALID: test\/fixtures\/spec-identity\/typo-key\.ts: spec 'typo': unknown key 'invariant' \(did you mean 'invariants'\?\)/);
  });

  it('the CLI: two exports of one file with the same spec name are an error naming both exports (module namespace order: alphabetical)', () => {
    const r = run(['check', 'test/fixtures/spec-identity/same-names.ts', '--spec', 'twin']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "error SPEC_DUPLICATE_NAME: test/fixtures/spec-identity/same-names.ts: the exports 'large' and 'small' both define a spec named 'twin'; give each spec its own name",
    );
  });
});
