/**
 * Kvrocks 2.10.1: a replica's full sync over TLS never completes (it restarts forever).
 * Upstream: apache/kvrocks#2756 ("Replica full sync doesn't work over TLS"), fixed by PR #2757
 * ("fix(tls): remove SSL_sendfile path to avoid errors in replication fullsync"). The bug came with PR #1762
 * ("Use SSL_sendfile in SockSendFile while available"); #1780 skipped the TLS replication test a week later.
 *
 * Mechanism. When the replica's next sequence is no longer in the master's WAL (a "large" dataset), PSYNC is
 * refused and the replica fetches checkpoint files. The master's feed thread (`CommandFetchFile`) sends each
 * file's size with `SockSend` (`SSL_write`) and its content with `SockSendFile`, which with OpenSSL 3 is
 * `SockSendFileImpl<SSL_sendfile>`. `SSL_sendfile` needs kernel TLS, which Kvrocks never enables, so it fails on
 * every non-empty file: "Fail to send file", and the thread's `bufferevent_free` closes the connection without
 * `close_notify`. The replica's `fetchFile` gets "failed to read from SSL connection", `fullSyncReadCB` returns
 * `CBState::RESTART`, and after 10 s the whole state machine runs again: PSYNC refused, fetch, same failure.
 * No file is ever delivered, so no attempt makes progress. (The 250 MB in the report is what forces full sync,
 * not a TLS threshold; the master's "unexpected eof" is a symptom. The seed's "missing SSL shutdown" root cause
 * is not what upstream fixed.)
 *
 * Fix (PR #2757): `SockSendFile` over TLS always uses `SockSendFileImpl<SendFileSSLImpl>`: read a chunk, then
 * `SSL_write`, in a loop.
 *
 * Model: one replica state machine, the master's feed thread, `files` checkpoint files of one chunk each, and the
 * network with a fault budget `faults` (each fault closes the connection). `restartsBoundedByFaults` is the
 * bounded-liveness form of "the sync eventually completes": the replica never restarts more often than the
 * network failed. The buggy variant restarts after 7 actions with zero faults: ReplicationThreadStart,
 * tryPSyncReadCB (sequence out of range), fullSyncReadCB (meta, start fetching), SockSend (size), SockSendFile
 * (SSL_sendfile fails, connection closed), fetchFile (EOF), ReplicationThreadRestart. The liveness form is
 * `fullSyncCompletes` (◇ synced under weak fairness, a lasso with `restartBound = 0`): docs/kvrocks-liveness.md.
 *
 * Constants that show the conditions: `walHasSeq = true` (small dataset: PSYNC succeeds, no file is sent) and
 * `ktls = true` (if kernel TLS were enabled, SSL_sendfile would work) both make the buggy variant hold.
 *
 * Not modelled: `SendFileSSLImpl` treats only -1 from `SSL_write` as an error; a 0 return would spin
 * (`size -= 0`). That is a possible latent bug; here `SSL_write` fails with -1 on a closed peer.
 *
 * Termination: `synced` is the goal, after which the replica follows the WAL; that is the stutter step
 * `incrementalSync`, so deadlock checking stays on and would report a replica stuck anywhere else.
 */
import { defineSpec, z } from 'interleave';

const MAX_RESTARTS = 3;

