/**
 * Redis replication as a user observes it: two servers, `INFO replication` (role, master_link_status, offsets),
 * `INFO stats` (sync_full, sync_partial_ok) and the data. The spec is driven against real `redis-server`
 * processes by test/conformance/redis/driver.ts (see docs/conformance.md); it is a model of the system's
 * observable behaviour, not of a bug.
 *
 * Mechanism (Redis 7.0, replication.c). A replica that (re)connects sends `PSYNC <replid> <offset+1>`: the
 * replication id and offset of its cached master (or, for a former master, of itself). The master answers
 * `+CONTINUE` (a partial resynchronisation, counted in `sync_partial_ok`) only when the id is its own, or its
 * previous id (`replid2`, kept when a replica is promoted) with an offset no later than the point where the two
 * histories split (`second_replid_offset`), and the offset is still in its backlog; otherwise it answers
 * `+FULLRESYNC` and sends an RDB (counted in `sync_full`). Every server keeps a backlog (a replica feeds its own
 * from the stream), and a write larger than the backlog (`repl-backlog-size`, 16 KB here) pushes every earlier
 * offset out of it. `REPLICAOF NO ONE` turns a replica into a master with a new id, keeping the old one as
 * `replid2`.
 *
 * Abstraction. Offsets count writes (every write is one `INCR n`, so a server's data is its offset); the view
 * shows the data and whether a replica's offset equals its master's, not raw byte offsets (those include
 * protocol overhead). Replication ids are small integers, fresh on each promotion. `bigWrite` is a write larger
 * than the backlog. `disconnect` cuts a replica's link and keeps it down (the driver points the replica at a
 * closed port; the cached master survives), `reconnect` points it back. `killLink` is `CLIENT KILL TYPE master`
 * on the replica: it reconnects at once by itself.
 *
 * Variants. `faithful` decides PSYNC as above. `optimistic` misdescribes Redis on purpose: it assumes that a
 * partial resynchronisation is always possible after a disconnect, even when the backlog was overrun or the
 * replica was promoted in between. Conformance testing against real servers finds the difference
 * (test/conformance/redis.test.ts); the checker cannot, since both variants are self-consistent models.
 *
 * Bounds keep the state space finite for `interleave check` (and keep behaviours short): at most `maxWrites`
 * writes in a history, `maxPromotions` promotions and `maxSyncs` resynchronisations in a behaviour.
 */
import { defineSpec, z } from 'interleave';

export const NODES = [0, 1] as const;

const node = z.object({
  role: z.enum(['master', 'replica']),
  /** master_link_status of a replica ('none' for a master). */
  link: z.enum(['up', 'down', 'none']),
  /** The replication id (master_replid) and the previous one (master_replid2; 0 when none). */
  id: z.number().int().min(0),
  id2: z.number().int().min(0),
  /** Offset up to which the previous id's history is shared (second_replid_offset - 1). */
  id2Off: z.number().int().min(0),
  /** The replication offset, counted in writes; also the value of the counter `n`. */
  off: z.number().int().min(0),
  /** The earliest offset a replica may resume from in this server's backlog. */
  backlogFrom: z.number().int().min(0),
  /** sync_full and sync_partial_ok: resynchronisations this server served as a master. */
  fulls: z.number().int().min(0),
  partials: z.number().int().min(0),
});
export type RedisNode = z.output<typeof node>;

