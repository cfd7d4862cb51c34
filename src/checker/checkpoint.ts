import { InterleaveError } from '../errors.ts';
import { FP, fingerprint } from './seen-set.ts';
import type { ResolvedOptions } from './types.ts';

/**
 * A consistent picture of a search, taken between two state expansions, from which the search continues with
 * exactly the counts an uninterrupted run would reach. Plain typed arrays and numbers: the engine never writes
 * it anywhere; the caller (the CLI) stores it (see src/cli/checkpoint-store.ts and docs/robustness.md).
 */
export interface SearchSnapshot {
  /** Snapshot format version (1). */
  version: 1;
  /** Identifies the search: spec name, constants, options that change the state space, the spec's shape. */
  key: string;
  spec: string;
  constants: Record<string, unknown>;
  seen: {
    /** The open-addressing table: (hi, lo, id+1) triples; its length is (mask+1)·3. */
    table: Int32Array;
    /** Parent of each distinct state (length >= size). */
    parents: Int32Array;
    /** Step label of each distinct state (length >= size). */
    labels: Int32Array;
    size: number;
    mask: number;
  };
  /** The states waiting to be expanded: records `[id, depth, length, ...words]`, in frontier order. */
  frontier: Int32Array;
  generated: number;
  depth: number;
  /** Seconds the search had run (the resumed search continues the clock). */
  seconds: number;
}

/** How a search saves itself periodically and when it stops early (interrupt, time or memory limit). */
export interface CheckpointOptions {
  /** Seconds between two snapshots (the first one is taken this long after the start). */
  everySeconds: number;
  /** Receives a snapshot; the search waits for it. The arrays are views: copy or write them before returning. */
  save: (snapshot: SearchSnapshot) => void | Promise<void>;
}

/** The key of a search: what must match for a snapshot to be resumed. Options like time limits may change. */
export function searchKey(input: {
  spec: string;
  constants: unknown;
  options: ResolvedOptions;
  actions: readonly string[];
  invariants: readonly string[];
  codec: string;
  seed: number;
}): string {
  const o = input.options;
  const text = stableJson({
    spec: input.spec,
    constants: input.constants,
    strategy: o.strategy,
    invariants: input.invariants,
    deadlock: o.deadlock,
    maxDepth: o.maxDepth,
    actions: input.actions,
    codec: input.codec,
    seed: input.seed,
  });
  const words = new Int32Array(Math.ceil(text.length / 2) + 1);
  for (let i = 0; i < text.length; i++) words[i >> 1]! |= text.charCodeAt(i) << ((i & 1) * 16);
  fingerprint(words, 0, words.length);
  return `${(FP[0]! >>> 0).toString(16).padStart(8, '0')}${(FP[1]! >>> 0).toString(16).padStart(8, '0')}`;
}

/** JSON with sorted keys (so the key does not depend on property order). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

/**
 * Checks that a snapshot belongs to this search and is internally consistent (so a corrupt or foreign file
 * cannot make the search read out of bounds). Throws CHECKPOINT_INVALID.
 */
export function validateSnapshot(snap: SearchSnapshot, key: string, describe: string, actionCount: number): void {
  const bad = (why: string): never => {
    throw new InterleaveError('CHECKPOINT_INVALID', `checkpoint is not usable: ${why}`, { spec: snap?.spec });
  };
  if (!snap || snap.version !== 1) bad(`unknown snapshot version ${String(snap?.version)}`);
  if (snap.key !== key) {
    throw new InterleaveError(
      'CHECKPOINT_INVALID',
      `checkpoint belongs to another search (spec '${snap.spec}', constants ${stableJson(snap.constants)}); this run is ${describe}. Resume with the same spec, constants and options, or start afresh`,
      { spec: snap.spec },
    );
  }
  const { table, parents, labels, size, mask } = snap.seen;
  if (!(table instanceof Int32Array) || !(parents instanceof Int32Array) || !(labels instanceof Int32Array) || !(snap.frontier instanceof Int32Array)) bad('arrays missing');
  if (!Number.isInteger(mask) || mask < 0 || ((mask + 1) & mask) !== 0 || table.length !== (mask + 1) * 3) bad('seen-set table size does not match its mask');
  if (!Number.isInteger(size) || size < 0 || size > (mask + 1) || parents.length < size || labels.length < size) bad('seen-set arrays are shorter than its size');
  let used = 0;
  for (let j = 2; j < table.length; j += 3) {
    const id1 = table[j]!;
    if (id1 === 0) continue;
    used++;
    if (id1 < 0 || id1 > size) bad('seen-set table holds an id out of range');
  }
  if (used !== size) bad(`seen-set table holds ${used} states, expected ${size}`);
  for (let i = 0; i < size; i++) {
    const p = parents[i]!;
    if (p >= i || (p < 0 && labels[i] !== -1)) bad(`state ${i} has an impossible parent`);
    if (p >= 0 && (labels[i]! < 0 || labels[i]! % actionCount >= actionCount)) bad(`state ${i} has an impossible step label`);
  }
  const f = snap.frontier;
  for (let i = 0; i < f.length; ) {
    if (i + 3 > f.length) bad('frontier record is truncated');
    const id = f[i]!;
    const len = f[i + 2]!;
    if (id < 0 || id >= size || f[i + 1]! < 0 || len < 0 || i + 3 + len > f.length) bad(`frontier record at word ${i} is corrupt`);
    i += 3 + len;
  }
  if (!Number.isSafeInteger(snap.generated) || snap.generated < size) bad('generated count is smaller than the distinct count');
  if (!Number.isInteger(snap.depth) || snap.depth < 0 || !(snap.seconds >= 0)) bad('depth or seconds out of range');
}
