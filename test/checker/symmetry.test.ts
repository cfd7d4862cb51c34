import { describe, expect, it } from 'vitest';
import { check, defineSpec, permute, SpecRuntime, SymmetryReducer, WordBuffer, z, type CheckOptions, type Spec } from 'interleave';
import { exploreGraph } from '../../src/graph/index.ts';
import { dieHard } from '../../specs/die-hard.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { gossip } from '../../specs/bench/gossip.ts';

/** Symmetry classes by brute force: the distinct least images, over all permutations, of every reachable state. */
async function bruteForceClasses(spec: Spec, constants: Record<string, unknown>): Promise<{ states: number; classes: number; closed: boolean }> {
  const { graph, complete } = await exploreGraph(spec, { constants, maxStates: 100_000 });
  expect(complete).toBe(true);
  const rt = new SpecRuntime(spec, { constants });
  const reducer = new SymmetryReducer(spec.symmetry!, rt.codec, rt.constants);
  const key = (s: unknown) => {
    const b = new WordBuffer(64);
    const len = rt.codec.encode(rt.canonical(s), b);
    return Array.from(b.buf.subarray(0, len)).join(',');
  };
  const reachable = new Set<string>();
  const states: unknown[] = [];
  graph.forEachNode((_k, a) => {
    const s = rt.canonical(a.state);
    states.push(s);
    reachable.add(key(s));
  });
  const classes = new Set<string>();
  let closed = true;
  for (const s of states) {
    // Every image of a reachable state is reachable (the symmetry is genuine)...
    for (const perm of reducer.perms) if (!reachable.has(key(spec.symmetry!.apply(s, perm, rt.constants)))) closed = false;
    // ...and the least image names the class.
    const b = new WordBuffer(64);
    const len = reducer.encode(s, b);
    classes.add(Array.from(b.buf.subarray(0, len)).join(','));
  }
  return { states: states.length, classes: classes.size, closed };
}

describe('symmetry reduction', () => {
  it('two-phase commit, 3 RMs: as many representatives as brute-force classes (80 of 288, ×3.6)', async () => {
    const brute = await bruteForceClasses(twoPhaseCommit, { rms: 3 });
    expect(brute).toEqual({ states: 288, classes: 80, closed: true });
    const r = await check(twoPhaseCommit, { constants: { rms: 3 }, deadlock: false, symmetry: true });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(80);
    expect(r.symmetry).toEqual({ permutations: 6, representatives: 80, states: 288, reductionFactor: 3.6 });
  });

  it("Peterson, n = 3: as many representatives as brute-force classes (55 of 288, ×5.24)", async () => {
    const brute = await bruteForceClasses(peterson, { n: 3 });
    expect(brute).toEqual({ states: 288, classes: 55, closed: true });
    const r = await check(peterson, { constants: { n: 3 }, symmetry: true });
    expect(r.stats.distinct).toBe(55);
    expect(r.symmetry!.states).toBe(288);
    expect(r.symmetry!.reductionFactor).toBeCloseTo(288 / 55, 6);
  });

  it('two-phase commit, 5 RMs: the class sizes add up to the unreduced count', async () => {
    const r = await check(twoPhaseCommit, { constants: { rms: 5 }, deadlock: false, symmetry: true });
    expect(r.symmetry!.states).toBe(8832);
    expect(r.stats.distinct).toBeLessThan(8832 / 10);
  });

  const bundled: [string, Spec, CheckOptions][] = [
    ['die-hard', dieHard, {}],
    ['die-hard (no invariants)', dieHard, { invariants: [] }],
    ['two-phase-commit rms=3', twoPhaseCommit, { constants: { rms: 3 }, deadlock: false }],
    ['two-phase-commit rms=3 with deadlock', twoPhaseCommit, { constants: { rms: 3 } }],
    ['peterson n=3', peterson, { constants: { n: 3 }, properties: [] }],
    ['peterson n=4', peterson, { constants: { n: 4 }, properties: [] }],
    ['gossip fixed', gossip, { constants: { maxEpoch: 1, bagSize: 2 } }],
    ['gossip buggy', gossip, { constants: { maxEpoch: 1, bagSize: 2, variant: 'buggy' } }],
  ];
  for (const [name, spec, options] of bundled) {
    it(`gives the same verdict with and without symmetry: ${name}`, async () => {
      const plain = await check(spec, options);
      const reduced = await check(spec, { ...options, symmetry: true });
      expect(reduced.status).toBe(plain.status);
      if (plain.status === 'violation' && reduced.status === 'violation') {
        expect(reduced.violation.property).toBe(plain.violation.property);
        // The trace under symmetry is a genuine behaviour of the same length (BFS over classes).
        expect(reduced.trace.steps.length).toBe(plain.trace.steps.length);
      }
      if (!spec.symmetry) expect(reduced.warnings!.some((w) => w.includes('declares no symmetry'))).toBe(true);
    });
  }

  it('rebuilds genuine traces under symmetry (each step replays from the previous concrete state)', async () => {
    const counters = defineSpec({
      name: 'counters',
      state: z.object({ c: z.array(z.number().int().min(0).max(2)).length(3) }),
      init: () => ({ c: [0, 0, 0] }),
      actions: {
        inc: { params: [0, 1, 2], guard: (s, _c, i) => s.c[i]! < 2, effect: (s, _c, i) => ({ c: s.c.with(i, s.c[i]! + 1) }) },
      },
      invariants: { notFull: (s) => s.c[2]! + s.c[1]! + s.c[0]! < 5 },
      symmetry: { size: () => 3, apply: (s, perm) => ({ c: permute(s.c, perm) }) },
    });
    const plain = await check(counters, {});
    const r = await check(counters, { symmetry: true });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation' || plain.status !== 'violation') return;
    expect(r.stats.distinct).toBeLessThan(plain.stats.distinct);
    expect(r.trace.steps.length).toBe(6);
    const rt = new SpecRuntime(counters, {});
    let s = r.trace.steps[0]!.state;
    for (const step of r.trace.steps.slice(1)) {
      const a = rt.actions.find((x) => x.name === step.action)!;
      expect(rt.enabled(a, s, step.params)).toBe(true);
      s = rt.canonical(rt.step(a, s, step.params));
      expect(s).toEqual(step.state);
    }
  });
});
