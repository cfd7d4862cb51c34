import { describe, expect, it } from 'vitest';
import { check, defineSpec, SOCKET_OUTCOMES, sslWrite, sslWriteContractHolds, tlsWriteIdle, tlsWriteState, violatesRetryLength, z } from 'interleave';
import { actionNames, expectHolds, expectViolation } from 'interleave/testing';

const O = { recordSize: 2 };

/** A writer that may change its length between attempts (`sameLength = false`) or always retries as asked. */
const retrier = defineSpec({
  name: 'retrier',
  constants: z.object({ sameLength: z.boolean().default(false) }),
  state: z.object({ tls: tlsWriteState({ recordSize: 2 }), want: z.number().int().min(0).max(3) }),
  init: () => ({ tls: tlsWriteIdle(), want: 0 }),
  actions: ({ action }) => ({
    write: action({
      params: (s, c) =>
        [1, 2, 3]
          .filter((len) => !c.sameLength || s.want === 0 || len === s.want)
          .flatMap((len) => SOCKET_OUTCOMES.map((outcome) => ({ len, outcome }))),
      guard: (s) => sslWriteContractHolds(s.tls),
      effect: (s, _c, p) => {
        const r = sslWrite(s.tls, p.len, p.outcome, O);
        return { tls: r.tls, want: r.reason === 'wantWrite' ? p.len : 0 };
      },
    }),
  }),
  invariants: { retryContract: (s) => sslWriteContractHolds(s.tls) },
});

/**
 * The zero-length-write psync loop, built the way docs/components.md recommends: the TLS slice in the state, a
 * write action whose parameter is what the socket does (`SOCKET_OUTCOMES`), `sslWrite` with the length the code
 * passes (the backlog delta, 0 when the replica is caught up), the contract as an invariant, and the link dropped
 * when a write broke the connection. `fixed` skips the write when there is nothing to send.
 */
const psyncDelta = defineSpec({
  name: 'psync-delta',
  constants: z.object({ variant: z.enum(['buggy', 'fixed']).default('buggy') }),
  state: z.object({ link: z.enum(['down', 'syncing', 'online']), tls: tlsWriteState({ recordSize: 2 }) }),
  init: () => ({ link: 'down' as const, tls: tlsWriteIdle() }),
  actions: ({ action }) => ({
    psync: action({ guard: (s) => s.link === 'down', effect: () => ({ link: 'syncing' as const, tls: tlsWriteIdle() }), fairness: 'weak', process: 'replica' }),
    write: action({
      params: SOCKET_OUTCOMES,
      guard: (s) => s.link === 'syncing' && sslWriteContractHolds(s.tls),
      effect: (s, c, outcome) => {
        const delta = 0; // the replica is caught up: nothing to send
        if (c.variant === 'fixed' && delta === 0) return { ...s, link: 'online' as const };
        const r = sslWrite(s.tls, delta, outcome, O);
        return { tls: r.tls, link: r.ret > 0 ? ('online' as const) : s.link };
      },
      fairness: 'weak',
      process: 'primary',
    }),
    disconnect: action({ guard: (s) => s.link === 'syncing' && !sslWriteContractHolds(s.tls), effect: (s) => ({ ...s, link: 'down' as const }), fairness: 'weak', process: 'cron' }),
  }),
  invariants: { sslWriteRetryContract: (s) => sslWriteContractHolds(s.tls) },
  properties: ({ leadsToAlways }) => ({ onlineForGood: leadsToAlways((s) => s.link === 'syncing', (s) => s.link === 'online') }),
});

