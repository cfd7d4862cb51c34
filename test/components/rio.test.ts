import { describe, expect, it } from 'vitest';
import { Connection, connectionState, defineSpec, noUseAfterClose, rioAbort, rioFailed, rioInit, rioRead, rioState, rioWrite, z } from 'interleave';
import { expectHolds, expectViolation } from 'interleave/testing';

/**
 * Valkey #1152 (dual-channel replication over TLS) built from the rio and connection components: the RDB loader
 * reads through a rio over the RDB connection; a nested event loop sees EOF on the main channel and closes the
 * RDB connection (deferred: the loader's handler holds a reference). Before PR #1173 nothing tells the loader,
 * whose next rioRead reaches the closed connection. The fix: rioCloseASAP on the loader's rio first.
 */
const loader = defineSpec({
  name: 'rio-loader',
  constants: z.object({ variant: z.enum(['buggy', 'fixed']).default('buggy') }),
  state: z.object({
    rdb: connectionState(1),
    rio: rioState(),
    main: z.enum(['open', 'eofPending', 'closed']),
    chunksLeft: z.number().int().min(0).max(2),
    inNested: z.boolean(),
    load: z.enum(['loading', 'failed', 'done']),
  }),
  init: () => ({ rdb: Connection.incrRefs(Connection.open()), rio: rioInit(), main: 'open' as const, chunksLeft: 2, inNested: false, load: 'loading' as const }),
  actions: ({ action }) => ({
    envMainEOF: action({ guard: (s) => s.main === 'open', effect: (s) => ({ ...s, main: 'eofPending' as const }) }),
    loadRead: action({
      guard: (s) => s.load === 'loading' && !s.inNested,
      effect: (s, c) => {
        const r = rioRead(s.rio, 'ok', { honorsAbort: c.variant === 'fixed' });
        const rdb = r.backend ? Connection.read(s.rdb) : s.rdb;
        if (!r.ok) return { ...s, rio: r.rio, rdb, load: 'failed' as const };
        if (s.chunksLeft === 0) return { ...s, rio: r.rio, rdb, load: 'done' as const };
        return { ...s, rio: r.rio, rdb, chunksLeft: s.chunksLeft - 1, inNested: true }; // processEventsWhileBlocked
      },
    }),
    nestedMainEvent: action({
      guard: (s) => s.inNested && s.main === 'eofPending',
      // cancelReplicationHandshake: (fixed) rioCloseASAP(server.loading_rio), then connClose(rdb).
      effect: (s, c) => ({ ...s, rio: c.variant === 'fixed' ? rioAbort(s.rio) : s.rio, rdb: Connection.close(s.rdb), main: 'closed' as const }),
    }),
    nestedReturn: action({ guard: (s) => s.inNested, effect: (s) => ({ ...s, inNested: false }) }),
  }),
  invariants: { noUseAfterClose: (s) => noUseAfterClose(s.rdb) },
});

describe('rio component', () => {
  it('sticky error flags: a failed backend read sets readError; later reads fail without reaching the backend', () => {
    const r = rioRead(rioInit(), 'error');
    expect(r).toEqual({ rio: { readError: true, writeError: false, abort: false }, ok: false, backend: true });
    expect(rioRead(r.rio, 'ok')).toEqual({ rio: r.rio, ok: false, backend: false });
    // Writes have their own flag.
    expect(rioWrite(r.rio, 'ok')).toMatchObject({ ok: true, backend: true });
    const w = rioWrite(rioInit(), 'error').rio;
    expect(rioWrite(w, 'ok')).toEqual({ rio: w, ok: false, backend: false });
    expect(rioFailed(rioInit())).toBe(false);
    expect(rioFailed(w)).toBe(true);
  });

  it('rioAbort (rioCloseASAP) stops the next read and write before the backend, unless the code ignores it', () => {
    const a = rioAbort(rioInit());
    expect(rioAbort(a)).toBe(a);
    expect(rioRead(a, 'ok')).toEqual({ rio: a, ok: false, backend: false });
    expect(rioWrite(a, 'ok')).toEqual({ rio: a, ok: false, backend: false });
    expect(rioRead(a, 'ok', { honorsAbort: false })).toEqual({ rio: a, ok: true, backend: true });
    expect(rioFailed(a)).toBe(true);
  });

  it('buggy loader (Valkey #1152): 5 actions to a read on the closed RDB connection', async () => {
    const r = await expectViolation(loader, 'noUseAfterClose', { length: 5, distinct: 12 });
    expect(r.trace.steps.slice(1).map((s) => s.action)).toEqual(['envMainEOF', 'loadRead', 'nestedMainEvent', 'nestedReturn', 'loadRead']);
  });

  it('fixed loader (PR #1173, rioCloseASAP first): the read fails on the flag, never reaching the connection', async () => {
    await expectHolds(loader, { constants: { variant: 'fixed' }, deadlock: false, distinct: 18 });
  });
});
