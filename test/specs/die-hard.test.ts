import { describe, expect, it } from 'vitest';
import { expectViolation } from 'interleave/testing';
import { dieHard } from '../../specs/die-hard.ts';

describe('die-hard', () => {
  it('finds the 6-action solution as a violation of bigNotFour', async () => {
    const r = await expectViolation(dieHard, 'bigNotFour', { length: 6 });
    expect(r.shortest).toBe(true);
    expect(r.trace.steps.at(-1)!.state).toEqual({ small: 3, big: 4 });
    expect(r.trace.steps[0]).toEqual({ action: 'init', params: null, state: { small: 0, big: 0 } });
  });
  it('explores 16 distinct states when bigNotFour is not checked', async () => {
    const { check } = await import('interleave');
    const r = await check(dieHard, { invariants: [] });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(16);
  });
});
