import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bag, canSend, check, deepEqual, defineSpec, deliveries, drop, duplicate, emptyNetwork, messagesInFlight, networkFaultActions, networkState, receive, send, z } from 'interleave';
import type { Delivery, Network } from 'interleave';
import { actionNames, expectHolds, expectViolation } from 'interleave/testing';

type Msg = { kind: 'ping' | 'pong'; n: number };
const PING = 0; // link 0: node0 → node1
const PONG = 1; // link 1: node1 → node0
const CAP = 2;

const constants = z.object({
  ordering: z.enum(['fifo', 'bag']).default('fifo'),
  pings: z.number().int().min(0).max(3).default(2),
  drops: z.number().int().min(0).max(2).default(0),
  duplicates: z.number().int().min(0).max(2).default(0),
  reorders: z.number().int().min(0).max(2).default(0),
});
type C = z.output<typeof constants>;
const message = z.object({ kind: z.enum(['ping', 'pong']), n: z.number().int().min(0).max(3) });
const stateSchema = (c: C) =>
  z.object({
    net: networkState(message, { links: 2, capacity: CAP, ordering: c.ordering, maxDrops: c.drops, maxDuplicates: c.duplicates, maxReorders: c.reorders }),
    sent: z.number().int().min(0).max(c.pings),
    pongs: z.number().int().min(0).max(c.pings + 2),
    /** The last pong number node0 saw (to check FIFO order). */
    lastPong: z.number().int().min(0).max(3),
    outOfOrder: z.boolean(),
  });
type S = z.output<ReturnType<typeof stateSchema>>;

/** A 2-node ping-pong over the network component. */
const pingPong = defineSpec({
  name: 'ping-pong',
  constants,
  state: stateSchema,
  init: (c) => ({
    net: emptyNetwork<Msg>(2, { drops: c.drops, duplicates: c.duplicates, reorders: c.reorders }),
    sent: 0,
    pongs: 0,
    lastPong: 0,
    outOfOrder: false,
  }),
  actions: ({ action }) => ({
    sendPing: action({
      guard: (s, c) => s.sent < c.pings && canSend(s.net, PING, CAP),
      effect: (s) => ({ ...s, sent: s.sent + 1, net: send(s.net, PING, { kind: 'ping' as const, n: s.sent + 1 }) }),
      process: 'node0',
    }),
    deliver: action({
      params: (s, c) => deliveries(s.net, c.ordering),
      guard: (s, _c, d: Delivery<Msg>) => d.link !== PING || canSend(s.net, PONG, CAP),
      effect: (s, c, d: Delivery<Msg>) => {
        const net = receive(s.net, d, c.ordering);
        if (d.link === PING) return { ...s, net: send(net, PONG, { kind: 'pong' as const, n: d.message.n }) };
        return { ...s, net, pongs: s.pongs + 1, lastPong: d.message.n, outOfOrder: s.outOfOrder || d.message.n < s.lastPong };
      },
      process: (d: Delivery<Msg>) => (d.link === PING ? 'node1' : 'node0'),
    }),
    ...networkFaultActions<S, C, Msg>({ get: (s) => s.net, set: (s, net) => ({ ...s, net }), capacity: CAP }),
  }),
  invariants: {
    noMorePongsThanPings: (s) => s.pongs <= s.sent,
    pongsInOrder: (s) => !s.outOfOrder,
  },
});