export const kvrocksTlsFullsync = defineSpec({
  name: 'kvrocks-tls-fullsync',
  description: 'Kvrocks #2756: SSL_sendfile without kernel TLS aborts every file transfer, so full sync over TLS restarts forever.',
  constants: z.object({
    variant: z.enum(['buggy', 'fixed']).default('buggy'),
    /** Network faults the environment may inject (each closes the connection). */
    faults: z.number().int().min(0).max(2).default(0),
    /** Checkpoint files to fetch (one chunk each). */
    files: z.number().int().min(1).max(3).default(1),
    /** The replica's next sequence is still in the master's WAL (small dataset: PSYNC works). */
    walHasSeq: z.boolean().default(false),
    /** Kernel TLS send offload (Kvrocks never sets SSL_OP_ENABLE_KTLS). */
    ktls: z.boolean().default(false),
    /**
     * Where the restart counter saturates. The liveness configurations use 0 (no counter), so the retry loop
     * closes on the first round: a lasso whose loop of 7 actions starts at the initial state.
     */
    restartBound: z.number().int().min(0).max(3).default(MAX_RESTARTS),
  }),
  state: (c) =>
    z.object({
      replPhase: z.enum(['connect', 'psync', 'fetchMeta', 'fetch', 'restore', 'synced', 'restartWait']),
      conn: z.enum(['none', 'open', 'closedNoNotify']),
      /** The master feed thread's progress on the current file. */
      masterSend: z.enum(['idle', 'sizeSent', 'done', 'aborted']),
      /** Files the master has sent on this connection (counting those the replica already had). */
      sent: z.number().int().min(0).max(c.files),
      /** Files the replica has (kept across restarts: `FileExists`). */
      fetched: z.number().int().min(0).max(c.files),
      faultsLeft: z.number().int().min(0).max(c.faults),
      /** Faults injected so far. */
      faultsInjected: z.number().int().min(0).max(c.faults),
      /** Restarts of the replication state machine (saturating). */
      restarts: z.number().int().min(0).max(c.restartBound),
    }),
  init: (c) => ({
    replPhase: 'connect' as const,
    conn: 'none' as const,
    masterSend: 'idle' as const,
    sent: 0,
    fetched: 0,
    faultsLeft: c.faults,
    faultsInjected: 0,
    restarts: 0,
  }),
  actions: ({ action }) => ({
    ReplicationThreadStart: action({
      guard: (s) => s.replPhase === 'connect',
      effect: (s) => ({ ...s, replPhase: 'psync' as const, conn: 'open' as const, masterSend: 'idle' as const, sent: s.fetched }),
      fairness: 'weak',
      process: 'replica',
      doc: 'The replication thread connects to the master (TLS), authenticates and sends PSYNC.',
    }),
    tryPSyncReadCB: action({
      guard: (s) => s.replPhase === 'psync',
      effect: (s, c) => {
        if (s.conn !== 'open') return { ...s, replPhase: 'restartWait' as const };
        return { ...s, replPhase: c.walHasSeq ? ('synced' as const) : ('fetchMeta' as const) };
      },
      fairness: 'weak',
      process: 'replica',
      doc: 'PSYNC reply: +OK if the sequence is in the WAL, else "-ERR sequence out of range, please use fullsync".',
    }),
    fullSyncReadCB: action({
      guard: (s) => s.replPhase === 'fetchMeta',
      effect: (s) => (s.conn !== 'open' ? { ...s, replPhase: 'restartWait' as const } : { ...s, replPhase: 'fetch' as const }),
      fairness: 'weak',
      process: 'replica',
      doc: '_fetch_meta: the replica reads the checkpoint meta and starts parallelFetchFile (_fetch_file for missing files).',
    }),
    SockSend: action({
      guard: (s, c) => s.replPhase === 'fetch' && s.conn === 'open' && s.masterSend === 'idle' && s.sent < c.files,
      effect: (s) => ({ ...s, masterSend: 'sizeSent' as const }),
      fairness: 'weak',
      process: 'master',
      doc: "The master's feed-repl-file thread (CommandFetchFile) sends the file's size line with SSL_write.",
    }),
    SockSendFile: action({
      guard: (s) => s.masterSend === 'sizeSent' && s.conn === 'open',
      effect: (s, c) => {
        if (c.variant === 'buggy' && !c.ktls) {
          // SockSendFileImpl<SSL_sendfile>: no kTLS → -1; "Fail to send file"; bufferevent_free, no close_notify.
          return { ...s, masterSend: 'aborted' as const, conn: 'closedNoNotify' as const };
        }
        const sent = s.sent + 1;
        return { ...s, sent, masterSend: sent === c.files ? ('done' as const) : ('idle' as const) };
      },
      fairness: 'weak',
      process: 'master',
      doc: 'SockSendFile: buggy SockSendFileImpl<SSL_sendfile> (fails without kTLS); fixed SendFileSSLImpl (read + SSL_write loop).',
    }),
    fetchFile: action({
      guard: (s) => s.replPhase === 'fetch' && (s.sent > s.fetched || s.conn !== 'open'),
      effect: (s, c) => {
        if (s.sent > s.fetched) {
          const fetched = s.fetched + 1;
          return { ...s, fetched, replPhase: fetched === c.files ? ('restore' as const) : s.replPhase };
        }
        // EvbufferRead → SSL_read ≤ 0: "failed to read from SSL connection"; fullSyncReadCB returns RESTART.
        return { ...s, replPhase: 'restartWait' as const };
      },
      fairness: 'weak',
      process: 'replica',
      doc: 'The replica reads the next file (or EOF: "failed to read from SSL connection" → CBState::RESTART).',
    }),
    restoreFromCheckpoint: action({
      guard: (s) => s.replPhase === 'restore',
      effect: (s) => ({ ...s, replPhase: 'synced' as const }),
      fairness: 'weak',
      process: 'replica',
      doc: 'All files fetched: the replica restores its DB from the checkpoint and starts following the WAL.',
    }),
    ReplicationThreadRestart: action({
      guard: (s) => s.replPhase === 'restartWait',
      effect: (s, c) => ({
        ...s,
        replPhase: 'connect' as const,
        conn: 'none' as const,
        masterSend: 'idle' as const,
        restarts: Math.min(s.restarts + 1, c.restartBound),
      }),
      fairness: 'weak',
      process: 'replica',
      doc: 'CBState::RESTART: Stop(), sleep 10 s, Start(): the state machine runs again from the connection.',
    }),
    networkFault: action({
      guard: (s) => s.faultsLeft > 0 && s.conn === 'open' && ['psync', 'fetchMeta', 'fetch'].includes(s.replPhase),
      effect: (s) => ({ ...s, conn: 'closedNoNotify' as const, faultsLeft: s.faultsLeft - 1, faultsInjected: s.faultsInjected + 1 }),
      process: 'network',
      doc: 'The network fails: the connection is reset (fault budget: faults).',
    }),
    incrementalSync: action({
      guard: (s) => s.replPhase === 'synced',
      effect: (s) => s,
      fairness: 'weak',
      process: 'replica',
      doc: 'Stutter step: synced, the replica follows the WAL stream.',
    }),
  }),
  invariants: {
    restartsBoundedByFaults: (s) => s.restarts <= s.faultsInjected,
  },
  properties: ({ eventually }) => ({
    /**
     * The replica eventually completes the full sync (upstream #2756: over TLS it never did). Checked under weak
     * fairness of the replica's replication thread and the master's feed thread; the network's faults are not
     * fair (it may inject at most `faults` of them, and nothing forces it to).
     */
    fullSyncCompletes: eventually((s) => s.replPhase === 'synced'),
  }),
  view: { processes: () => ['replica', 'master', 'network'] },
  expected: [
    { name: 'buggy', constants: { variant: 'buggy' }, status: 'violation', property: 'restartsBoundedByFaults', length: 7 },
    { name: 'buggy faults=1', constants: { variant: 'buggy', faults: 1 }, status: 'violation', property: 'restartsBoundedByFaults', length: 7 },
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
    { name: 'fixed faults=1', constants: { variant: 'fixed', faults: 1 }, status: 'ok' },
    { name: 'buggy walHasSeq', constants: { variant: 'buggy', walHasSeq: true }, status: 'ok' },
    { name: 'buggy ktls', constants: { variant: 'buggy', ktls: true }, status: 'ok' },
    { name: 'buggy liveness', constants: { variant: 'buggy', restartBound: 0 }, status: 'violation', property: 'fullSyncCompletes', length: 7, options: { invariants: [] } },
    { name: 'fixed liveness faults=2', constants: { variant: 'fixed', faults: 2, restartBound: 0 }, status: 'ok', options: { invariants: [] } },
  ],
});

export default kvrocksTlsFullsync;
