/**
 * Valkey dual-channel replication over TLS: the replica reads its RDB connection after closing it.
 * Upstream: valkey-io/valkey#1152 ("[Test Failure] Engine crash during TLS test with dual channel replication"),
 * fixed by PR #1173 ("Add scoped RDB loading context and immediate abort flag", commit 9f4503ca5).
 *
 * Mechanism. The replica loads the RDB from its RDB channel inside `readSyncBulkPayload`, which runs under
 * `callHandler`, so the connection holds a reference. Every `loading-process-events-interval-bytes`,
 * `rdbLoadProgressCallback` runs a nested event loop (`processEventsWhileBlocked`). There the main channel's
 * handler `readIntoReplDataBlock` may see EOF and call `cancelReplicationHandshake(1)` →
 * `replicationAbortDualChannelSyncTransfer` → `connClose(rdb)`. With a reference held only the socket close is
 * deferred; `connTLSClose` frees the `SSL*` at once and the state stays `CONNECTED`. Back in the load loop, the
 * next `rioRead` → `connTLSRead` calls `SSL_read(NULL, ...)`: a crash (over plain TCP, a read on fd -1).
 *
 * Fix (PR #1173): the main-channel error path first calls `rioCloseASAP(server.loading_rio)`; `rioRead` then
 * fails on `RIO_FLAG_CLOSE_ASAP` before it touches the connection, and the load fails cleanly.
 *
 * Model (composes the `connection` component for both channels): the load loop reads `chunks` chunks (each read
 * crosses the events interval and enters the nested loop) and then the EOF mark; the primary side may reset the
 * main channel once. `noUseAfterClose`: no read reaches the RDB connection after close was called on it, even
 * though its free is deferred by the handler's reference.
 *
 * Shortest counterexample (5 actions): mainChannelEof, rdbLoadRioRead (enters the nested loop),
 * cancelReplicationHandshake (connClose(rdb), deferred), processEventsWhileBlockedReturn, rdbLoadRioRead.
 * The 4-action form of the bug report folds the EOF into the handler; here EOF is the environment's own action so it can
 * come at any point before the handler runs.
 *
 * Termination: the modelled code path ends when `readSyncBulkPayload` returns (the load finished or failed and
 * the deferred close ran). What the replica does next (stream, reconnect) is out of scope, so those end states
 * take a stutter step `replicaCarriesOn` instead of being reported as deadlocks; deadlock checking stays on
 * for every other state.
 */
import { Connection, connectionState, defineSpec, noUseAfterClose, z } from 'interleave';

