/**
 * Valkey cluster: a stale gossip header is detected but still processed, and an observer's view gets a
 * `replicaof` loop.
 * Upstream: valkey-io/valkey#1015 ("Stale PONG message causes incorrect replicaof updates leading to replicaof
 * loops"), fixed by PR #1777 ("Ignore stale gossip packets that arrive out of order"). The staleness test came
 * from redis/redis PR #13055. Later hardening: PR #2811; still open: PR #3468.
 *
 * Mechanism. In `clusterProcessPacket`, when a sender S that the observer knows as a primary claims to be a
 * replica of C in the same shard, the buggy code tests `sender->configEpoch > sender_claimed_config_epoch`,
 * logs "Ignore stale message" and does not return: it falls through to `sender->flags = REPLICA` and
 * `sender->replicaof = sender_claimed_primary`. A replica's header carries its primary's epoch as it knows it.
 * So a header B sent as a replica of A, delivered after B's failover became known, makes B a replica of A in the
 * observer's view while A is already a replica of B: a cycle.
 *
 * Fix (PR #1777): the test becomes `nodeEpoch(sender_claimed_primary) > sender_claimed_config_epoch`
 * (`nodeEpoch(n)` is n's primary's epoch for a replica), followed by `return`, and C is made a primary only
 * `else if (nodeIsReplica(C))`.
 *
 * Model (composes the `network` component): nodes A and B (one shard) and an observer N. Links B→N, A→N, B→A,
 * FIFO by default (`ordering = bag` for unordered delivery), capacity 3; `gossip` header sends to N in all, one
 * manual failover of B (epoch 2), which broadcasts B's header to A and N. Optional network faults (`drops`,
 * `duplicates`, `reorders`, default 0). `noReplicaLoop`: following `replicaof` never returns to the start, in N's
 * view and in the nodes' own state.
 *
 * Shortest counterexample (6 actions, FIFO or bag): clusterSendPing(B→N) (B: replica of A, epoch 1),
 * clusterFailoverReplaceYourPrimary (B primary, epoch 2; broadcast queued behind it), clusterProcessPacket at A
 * (A becomes a replica of B), clusterSendPing(A→N) (A: replica of B, epoch 2), clusterProcessPacket at N (A's
 * header: B becomes primary in N's view, A its replica), clusterProcessPacket at N (B's stale header: 2 > 1 is
 * detected and logged, then B := replica of A). Cycle A → B → A.
 *
 * `variant = returnOnly` adds the `return` but keeps the old predicate `sender->configEpoch > claimed`. Upstream
 * found it broke a liveness scenario (reset → meet → replicate: the node's messages were ignored forever, since
 * its epoch in the observer's view stayed above its new primary's). That scenario needs a node reset and re-meet,
 * which this model has not got. At these bounds (and at gossip = 4 with a drop and a duplicate) the checker finds
 * no cycle for `returnOnly`, FIFO or bag: for this safety property the `return` alone suffices. The checker does
 * show that the two predicates differ: with bag delivery, `fixed` processes B's stale "replica of A, epoch 1"
 * after B's failover PONG (the new test compares with A's epoch, 1, which N has no reason to doubt), so N's view
 * regresses B to a replica of A until B gossips again; `returnOnly` ignores that header (the old test compares
 * with B's own epoch, 2). That is the case PR #2811 later hardened with `nodeEpoch(sender) > claimed_epoch`.
 * The test `noStaleDemotion` in test/specs/cluster-stale-gossip.test.ts pins it (4 actions; FIFO cannot reorder
 * the two headers on the B→N link, so there both hold).
 *
 * Bounds: 3 nodes, 1 failover, ≤ 3 gossip headers, capacity 3, epochs 0..2. Do not over-extend the
 * fixed variant: with two failovers, a replica observer or separate inbound/outbound links, later real bugs
 * (PR #2811, #3468) appear.
 *
 * Termination: the model ends when the gossip budget is spent, the failover is done and every message is
 * delivered; those end states come from the bounds, not from the protocol: `terminal` names them, and deadlock
 * checking stays on for every other state.
 */
