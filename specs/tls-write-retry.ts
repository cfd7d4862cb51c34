/**
 * Valkey TLS: an `SSL_write` retried with a smaller length ("SSL routines::bad length", 0A00010F).
 * Upstream: valkey-io/valkey#1135, fixed by PR #1737 ("Fix error 'SSL routines::bad length' when connTLSWrite is
 * called second time with smaller buffer"). Follow-up: #1861 (open: the keep-alive newline while a write is
 * pending).
 *
 * Mechanism. `writevToClient` gathers reply buffers while the total is below `NET_MAX_WRITES_PER_EVENT` (a
 * #define, 64 KiB), so the total can exceed it by the last buffer. `connTLSWritev` then either concatenates
 * the iovs into one `SSL_write(total)` (total ≤ NET_MAX) or, above NET_MAX, writes each iov with its own
 * `SSL_write(iov[i].iov_len)`. If a concatenated write got `WANT_WRITE`, OpenSSL holds a pending record and the
 * next `SSL_write` must not be shorter (`ssl3_write_bytes`: `len >= pending`). When replies are appended in
 * between, the total crosses NET_MAX and the per-iov path retries with `iov[0].iov_len` < pending: bad length,
 * the connection goes to `CONN_STATE_ERROR` and the client or replica link is dropped.
 *
 * Fix (PR #1737): `last_failed_write_data_len` on the TLS connection; `connTLSWrite` returns -1 without calling
 * OpenSSL when asked to write less than it; `connTLSWritev` takes the per-iov path only if `iov[0]` is at least
 * that long, else concatenates even above NET_MAX.
 *
 * Model (composes the `tls-write` component for OpenSSL's contract, with `SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER`
 * and `SSL_MODE_ENABLE_PARTIAL_WRITE` set as Valkey does): units with NET_MAX = 3 and a TLS record of 2 (real:
 * 64 KiB and 16 KiB), reply buffers of 1 or 2 units, at most 3 queued, 2 appends. The writer starts with one
 * 1-unit reply queued (`initialReplies = 1`), which gives the 4-action counterexample of the bug analysis: addReply(1),
 * connTLSWritev concatenated SSL_write(2) → WANT_WRITE, addReply(2), connTLSWritev per-iov SSL_write(1) → bad
 * length. With the keep-alive writer (`keepalive = true`, replicationCron's `connWrite(conn, "\n", 1)`) it is 3:
 * addReply(1), connTLSWritev → WANT_WRITE, connTLSWrite(1) → bad length.
 *
 * Variants: `buggy`, `fixed` (both halves of PR #1737), `writevOnly` (only the `connTLSWritev` half: the
 * per-iov condition, but no guard in `connTLSWrite`). `writevOnly` holds without the keep-alive writer and fails
 * through it: the guard in `connTLSWrite` is what protects callers other than `writevToClient`.
 *
 * Abstractions: one `SSL_write` per action (the per-iov loop's later writes happen in later `writeToClient`
 * calls); the keep-alive's bytes are not tracked (if it "succeeds" while a record is pending, OpenSSL really
 * sends the pending reply record: #1861's territory, not this property).
 *
 * Termination: a state where the replies are drained and no append is left ends the model by its bounds, not
 * by a protocol deadlock: `terminal` says so, and deadlock checking stays on for every other state.
 */
import { defineSpec, SOCKET_OUTCOMES, sslWrite, sslWriteContractHolds, tlsWriteIdle, tlsWriteState, z } from 'interleave';
import type { SocketOutcome, TlsWriteState } from 'interleave';

/** NET_MAX_WRITES_PER_EVENT in units. */
const NET_MAX = 3;
/** TLS record payload in units. */
const RECORD = 2;
const SSL = { recordSize: RECORD, acceptMovingBuffer: true, partialWrite: true } as const;

type Variant = 'buggy' | 'fixed' | 'writevOnly';

interface Tls {
  tls: TlsWriteState;
  lastFailed: number;
}

/** `connTLSWrite(conn, data, len)` as of the variant; returns the new TLS slice and the return value. */
function connTLSWrite(t: Tls, len: number, outcome: SocketOutcome, variant: Variant): { t: Tls; ret: number } {
  if (variant === 'fixed' && len < t.lastFailed) return { t, ret: -1 }; // silently, nothing sent
  const r = sslWrite(t.tls, len, outcome, SSL);
  const lastFailed = variant === 'buggy' ? 0 : r.ret <= 0 ? len : 0;
  return { t: { tls: r.tls, lastFailed }, ret: r.ret };
}

/** The iovs `writevToClient` gathers: buffers from the front while the total is below NET_MAX. */
function gatherIov(bufs: readonly number[]): number[] {
  const iov: number[] = [];
  let total = 0;
  for (const b of bufs) {
    if (total >= NET_MAX) break;
    iov.push(b);
    total += b;
  }
  return iov;
}