describe('network component', () => {
  it('pure helpers: send, FIFO head delivery, reorder budget, drop and duplicate', () => {
    let net: Network<number> = emptyNetwork(2, { reorders: 1, drops: 1, duplicates: 1 });
    net = send(send(net, 0, 7), 0, 8);
    expect(net.channels).toEqual([[7, 8], []]);
    expect(canSend(net, 0, 2)).toBe(false);
    expect(deliveries(net, 'fifo')).toEqual([
      { link: 0, index: 0, message: 7 },
      { link: 0, index: 1, message: 8 },
    ]);
    const overtaken = receive(net, { link: 0, index: 1, message: 8 }, 'fifo');
    expect(overtaken).toMatchObject({ channels: [[7], []], reorders: 0 });
    expect(deliveries(overtaken, 'fifo')).toEqual([{ link: 0, index: 0, message: 7 }]);
    expect(drop(net, { link: 0, index: 0, message: 7 })).toMatchObject({ channels: [[8], []], drops: 0 });
    expect(duplicate(net, { link: 0, index: 0, message: 7 })).toMatchObject({ channels: [[7, 7, 8], []], duplicates: 0 });
    expect(net.channels).toEqual([[7, 8], []]); // inputs are not modified
    expect(deliveries(send(net, 0, 7), 'bag').map((d) => d.message)).toEqual([7, 8]); // distinct messages only
  });

  it('receive, drop and duplicate at any position: the channel as toSpliced makes it, on channels as the checker decodes them', () => {
    // collections.ts's withoutIndex and withInsertedAt stand in for toSpliced, which is slow on the "holey" arrays the
    // codec decodes (new Array(n)); the channel below is built the same way.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }), fc.nat(), (msgs, at) => {
        const index = at % msgs.length;
        const ch: number[] = new Array(msgs.length);
        msgs.forEach((m, i) => (ch[i] = m));
        const net: Network<number> = { channels: [[], ch], drops: 1, duplicates: 1, reorders: 1 };
        const d = { link: 1, index, message: msgs[index]! };
        expect(receive(net, d, 'bag').channels).toEqual([[], msgs.toSpliced(index, 1)]);
        expect(drop(net, d).channels).toEqual([[], msgs.toSpliced(index, 1)]);
        expect(duplicate(net, d).channels).toEqual([[], msgs.toSpliced(index + 1, 0, msgs[index]!)]);
        expect(net.channels[1]).toEqual(msgs); // not modified
      }),
      { numRuns: 300 },
    );
  });

  it('deliveries and messagesInFlight: every FIFO head (any message with a reorder left), or the first copy of each distinct message', () => {
    // Reference: what they were written as before loops replaced the closures (Bag.distinct, then findIndex).
    const firstCopies = (net: Network<Msg>): Delivery<Msg>[] =>
      net.channels.flatMap((ch, link) => Bag.distinct(ch).map((message) => ({ link, index: ch.findIndex((m) => deepEqual(m, message)), message })));
    const msg = fc.record({ kind: fc.constantFrom('ping' as const, 'pong' as const), n: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(fc.array(fc.array(msg, { maxLength: 4 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1 }), (channels, reorders) => {
        const net: Network<Msg> = { channels, drops: 0, duplicates: 0, reorders };
        const fifo = channels.flatMap((ch, link) => ch.flatMap((message, index) => (index === 0 || reorders > 0 ? [{ link, index, message }] : [])));
        expect(deliveries(net, 'fifo')).toEqual(fifo);
        expect(deliveries(net, 'bag')).toEqual(firstCopies(net));
        expect(messagesInFlight(net)).toEqual(firstCopies(net));
      }),
      { numRuns: 300 },
    );
  });

  it('a reliable FIFO ping-pong: every property holds', async () => {
    await expectHolds(pingPong, { deadlock: false, distinct: 10, depth: 6 });
  });

  it('drops alone never create pongs (drop budget 2)', async () => {
    await expectHolds(pingPong, { constants: { drops: 2 }, deadlock: false, distinct: 18, depth: 6 });
  });

  it('one duplicate is enough for two pongs to one ping (shortest: 5 actions)', async () => {
    const r = await expectViolation(pingPong, 'noMorePongsThanPings', { constants: { pings: 1, duplicates: 1 }, deadlock: false, length: 5, distinct: 10 });
    expect(actionNames(r.trace)).toEqual(['sendPing', 'deliver', 'networkDuplicate', 'deliver', 'deliver']);
    expect(r.trace.steps[3]!.params).toEqual({ link: PONG, index: 0, message: { kind: 'pong', n: 1 } });
  });

  it('FIFO keeps pongs in order; a reorder budget or a bag does not', async () => {
    await expectHolds(pingPong, { invariants: ['pongsInOrder'], deadlock: false, distinct: 10 });
    const reordered = await expectViolation(pingPong, 'pongsInOrder', { constants: { reorders: 1 }, invariants: ['pongsInOrder'], deadlock: false, length: 6 });
    expect(reordered.trace.steps.some((s) => (s.params as { index?: number } | null)?.index === 1)).toBe(true);
    await expectViolation(pingPong, 'pongsInOrder', { constants: { ordering: 'bag' }, invariants: ['pongsInOrder'], deadlock: false, length: 6 });
  });

  it('uses the packed codec (bags are canonical: the bag network has fewer states than FIFO with reorders)', async () => {
    const fifo = await check(pingPong, { constants: { reorders: 2 }, invariants: [], deadlock: false });
    const bagged = await check(pingPong, { constants: { ordering: 'bag' }, invariants: [], deadlock: false });
    expect(fifo.codec).toBe('packed');
    expect(bagged.codec).toBe('packed');
    expect([fifo.stats.distinct, bagged.stats.distinct]).toEqual([17, 14]);
  });
});
