import { z } from 'zod';

/**
 * OpenSSL's `SSL_write` retry contract, for one connection.
 *
 * When `SSL_write(ssl, buf, len)` cannot send because the socket is full, OpenSSL has already built a TLS record
 * from the first `min(len, recordSize)` bytes; it returns -1 with `SSL_ERROR_WANT_WRITE` and keeps that record
 * pending. The next `SSL_write` must be a retry: `SSL_write(3)` says "with the same arguments"; what
 * `ssl3_write_bytes` enforces is `len >= pending` (else `SSL_R_BAD_LENGTH`, "bad length", and the connection is
 * broken), and, unless `SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER` is set, the same buffer (else "bad write retry").
 * A successful retry first sends the pending record.
 *
 * `SSL_write` with `num = 0` is an error: `SSL_write(3)` says "You should not call SSL_write() with num=0, it
 * will return an error" (OpenSSL 1.1.1 and 3.x; it returns 0 and `SSL_get_error` reports `SSL_ERROR_SYSCALL`,
 * openssl/openssl#6308), and `SSL_ERROR_SYSCALL` is fatal: no further I/O on that `SSL`. So `sslWrite(…, 0)`
 * returns 0 with reason `zeroLength` and breaks the connection (`error: 'zeroLength'`). A zero-length retry of a
 * pending record is the retry-length error first (`0 < pending`), as in `ssl3_write_bytes`.
 *
 * The slice holds the pending obligation (`pending` bytes, 0 when none), the buffer it was made from, and the
 * error the contract produced (`none` until it is broken; a broken connection stays broken).
 *
 * Limits: bytes are abstract units; one record at a time is pending; a positive partial return (with
 * `SSL_MODE_ENABLE_PARTIAL_WRITE`) creates no obligation, as in OpenSSL; buffers are small integer ids chosen
 * by the caller (the model has no addresses); renegotiation and `WANT_READ` are not modelled.
 */
export const SslWriteError = z.enum(['none', 'badLength', 'badWriteRetry', 'zeroLength']);
export type SslWriteError = z.output<typeof SslWriteError>;

export interface TlsWriteState {
  /** Bytes of the record OpenSSL holds after `WANT_WRITE` (0: no retry obligation). */
  pending: number;
  /** The buffer id of the write that left the record pending. */
  pendingBuffer: number;
  error: SslWriteError;
}

export interface TlsWriteBounds {
  /** TLS record payload size in units (real: 16 KiB). */
  recordSize: number;
  /** Number of distinct buffer ids callers use (default 1). */
  buffers?: number;
}

/** The zod schema of the write-contract slice. */
export function tlsWriteState(b: TlsWriteBounds) {
  return z.object({
    pending: z.number().int().min(0).max(b.recordSize),
    pendingBuffer: z.number().int().min(0).max((b.buffers ?? 1) - 1),
    error: SslWriteError,
  });
}

/** A connection with nothing pending. */
export function tlsWriteIdle(): TlsWriteState {
  return { pending: 0, pendingBuffer: 0, error: 'none' };
}

/** What the socket does with this `SSL_write`: it is full (`wantWrite`) or takes the bytes (`written`). */
export type SocketOutcome = 'wantWrite' | 'written';
export const SOCKET_OUTCOMES: readonly SocketOutcome[] = ['wantWrite', 'written'];

export interface SslWriteOptions {
  recordSize: number;
  /** `SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER` (Valkey sets it). Default true. */
  acceptMovingBuffer?: boolean;
  /** `SSL_MODE_ENABLE_PARTIAL_WRITE`: return after one record (Valkey sets it). Default true. */
  partialWrite?: boolean;
}

export interface SslWriteResult {
  tls: TlsWriteState;
  /** `SSL_write`'s return value: bytes written (> 0), or -1, or 0 for a zero-length write. */
  ret: number;
  /** Why: `written`, `wantWrite`, or the contract error. */
  reason: 'written' | 'wantWrite' | 'badLength' | 'badWriteRetry' | 'zeroLength';
}

/** True when an `SSL_write` of `len` bytes now would break the retry-length rule. */
export function violatesRetryLength(tls: TlsWriteState, len: number): boolean {
  return tls.pending > 0 && len < tls.pending;
}

/**
 * `SSL_write(ssl, buffer, len)` with the socket doing `outcome`. Breaking the retry contract sets `error`
 * (whatever the socket would have done); once broken, every write fails with that error. `len = 0` is an error
 * (`zeroLength`, return value 0), never a successful write.
 */
export function sslWrite(tls: TlsWriteState, len: number, outcome: SocketOutcome, o: SslWriteOptions, buffer = 0): SslWriteResult {
  if (tls.error !== 'none') return { tls, ret: -1, reason: tls.error };
  if (violatesRetryLength(tls, len)) return { tls: { ...tls, error: 'badLength' }, ret: -1, reason: 'badLength' };
  if (tls.pending > 0 && o.acceptMovingBuffer === false && buffer !== tls.pendingBuffer) {
    return { tls: { ...tls, error: 'badWriteRetry' }, ret: -1, reason: 'badWriteRetry' };
  }
  if (len <= 0) return { tls: { ...tls, error: 'zeroLength' }, ret: 0, reason: 'zeroLength' };
  if (outcome === 'wantWrite') {
    const pending = tls.pending > 0 ? tls.pending : Math.min(len, o.recordSize);
    return { tls: { ...tls, pending, pendingBuffer: tls.pending > 0 ? tls.pendingBuffer : buffer }, ret: -1, reason: 'wantWrite' };
  }
  const partial = o.partialWrite ?? true;
  const ret = partial ? (tls.pending > 0 ? tls.pending : Math.min(len, o.recordSize)) : len;
  return { tls: { ...tls, pending: 0, pendingBuffer: 0 }, ret, reason: 'written' };
}

/** The invariant form of the contract: no `SSL_write` broke it. */
export function sslWriteContractHolds(tls: TlsWriteState): boolean {
  return tls.error === 'none';
}
