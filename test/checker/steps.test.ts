/**
 * The compiled successor function (runtime.ts `compileSuccessors`): one function per spec. These specs
 * pin the order in which guards and effects run and what is reported when one throws, on one worker and on two:
 * parameter by parameter, guard then effect, exactly as a plain loop would.
 */
import { describe, expect, it } from 'vitest';
import { check, SpecRuntime, type CheckResult } from '../../src/index.ts';
import { assertsBeforeGuardThrows, domainThrowsAfterParameterisedAction, guardThrowsAtThirdParameter } from '../fixtures/steps.ts';
import { compiled } from '../helpers/compiled.ts';

function errorOf(r: CheckResult) {
  if (r.status !== 'error') throw new Error(`expected an error result, got ${r.status}`);
  return r.error;
}

describe('compiled successors', () => {
  for (const workers of [1, 2]) {
    it(`run guard then effect per parameter: an assertion in go(0) wins over a guard that throws at go(1) (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const r = await check(assertsBeforeGuardThrows, { workers });
      expect(r.status).toBe('violation');
      if (r.status !== 'violation') return;
      expect(r.violation).toMatchObject({ kind: 'assertion', property: 'noGo' });
      expect(r.trace.steps.map((s) => s.action)).toEqual(['init', 'inc', 'inc', 'go']);
      expect(r.trace.steps.at(-1)!.params).toBe(0);
    });

    it(`a guard that throws is reported with its own parameter (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const e = errorOf(await check(guardThrowsAtThirdParameter, { workers }));
      expect(e.code).toBe('SPEC_ACTION_THREW');
      expect(e.message).toBe("spec 'guard-throws-at-third': action 'pick(2)' threw TypeError: no third choice, after inc");
      expect(e.details).toMatchObject({ action: 'pick', params: 2 });
    });
  }

  for (const workers of [1, 2]) {
    it(`a domain that throws is reported without a parameter (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const e = errorOf(await check(domainThrowsAfterParameterisedAction, { workers }));
      expect(e.code).toBe('SPEC_ACTION_THREW');
      expect(e.details).toMatchObject({ action: 'late', params: null });
      // `early(7)` is in the path, not in the step that threw.
      expect(e.message).toBe("spec 'domain-throws': action 'late' threw Error: no domain here, after early(7)");
    });
  }

  it('every runtime compiles a successor function of its own, also for the same spec', () => {
    // Compiled when the first state is expanded.
    const a = compiled(new SpecRuntime(guardThrowsAtThirdParameter));
    const b = compiled(new SpecRuntime(guardThrowsAtThirdParameter));
    expect(a.successors).not.toBe(b.successors);
    // Distinct source texts, so V8 keeps a separate compiled function (and call feedback) for each.
    expect(a.successors.toString()).not.toBe(b.successors.toString());
  });
});

