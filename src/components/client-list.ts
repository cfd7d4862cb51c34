import { z } from 'zod';
import { assert } from '../model/index.ts';

/**
 * A server's client list with protected clients and deferred (asynchronous) free, as in Redis/Valkey
 * `networking.c`:
 *
 * - `freeClient(c)` on a **protected** client (`CLIENT_PROTECTED`, set by `protectClient` while, e.g., the RDB
 *   channel's client is in use by a loader or a blocking write) does not free it: it calls `freeClientAsync`,
 *   which puts it on `server.clients_to_close` (`CLIENT_CLOSE_ASAP`);
 * - `freeClientsInAsyncFreeQueue` (in `beforeSleep`) frees the queued clients **except protected ones**, which
 *   stay queued until `unprotectClient`;
 * - a client that is queued is still in `server.clients` and still served by code that does not check
 *   `CLIENT_CLOSE_ASAP`: that is the bug class (a protected RDB client surviving `disconnectReplicas`).
 *
 * Each client is `connected`, `closeAsap` (queued for an asynchronous free) or `freed`, plus its `protected`
 * flag. `serve` records a use of a client that is queued (`servedAfterClose`) or freed (`usedAfterFree`); check
 * them with `noUseOfClosingClient` / `noUseAfterFree`, or fail the step at once with `assertLive`.
 *
 * Limits: a fixed number of client slots (index = client id); no buffers or flags beyond these; freeing is what
 * the server does to its own object, not what the peer sees.
 */
export const ClientPhase = z.enum(['connected', 'closeAsap', 'freed']);
export type ClientPhase = z.output<typeof ClientPhase>;

export interface ClientState {
  phase: ClientPhase;
  protected: boolean;
  /** Set when the client was served (read, written, counted) while queued for an asynchronous free. */
  servedAfterClose: boolean;
  /** Set when the client was used after it was freed. */
  usedAfterFree: boolean;
}

/** The zod schema of a client list with `slots` clients. */
export function clientListState(slots: number) {
  return z
    .array(z.object({ phase: ClientPhase, protected: z.boolean(), servedAfterClose: z.boolean(), usedAfterFree: z.boolean() }))
    .length(slots);
}

function at(list: readonly ClientState[], i: number, f: (c: ClientState) => ClientState): ClientState[] {
  const c = list[i];
  if (c === undefined) throw new RangeError(`client list: no client ${i} (slots 0..${list.length - 1})`);
  const next = f(c);
  return next === c ? (list as ClientState[]) : list.map((x, k) => (k === i ? next : x));
}

/** Pure transitions of a client list (each returns a new list; an index past the end throws). */
export const ClientList = {
  /** `slots` connected, unprotected clients. */
  connected(slots: number): ClientState[] {
    return Array.from({ length: slots }, () => ({ phase: 'connected' as const, protected: false, servedAfterClose: false, usedAfterFree: false }));
  },
  /** True while the client is connected (not queued, not freed). */
  isLive(list: readonly ClientState[], i: number): boolean {
    return list[i]?.phase === 'connected';
  },
  /** `protectClient(c)`. */
  protect(list: readonly ClientState[], i: number): ClientState[] {
    return at(list, i, (c) => (c.protected ? c : { ...c, protected: true }));
  },
  /** `unprotectClient(c)` (a queued client becomes freeable by the next `freeClientsInAsyncFreeQueue`). */
  unprotect(list: readonly ClientState[], i: number): ClientState[] {
    return at(list, i, (c) => (c.protected ? { ...c, protected: false } : c));
  },
  /** `freeClient(c)`: frees at once, or, for a protected client, `freeClientAsync`. Freeing twice is a no-op. */
  free(list: readonly ClientState[], i: number): ClientState[] {
    return at(list, i, (c) => (c.phase === 'freed' ? c : c.protected ? { ...c, phase: 'closeAsap' } : { ...c, phase: 'freed' }));
  },
  /** `freeClientAsync(c)`: queue the client (`CLIENT_CLOSE_ASAP`). */
  freeAsync(list: readonly ClientState[], i: number): ClientState[] {
    return at(list, i, (c) => (c.phase === 'connected' ? { ...c, phase: 'closeAsap' } : c));
  },
  /** `freeClientsInAsyncFreeQueue()`: frees every queued client that is not protected. */
  freeQueued(list: readonly ClientState[]): ClientState[] {
    return list.some((c) => c.phase === 'closeAsap' && !c.protected) ? list.map((c) => (c.phase === 'closeAsap' && !c.protected ? { ...c, phase: 'freed' as const } : c)) : (list as ClientState[]);
  },
  /** Fails the step (property `property`) unless the client is connected: for specs that model a `serverAssert`. */
  assertLive(list: readonly ClientState[], i: number, property: string, what = 'use'): void {
    const c = list[i];
    assert(c?.phase === 'connected', property, `${what} of client ${i} after it was ${c?.phase === 'closeAsap' ? 'queued for an asynchronous free' : 'freed'}${c?.protected ? ' (protected)' : ''}`);
  },
  /** The server uses the client (reads from it, writes to it, counts it): recorded when it is not connected. */
  serve(list: readonly ClientState[], i: number): ClientState[] {
    return at(list, i, (c) =>
      c.phase === 'closeAsap' && !c.servedAfterClose ? { ...c, servedAfterClose: true } : c.phase === 'freed' && !c.usedAfterFree ? { ...c, usedAfterFree: true } : c,
    );
  },
};

/** Invariant: no client was served while queued for an asynchronous free. */
export function noUseOfClosingClient(list: readonly ClientState[]): boolean {
  return list.every((c) => !c.servedAfterClose);
}

/** Invariant: no client was used after it was freed. */
export function noUseAfterFree(list: readonly ClientState[]): boolean {
  return list.every((c) => !c.usedAfterFree);
}
