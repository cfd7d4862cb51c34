/**
 * Valkey 8.1.0: cluster slot-stats assertion after `CLUSTER FAILOVER`.
 * Upstream: valkey-io/valkey#1912 (crash report), fixed by PR #1950 ("fix cluster slot stats assertion during
 * promotion of replica").
 *
 * Mechanism. `replicationFeedReplicas` emits a `SELECT` when `server.replicas_eldb != dictid`; the SELECT goes
 * through `feedReplicationBuffer`, which counts it in the slot's `network_bytes_out` with
 * `clusterSlotStatsIncrNetworkBytesOutForReplication(len)` (adds `len × R`, R = connected replicas) and then
 * `clusterSlotStatsDecrNetworkBytesOutForReplication(len)` (subtracts `len × R`). The decrement's guard was
 *
 *     serverAssert(slot_stats[c->slot].network_bytes_out >= (uint64_t)llabs(len));   // len, not len × R
 *
 * A just-promoted replica (`replicationUnsetPrimary`: `disconnectReplicas()` so R = 0, `replicas_eldb = -1`)
 * still has a backlog, so its first write to a slot whose counter is below the SELECT's length asserts, though
 * the subtraction itself (0 bytes) is harmless. The fix (PR #1950) scales `len` by R before both the assertion
 * and the update. No stats are reset.
 *
 * Model: one node B (initially a replica with a backlog and one slot whose counter is 0), an abstract replica
 * count R ≤ 1, SELECT length L = 2 units, command and reply 1 unit each. The assertion is modelled literally with
 * `assert(..., 'noNegativeSlotBytes')`: it is the `serverAssert` guarding the counter, which itself never
 * underflows (a correction of the first write-up, which blamed an underflow; the invariant `slotBytesAccounted` checks the
 * counter against an independent tally in every variant).
 *
 * Variants: `buggy` (the assert uses `len`), `fixed` (PR #1950: `len × R`), `resetOnPromotion` (the fix an early
 * write-up proposed: reset the slot stats when the replica is promoted, keeping the buggy assert). The checker
 * refutes `resetOnPromotion` with the same 2-action trace: the counter is already below L after a reset, so the
 * reset can only make the crash more likely. The constant `initialBytes` shows it: on a warm slot
 * (`initialBytes = 2`) `buggy` holds at these bounds, while `resetOnPromotion` still fails in 2 actions.
 *
 * Termination: not needed. Once primary, replicas can attach and drop forever, and a replica can always be
 * promoted, so no state is a dead end; deadlock checking stays on.
 */
import { assert, defineSpec, z } from 'interleave';

/** Length of `*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n` (23 bytes) in model units. */
const SELECT_LEN = 2;
const STAT_MAX = 15;

const sat = (n: number): number => Math.min(n, STAT_MAX);

