import { describe, expect, it } from 'vitest';
import { expectHolds, expectViolation } from 'interleave/testing';
import { tlsWriteRetry } from '../../specs/tls-write-retry.ts';

const opts = { deadlock: false } as const;

describe('tls-write-retry', () => {
  it('buggy: a concatenated write gets WANT_WRITE, replies grow past NET_MAX, the per-iov retry is shorter (4 actions)', async () => {
    const r = await expectViolation(tlsWriteRetry, 'sslWriteRetryContract', {
      ...opts,
      constants: { variant: 'buggy' },
      length: 4,
      distinct: 36,
      actions: ['addReply', 'connTLSWritev', 'addReply', 'connTLSWritev'],
    });
    expect(r.stats.depth).toBe(4);
    expect(r.trace.steps.map((s) => s.params)).toEqual([null, 1, 'wantWrite', 2, 'wantWrite']);
    const states = r.trace.steps.map((s) => s.state as any);
    expect(states[2].tls.pending).toBe(2); // SSL_write(2) left a 2-unit record pending
    expect(states[4].bufs).toEqual([1, 1, 2]); // total 4 > NET_MAX 3: per-iov SSL_write(1)
    expect(states[4].tls.error).toBe('badLength');
  });

  it('buggy from an empty reply list with 3 appends: 5 actions', async () => {
    await expectViolation(tlsWriteRetry, 'sslWriteRetryContract', {
      ...opts,
      constants: { variant: 'buggy', initialReplies: 0, appends: 3 },
      length: 5,
      distinct: 51,
      actions: ['addReply', 'addReply', 'connTLSWritev', 'addReply', 'connTLSWritev'],
    });
  });

  it('buggy with the keep-alive writer: 3 actions', async () => {
    const r = await expectViolation(tlsWriteRetry, 'sslWriteRetryContract', {
      ...opts,
      constants: { variant: 'buggy', keepalive: true },
      length: 3,
      distinct: 24,
      actions: ['addReply', 'connTLSWritev', 'connTLSWrite'],
    });
    expect(r.stats.depth).toBe(3);
    expect(r.trace.steps[1]!.params).toBe(1);
  });

  it('fixed holds, with and without the keep-alive writer', async () => {
    await expectHolds(tlsWriteRetry, { ...opts, constants: { variant: 'fixed' }, distinct: 54, generated: 135, depth: 5 });
    await expectHolds(tlsWriteRetry, { ...opts, constants: { variant: 'fixed', keepalive: true }, distinct: 66, generated: 293, depth: 5 });
  });

  it('writevOnly holds for writevToClient alone but fails through the keep-alive connTLSWrite (3 actions)', async () => {
    await expectHolds(tlsWriteRetry, { ...opts, constants: { variant: 'writevOnly' }, distinct: 54, depth: 5 });
    const r = await expectViolation(tlsWriteRetry, 'sslWriteRetryContract', {
      ...opts,
      constants: { variant: 'writevOnly', keepalive: true },
      length: 3,
      distinct: 25,
      actions: ['addReply', 'connTLSWritev', 'connTLSWrite'],
    });
    expect(r.stats.depth).toBe(3);
    const before = r.trace.steps[2]!.state as any;
    expect(before.lastFailed).toBe(2); // the writev half recorded it; only connTLSWrite's guard would use it
  });

  it('fixed holds at a larger bound (6 buffers, 6 appends, keep-alive)', async () => {
    await expectHolds(tlsWriteRetry, { ...opts, constants: { variant: 'fixed', keepalive: true, initialReplies: 0, appends: 6, maxBufs: 6 }, distinct: 1180, depth: 11 });
  });
});
