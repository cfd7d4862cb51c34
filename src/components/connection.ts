import { z } from 'zod';
import { assert } from '../model/index.ts';

/**
 * A connection object's lifecycle, as in Valkey's `connection.h`: `open` → close called → `closed`.
 *
 * A handler running on the connection holds a reference (`callHandler` does `connIncrRefs`); `connClose` on a
 * connection with references only schedules the close (`CONN_FLAG_CLOSE_SCHEDULED`) and the free runs when the
 * last reference is released. The phases:
 * - `open`: usable;
 * - `closeCalled`: close was called while references were held; the object is still in memory, but its
 *   transport may already be gone (`connTLSClose` frees the `SSL*` at once, only the socket close is deferred);
 * - `closed`: freed.
 * Any read or write after close was called is a use after close, whether the free was deferred or not: `read`
 * and `write` record it in `useAfterClose` (check it with an invariant, e.g. `noUseAfterClose`) or, with
 * `assertOpen`, fail the step at once.
 *
 * Limits: one object, no peer and no data; the phase is what the caller did to the object, not what the
 * transport reports (`conn->state` stays `CONNECTED` after a deferred TLS close, which is exactly the bug class).
 */
export const ConnectionPhase = z.enum(['open', 'closeCalled', 'closed']);
export type ConnectionPhase = z.output<typeof ConnectionPhase>;

export interface ConnectionState {
  phase: ConnectionPhase;
  /** References held by handlers running on this connection. */
  refs: number;
  /** Set by a read or write issued after close was called. */
  useAfterClose: boolean;
}

/** The zod schema of one connection; `maxRefs` bounds the reference count (default 1). */
export function connectionState(maxRefs = 1) {
  return z.object({
    phase: ConnectionPhase,
    refs: z.number().int().min(0).max(maxRefs),
    useAfterClose: z.boolean(),
  });
}

/** Pure transitions of a connection (each returns a new value). */
export const Connection = {
  /** A freshly connected connection. */
  open(refs = 0): ConnectionState {
    return { phase: 'open', refs, useAfterClose: false };
  },
  /** True until close is called. */
  isOpen(c: ConnectionState): boolean {
    return c.phase === 'open';
  },
  /** A handler starts running on the connection (`connIncrRefs` in `callHandler`). */
  incrRefs(c: ConnectionState): ConnectionState {
    return { ...c, refs: c.refs + 1 };
  },
  /** The handler returns (`connDecrRefs`); the last release runs a scheduled close (the free). */
  decrRefs(c: ConnectionState): ConnectionState {
    const refs = c.refs - 1;
    if (refs < 0) throw new RangeError('connection: decrRefs without a reference');
    return { ...c, refs, phase: refs === 0 && c.phase === 'closeCalled' ? 'closed' : c.phase };
  },
  /** `connClose`: frees at once without references, else schedules the free. Closing twice is harmless. */
  close(c: ConnectionState): ConnectionState {
    if (c.phase !== 'open') return c;
    return { ...c, phase: c.refs > 0 ? 'closeCalled' : 'closed' };
  },
  /** A read that reaches the transport (`connRead` → `SSL_read` / `read`): a use after close unless open. */
  read(c: ConnectionState): ConnectionState {
    return c.phase === 'open' || c.useAfterClose ? c : { ...c, useAfterClose: true };
  },
  /** A write that reaches the transport: a use after close unless open. */
  write(c: ConnectionState): ConnectionState {
    return Connection.read(c);
  },
  /** Fails the step (property `property`) unless the connection is open: for specs that model an assertion. */
  assertOpen(c: ConnectionState, property: string, what = 'I/O'): void {
    assert(c.phase === 'open', property, `${what} on a connection after close was called on it (phase ${c.phase}, refs ${c.refs})`);
  },
};

/** The invariant form: no read or write happened after close was called. */
export function noUseAfterClose(c: ConnectionState): boolean {
  return !c.useAfterClose;
}