describe('tls-write component', () => {
  it('WANT_WRITE leaves min(len, record) pending; a shorter retry is bad length; an equal one flushes the record', () => {
    const w = sslWrite(tlsWriteIdle(), 3, 'wantWrite', O);
    expect(w).toEqual({ tls: { pending: 2, pendingBuffer: 0, error: 'none' }, ret: -1, reason: 'wantWrite' });
    expect(violatesRetryLength(w.tls, 1)).toBe(true);
    expect(sslWrite(w.tls, 1, 'written', O)).toMatchObject({ ret: -1, reason: 'badLength', tls: { error: 'badLength' } });
    expect(sslWrite(w.tls, 2, 'written', O)).toEqual({ tls: tlsWriteIdle(), ret: 2, reason: 'written' });
    expect(sslWrite(w.tls, 3, 'written', { ...O, partialWrite: false }).ret).toBe(3);
    // Still WANT_WRITE: the same record stays pending.
    expect(sslWrite(w.tls, 3, 'wantWrite', O).tls.pending).toBe(2);
  });

  it('a moved buffer is fine with SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER and a "bad write retry" without it', () => {
    const w = sslWrite(tlsWriteIdle(), 2, 'wantWrite', O, 0);
    expect(sslWrite(w.tls, 2, 'written', O, 1).reason).toBe('written');
    expect(sslWrite(w.tls, 2, 'written', { ...O, acceptMovingBuffer: false }, 1).reason).toBe('badWriteRetry');
    expect(sslWrite(w.tls, 2, 'written', { ...O, acceptMovingBuffer: false }, 0).reason).toBe('written');
  });

  it('SSL_write with length 0 is an error (return 0, fatal), never a successful write; a pending record makes it bad length', () => {
    for (const outcome of SOCKET_OUTCOMES) {
      expect(sslWrite(tlsWriteIdle(), 0, outcome, O)).toEqual({ tls: { pending: 0, pendingBuffer: 0, error: 'zeroLength' }, ret: 0, reason: 'zeroLength' });
    }
    const w = sslWrite(tlsWriteIdle(), 2, 'wantWrite', O);
    expect(sslWrite(w.tls, 0, 'written', O).reason).toBe('badLength');
    const broken = sslWrite(tlsWriteIdle(), 0, 'written', O).tls;
    expect(sslWriteContractHolds(broken)).toBe(false);
    expect(sslWrite(broken, 1, 'written', O)).toEqual({ tls: broken, ret: -1, reason: 'zeroLength' });
  });

  it('a broken connection stays broken', () => {
    const broken = { pending: 2, pendingBuffer: 0, error: 'badLength' as const };
    expect(sslWrite(broken, 3, 'written', O)).toEqual({ tls: broken, ret: -1, reason: 'badLength' });
  });

  it('a writer that changes its length breaks the contract in 2 actions', async () => {
    const r = await expectViolation(retrier, 'retryContract', { length: 2, distinct: 7 });
    expect(r.trace.steps.map((s) => s.params)).toEqual([null, { len: 2, outcome: 'wantWrite' }, { len: 1, outcome: 'wantWrite' }]);
  });

  it('a writer that retries with the same length keeps it', async () => {
    await expectHolds(retrier, { constants: { sameLength: true }, distinct: 4, depth: 1 });
  });
  it('a spec built as the docs recommend finds the zero-length write: the invariant fails at the write(0), 2 actions', async () => {
    const r = await expectViolation(psyncDelta, 'sslWriteRetryContract', { length: 2, distinct: 3, actions: ['psync', 'write'] });
    expect(r.trace.steps[2]!.state).toEqual({ link: 'syncing', tls: { pending: 0, pendingBuffer: 0, error: 'zeroLength' } });
  });

  it('and its liveness form finds the loop write(0), disconnect, psync (stem 1, loop 3) with BFS and DFS', async () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = await check(psyncDelta, { properties: ['onlineForGood'], invariants: [], strategy, deadlock: false });
      expect(r.status).toBe('violation');
      if (r.status !== 'violation') return;
      expect([r.violation.property, r.stats.distinct, r.trace.loop]).toEqual(['onlineForGood', 4, 1]);
      expect(actionNames(r.trace)).toEqual(['psync', 'write', 'disconnect', 'psync']);
      expect(r.trace.steps.at(-1)!.state).toEqual(r.trace.steps[1]!.state);
    }
  });

  it('the fix (no SSL_write of an empty delta) keeps the contract and the replica online', async () => {
    await expectHolds(psyncDelta, { constants: { variant: 'fixed' }, deadlock: false, distinct: 3, depth: 2 });
  });
});
