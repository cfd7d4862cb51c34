/**
 * specs/bench/failover.ts with its parameter lists built once per size instead of once per expanded state: the
 * "after" of the measured example in docs/performance.md ("Writing fast specs: an example"). Same states, same
 * counts (test/specs/bench.test.ts); only `timeout`'s and `receive`'s `params` differ from the bench model.
 */
import { defineSpec, z } from 'interleave';

const Role = z.enum(['replica', 'candidate', 'primary']);
type Role = z.infer<typeof Role>;

interface Message {
  type: 'requestVote' | 'vote' | 'announce';
  epoch: number;
}

interface Node {
  role: Role;
  epoch: number;
  /** The candidate this node voted for in `epoch` (-1: none yet). */
  votedFor: number;
  /** The primary this node follows in `epoch` (-1: unknown). */
  primary: number;
  /** votes[i]: node i voted for this node (a candidate's tally). */
  votes: boolean[];
}

interface State {
  nodes: Node[];
  /** links[linkOf(nodes, from, to)]: the FIFO queue from one node to another. */
  links: Message[][];
}

const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
// Built once per size, on first use (the engine never changes a parameter list it is given).
const idsOnce: number[][] = [];
const pairsOnce: { from: number; to: number }[][] = [];
/** The link from → to: one per ordered pair of distinct nodes, numbered from * (n - 1) + the rank of `to`. */
const linkOf = (n: number, from: number, to: number): number => from * (n - 1) + (to < from ? to : to - 1);
/** Every ordered pair of distinct nodes, as the receive action's parameters. */
const pairs = (n: number): { from: number; to: number }[] => ids(n).flatMap((from) => ids(n).filter((to) => to !== from).map((to) => ({ from, to })));

/** Appends `m` to the link from → to unless it is full (then the message is lost). */
function send(links: Message[][], n: number, capacity: number, from: number, to: number, m: Message): Message[][] {
  const k = linkOf(n, from, to);
  return links[k]!.length < capacity ? links.with(k, [...links[k]!, m]) : links;
}

export const failoverParamsOnce = defineSpec({
  name: 'failover',
  description: 'Cluster failover by vote: epochs, one vote per epoch, FIFO links of records (benchmark model).',
  constants: z.object({
    nodes: z.number().int().min(2).max(5).default(3),
    maxEpoch: z.number().int().min(1).max(7).default(2),
    capacity: z.number().int().min(1).max(4).default(1),
    variant: z.enum(['fixed', 'buggy']).default('fixed'),
  }),
  state: (c) => {
    const OptId = z.number().int().min(-1).max(c.nodes - 1);
    const Epoch = z.number().int().min(0).max(c.maxEpoch);
    const Message = z.object({ type: z.enum(['requestVote', 'vote', 'announce']), epoch: Epoch });
    return z.object({
      nodes: z.array(z.object({ role: Role, epoch: Epoch, votedFor: OptId, primary: OptId, votes: z.array(z.boolean()).length(c.nodes) })).length(c.nodes),
      links: z.array(z.array(Message).max(c.capacity)).length(c.nodes * (c.nodes - 1)),
    });
  },
  init: (c): State => ({
    nodes: ids(c.nodes).map((i) => ({ role: i === 0 ? 'primary' : 'replica', epoch: 0, votedFor: -1, primary: 0, votes: ids(c.nodes).map(() => false) })),
    links: ids(c.nodes * (c.nodes - 1)).map(() => []),
  }),
  actions: ({ action }) => ({
    /** A replica (or a candidate whose election stalled) suspects the primary and starts an election. */
    timeout: action({
      params: (_s, c) => (idsOnce[c.nodes] ??= ids(c.nodes)),
      guard: (s, c, i) => s.nodes[i]!.role !== 'primary' && s.nodes[i]!.epoch < c.maxEpoch,
      effect: (s, c, i) => {
        const epoch = s.nodes[i]!.epoch + 1;
        const me: Node = { role: 'candidate', epoch, votedFor: i, primary: -1, votes: ids(c.nodes).map((k) => k === i) };
        let links = s.links;
        for (const to of ids(c.nodes)) if (to !== i) links = send(links, c.nodes, c.capacity, i, to, { type: 'requestVote', epoch });
        return { nodes: s.nodes.with(i, me), links };
      },
      process: (i) => `node${i}`,
    }),
    /** Node `to` takes the oldest message from `from` off their link and handles it. */
    receive: action({
      params: (_s, c) => (pairsOnce[c.nodes] ??= pairs(c.nodes)),
      guard: (s, c, { from, to }) => s.links[linkOf(c.nodes, from, to)]!.length > 0,
      effect: (s, c, { from, to }) => {
        const k = linkOf(c.nodes, from, to);
        const [m, ...rest] = s.links[k]!;
        let links = s.links.with(k, rest);
        let me = s.nodes[to]!;
        // A newer epoch: adopt it and step down, with no vote cast and no primary known yet.
        if (m!.epoch > me.epoch) me = { role: 'replica', epoch: m!.epoch, votedFor: -1, primary: -1, votes: me.votes.map(() => false) };
        if (m!.type === 'requestVote') {
          const mayVote = c.variant === 'buggy' || me.votedFor === -1 || me.votedFor === from;
          if (m!.epoch === me.epoch && mayVote) {
            me = { ...me, votedFor: from };
            links = send(links, c.nodes, c.capacity, to, from, { type: 'vote', epoch: me.epoch });
          }
        } else if (m!.type === 'vote') {
          if (me.role === 'candidate' && m!.epoch === me.epoch) {
            const votes = me.votes.with(from, true);
            me = { ...me, votes };
            if (votes.filter(Boolean).length * 2 > c.nodes) {
              me = { ...me, role: 'primary', primary: to };
              for (const other of ids(c.nodes)) if (other !== to) links = send(links, c.nodes, c.capacity, to, other, { type: 'announce', epoch: me.epoch });
            }
          }
        } else if (m!.epoch === me.epoch) {
          me = { ...me, role: 'replica', primary: from };
        }
        return { nodes: s.nodes.with(to, me), links };
      },
      process: ({ to }) => `node${to}`,
    }),
  }),
  /** The election budget is spent and the network is quiet: nothing is left to happen. */
  terminal: (s) => s.links.every((l) => l.length === 0),
  invariants: {
    /** Election safety: no two primaries of the same epoch. */
    onePrimaryPerEpoch: (s) => {
      for (let a = 0; a < s.nodes.length; a++)
        for (let b = a + 1; b < s.nodes.length; b++) if (s.nodes[a]!.role === 'primary' && s.nodes[b]!.role === 'primary' && s.nodes[a]!.epoch === s.nodes[b]!.epoch) return false;
      return true;
    },
    /** A node follows a primary of its own epoch that has been elected in that epoch (or a later one). */
    followsAnElectedPrimary: (s) =>
      s.nodes.every((n) => n.primary === -1 || (s.nodes[n.primary]!.epoch >= n.epoch && (s.nodes[n.primary]!.epoch > n.epoch || s.nodes[n.primary]!.role === 'primary'))),
  },
  view: {
    processes: (c) => ids(c.nodes).map((i) => `node${i}`),
  },
  expected: [
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
    { name: 'buggy', constants: { variant: 'buggy' }, status: 'violation', property: 'onePrimaryPerEpoch', length: 6 },
  ],
});

export default failoverParamsOnce;
