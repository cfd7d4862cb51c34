import { describe, expect, it } from 'vitest';
import { expectHolds, expectViolation } from 'interleave/testing';
import { dualChannelReplication } from '../../specs/dual-channel-replication.ts';

describe('dual-channel-replication', () => {
  it('buggy: the loader reads the RDB connection that the nested event loop closed (5 actions)', async () => {
    const r = await expectViolation(dualChannelReplication, 'noUseAfterClose', {
      constants: { variant: 'buggy' },
      length: 5,
      distinct: 12,
      actions: ['mainChannelEof', 'rdbLoadRioRead', 'cancelReplicationHandshake', 'processEventsWhileBlockedReturn', 'rdbLoadRioRead'],
    });
    expect(r.stats.depth).toBe(5);
    const states = r.trace.steps.map((s) => s.state as any);
    // The close was deferred by the handler's reference: close called, not freed, when the read happens.
    expect(states[3].rdbConn).toEqual({ phase: 'closeCalled', refs: 1, useAfterClose: false });
    expect(states[3].inNested).toBe(true);
    expect(states[5].rdbConn).toEqual({ phase: 'closeCalled', refs: 1, useAfterClose: true });
  });

  it('buggy with one chunk: the read of the EOF mark is the use after close', async () => {
    await expectViolation(dualChannelReplication, 'noUseAfterClose', { constants: { variant: 'buggy', chunks: 1 }, length: 5, distinct: 12 });
  });

  it('fixed: rioCloseASAP makes the next read fail before it touches the connection', async () => {
    await expectHolds(dualChannelReplication, { constants: { variant: 'fixed' }, distinct: 22, generated: 32, depth: 8 });
  });

  it('fixed holds with more chunks (more nested loops)', async () => {
    await expectHolds(dualChannelReplication, { constants: { variant: 'fixed', chunks: 4 }, distinct: 38, depth: 12 });
  });

  it('runs with deadlock checking on (end states take the stutter step) and the packed codec', async () => {
    const r = await expectHolds(dualChannelReplication, { constants: { variant: 'fixed' }, deadlock: true });
    expect(r.codec).toBe('packed');
    expect(dualChannelReplication.expected.map((e) => [e.name, e.status, e.length])).toEqual([
      ['buggy', 'violation', 5],
      ['fixed', 'ok', undefined],
    ]);
  });
});