import { canSend, defineSpec, deliveries, emptyNetwork, networkFaultActions, networkState, receive, send, z } from 'interleave';
import type { Delivery, Ordering } from 'interleave';

const A = 0;
const B = 1;
const N = 2;
const NONE = -1;
const NAMES = ['A', 'B', 'N'] as const;
/** Link i joins LINKS[i].from → LINKS[i].to. */
const LINKS = [
  { from: B, to: N },
  { from: A, to: N },
  { from: B, to: A },
] as const;
const linkOf = (from: number, to: number): number => LINKS.findIndex((l) => l.from === from && l.to === to);
const CAPACITY = 3;
const MAX_EPOCH = 2;

const Epoch = z.number().int().min(0).max(MAX_EPOCH);
const NodeRef = z.number().int().min(NONE).max(B);
const Role = z.enum(['primary', 'replica']);

/** A cluster bus header (PING and PONG are processed alike for this bug). */
interface Header {
  /** For the sequence chart only: which send this is. */
  id: number;
  sender: number;
  /** `hdr->replicaof`: NONE when the sender claims to be a primary. */
  replicaof: number;
  /** `hdr->configEpoch`: the sender's epoch, or its primary's as the sender knows it. */
  epoch: number;
}

interface NodeState {
  role: 'primary' | 'replica';
  replicaof: number;
  configEpoch: number;
  /** The epoch of this node's primary as it knows it (a replica's header carries it). */
  primaryEpoch: number;
}

interface ViewEntry {
  role: 'primary' | 'replica';
  replicaof: number;
  epoch: number;
}

const header = (n: NodeState, sender: number, id: number): Header => ({
  id,
  sender,
  replicaof: n.role === 'primary' ? NONE : n.replicaof,
  epoch: n.role === 'primary' ? n.configEpoch : n.primaryEpoch,
});

/** A cycle in `replicaof` among A and B (a node following itself counts). */
function hasReplicaLoop(replicaof: readonly number[]): boolean {
  for (let start = 0; start < replicaof.length; start++) {
    let at = replicaof[start]!;
    for (let hops = 0; hops < replicaof.length && at !== NONE; hops++) {
      if (at === start) return true;
      at = replicaof[at]!;
    }
  }
  return false;
}

type Variant = 'buggy' | 'fixed' | 'returnOnly';

/** N's `clusterProcessPacket` for a header from a known sender: the role / replicaof logic. */
function observerProcess(view: readonly ViewEntry[], h: Header, variant: Variant): ViewEntry[] {
  const out = view.map((v) => ({ ...v }));
  const sender = out[h.sender]!;
  if (h.replicaof === NONE) {
    // The sender claims to be a primary: clusterSetNodeAsPrimary(sender); a larger claimed epoch is adopted.
    sender.role = 'primary';
    sender.replicaof = NONE;
    if (h.epoch > sender.epoch) sender.epoch = h.epoch;
    return out;
  }
  const claimed = out[h.replicaof]!;
  if (sender.role === 'primary') {
    // "Primary turned into a replica": the claimed primary is in the same shard (A and B are).
    const nodeEpoch = claimed.replicaof !== NONE ? out[claimed.replicaof]!.epoch : claimed.epoch;
    const stale = variant === 'fixed' ? nodeEpoch > h.epoch : sender.epoch > h.epoch;
    if (stale) {
      // serverLog("Ignore stale message"); buggy: no return, fall through.
      if (variant !== 'buggy') return view.map((v) => ({ ...v }));
    } else if (variant !== 'fixed' || claimed.role === 'replica') {
      claimed.role = 'primary';
      claimed.replicaof = NONE;
      claimed.epoch = h.epoch;
    }
    sender.role = 'replica';
  }
  if (sender.replicaof !== h.replicaof) sender.replicaof = h.replicaof;
  return out;
}

