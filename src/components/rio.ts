import { z } from 'zod';

/**
 * An I/O stream with sticky error flags, in the style of Redis/Valkey `rio` (`rio.h`): the RDB loader reads
 * through a `rio` that wraps a connection, a file or a buffer.
 *
 * - `rioRead` returns 0 at once, **without touching the backend**, when `RIO_FLAG_READ_ERROR` is set; a backend
 *   read that fails sets it. `rioWrite` is the same with `RIO_FLAG_WRITE_ERROR`.
 * - `rioAbort` is Valkey's `rioCloseASAP` (`RIO_FLAG_CLOSE_ASAP`, PR #1173): code that is about to close the
 *   backend from elsewhere (a nested event loop) sets it on the active loader's rio, and the loader's next read
 *   or write fails on the flag instead of reaching a closed connection. `honorsAbort: false` models the code
 *   before the fix (the flag does not exist or is not checked): then only the error flags stop I/O.
 *
 * The slice holds the three flags. Each operation returns the new slice, whether it succeeded (`ok`, what
 * `rioRead` returning non-zero means), and whether it reached the backend (`backend`): compose it with the
 * connection component, calling `Connection.read` only when `backend` is true, so that a read on a closed
 * connection is caught (`noUseAfterClose`) exactly when the real code would make it.
 *
 * Limits: no bytes, positions, checksums or `update_cksum`; the backend's outcome (`ok` or `error`) is the
 * caller's parameter; EOF is an error outcome, as in `rioConnRead`.
 */
export interface RioState {
  /** `RIO_FLAG_READ_ERROR`: a backend read failed; every later read fails at once. */
  readError: boolean;
  /** `RIO_FLAG_WRITE_ERROR`. */
  writeError: boolean;
  /** `RIO_FLAG_CLOSE_ASAP` (`rioCloseASAP`): stop before the next backend call. */
  abort: boolean;
}

/** The zod schema of the rio slice. */
export function rioState() {
  return z.object({ readError: z.boolean(), writeError: z.boolean(), abort: z.boolean() });
}

/** A fresh rio (`rioInitWithConn`). */
export function rioInit(): RioState {
  return { readError: false, writeError: false, abort: false };
}

/** What the backend does with this call: returns the bytes (`ok`) or fails (`error`, EOF included). */
export type RioOutcome = 'ok' | 'error';
export const RIO_OUTCOMES: readonly RioOutcome[] = ['ok', 'error'];

export interface RioOptions {
  /** Whether this code checks `RIO_FLAG_CLOSE_ASAP` (Valkey after PR #1173). Default true. */
  honorsAbort?: boolean;
}

export interface RioResult {
  rio: RioState;
  /** `rioRead`/`rioWrite` returned non-zero. */
  ok: boolean;
  /** The call reached the backend (`r->read` / `r->write`): compose with `Connection.read` / `write`. */
  backend: boolean;
}

function stopped(r: RioState, error: boolean, o: RioOptions): boolean {
  return error || ((o.honorsAbort ?? true) && r.abort);
}

/** `rioRead(r, buf, len)` with the backend doing `outcome`. */
export function rioRead(r: RioState, outcome: RioOutcome, o: RioOptions = {}): RioResult {
  if (stopped(r, r.readError, o)) return { rio: r, ok: false, backend: false };
  if (outcome === 'error') return { rio: { ...r, readError: true }, ok: false, backend: true };
  return { rio: r, ok: true, backend: true };
}

/** `rioWrite(r, buf, len)` with the backend doing `outcome`. */
export function rioWrite(r: RioState, outcome: RioOutcome, o: RioOptions = {}): RioResult {
  if (stopped(r, r.writeError, o)) return { rio: r, ok: false, backend: false };
  if (outcome === 'error') return { rio: { ...r, writeError: true }, ok: false, backend: true };
  return { rio: r, ok: true, backend: true };
}

/** `rioCloseASAP(r)`: the next read or write fails without reaching the backend (when the code honours it). */
export function rioAbort(r: RioState): RioState {
  return r.abort ? r : { ...r, abort: true };
}

/** `rioGetReadError(r) || rioGetWriteError(r)` or aborted: the loader must stop. */
export function rioFailed(r: RioState): boolean {
  return r.readError || r.writeError || r.abort;
}