/** Removes `n` written units from the front of the reply list. */
function consume(bufs: readonly number[], n: number): number[] {
  const out = [...bufs];
  while (n > 0 && out.length > 0) {
    const head = out[0]!;
    if (head <= n) {
      out.shift();
      n -= head;
    } else {
      out[0] = head - n;
      n = 0;
    }
  }
  return out;
}

export const tlsWriteRetry = defineSpec({
  name: 'tls-write-retry',
  description: 'Valkey #1135: a TLS write retried after WANT_WRITE with a shorter length fails with "bad length".',
  constants: z.object({
    variant: z.enum(['buggy', 'fixed', 'writevOnly']).default('buggy'),
    /** The replication cron's keep-alive newline on the same connection (#1861). */
    keepalive: z.boolean().default(false),
    /** 1-unit replies queued at the start. */
    initialReplies: z.number().int().min(0).max(6).default(1),
    /** Replies appended by command execution. */
    appends: z.number().int().min(0).max(6).default(2),
    /** The most reply buffers queued at once. */
    maxBufs: z.number().int().min(1).max(6).default(3),
  }),
  state: (c) =>
    z.object({
      /** The reply list (`c->reply` buffers), sizes in units. */
      bufs: z.array(z.number().int().min(1).max(2)).max(c.maxBufs),
      tls: tlsWriteState({ recordSize: RECORD }),
      /** `conn->last_failed_write_data_len` (PR #1737; stays 0 in `buggy`). */
      lastFailed: z.number().int().min(0).max(2 * NET_MAX),
      appendsLeft: z.number().int().min(0).max(c.appends),
    }),
  init: (c) => ({
    bufs: Array.from({ length: Math.min(c.initialReplies, c.maxBufs) }, () => 1),
    tls: tlsWriteIdle(),
    lastFailed: 0,
    appendsLeft: c.appends,
  }),
  actions: ({ action }) => ({
    addReply: action({
      params: [1, 2],
      guard: (s, c) => s.appendsLeft > 0 && s.bufs.length < c.maxBufs,
      effect: (s, _c, size) => ({ ...s, bufs: [...s.bufs, size], appendsLeft: s.appendsLeft - 1 }),
      process: 'command',
      doc: 'Command execution appends a reply buffer of 1 or 2 units to the client (or replica) reply list.',
    }),
    connTLSWritev: action({
      params: SOCKET_OUTCOMES,
      guard: (s) => s.bufs.length > 0 && sslWriteContractHolds(s.tls),
      effect: (s, c, outcome) => {
        const iov = gatherIov(s.bufs);
        const total = iov.reduce((a, b) => a + b, 0);
        const first = iov[0]!;
        const perIov = iov.length > 1 && total > NET_MAX && (c.variant === 'buggy' || first >= s.lastFailed);
        // Per-iov: SSL_write(iov[0]) first; else one concatenated SSL_write(total) (a single iov is the same).
        const len = perIov ? first : total;
        const { t, ret } = connTLSWrite({ tls: s.tls, lastFailed: s.lastFailed }, len, outcome, c.variant);
        return { ...s, tls: t.tls, lastFailed: t.lastFailed, bufs: ret > 0 ? consume(s.bufs, ret) : s.bufs };
      },
      process: 'writer',
      doc: 'writeToClient → writevToClient → connTLSWritev: per-iov SSL_write above NET_MAX, else one concatenated SSL_write; the socket is full (WANT_WRITE) or takes the bytes.',
    }),
    connTLSWrite: action({
      params: SOCKET_OUTCOMES,
      guard: (s, c) => c.keepalive && sslWriteContractHolds(s.tls),
      effect: (s, c, outcome) => {
        const { t } = connTLSWrite({ tls: s.tls, lastFailed: s.lastFailed }, 1, outcome, c.variant);
        return { ...s, tls: t.tls, lastFailed: t.lastFailed };
      },
      process: 'replicationCron',
      doc: 'The replication cron pings the replica with a newline: connWrite(conn, "\\n", 1) → connTLSWrite → SSL_write(1).',
    }),
  }),
  invariants: {
    sslWriteRetryContract: (s) => sslWriteContractHolds(s.tls),
  },
  /** Every reply written and no command left to append one: the model's bounds end it here. */
  terminal: (s) => s.bufs.length === 0 && s.appendsLeft === 0,
  view: { processes: () => ['command', 'writer', 'replicationCron'] },
  expected: [
    { name: 'buggy', constants: { variant: 'buggy' }, status: 'violation', property: 'sslWriteRetryContract', length: 4 },
    { name: 'buggy+keepalive', constants: { variant: 'buggy', keepalive: true }, status: 'violation', property: 'sslWriteRetryContract', length: 3 },
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
    { name: 'fixed+keepalive', constants: { variant: 'fixed', keepalive: true }, status: 'ok' },
    { name: 'writevOnly', constants: { variant: 'writevOnly' }, status: 'ok' },
    { name: 'writevOnly+keepalive', constants: { variant: 'writevOnly', keepalive: true }, status: 'violation', property: 'sslWriteRetryContract', length: 3 },
  ],
});

export default tlsWriteRetry;