const constants = z.object({
  variant: z.enum(['buggy', 'fixed', 'returnOnly']).default('buggy'),
  ordering: z.enum(['fifo', 'bag']).default('fifo'),
  /** Gossip headers the nodes send to the observer, in all. */
  gossip: z.number().int().min(0).max(4).default(3),
  drops: z.number().int().min(0).max(2).default(0),
  duplicates: z.number().int().min(0).max(2).default(0),
  reorders: z.number().int().min(0).max(2).default(0),
});
type Constants = z.output<typeof constants>;

const stateSchema = (c: Constants) => {
  const nodeState = z.object({ role: Role, replicaof: NodeRef, configEpoch: Epoch, primaryEpoch: Epoch });
  const message = z.object({ id: z.number().int().min(0).max(c.gossip + 1), sender: z.number().int().min(A).max(B), replicaof: NodeRef, epoch: Epoch });
  return z.object({
    /** The nodes' own state (`myself`), A and B. */
    nodes: z.array(nodeState).length(2),
    /** The observer N's view of A and B. */
    view: z.array(z.object({ role: Role, replicaof: NodeRef, epoch: Epoch })).length(2),
    net: networkState(message, {
      links: LINKS.length,
      capacity: CAPACITY,
      ordering: c.ordering,
      maxDrops: c.drops,
      maxDuplicates: c.duplicates,
      maxReorders: c.reorders,
    }),
    gossipLeft: z.number().int().min(0).max(c.gossip),
    failoverDone: z.boolean(),
    /** Headers sent so far (the next header's id). */
    sent: z.number().int().min(0).max(c.gossip + 2),
  });
};
type State = z.output<ReturnType<typeof stateSchema>>;