export const dualChannelReplication = defineSpec({
  name: 'dual-channel-replication',
  description: 'Valkey #1152: the nested event loop closes the RDB connection the loader is still reading (TLS: SSL_read on a freed SSL).',
  constants: z.object({
    variant: z.enum(['buggy', 'fixed']).default('buggy'),
    /** RDB chunks before the EOF mark; each read crosses the events interval. */
    chunks: z.number().int().min(1).max(4).default(2),
  }),
  state: (c) =>
    z.object({
      loadPhase: z.enum(['loading', 'failed', 'done']),
      chunksLeft: z.number().int().min(0).max(c.chunks),
      /** `server.repl_rdb_transfer_s`; the running `readSyncBulkPayload` holds one reference. */
      rdbConn: connectionState(1),
      /** `server.repl_transfer_s`: the main channel, buffering the replication stream during the load. */
      mainConn: connectionState(1),
      /** The primary closed or reset the main channel; its handler will read EOF. */
      mainEof: z.boolean(),
      /** Inside `processEventsWhileBlocked`, called from `rdbLoadProgressCallback`. */
      inNested: z.boolean(),
      replState: z.enum(['transfer', 'connect']),
      rdbChannelState: z.enum(['rdbLoad', 'none']),
      /** `RIO_FLAG_CLOSE_ASAP` on `server.loading_rio` (fixed variant only). */
      closeAsap: z.boolean(),
    }),
  init: (c) => ({
    loadPhase: 'loading' as const,
    chunksLeft: c.chunks,
    rdbConn: Connection.incrRefs(Connection.open()),
    mainConn: Connection.open(),
    mainEof: false,
    inNested: false,
    replState: 'transfer' as const,
    rdbChannelState: 'rdbLoad' as const,
    closeAsap: false,
  }),
  actions: ({ action }) => ({
    mainChannelEof: action({
      guard: (s) => Connection.isOpen(s.mainConn) && !s.mainEof,
      effect: (s) => ({ ...s, mainEof: true }),
      process: 'primary',
      doc: 'The primary dies or the network resets the main channel: its next read returns 0 (EOF) or an error.',
    }),
    rdbLoadRioRead: action({
      guard: (s) => s.loadPhase === 'loading' && !s.inNested,
      effect: (s) => {
        // rioRead: the fix checks RIO_FLAG_CLOSE_ASAP before touching the backend.
        if (s.closeAsap) return { ...s, loadPhase: 'failed' as const };
        // rioConnRead → connTLSRead: the state check passes (still CONNECTED), SSL_read runs.
        const rdbConn = Connection.read(s.rdbConn);
        if (!Connection.isOpen(s.rdbConn)) return { ...s, rdbConn, loadPhase: 'failed' as const };
        if (s.chunksLeft > 0) return { ...s, rdbConn, chunksLeft: s.chunksLeft - 1, inNested: true };
        return { ...s, rdbConn, loadPhase: 'done' as const };
      },
      process: 'replica',
      doc: 'rdbLoadRioWithLoadingCtx reads the next chunk (rioRead → connTLSRead → SSL_read); crossing the interval runs processEventsWhileBlocked.',
    }),
    cancelReplicationHandshake: action({
      guard: (s) => s.inNested && s.mainEof && Connection.isOpen(s.mainConn),
      effect: (s, c) => ({
        ...s,
        mainConn: Connection.close(Connection.read(s.mainConn)),
        rdbConn: Connection.close(s.rdbConn),
        closeAsap: c.variant === 'fixed' ? true : s.closeAsap,
        rdbChannelState: 'none' as const,
        replState: 'connect' as const,
      }),
      process: 'replica',
      doc: 'In the nested loop, readIntoReplDataBlock reads EOF on the main channel: (fixed: rioCloseASAP(server.loading_rio)) cancelReplicationHandshake(1) → replicationAbortDualChannelSyncTransfer → connClose(rdb), deferred by the reference.',
    }),
    processEventsWhileBlockedReturn: action({
      guard: (s) => s.inNested,
      effect: (s) => ({ ...s, inNested: false }),
      process: 'replica',
      doc: 'The nested event loop returns to rdbLoadProgressCallback and the load loop goes on.',
    }),
    readSyncBulkPayloadReturn: action({
      guard: (s) => s.loadPhase !== 'loading' && s.rdbConn.refs > 0,
      effect: (s) => {
        // Done: the RDB channel is closed after the load; failed: cancelReplicationHandshake again (idempotent).
        // callHandler's connDecrRefs then runs the deferred close.
        const failed = s.loadPhase === 'failed';
        return {
          ...s,
          rdbConn: Connection.decrRefs(Connection.close(s.rdbConn)),
          mainConn: failed ? Connection.close(s.mainConn) : s.mainConn,
          rdbChannelState: 'none' as const,
          replState: failed ? ('connect' as const) : s.replState,
        };
      },
      process: 'replica',
      doc: 'readSyncBulkPayload returns (load done or failed); callHandler drops its reference and the scheduled close frees the connection.',
    }),
    replicaCarriesOn: action({
      guard: (s) => s.loadPhase !== 'loading' && s.rdbConn.refs === 0,
      effect: (s) => s,
      process: 'replica',
      doc: 'Stutter step: after the handler returned, the replica streams or reconnects (outside the model).',
    }),
  }),
  invariants: {
    noUseAfterClose: (s) => noUseAfterClose(s.rdbConn) && noUseAfterClose(s.mainConn),
  },
  view: { processes: () => ['primary', 'replica'] },
  expected: [
    { name: 'buggy', constants: { variant: 'buggy' }, status: 'violation', property: 'noUseAfterClose', length: 5 },
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
  ],
});

export default dualChannelReplication;
