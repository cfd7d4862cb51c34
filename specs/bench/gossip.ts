/**
 * Cluster gossip with manual failover, 3 nodes, exactly as docs/bench-models.md defines it (the
 * model SPIN and TLC agree on). Each node n keeps a view of every node m: R[n][m] (whom m replicates in n's
 * view; R[n][m] = m means m is a primary) and E[n][m] (the config epoch at which n learned it). The network is
 * an unordered bag of at most `bagSize` messages ⟨from, to, replicaOf, epoch⟩.
 *
 * `variant = fixed` drops stale messages (epoch ≤ what the receiver knows); `buggy` applies them anyway and
 * violates `noReplicaLoop` with a 5-action counterexample.
 *
 * Known answers (fixed): maxEpoch=1 bagSize=2: 1,914 / 5,663 (depth 12); 1/3: 9,872 / 38,439 (13);
 * 2/2: 24,588 / 71,891 (17); 2/3: 177,201 / 683,501 (18); 2/4: 949,547 / 4,467,399 (19);
 * 3/4: 13,855,588 / 67,113,439 (24).
 */
import { bag, Bag, defineSpec, z } from 'interleave';

const NODES = [0, 1, 2] as const;
const LINKS = NODES.flatMap((s) => NODES.filter((d) => d !== s).map((d) => ({ from: s, to: d })));

const maxOf = (row: readonly number[]): number => Math.max(row[0]!, row[1]!, row[2]!);

export const gossip = defineSpec({
  name: 'gossip',
  description: 'Cluster gossip with manual failover (benchmark model); buggy applies stale messages.',
  constants: z.object({
    maxEpoch: z.number().int().min(1).max(7).default(1),
    bagSize: z.number().int().min(1).max(8).default(2),
    variant: z.enum(['buggy', 'fixed']).default('fixed'),
  }),
  state: (c) => {
    const Node = z.number().int().min(0).max(2);
    const Epoch = z.number().int().min(0).max(c.maxEpoch);
    return z.object({
      R: z.array(z.array(Node).length(3)).length(3),
      E: z.array(z.array(Epoch).length(3)).length(3),
      net: bag(z.object({ from: Node, to: Node, replicaOf: Node, epoch: Epoch }), { max: c.bagSize }),
    });
  },
  init: () => ({
    R: NODES.map(() => NODES.map(() => 0)),
    E: NODES.map(() => NODES.map(() => 0)),
    net: [],
  }),
  actions: ({ action }) => ({
    send: action({
      params: LINKS,
      guard: (s, c) => s.net.length < c.bagSize,
      effect: (s, _c, { from, to }) => ({
        ...s,
        net: Bag.add(s.net, { from, to, replicaOf: s.R[from]![from]!, epoch: s.E[from]![from]! }),
      }),
      process: ({ from }) => `node${from}`,
    }),
    failover: action({
      params: NODES,
      guard: (s, c, r) => s.R[r]![r] !== r && maxOf(s.E[r]!) < c.maxEpoch,
      effect: (s, _c, r) => {
        // Only node r's own view changes: copy that row of each matrix.
        const p = s.R[r]![r]!;
        const e = maxOf(s.E[r]!) + 1;
        const Rr = s.R[r]!.slice();
        const Er = s.E[r]!.slice();
        Rr[p] = r;
        Er[p] = e;
        Rr[r] = r;
        Er[r] = e;
        return { R: s.R.with(r, Rr), E: s.E.with(r, Er), net: s.net };
      },
      process: (r) => `node${r}`,
    }),
    deliver: action({
      params: (s) => Bag.distinct(s.net),
      effect: (s, c, m) => {
        const net = Bag.remove(s.net, m);
        const { from: src, to: d, replicaOf: r, epoch: e } = m;
        if (c.variant === 'fixed' && !(e > s.E[d]![src]!)) return { R: s.R, E: s.E, net };
        // Only the receiver's view changes: copy row d of each matrix and update it in place.
        const Rd = s.R[d]!.slice();
        const Ed = s.E[d]!.slice();
        Rd[src] = r;
        Ed[src] = e;
        if (r !== src && r !== d && Ed[r]! < e) {
          Rd[r] = r;
          Ed[r] = e;
        }
        if (r === src && Rd[d] === d && e > Ed[d]!) {
          Rd[d] = src;
          Ed[d] = e;
        }
        return { R: s.R.with(d, Rd), E: s.E.with(d, Ed), net };
      },
      process: (m) => `node${m.to}`,
    }),
  }),
  invariants: {
    noReplicaLoop: (s) => {
      for (const view of s.R) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) if (a !== b && view[a] === b && view[b] === a) return false;
      return true;
    },
  },
  view: {
    processes: () => ['node0', 'node1', 'node2'],
  },
  expected: [
    { name: 'fixed', constants: { variant: 'fixed' }, status: 'ok' },
    { name: 'buggy', constants: { variant: 'buggy', maxEpoch: 2, bagSize: 4 }, status: 'violation', property: 'noReplicaLoop', length: 5 },
  ],
});

export default gossip;