export const slotStatsFailover = defineSpec({
  name: 'slot-stats-failover',
  description: "Valkey #1912: a promoted replica's first write asserts in cluster slot stats (SELECT counted with R = 0).",
  constants: z.object({
    variant: z.enum(['buggy', 'fixed', 'resetOnPromotion']).default('buggy'),
    /** Client writes the node serves as a primary. */
    writes: z.number().int().min(0).max(3).default(2),
    /** Reads the node serves as a replica (they put reply bytes into the slot's counter). */
    reads: z.number().int().min(0).max(2).default(1),
    /** The slot's counter at the start (0: a fresh slot; ≥ L: a warm slot that hides the buggy assert). */
    initialBytes: z.number().int().min(0).max(3).default(0),
  }),
  state: z.object({
    role: z.enum(['replica', 'primary']),
    /** Connected replicas (`listLength(server.replicas)`). */
    replicas: z.number().int().min(0).max(1),
    /** `server.replicas_eldb`: the db the replication stream last selected (-1: none). */
    replicasEldb: z.number().int().min(-1).max(0),
    /** The node has a replication backlog (`server.repl_backlog != NULL`). */
    backlog: z.boolean(),
    /** `slot_stats[slot].network_bytes_out` for the one slot, saturating at STAT_MAX. */
    networkBytesOut: z.number().int().min(0).max(STAT_MAX),
    /** An independent tally of the bytes that should be in the counter (reply bytes + propagated bytes × R). */
    tally: z.number().int().min(0).max(STAT_MAX),
    writesLeft: z.number().int().min(0).max(3),
    readsLeft: z.number().int().min(0).max(2),
  }),
  init: (c) => ({
    role: 'replica' as const,
    replicas: 0,
    replicasEldb: -1,
    backlog: true,
    networkBytesOut: c.initialBytes,
    tally: c.initialBytes,
    writesLeft: c.writes,
    readsLeft: c.reads,
  }),
  actions: ({ action }) => ({
    replicationUnsetPrimary: action({
      guard: (s) => s.role === 'replica',
      effect: (s, c) => ({
        ...s,
        role: 'primary' as const,
        replicas: 0,
        replicasEldb: -1,
        networkBytesOut: c.variant === 'resetOnPromotion' ? 0 : s.networkBytesOut,
        tally: c.variant === 'resetOnPromotion' ? 0 : s.tally,
      }),
      process: 'B',
      doc: 'CLUSTER FAILOVER promotes B: replicationUnsetPrimary → disconnectReplicas() (R = 0), replicas_eldb = -1; the backlog stays.',
    }),
    replicationSetupReplicaForFullResync: action({
      guard: (s) => s.role === 'primary' && s.replicas < 1,
      effect: (s) => ({ ...s, replicas: s.replicas + 1, replicasEldb: -1 }),
      process: 'B',
      doc: 'A replica attaches with a full sync: R += 1 and replicas_eldb = -1 (the next write re-selects the db).',
    }),
    freeReplica: action({
      guard: (s) => s.replicas > 0,
      effect: (s) => ({ ...s, replicas: s.replicas - 1 }),
      process: 'B',
      doc: 'A replica disconnects (freeClient on the replica link): R -= 1.',
    }),
    clusterSlotStatsAddNetworkBytesOutForUserClient: action({
      guard: (s) => s.role === 'replica' && s.readsLeft > 0,
      effect: (s) => ({ ...s, readsLeft: s.readsLeft - 1, networkBytesOut: sat(s.networkBytesOut + 1), tally: sat(s.tally + 1) }),
      process: 'client',
      doc: 'A read served on the slot while B is a replica: afterCommand adds the reply bytes to the counter.',
    }),
    replicationFeedReplicas: action({
      guard: (s) => s.role === 'primary' && s.writesLeft > 0,
      effect: (s, c) => {
        let { networkBytesOut: stat, tally, replicasEldb } = s;
        const R = s.replicas;
        if (s.backlog || R > 0) {
          if (replicasEldb !== 0) {
            // feedReplicationBufferWithObject(SELECT): Incr(len) adds len × R ...
            stat = sat(stat + SELECT_LEN * R);
            // ... then Decr(len) asserts and subtracts len × R.
            const guarded = c.variant === 'fixed' ? SELECT_LEN * R : SELECT_LEN;
            assert(
              stat >= guarded,
              'noNegativeSlotBytes',
              c.variant === 'fixed'
                ? `serverAssert(len >= 0 || network_bytes_out >= -len) failed: ${stat} < ${guarded}`
                : `serverAssert(slot_stats[c->slot].network_bytes_out >= llabs(len)) failed: ${stat} < ${guarded} (R = ${R})`,
            );
            stat = stat - SELECT_LEN * R;
            replicasEldb = 0;
          }
          // The command itself goes to every replica.
          stat = sat(stat + R);
          tally = sat(tally + R);
        }
        // afterCommand → clusterSlotStatsAddNetworkBytesOutForUserClient: the reply.
        return { ...s, replicasEldb, writesLeft: s.writesLeft - 1, networkBytesOut: sat(stat + 1), tally: sat(tally + 1) };
      },
      process: 'client',
      doc: 'A client write on the slot: call() propagates it (replicationFeedReplicas emits SELECT if replicas_eldb != 0), then the reply is counted.',
    }),
  }),
  invariants: {
    /** Sanity check: the counter equals the independent tally (it never underflows, in any variant). */
    slotBytesAccounted: (s) => s.networkBytesOut === s.tally,
  },
  assertions: {
    noNegativeSlotBytes: "the serverAssert in clusterSlotStatsAddNetworkBytesOutForReplication's decrement (the counter cannot go below the bytes it removes)",
  },
  view: { processes: () => ['client', 'B'] },
  expected: [
    { name: 'buggy', constants: { variant: 'buggy' }, status: 'violation', property: 'noNegativeSlotBytes', length: 2 },
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
    { name: 'resetOnPromotion', constants: { variant: 'resetOnPromotion' }, status: 'violation', property: 'noNegativeSlotBytes', length: 2 },
    { name: 'buggy (warm slot)', constants: { variant: 'buggy', initialBytes: 2 }, status: 'ok' },
    { name: 'resetOnPromotion (warm slot)', constants: { variant: 'resetOnPromotion', initialBytes: 2 }, status: 'violation', property: 'noNegativeSlotBytes', length: 2 },
  ],
});

export default slotStatsFailover;
