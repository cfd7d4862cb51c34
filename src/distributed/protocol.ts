import type { SpecIdentity } from '../checker/spec/index.ts';

/**
 * The names and messages of a distributed search (docs/distributed.md). Keys of one owner share a hash tag
 * (`{S.o}`), so that in a Redis Cluster they live in one slot; the lists an owner waits on together are in it.
 * Control messages are JSON; successor batches are binary (Int32 words, see `BATCH` below).
 */

/** The list idle nodes wait on for work. */
export const JOBS = 'il:jobs';
/** A process's heartbeat (expires HEARTBEAT_MS after its last beat). */
export const heartbeatKey = (id: string) => `il:hb:{${id}}`;
/** Owner `o`'s control list, its inbox for level `d`, its sorted keys of level `d`, and its canary key. */
export const ctlKey = (search: string, o: number) => `il:{${search}.${o}}:ctl`;
export const inKey = (search: string, o: number, d: number) => `il:{${search}.${o}}:in:${d}`;
export const keysKey = (search: string, o: number, d: number) => `il:{${search}.${o}}:keys:${d}`;
export const aliveKey = (search: string, o: number | 'c') => `il:{${search}.${o}}:alive`;
/** The coordinator's control list. */
export const coordKey = (search: string) => `il:{${search}.c}:ctl`;

/** A heartbeat lives this long; a process beats every HEARTBEAT_MS / 5. */
export const HEARTBEAT_MS = 10_000;
/** Bytes of successors sent in one batch. */
export const BATCH_BYTES = 64 * 1024;
/** Batches a sender leaves unread in one owner's inbox before it waits (flow control). */
export const MAX_IN_FLIGHT = 16;
/** How long the keys of a search live at most (a crashed run leaves nothing behind for longer). */
export const KEY_TTL_MS = 3_600_000;

/** Batch words: [BATCH, sender, records, ...records]; a record is [hi, lo, parentRank, k, label, length, ...words]. */
export const BATCH = 0;
/** The last message of a sender in a level: [END, sender, batches sent]. */
export const END = 1;
export const RECORD_HEADER = 6;

/** Successor indices fit under this (a key is parentRank · K_LIMIT + k, exact in a double). */
export const K_LIMIT = 2 ** 21;

/** What a search needs to know to take part (pushed to JOBS, one per node). */
export interface Job {
  search: string;
  index: number;
  nodes: number;
  file: string;
  specName: string;
  constants: Record<string, unknown>;
  invariants: string[];
  assertions: string[] | null;
  deadlock: boolean;
  strict: boolean;
  identity: SpecIdentity;
  /** Worker threads per node for this search (`check --cluster --workers`); absent: each node's own `--workers`. */
  workers?: number | 'auto';
}

/** A violation found in a level (see docs/distributed.md, "which violation"). */
export interface Candidate {
  kind: 'invariant' | 'assertion' | 'deadlock';
  property: string;
  message: string;
  /** Rank of the state expanded (for an invariant: the violating state's first discovery's parent). */
  rank: number;
  /** Successor index: the violating state's (invariant), the last one collected before the assertion, or -1. */
  k: number;
  label?: number;
  step?: { action: number; param: unknown };
  length: number;
}

export interface NodeError {
  rank: number;
  error: { code: string; message: string; details: Record<string, unknown> };
}

export type ToCoordinator =
  /** `threads`: the threads that expand this node's states in this search (its worker threads, or 1: its own). */
  | { t: 'joined'; i: number; node: string; id: string; threads: number }
  | { t: 'refused'; i: number; node: string; code: string; message: string }
  | { t: 'failed'; i: number; node: string; code: string; message: string }
  | { t: 'level'; i: number; d: number; fresh: number; generated: number; cand: Candidate[]; error: NodeError | null; scanError: NodeError | null; cov: number[]; sent: number; keys: number }
  | { t: 'count'; i: number; found: number; generated: number }
  | { t: 'located'; i: number; hi: number; lo: number; parent: number; label: number };

export type ToNode =
  | { t: 'go'; peers: string[] }
  | { t: 'continue'; base: number }
  | { t: 'count'; cut: number; k: number }
  | { t: 'locate'; d: number; rank: number }
  | { t: 'end' }
  | { t: 'abort'; why: string };

/** The owner of a fingerprint among `nodes`. */
export function ownerOf(hi: number, nodes: number): number {
  return (hi >>> 0) % nodes;
}

/** Violations compare by length, then breadth-first position (rank, successor), then kind (an invariant first). */
export function earlier(a: Candidate, b: Candidate, byLength: boolean): boolean {
  if (byLength && a.length !== b.length) return a.length < b.length;
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.k !== b.k) return a.k < b.k;
  return order(a.kind) < order(b.kind);
}

function order(kind: Candidate['kind']): number {
  return kind === 'invariant' ? 0 : kind === 'assertion' ? 1 : 2;
}

/**
 * Global ranks from sorted key lists: the rank of each of `mine` is `base` plus the keys smaller than it in all
 * the lists (keys are distinct: one successor of one parent is one key).
 */
export function ranksOf(mine: Float64Array, others: readonly Float64Array[], base: number): Int32Array {
  const out = new Int32Array(mine.length);
  const at = new Int32Array(others.length);
  for (let i = 0; i < mine.length; i++) {
    const key = mine[i]!;
    let before = i;
    for (let o = 0; o < others.length; o++) {
      const list = others[o]!;
      let x = at[o]!;
      while (x < list.length && list[x]! < key) x++;
      at[o] = x;
      before += x;
    }
    out[i] = base + before;
  }
  return out;
}

export function toBuffer(words: Int32Array | Float64Array, length = words.length): Buffer {
  return Buffer.from(words.buffer, words.byteOffset, length * words.BYTES_PER_ELEMENT);
}

export function int32s(b: Buffer): Int32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Int32Array(copy.buffer);
}

export function float64s(b: Buffer): Float64Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float64Array(copy.buffer);
}
