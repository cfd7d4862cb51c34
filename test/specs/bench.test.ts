import { describe, expect, it } from 'vitest';
import { actionNames, expectHolds, expectViolation } from 'interleave/testing';
import { failoverParamsOnce } from '../../bench/styles/failover-params-once.ts';
import { failover } from '../../specs/bench/failover.ts';
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

// SPIN 6.5.2 gives the same counts for the Promela twin (bench/promela.mjs; test/specs/bench-promela.test.ts).
describe('failover (bench model)', () => {
  const fixed = [
    { nodes: 3, maxEpoch: 1, capacity: 1, distinct: 149, generated: 283, depth: 9 },
    { nodes: 3, maxEpoch: 2, capacity: 1, distinct: 7820, generated: 25215, depth: 14 },
    { nodes: 3, maxEpoch: 2, capacity: 2, distinct: 6031, generated: 20163, depth: 16 },
    { nodes: 4, maxEpoch: 1, capacity: 1, distinct: 3557, generated: 13336, depth: 13 },
  ];
  for (const c of fixed) {
    it(`fixed nodes=${c.nodes} maxEpoch=${c.maxEpoch} capacity=${c.capacity}: ${c.distinct} / ${c.generated}, depth ${c.depth}, both invariants hold`, async () => {
      const { distinct, generated, depth, ...constants } = c;
      await expectHolds(failover, { constants, distinct, generated, depth });
    });
  }
  it('with its parameter lists built once (bench/styles, docs/performance.md): the same counts', async () => {
    await expectHolds(failoverParamsOnce, { constants: { nodes: 3, maxEpoch: 2, capacity: 1 }, distinct: 7820, generated: 25215, depth: 14 });
  });
  it('buggy (votes twice in an epoch): two primaries of epoch 1 after 6 actions', async () => {
    const r = await expectViolation(failover, 'onePrimaryPerEpoch', { constants: { variant: 'buggy' }, length: 6, distinct: 538 });
    expect(actionNames(r.trace)).toEqual(['timeout', 'timeout', 'receive', 'receive', 'receive', 'receive']);
    const last = r.trace.steps.at(-1)!.state as { nodes: { role: string; epoch: number }[] };
    // Node 0 voted for node 1 and then again for node 2: both have 2 of 3 votes in epoch 1.
    expect(last.nodes.map((n) => [n.role, n.epoch])).toEqual([['replica', 1], ['primary', 1], ['primary', 1]]);
  });
});