export const redisReplication = defineSpec({
  name: 'redis-replication',
  description: 'Redis 7 replication as INFO shows it: REPLICAOF, writes, link kills, backlog overrun, partial versus full resynchronisation.',
  constants: z.object({
    variant: z.enum(['faithful', 'optimistic']).default('faithful'),
    maxWrites: z.number().int().min(1).max(6).default(3),
    maxPromotions: z.number().int().min(0).max(4).default(2),
    maxSyncs: z.number().int().min(0).max(8).default(4),
  }),
  state: z.object({
    nodes: z.array(node).length(2),
    /** The next fresh replication id. */
    nextId: z.number().int().min(1),
    /** Resynchronisations so far (bounded by maxSyncs). */
    syncs: z.number().int().min(0),
  }),
  // After reset: server 0 is the master, server 1 has completed its first full sync (counters reset after it).
  init: () => ({
    nodes: [
      { role: 'master' as const, link: 'none' as const, id: 1, id2: 0, id2Off: 0, off: 0, backlogFrom: 0, fulls: 0, partials: 0 },
      { role: 'replica' as const, link: 'up' as const, id: 1, id2: 0, id2Off: 0, off: 0, backlogFrom: 0, fulls: 0, partials: 0 },
    ],
    nextId: 2,
    syncs: 0,
  }),
  actions: ({ action }) => {
    type S = { nodes: RedisNode[]; nextId: number; syncs: number };
    type C = { variant: 'faithful' | 'optimistic'; maxWrites: number; maxPromotions: number; maxSyncs: number };
    const other = (i: number) => 1 - i;
    /** `INCR n` on master i (big: followed by a value larger than the backlog); a connected replica receives it. */
    const write = (s: S, i: number, big: boolean): S => {
      const nodes = s.nodes.map((n) => ({ ...n }));
      const m = nodes[i]!;
      m.off += 1;
      if (big) m.backlogFrom = m.off;
      const r = nodes[other(i)]!;
      if (r.role === 'replica' && r.link === 'up') {
        r.off = m.off;
        if (big) r.backlogFrom = r.off;
      }
      return { ...s, nodes };
    };
    /** Replica r (re)connects to master m: PSYNC, answered +CONTINUE or +FULLRESYNC. */
    const psync = (s: S, r: number, c: C): S => {
      const nodes = s.nodes.map((n) => ({ ...n }));
      const rep = nodes[r]!;
      const m = nodes[other(r)]!;
      const sameHistory = rep.id === m.id || (rep.id === m.id2 && rep.off <= m.id2Off);
      const inBacklog = rep.off >= m.backlogFrom && rep.off <= m.off;
      const partial = c.variant === 'optimistic' || (sameHistory && inBacklog);
      if (partial) {
        m.partials += 1;
        if (rep.id !== m.id) {
          rep.id2 = rep.id;
          rep.id2Off = rep.off;
          rep.id = m.id;
        }
      } else {
        m.fulls += 1;
        rep.id = m.id;
        rep.id2 = 0;
        rep.id2Off = 0;
        rep.backlogFrom = m.off;
      }
      rep.role = 'replica';
      rep.link = 'up';
      rep.off = m.off;
      return { ...s, nodes, syncs: s.syncs + 1 };
    };
    return {
      write: action({
        params: NODES,
        doc: 'INCR n on a master (a small write)',
        guard: (s, c, i) => s.nodes[i]!.role === 'master' && s.nodes[i]!.off < c.maxWrites,
        effect: (s, _c, i) => write(s, i, false),
      }),
      bigWrite: action({
        params: NODES,
        doc: 'INCR n and a value larger than repl-backlog-size on a master: earlier offsets leave the backlog',
        guard: (s, c, i) => s.nodes[i]!.role === 'master' && s.nodes[i]!.off < c.maxWrites,
        effect: (s, _c, i) => write(s, i, true),
      }),
      killLink: action({
        params: NODES,
        doc: 'CLIENT KILL TYPE master on a connected replica; it reconnects by itself',
        guard: (s, c, i) => s.nodes[i]!.role === 'replica' && s.nodes[i]!.link === 'up' && s.syncs < c.maxSyncs,
        effect: (s, c, i) => psync(s, i, c),
      }),
      disconnect: action({
        params: NODES,
        doc: "cut a connected replica's link and keep it down",
        guard: (s, _c, i) => s.nodes[i]!.role === 'replica' && s.nodes[i]!.link === 'up',
        effect: (s, _c, i) => ({ ...s, nodes: s.nodes.map((n, j) => (j === i ? { ...n, link: 'down' as const } : n)) }),
      }),
      reconnect: action({
        params: NODES,
        doc: 'REPLICAOF its master again on a disconnected replica',
        guard: (s, c, i) => s.nodes[i]!.role === 'replica' && s.nodes[i]!.link === 'down' && s.syncs < c.maxSyncs,
        effect: (s, c, i) => psync(s, i, c),
      }),
      promote: action({
        params: NODES,
        doc: 'REPLICAOF NO ONE on a replica: a master with a new replication id',
        guard: (s, c, i) => s.nodes[i]!.role === 'replica' && s.nextId <= c.maxPromotions + 1,
        effect: (s, _c, i) => ({
          ...s,
          nextId: s.nextId + 1,
          nodes: s.nodes.map((n, j) => (j === i ? { ...n, role: 'master' as const, link: 'none' as const, id: s.nextId, id2: n.id, id2Off: n.off } : n)),
        }),
      }),
      follow: action({
        params: NODES,
        doc: 'REPLICAOF the other server, on a master, while the other is a master too',
        guard: (s, c, i) => s.nodes[i]!.role === 'master' && s.nodes[other(i)]!.role === 'master' && s.syncs < c.maxSyncs,
        effect: (s, c, i) => psync(s, i, c),
      }),
    };
  },
  invariants: {
    /** A connected replica has its master's history and offset. */
    connectedReplicaCaughtUp: (s) =>
      s.nodes.every((n, i) => n.role !== 'replica' || n.link !== 'up' || (n.off === s.nodes[1 - i]!.off && n.id === s.nodes[1 - i]!.id)),
    /** Never two replicas of each other. */
    someMaster: (s) => s.nodes.some((n) => n.role === 'master'),
  },
  expected: [
    { name: 'faithful', constants: { variant: 'faithful', maxWrites: 2, maxPromotions: 1, maxSyncs: 2 }, status: 'ok', options: { deadlock: false } },
    { name: 'optimistic', constants: { variant: 'optimistic', maxWrites: 2, maxPromotions: 1, maxSyncs: 2 }, status: 'ok', options: { deadlock: false } },
  ],
});

/** What `INFO replication`, `INFO stats` and `GET n` show of one server. */
export interface RedisNodeView {
  role: 'master' | 'replica';
  link: 'up' | 'down' | 'none';
  /** The counter `n`. */
  data: number;
  /** A replica's offset equals its master's master_repl_offset (always true for a master). */
  caughtUp: boolean;
  fullSyncs: number;
  partialSyncs: number;
}

/** The view of a spec state that the driver's observation is compared with. */
export function redisView(s: { nodes: readonly RedisNode[] }): RedisNodeView[] {
  return s.nodes.map((n, i) => ({
    role: n.role,
    link: n.link,
    data: n.off,
    caughtUp: n.role === 'master' || n.off === s.nodes[1 - i]!.off,
    fullSyncs: n.fulls,
    partialSyncs: n.partials,
  }));
}

/** The view under its conventional name, so `interleave conform specs/redis-replication.ts --log FILE` finds it. */
export const view = redisView;

export default redisReplication;
