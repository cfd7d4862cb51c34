/**
 * Issue 16, item 13: user mistakes that were reported as INTERNAL (exit 4), or as a stack trace and exit 1.
 * Each is now a coded bad-input error, exit 2.
 */
import { describe, expect, it } from 'vitest';
import { check, type CheckResult, type Spec } from '../../src/index.ts';
import * as m from '../fixtures/hostile/mistakes.ts';
import { run } from './helpers.ts';

function errorOf(r: CheckResult) {
  if (r.status !== 'error') throw new Error(`expected an error result, got ${r.status}`);
  return r.error;
}

describe('user mistakes are coded errors, not INTERNAL (item 13)', () => {
  it.each([
    [m.stateThrows, 'SPEC_INVALID', "spec 'state-throws': the state function threw Error: no schema today (it is called with the constants: {})"],
    [m.forEachThrows, 'SPEC_INVALID', "property 'reaches': the forEach body threw RangeError: no property for 1 (for element 1)"],
    [m.forEachNotArray, 'SPEC_INVALID', "property 'reaches': the forEach domain is number, expected an array"],
  ])('%#: %s', async (spec, code, message) => {
    const e = errorOf(await check(spec as Spec));
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });

  it('symmetry.permutations that is not an array: SPEC_INVALID, exit 2', () => {
    const r = run(['check', 'test/fixtures/hostile/symmetry.ts', '--spec', 'permutations-not-array', '--symmetry']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error SPEC_INVALID: symmetry.permutations must return an array of permutations (arrays of the indices 0..n-1, each once): it returned object');
  });

  it('--json with a bigint and a cyclic parameter in the error: JSON, exit 2', () => {
    for (const [spec, params] of [
      ['odd-params', { '#bigint': '5' }],
      ['look-alike', null],
    ] as [string, unknown][]) {
      const r = run(['check', 'test/fixtures/hostile/values.ts', '--spec', spec, '--json', '--workers', '1']);
      expect(r.code, r.stderr).toBe(2);
      const json = JSON.parse(r.stdout);
      expect(json.status).toBe('error');
      expect(json.error.code).toBe('SPEC_ACTION_THREW');
      expect(json.error.details.params).toEqual(params);
    }
  });

  it('a cyclic parameter is "[cycle]" in the details', async () => {
    const { cyclicParam } = await import('../fixtures/hostile/values.ts');
    const e = errorOf(await check(cyclicParam));
    expect(e.details.params).toEqual({ name: 'loop', self: '[cycle]' });
    expect(() => JSON.stringify(e)).not.toThrow();
  });

  it('an action throwing a look-alike InterleaveError with an unknown code: SPEC_ACTION_THREW, exit 2, no stack', () => {
    const r = run(['check', 'test/fixtures/hostile/values.ts', '--spec', 'look-alike', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("error SPEC_ACTION_THREW: spec 'look-alike': action 'go' threw InterleaveError: made up, in an initial state");
  });
});
