import { describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { actionNames, expectHolds, expectViolation } from 'interleave/testing';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';

const INTERLEAVING = [
  'clusterSendPing',
  'clusterFailoverReplaceYourPrimary',
  'clusterProcessPacket',
  'clusterSendPing',
  'clusterProcessPacket',
  'clusterProcessPacket',
];
const A = 0;
const B = 1;
// Links: 0 = B→N, 1 = A→N, 2 = B→A.

describe('cluster-stale-gossip', () => {
  for (const [ordering, distinct] of [
    ['fifo', 373],
    ['bag', 611],
  ] as const) {
    it(`buggy (${ordering}): the stale header from B, processed after A's, closes a replicaof loop in 6 actions`, async () => {
      const r = await expectViolation(clusterStaleGossip, 'noReplicaLoop', {
        constants: { variant: 'buggy', ordering },
        deadlock: false,
        length: 6,
        actions: INTERLEAVING,
        distinct,
      });
      expect(r.stats.depth).toBe(6);
      const p = r.trace.steps.map((s) => s.params) as any[];
      expect(p[1]).toBe(B); // B gossips first (as a replica of A, epoch 1)
      expect(p[3]).toMatchObject({ link: 2, message: { sender: B, replicaof: -1, epoch: 2 } }); // A hears B's failover
      expect(p[4]).toBe(A); // A gossips as B's replica
      expect(p[5]).toMatchObject({ link: 1, message: { sender: A, replicaof: B, epoch: 2 } });
      expect(p[6]).toMatchObject({ link: 0, message: { sender: B, replicaof: A, epoch: 1 } }); // the stale one
      const last = r.trace.steps.at(-1)!.state as any;
      expect(last.view.map((v: any) => v.replicaof)).toEqual([B, A]);
      expect(last.nodes[B].role).toBe('primary'); // in reality B is the primary
    });
  }

  for (const [variant, ordering, distinct] of [
    ['fixed', 'fifo', 543],
    ['fixed', 'bag', 992],
    ['returnOnly', 'fifo', 543],
    ['returnOnly', 'bag', 876],
  ] as const) {
    it(`${variant} (${ordering}) holds at the brief's bounds`, async () => {
      await expectHolds(clusterStaleGossip, { constants: { variant, ordering }, deadlock: false, distinct, depth: 9 });
    });
  }

  it('fixed, unlike returnOnly, accepts a stale demotion of B when headers are reordered (what PR #2811 later hardened)', async () => {
    // N learns B is primary at epoch 2, then B's older header "replica of A, epoch 1" arrives: the new predicate
    // compares with A's epoch (1), which N has no reason to doubt, so the header is processed.
    const noStaleDemotion = { name: 'noStaleDemotion', test: (s: any) => !(s.view[B].role === 'replica' && s.view[B].epoch === 2) };
    const spec = { ...clusterStaleGossip, invariants: [noStaleDemotion] };
    const fixed = await check(spec, { constants: { variant: 'fixed', ordering: 'bag' }, deadlock: false });
    expect(fixed.status).toBe('violation');
    if (fixed.status !== 'violation') return;
    expect(actionNames(fixed.trace)).toEqual(['clusterSendPing', 'clusterFailoverReplaceYourPrimary', 'clusterProcessPacket', 'clusterProcessPacket']);
    const returnOnly = await check(spec, { constants: { variant: 'returnOnly', ordering: 'bag' }, deadlock: false });
    expect(returnOnly.status).toBe('ok');
    const fifo = await check(spec, { constants: { variant: 'fixed', ordering: 'fifo' }, deadlock: false });
    expect(fifo.status).toBe('ok');
  });

  it('fixed still holds with one drop, one duplicate and one reorder on FIFO links', async () => {
    await expectHolds(clusterStaleGossip, { constants: { variant: 'fixed', drops: 1, duplicates: 1, reorders: 1 }, deadlock: false, distinct: 14971, depth: 11 });
  });

  it('uses the packed codec and names processes and messages for the sequence chart', async () => {
    const r = await expectViolation(clusterStaleGossip, 'noReplicaLoop', { constants: { variant: 'buggy' }, deadlock: false });
    expect(r.codec).toBe('packed');
    const c = { variant: 'buggy', ordering: 'fifo', gossip: 3, drops: 0, duplicates: 0, reorders: 0 } as const;
    expect(clusterStaleGossip.view.processes!(c)).toEqual(['A', 'B', 'N']);
    const msgs = clusterStaleGossip.view.messages!(r.trace.steps[2]!.state as any, c);
    expect(msgs).toEqual([
      { id: 'h0', from: 'B', to: 'N', label: 'B replica of A e1' },
      { id: 'h1', from: 'B', to: 'N', label: 'B primary e2' },
      { id: 'h1', from: 'B', to: 'A', label: 'B primary e2' },
    ]);
  });

  it('declares one expectation per shipped configuration', () => {
    expect(clusterStaleGossip.expected.map((e) => e.name)).toEqual(['buggy', 'buggy bag', 'fixed', 'fixed bag', 'returnOnly', 'returnOnly bag']);
  });
});
