import { describe, expect, it } from 'vitest';
import { allPaths, testConformance } from 'interleave/testing';
import { SpecRuntime } from 'interleave';
import { dieHard } from '../../specs/die-hard.ts';
import { jugsDriver } from './fixtures/jugs.ts';

// testConformance's mechanics against a small real system (imperative jugs code, optionally buggy): behaviours,
// reproducibility, shrinking, timeouts, refused steps, driver failures.
describe('testConformance', () => {
  it('a correct implementation conforms: all 6 + 36 paths of 1 and 2 steps, then 20 walks of 8 steps, one reset each', async () => {
    const d = jugsDriver();
    const r = await testConformance(dieHard, d, { seed: 1, walks: 20, walkLength: 8, depth: 2 });
    expect(r.status).toBe('ok');
    expect([r.behaviours, r.steps, d.resets]).toEqual([62, 238, 62]);
    expect(Object.values(r.coverage).reduce((a, b) => a + b, 0)).toBe(238);
    expect(allPaths(new SpecRuntime(dieHard), { small: 0, big: 0 }, 2)).toHaveLength(36);
  });

  it('the same seed drives the same walks (coverage is equal), another seed others', async () => {
    const a = await testConformance(dieHard, jugsDriver(), { seed: 5, walks: 10 });
    const b = await testConformance(dieHard, jugsDriver(), { seed: 5, walks: 10 });
    const c = await testConformance(dieHard, jugsDriver(), { seed: 6, walks: 10 });
    expect(a.coverage).toEqual(b.coverage);
    expect(a.coverage).not.toEqual(c.coverage);
  });

  it('a bug is found and shrunk to the shortest behaviour that shows it (3 steps), with the field and values', async () => {
    const r = await testConformance(dieHard, jugsDriver(true), { seed: 1, walks: 50, walkLength: 12 });
    expect(r.status).toBe('divergence');
    if (r.status !== 'divergence') return;
    const d = r.divergence;
    expect(d.steps.map((s) => s.action)).toEqual(['fillBig', 'bigToSmall', 'bigToSmall']);
    expect([d.field, d.expectedValue, d.observedValue]).toEqual(['small', 3, 5]);
    expect(d.message).toBe('after fillBig → bigToSmall → bigToSmall: small is 5 on the system, the spec says 3');
    expect(d.found).toEqual({ kind: 'walk', index: 2, seed: 1, length: 8 });
    expect([d.shrinkRuns, r.behaviours]).toEqual([10, 3]);
    // Found in a walk; rerunning only the walks up to it finds the same divergence before shrinking.
    const again = await testConformance(dieHard, jugsDriver(true), { seed: 1, walks: d.found.index + 1, walkLength: 12, shrink: false });
    expect(again.status === 'divergence' && again.divergence.found).toEqual(d.found);
  });

  it('with a depth, the paths run first, shortest first: the divergence found there is the shortest (no shrinking)', async () => {
    const r = await testConformance(dieHard, jugsDriver(true), { depth: 3, walks: 0 });
    expect(r.status === 'divergence' && [r.divergence.steps.map((s) => s.action), r.divergence.found, r.divergence.shrinkRuns]).toEqual([
      ['fillSmall', 'fillBig', 'bigToSmall'],
      { kind: 'path', index: 6 + 36 + 11, seed: 0, length: 3 }, // the 12th path of 3 steps
      0,
    ]);
  });

  it('given behaviours run as given; a step the spec does not allow is LOG_INVALID', async () => {
    const ok = await testConformance(dieHard, jugsDriver(true), { behaviours: [[{ action: 'fillBig', params: null }, { action: 'bigToSmall', params: null }]] });
    expect(ok.status).toBe('ok');
    const bad = await testConformance(dieHard, jugsDriver(), { behaviours: [[{ action: 'pour', params: null }]] });
    expect(bad.status === 'error' && bad.error.code).toBe('LOG_INVALID');
  });

  it('a step that hangs is a timeout divergence; a step the system refuses is step-failed', async () => {
    const hang = jugsDriver(false, { step: (a) => (a === 'emptyBig' ? new Promise<void>(() => {}) : undefined) });
    const t = await testConformance(dieHard, hang, { behaviours: [[{ action: 'fillBig', params: null }, { action: 'emptyBig', params: null }]], stepTimeout: 50 });
    expect(t.status === 'divergence' && [t.divergence.kind, t.divergence.message]).toEqual(['timeout', 'emptyBig did not finish within 50 ms']);
    const refuse = jugsDriver(false, { step: (a) => { if (a === 'fillSmall') throw new Error('EROFS: read-only jug'); } });
    const f = await testConformance(dieHard, refuse, { behaviours: [[{ action: 'fillSmall', params: null }]] });
    expect(f.status === 'divergence' && [f.divergence.kind, f.divergence.message]).toEqual(['step-failed', 'the system refused fillSmall: Error: EROFS: read-only jug']);
  });

  it('an observation or a view that throws is an error (DRIVER_FAILED), not a divergence; aborting gives incomplete', async () => {
    const broken = jugsDriver(false, { observe: () => { throw new Error('connection refused'); } });
    const r = await testConformance(dieHard, broken, { walks: 1 });
    expect(r.status === 'error' && [r.error.code, r.error.message]).toEqual(['DRIVER_FAILED', "the driver's observe failed: Error: connection refused"]);
    const badView = await testConformance(dieHard, jugsDriver(), { walks: 1, view: () => { throw new Error('no such field'); } });
    expect(badView.status === 'error' && [badView.error.code, badView.error.message]).toEqual(['DRIVER_FAILED', 'the view threw Error: no such field']);
    const controller = new AbortController();
    controller.abort();
    const i = await testConformance(dieHard, jugsDriver(), { walks: 3, signal: controller.signal });
    expect(i.status).toBe('incomplete');
  });
});
