import { describe, expect, it } from 'vitest';
import { check, Connection, connectionState, defineSpec, noUseAfterClose, z } from 'interleave';
import { actionNames, expectHolds, expectViolation } from 'interleave/testing';

/**
 * A handler runs on a connection (holding a reference) while another event may close it; the handler then
 * reads again. `guarded` re-checks the phase before reading (what a fix must do).
 */
const handlerRace = defineSpec({
  name: 'handler-race',
  constants: z.object({ guarded: z.boolean().default(false), style: z.enum(['invariant', 'assert']).default('invariant') }),
  state: z.object({ conn: connectionState(1), reads: z.number().int().min(0).max(2), done: z.boolean() }),
  init: () => ({ conn: Connection.open(), reads: 0, done: false }),
  actions: ({ action }) => ({
    callHandler: action({
      guard: (s) => s.conn.refs === 0 && !s.done && Connection.isOpen(s.conn),
      effect: (s) => ({ ...s, conn: Connection.incrRefs(s.conn) }),
    }),
    handlerRead: action({
      guard: (s) => s.conn.refs > 0 && s.reads < 2,
      effect: (s, c) => {
        if (c.guarded && !Connection.isOpen(s.conn)) return { ...s, reads: 2 };
        if (c.style === 'assert') Connection.assertOpen(s.conn, 'noUseAfterClose', 'connRead');
        return { ...s, conn: Connection.read(s.conn), reads: s.reads + 1 };
      },
    }),
    handlerReturn: action({
      guard: (s) => s.conn.refs > 0,
      effect: (s) => ({ ...s, conn: Connection.decrRefs(s.conn), done: true }),
    }),
    connClose: action({
      guard: (s) => Connection.isOpen(s.conn),
      effect: (s) => ({ ...s, conn: Connection.close(s.conn) }),
    }),
  }),
  invariants: { noUseAfterClose: (s) => noUseAfterClose(s.conn) },
});

describe('connection component', () => {
  it('pure lifecycle: close with a reference is deferred until the last release', () => {
    const held = Connection.incrRefs(Connection.open());
    const closing = Connection.close(held);
    expect(closing).toEqual({ phase: 'closeCalled', refs: 1, useAfterClose: false });
    expect(Connection.close(closing)).toBe(closing); // idempotent
    expect(Connection.read(closing).useAfterClose).toBe(true);
    expect(Connection.write(Connection.open()).useAfterClose).toBe(false);
    expect(Connection.decrRefs(closing)).toEqual({ phase: 'closed', refs: 0, useAfterClose: false });
    expect(Connection.close(Connection.open())).toEqual({ phase: 'closed', refs: 0, useAfterClose: false });
    expect(() => Connection.decrRefs(Connection.open())).toThrow(RangeError);
  });

  it('what docs/components.md says: the state shape, isOpen, double close, a write after close, the refs bound', () => {
    const schema = connectionState(2);
    expect(Object.keys(schema.shape)).toEqual(['phase', 'refs', 'useAfterClose']);
    expect(schema.safeParse({ phase: 'open', refs: 2, useAfterClose: false }).success).toBe(true);
    expect(schema.safeParse({ phase: 'open', refs: 3, useAfterClose: false }).success).toBe(false); // refs ≤ maxRefs
    expect(connectionState().safeParse({ phase: 'open', refs: 2, useAfterClose: false }).success).toBe(false); // maxRefs defaults to 1
    const closing = Connection.close(Connection.incrRefs(Connection.open()));
    const closed = Connection.close(Connection.open());
    expect([Connection.open(), closing, closed].map((c) => Connection.isOpen(c))).toEqual([true, false, false]);
    // Closing twice, or closing a freed connection, returns the same value.
    expect(Connection.close(closed)).toBe(closed);
    expect(Connection.close(Connection.decrRefs(closing))).toEqual(closed);
    // Any I/O after close was called is recorded, whether the free was deferred or not.
    expect(Connection.write(closing).useAfterClose).toBe(true);
    expect(Connection.read(closed).useAfterClose).toBe(true);
    expect(noUseAfterClose(Connection.write(closed))).toBe(false);
    // A release at zero throws, also after the connection was freed.
    expect(() => Connection.decrRefs(closed)).toThrow('connection: decrRefs without a reference');
    // assertOpen fails the step with the message the docs show.
    expect(() => Connection.assertOpen(closing, 'noUseAfterClose', 'connRead')).toThrow('connRead on a connection after close was called on it (phase closeCalled, refs 1)');
    expect(() => Connection.assertOpen(Connection.open(), 'noUseAfterClose')).not.toThrow();
  });

  it('finds the read after a deferred close (invariant form): 3 actions', async () => {
    const r = await expectViolation(handlerRace, 'noUseAfterClose', { deadlock: false, length: 3, distinct: 11, actions: ['callHandler', 'connClose', 'handlerRead'] });
    expect((r.trace.steps[2]!.state as any).conn).toEqual({ phase: 'closeCalled', refs: 1, useAfterClose: false });
  });

  it('the assertion form reports the same race as an assertion', async () => {
    const r = await expectViolation(handlerRace, 'noUseAfterClose', { constants: { style: 'assert' }, deadlock: false, length: 3 });
    expect(r.violation.kind).toBe('assertion');
    expect(actionNames(r.trace)).toEqual(['callHandler', 'connClose', 'handlerRead']);
  });

  it('dropping a reference at zero is a spec mistake: the step is reported as an error naming the action', async () => {
    const spec = defineSpec({
      name: 'extra-release',
      state: z.object({ conn: connectionState(1) }),
      init: () => ({ conn: Connection.open() }),
      actions: { release: { effect: (s) => ({ conn: Connection.decrRefs(s.conn) }) } },
    });
    const r = await check(spec);
    expect(r.status).toBe('error');
    if (r.status === 'error') {
      expect(r.error.code).toBe('SPEC_ACTION_THREW');
      expect(r.error.message).toContain("action 'release' threw RangeError: connection: decrRefs without a reference");
    }
  });

  it('re-checking the phase before reading fixes it', async () => {
    await expectHolds(handlerRace, { constants: { guarded: true }, deadlock: false, distinct: 14, depth: 4 });
  });
});