export const clusterStaleGossip = defineSpec({
  name: 'cluster-stale-gossip',
  description: "Valkey #1015: a stale gossip header is detected but still processed, so an observer's view gets a replicaof loop.",
  constants,
  state: stateSchema,
  init: (c) => ({
    nodes: [
      { role: 'primary' as const, replicaof: NONE, configEpoch: 1, primaryEpoch: 0 },
      { role: 'replica' as const, replicaof: A, configEpoch: 0, primaryEpoch: 1 },
    ],
    view: [
      { role: 'primary' as const, replicaof: NONE, epoch: 1 },
      { role: 'replica' as const, replicaof: A, epoch: 0 },
    ],
    net: emptyNetwork<Header>(LINKS.length, { drops: c.drops, duplicates: c.duplicates, reorders: c.reorders }),
    gossipLeft: c.gossip,
    failoverDone: false,
    sent: 0,
  }),
  actions: ({ action }) => ({
    clusterSendPing: action({
      params: [A, B],
      guard: (s, _c, x) => s.gossipLeft > 0 && canSend(s.net, linkOf(x, N), CAPACITY),
      effect: (s, _c, x) => ({
        ...s,
        net: send(s.net, linkOf(x, N), header(s.nodes[x]!, x, s.sent)),
        gossipLeft: s.gossipLeft - 1,
        sent: s.sent + 1,
      }),
      process: (x) => NAMES[x]!,
      doc: "A node's cron gossips to N: a PING/PONG whose header is its role, replicaof and (its primary's) configEpoch.",
    }),
    clusterFailoverReplaceYourPrimary: action({
      guard: (s) =>
        !s.failoverDone && s.nodes[B]!.role === 'replica' && canSend(s.net, linkOf(B, A), CAPACITY) && canSend(s.net, linkOf(B, N), CAPACITY),
      effect: (s) => {
        const b: NodeState = { role: 'primary', replicaof: NONE, configEpoch: MAX_EPOCH, primaryEpoch: 0 };
        const h = header(b, B, s.sent);
        return {
          ...s,
          nodes: s.nodes.with(B, b),
          net: send(send(s.net, linkOf(B, A), h), linkOf(B, N), h),
          failoverDone: true,
          sent: s.sent + 1,
        };
      },
      process: 'B',
      doc: 'CLUSTER FAILOVER on B: B takes over as primary with a new configEpoch (2) and broadcasts a PONG to A and N.',
    }),
    clusterProcessPacket: action({
      params: (s, c) => deliveries(s.net, c.ordering as Ordering),
      effect: (s, c, d: Delivery<Header>) => {
        const net = receive(s.net, d, c.ordering as Ordering);
        const h = d.message;
        const to = LINKS[d.link]!.to;
        if (to === N) return { ...s, net, view: observerProcess(s.view, h, c.variant) };
        // A receives B's header: a primary claim with a larger epoch for A's slots makes A its replica.
        const a = s.nodes[A]!;
        if (h.replicaof === NONE && a.role === 'primary' && h.epoch > a.configEpoch) {
          return { ...s, net, nodes: s.nodes.with(A, { role: 'replica' as const, replicaof: h.sender, configEpoch: a.configEpoch, primaryEpoch: h.epoch }) };
        }
        if (h.replicaof === NONE && a.replicaof === h.sender && h.epoch > a.primaryEpoch) {
          return { ...s, net, nodes: s.nodes.with(A, { ...a, primaryEpoch: h.epoch }) };
        }
        return { ...s, net };
      },
      process: (d) => NAMES[LINKS[d.link]!.to]!,
      doc: 'The receiver processes the next header from a link (FIFO: its head; bag: any): clusterProcessPacket.',
    }),
    ...networkFaultActions<State, Constants, Header>({ get: (s) => s.net, set: (s, net) => ({ ...s, net }), capacity: CAPACITY }),
  }),
  /** Every header sent and delivered, the failover done: the model's bounds end it here (not a deadlock). */
  terminal: (s) => s.gossipLeft === 0 && s.failoverDone && s.net.channels.every((link) => link.length === 0),
  invariants: {
    noReplicaLoop: (s) => !hasReplicaLoop(s.view.map((v) => v.replicaof)) && !hasReplicaLoop(s.nodes.map((n) => n.replicaof)),
  },
  view: {
    processes: () => NAMES,
    messages: (s) =>
      s.net.channels.flatMap((ch, link) =>
        ch.map((h) => ({
          id: `h${h.id}`,
          from: NAMES[LINKS[link]!.from]!,
          to: NAMES[LINKS[link]!.to]!,
          label: `${NAMES[h.sender]} ${h.replicaof === NONE ? 'primary' : `replica of ${NAMES[h.replicaof]}`} e${h.epoch}`,
        })),
      ),
  },
  // Trace expressions: who replicates whom, in N's view and in the nodes' own state (shown per step by view/show/explore).
  views: {
    replicaChains: (s) => ({
      observer: s.view.map((v, i) => `${NAMES[i]}→${v.replicaof === NONE ? '·' : NAMES[v.replicaof]}`).join(' '),
      nodes: s.nodes.map((n, i) => `${NAMES[i]}→${n.replicaof === NONE ? '·' : NAMES[n.replicaof]}`).join(' '),
    }),
  },
  expected: [
    { name: 'buggy', constants: { variant: 'buggy' }, status: 'violation', property: 'noReplicaLoop', length: 6 },
    { name: 'buggy bag', constants: { variant: 'buggy', ordering: 'bag' }, status: 'violation', property: 'noReplicaLoop', length: 6 },
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
    { name: 'fixed bag', constants: { variant: 'fixed', ordering: 'bag' }, status: 'ok' },
    { name: 'returnOnly', constants: { variant: 'returnOnly' }, status: 'ok' },
    { name: 'returnOnly bag', constants: { variant: 'returnOnly', ordering: 'bag' }, status: 'ok' },
  ],
});

export default clusterStaleGossip;
