import { describe, expect, it } from 'vitest';
import { expectHolds, expectViolation } from 'interleave/testing';
import { kvrocksTlsFullsync } from '../../specs/kvrocks-tls-fullsync.ts';

const LOOP = ['ReplicationThreadStart', 'tryPSyncReadCB', 'fullSyncReadCB', 'SockSend', 'SockSendFile', 'fetchFile', 'ReplicationThreadRestart'];

describe('kvrocks-tls-fullsync', () => {
  it('buggy: one restart with zero faults (7 actions): SSL_sendfile fails, the replica reads EOF, restarts', async () => {
    const r = await expectViolation(kvrocksTlsFullsync, 'restartsBoundedByFaults', { constants: { variant: 'buggy' }, length: 7, distinct: 8, actions: LOOP });
    expect(r.stats.depth).toBe(7);
    const states = r.trace.steps.map((s) => s.state as any);
    expect(states[5]).toMatchObject({ masterSend: 'aborted', conn: 'closedNoNotify', fetched: 0 });
    expect(states[7]).toMatchObject({ replPhase: 'connect', restarts: 1, faultsInjected: 0, fetched: 0 });
  });

  it('buggy with a fault budget of 1: the same fault-free restart', async () => {
    const r = await expectViolation(kvrocksTlsFullsync, 'restartsBoundedByFaults', { constants: { variant: 'buggy', faults: 1 }, length: 7, distinct: 17, actions: LOOP });
    expect(r.stats.depth).toBe(7);
  });

  it('fixed holds with a fault budget of 0 and 1', async () => {
    await expectHolds(kvrocksTlsFullsync, { constants: { variant: 'fixed' }, distinct: 8, generated: 9, depth: 7 });
    await expectHolds(kvrocksTlsFullsync, { constants: { variant: 'fixed', faults: 1 }, distinct: 25, generated: 31, depth: 11 });
  });

  it('the conditions: with the sequence still in the WAL, or with kernel TLS, the buggy code syncs', async () => {
    await expectHolds(kvrocksTlsFullsync, { constants: { variant: 'buggy', walHasSeq: true }, distinct: 3, depth: 2 });
    await expectHolds(kvrocksTlsFullsync, { constants: { variant: 'buggy', ktls: true }, distinct: 8, depth: 7 });
  });

  it('fixed holds at a larger bound (3 files, 2 faults), deadlock checking on', async () => {
    await expectHolds(kvrocksTlsFullsync, { constants: { variant: 'fixed', files: 3, faults: 2 }, distinct: 126, depth: 21 });
  });
});

describe('kvrocks-tls-fullsync: liveness form (fullSyncCompletes under weak fairness)', () => {
  it('buggy with the restart counter saturating at 3: still a lasso, once the counter stops changing', async () => {
    const { check } = await import('interleave');
    const r = await check(kvrocksTlsFullsync, { constants: { variant: 'buggy' }, properties: ['fullSyncCompletes'], invariants: [] });
    expect(r.status).toBe('violation');
    if (r.status === 'violation') expect((r.trace.steps[r.trace.loop!]!.state as { restarts: number }).restarts).toBe(3);
  });
  it('buggy: full sync never completes — a lasso whose loop restarts without any fault', async () => {
    const { check } = await import('interleave');
    const r = await check(kvrocksTlsFullsync, { constants: { variant: 'buggy', restartBound: 0 }, properties: ['fullSyncCompletes'], invariants: [] });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.property).toBe('fullSyncCompletes');
    expect(r.trace.loop).toBe(0);
    expect(r.trace.steps.length - 1).toBe(7);
    const loop = r.trace.steps.slice(r.trace.loop! + 1).map((s) => s.action);
    expect(loop).toEqual(['ReplicationThreadStart', 'tryPSyncReadCB', 'fullSyncReadCB', 'SockSend', 'SockSendFile', 'fetchFile', 'ReplicationThreadRestart']);
    expect(loop).not.toContain('networkFault');
    // The loop closes: its last state is the state where it starts.
    expect(r.trace.steps.at(-1)!.state).toEqual(r.trace.steps[r.trace.loop!]!.state);
  });
  it('fixed: full sync completes under fairness for fault budgets 0, 1 and 2', async () => {
    const { check } = await import('interleave');
    for (const faults of [0, 1, 2]) {
      for (const restartBound of [0, 3]) {
        const r = await check(kvrocksTlsFullsync, { constants: { variant: 'fixed', faults, restartBound }, properties: ['fullSyncCompletes'], invariants: [] });
        expect(r.status).toBe('ok');
      }
    }
  });
});
