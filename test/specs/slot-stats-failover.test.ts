import { describe, expect, it } from 'vitest';
import { expectHolds, expectViolation } from 'interleave/testing';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';

const TRACE = ['replicationUnsetPrimary', 'replicationFeedReplicas'];

describe('slot-stats-failover', () => {
  it('buggy: failover then the first client write fails the serverAssert (2 actions)', async () => {
    const r = await expectViolation(slotStatsFailover, 'noNegativeSlotBytes', { constants: { variant: 'buggy' }, length: 2, distinct: 4, actions: TRACE });
    expect(r.violation.kind).toBe('assertion');
    expect(r.violation.message).toContain('0 < 2 (R = 0)');
    expect(r.stats.depth).toBe(1);
    const promoted = r.trace.steps[1]!.state as any;
    expect(promoted).toMatchObject({ role: 'primary', replicas: 0, replicasEldb: -1, backlog: true, networkBytesOut: 0 });
  });

  it('fixed: the assert uses len × R and never fails; the counter matches the tally', async () => {
    await expectHolds(slotStatsFailover, { constants: { variant: 'fixed' }, distinct: 42, generated: 62, depth: 8 });
  });

  it('resetOnPromotion (the early write-up\'s fix) is refuted by the same 2-action trace', async () => {
    const r = await expectViolation(slotStatsFailover, 'noNegativeSlotBytes', { constants: { variant: 'resetOnPromotion' }, length: 2, distinct: 4, actions: TRACE });
    expect(r.stats.depth).toBe(1);
  });

  it('on a warm slot the buggy assert holds, but resetting the stats on promotion brings the crash back', async () => {
    await expectHolds(slotStatsFailover, { constants: { variant: 'buggy', initialBytes: 2 }, distinct: 42, depth: 8 });
    const r = await expectViolation(slotStatsFailover, 'noNegativeSlotBytes', {
      constants: { variant: 'resetOnPromotion', initialBytes: 2 },
      length: 2,
      distinct: 4,
      actions: TRACE,
    });
    expect((r.trace.steps[1]!.state as any).networkBytesOut).toBe(0);
  });

  it('fixed holds at a larger bound (3 writes, 2 reads, warm slot)', async () => {
    await expectHolds(slotStatsFailover, { constants: { variant: 'fixed', writes: 3, reads: 2, initialBytes: 3 }, distinct: 108, depth: 10 });
  });
});
