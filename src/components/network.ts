import { z } from 'zod';
import { bag, deepEqual } from '../model/index.ts';
import type { ActionDefinition } from '../model/index.ts';
import { withInsertedAt, withoutIndex } from '../model/collections.ts';

/**
 * A message network: one channel per link (an ordered sender → receiver pair that the spec numbers 0..links-1),
 * each channel either FIFO (`fifo`: delivered in send order, like a TCP connection) or an unordered bag (`bag`:
 * any message may be delivered next, like UDP or reconnecting TCP links).
 *
 * Faults are budgets held in the state, so a search explores every placement of at most that many faults:
 * - `drops`: the network loses one message (any message of any link);
 * - `duplicates`: the network delivers one message twice (a copy is added to the same channel);
 * - `reorders`: on a FIFO link, a message other than the head is delivered (it overtakes the ones ahead of it).
 *   On a bag link every message may overtake, so the budget is not used there.
 * Delay needs no budget: the model is asynchronous, so any message may stay in flight while other actions run.
 *
 * Limits: capacity is per link and bounded (the state codec needs a bound); sending on a full channel is a
 * modelling error reported by the checker (guard with `canSend`). Messages are plain data with no identity, so a
 * spec that wants a sequence chart with arrows should put a small `id` in its messages.
 */
export type Ordering = 'fifo' | 'bag';

export interface NetworkBounds {
  /** Number of links; link `i` is `channels[i]`. The spec decides which sender and receiver each link joins. */
  links: number;
  /** The most messages in flight on one link. */
  capacity: number;
  ordering: Ordering;
  /** Upper bounds of the fault budgets (default 0: that fault never happens). */
  maxDrops?: number;
  maxDuplicates?: number;
  maxReorders?: number;
}

/** The network's slice of a state. `M` is the message type. */
export interface Network<M> {
  channels: M[][];
  drops: number;
  duplicates: number;
  reorders: number;
}

/** Identifies one message in flight: its link and its position in the channel (with the message, for traces). */
export interface Delivery<M> {
  link: number;
  index: number;
  message: M;
}

const budget = (max: number | undefined) => z.number().int().min(0).max(max ?? 0);

/** The zod schema of a network slice: bounded channels (FIFO arrays or bags) and the fault budgets. */
export function networkState<M extends z.ZodType>(message: M, bounds: NetworkBounds) {
  const channel = bounds.ordering === 'fifo' ? z.array(message).max(bounds.capacity) : bag(message, { max: bounds.capacity });
  return z.object({
    channels: z.array(channel).length(bounds.links),
    drops: budget(bounds.maxDrops),
    duplicates: budget(bounds.maxDuplicates),
    reorders: budget(bounds.maxReorders),
  });
}

/** An empty network with the given fault budgets. */
export function emptyNetwork<M>(links: number, budgets: { drops?: number; duplicates?: number; reorders?: number } = {}): Network<M> {
  return {
    channels: Array.from({ length: links }, () => []),
    drops: budgets.drops ?? 0,
    duplicates: budgets.duplicates ?? 0,
    reorders: budgets.reorders ?? 0,
  };
}

function channel<M>(net: Network<M>, link: number): M[] {
  const ch = net.channels[link];
  if (ch === undefined) throw new RangeError(`network: no link ${link} (the network has ${net.channels.length})`);
  return ch;
}

/** True when link `link` has room for one more message. */
export function canSend<M>(net: Network<M>, link: number, capacity: number): boolean {
  return channel(net, link).length < capacity;
}

/** Sends `message` on `link` (appends it to the channel). Guard with `canSend`. */
export function send<M>(net: Network<M>, link: number, message: M): Network<M> {
  return { ...net, channels: net.channels.with(link, [...channel(net, link), message]) };
}

/** The messages in flight on `link`, oldest first for a FIFO link. */
export function inFlight<M>(net: Network<M>, link: number): readonly M[] {
  return channel(net, link);
}

/**
 * The messages that may be delivered next: for `fifo`, the head of each channel (and, while `reorders > 0`, any
 * other message, using one reorder); for `bag`, each distinct message of each channel. Deterministic order.
 */
