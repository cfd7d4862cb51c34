import { describe, expect, it } from 'vitest';
import { actionNames, expectHolds, expectViolation } from 'interleave/testing';
import { gossip } from '../../specs/bench/gossip.ts';
import { peterson } from '../../specs/bench/peterson.ts';

// The state counts SPIN 6.5.2 and TLC agree on (docs/bench-models.md): our correctness oracle.
describe('peterson (bench model)', () => {
  const cases = [
    { n: 3, distinct: 288, generated: 652 },
    { n: 4, distinct: 4752, generated: 13081, depth: 24 },
    { n: 5, distinct: 88560, generated: 286986, depth: 36 },
    { n: 6, distinct: 1827936, generated: 6803689, depth: 50 },
  ];
  for (const c of cases) {
    it(`n=${c.n}: ${c.distinct} distinct / ${c.generated} generated, mutex holds`, async () => {
      const r = await expectHolds(peterson, { constants: { n: c.n }, distinct: c.distinct, generated: c.generated, ...(c.depth ? { depth: c.depth } : {}) });
      expect(r.codec).toBe('packed');
    });
  }
});

describe('gossip (bench model)', () => {
  const fixed = [
    { maxEpoch: 1, bagSize: 2, distinct: 1914, generated: 5663, depth: 12 },
    { maxEpoch: 1, bagSize: 3, distinct: 9872, generated: 38439, depth: 13 },
    { maxEpoch: 2, bagSize: 2, distinct: 24588, generated: 71891, depth: 17 },
    { maxEpoch: 2, bagSize: 3, distinct: 177201, generated: 683501, depth: 18 },
    { maxEpoch: 2, bagSize: 4, distinct: 949547, generated: 4467399, depth: 19 },
  ];
  for (const c of fixed) {
    it(`fixed maxEpoch=${c.maxEpoch} bagSize=${c.bagSize}: ${c.distinct} / ${c.generated}, depth ${c.depth}`, async () => {
      await expectHolds(gossip, { constants: { variant: 'fixed', maxEpoch: c.maxEpoch, bagSize: c.bagSize }, distinct: c.distinct, generated: c.generated, depth: c.depth });
    });
  }
  it('buggy maxEpoch=2 bagSize=4: noReplicaLoop violated in 5 actions, the brief\'s interleaving', async () => {
    const r = await expectViolation(gossip, 'noReplicaLoop', { constants: { variant: 'buggy', maxEpoch: 2, bagSize: 4 }, length: 5 });
    expect(actionNames(r.trace)).toEqual(['send', 'failover', 'send', 'deliver', 'deliver']);
    const [, s1, f, s2, d1, d2] = r.trace.steps;
    expect(s1!.params).toEqual({ from: 1, to: 0 });
    expect(f!.params).toBe(1);
    expect(s2!.params).toEqual({ from: 1, to: 0 });
    expect(d1!.params).toEqual({ from: 1, to: 0, replicaOf: 1, epoch: 1 });
    expect(d2!.params).toEqual({ from: 1, to: 0, replicaOf: 0, epoch: 0 });
    // Node 0's view: 0 replicates 1 and 1 replicates 0.
    expect(d2!.state.R[0]).toEqual([1, 0, 0]);
  });
});