export function deliveries<M>(net: Network<M>, ordering: Ordering): Delivery<M>[] {
  // Loops rather than forEach, Bag.distinct and findIndex with closures: this runs for every state (the deliver
  // action's parameters), and took 2.5 to 3.3 times as long (docs/performance.md, "Fifteenth session").
  const out: Delivery<M>[] = [];
  const channels = net.channels;
  for (let link = 0; link < channels.length; link++) {
    const ch = channels[link]!;
    if (ordering === 'bag') distinctDeliveries(out, ch, link);
    else {
      const n = net.reorders > 0 ? ch.length : Math.min(ch.length, 1);
      for (let index = 0; index < n; index++) out.push({ link, index, message: ch[index]! });
    }
  }
  return out;
}

/** Appends the first copy of each distinct message of channel `ch` (on `link`), in order, as a delivery. */
function distinctDeliveries<M>(out: Delivery<M>[], ch: readonly M[], link: number): void {
  for (let index = 0; index < ch.length; index++) {
    const message = ch[index]!;
    let copy = false;
    for (let j = 0; j < index && !copy; j++) copy = deepEqual(ch[j], message);
    if (!copy) out.push({ link, index, message });
  }
}

/** Removes the delivered message from its channel (spending a reorder if it overtook a FIFO head). */
export function receive<M>(net: Network<M>, d: Delivery<M>, ordering: Ordering): Network<M> {
  const ch = channel(net, d.link);
  const reorders = ordering === 'fifo' && d.index > 0 ? net.reorders - 1 : net.reorders;
  if (reorders < 0) throw new RangeError('network: a FIFO message overtook its head with no reorder budget left');
  return { ...net, reorders, channels: net.channels.with(d.link, withoutIndex(ch, d.index)) };
}

/** Every message in flight (each distinct message of each link once): the domain of drop and duplicate. */
export function messagesInFlight<M>(net: Network<M>): Delivery<M>[] {
  const out: Delivery<M>[] = [];
  for (let link = 0; link < net.channels.length; link++) distinctDeliveries(out, net.channels[link]!, link);
  return out;
}

/** The network loses the message (spends one drop). */
export function drop<M>(net: Network<M>, d: Delivery<M>): Network<M> {
  const ch = channel(net, d.link);
  return { ...net, drops: net.drops - 1, channels: net.channels.with(d.link, withoutIndex(ch, d.index)) };
}

/** The network duplicates the message: a copy right behind it (spends one duplicate). */
export function duplicate<M>(net: Network<M>, d: Delivery<M>): Network<M> {
  const ch = channel(net, d.link);
  return { ...net, duplicates: net.duplicates - 1, channels: net.channels.with(d.link, withInsertedAt(ch, d.index + 1, d.message)) };
}

export interface NetworkActionsOptions<S, C, M> {
  /** Reads the network slice from the state. */
  get: (state: S) => Network<M>;
  /** Returns a new state with the network slice replaced. */
  set: (state: S, net: Network<M>) => S;
  /** Channel capacity (a duplicate needs room). */
  capacity: number | ((constants: C) => number);
  /** The process name shown for fault actions (default `network`). */
  process?: string;
}

/**
 * The environment's fault actions, to spread into a spec's `actions`: `networkDrop` and `networkDuplicate`, each
 * enabled while its budget lasts. Delivery is not here: receiving is the receiver's own code, so a spec writes
 * its receive action with `deliveries` (parameter domain) and `receive`.
 */
export function networkFaultActions<S, C, M>(o: NetworkActionsOptions<S, C, M>): {
  networkDrop: ActionDefinition<S, C, Delivery<M>>;
  networkDuplicate: ActionDefinition<S, C, Delivery<M>>;
} {
  const cap = (c: C) => (typeof o.capacity === 'number' ? o.capacity : o.capacity(c));
  const process = o.process ?? 'network';
  return {
    networkDrop: {
      params: (s) => (o.get(s).drops > 0 ? messagesInFlight(o.get(s)) : []),
      effect: (s, _c, d) => o.set(s, drop(o.get(s), d)),
      process,
      doc: 'The network loses a message in flight (fault budget: drops).',
    },
    networkDuplicate: {
      params: (s) => (o.get(s).duplicates > 0 ? messagesInFlight(o.get(s)) : []),
      guard: (s, c, d) => canSend(o.get(s), d.link, cap(c)),
      effect: (s, _c, d) => o.set(s, duplicate(o.get(s), d)),
      process,
      doc: 'The network delivers a message twice: a copy follows it (fault budget: duplicates).',
    },
  };
}
