import { InterleaveError } from '../../errors.ts';
import { digest, identityDifference, specIdentity, stableJson, type SpecIdentity } from '../spec/index.ts';
import type { SpecRuntime } from '../spec/index.ts';

export { stableJson };

/**
 * A consistent picture of a search, taken between two state expansions, from which the search continues with
 * exactly the counts an uninterrupted run would reach. Plain typed arrays and numbers: the engine never writes
 * it anywhere; the caller (the CLI) stores it (see src/cli/checkpoint-store.ts and docs/robustness.md).
 */
export interface SearchSnapshot {
  /** Snapshot format version (1). */
  version: 1;
  /** Identifies the search: the digest of `identity`. */
  key: string;
  /** What must match for the snapshot to be resumed (searchIdentity): the spec, and every option of the search. */
  identity: SearchIdentity;
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

/**
 * What a snapshot belongs to: the spec's identity (identity.ts: names, constants, state layout, a probe of its first
 * steps and the source text of its hooks) and every option that changes what the search visits or how it stores
 * it. Limits (time, states, memory) and workers may change between a run and its resume; nothing here may.
 */
export interface SearchIdentity {
  spec: SpecIdentity;
  search: {
    strategy: string;
    symmetry: boolean;
    deadlock: boolean;
    maxDepth: number | null;
    invariants: string[];
    /** The assertions checked, when some declared one is deselected (absent: all). */
    assertions?: string[];
    properties: string[];
    codec: string;
    seed: number;
  };
}

/** The options of a search (its ResolvedOptions) that its identity records. */
export interface IdentityOptions {
  strategy: string;
  symmetry: boolean;
  deadlock: boolean;
  maxDepth: number | null;
  properties: readonly string[];
}

/** The identity of a search with this runtime, these options and this seed (see SearchIdentity). */
export function searchIdentity(rt: SpecRuntime, options: IdentityOptions, seed: number): SearchIdentity {
  return {
    spec: specIdentity(rt, { hooks: true }),
    search: {
      strategy: options.strategy,
      symmetry: options.symmetry,
      deadlock: options.deadlock,
      maxDepth: options.maxDepth,
      invariants: rt.invariants.map((i) => i.name),
      ...(rt.assertionFilter ? { assertions: [...rt.assertionFilter] } : {}),
      properties: [...options.properties],
      codec: rt.codec.mode,
      seed,
    },
  };
}

/** The key of a search: a digest of its identity. */
export function searchKey(identity: SearchIdentity): string {
  return digest(stableJson(identity));
}

const OPTION_NAMES: Record<keyof SearchIdentity['search'], string> = {
  strategy: '--strategy',
  symmetry: '--symmetry',
  deadlock: 'deadlock checking (--no-deadlock)',
  maxDepth: '--max-depth',
  invariants: 'the invariants checked (--invariant/--property)',
  assertions: 'the assertions checked (--property/--skip-property)',
  properties: 'the temporal properties checked (--property)',
  codec: 'the state codec',
  seed: '--seed',
};

function show(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  const text = String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What differs between the identity a snapshot carries and this search's, in one clause, or null. */
export function searchDifference(saved: SearchIdentity | undefined, current: SearchIdentity): string | null {
  if (!saved || typeof saved !== 'object' || !saved.spec || !saved.search) return 'it carries no identity of its spec (written by an older version)';
  const spec = identityDifference(saved.spec, current.spec, 'in the checkpoint', 'in this run');
  if (spec !== null) return spec;
  for (const k of Object.keys(OPTION_NAMES) as (keyof SearchIdentity['search'])[]) {
    if (stableJson(saved.search[k]) !== stableJson(current.search[k])) return `${OPTION_NAMES[k]} differs: ${show(saved.search[k])} in the checkpoint, ${show(current.search[k])} in this run`;
  }
  return null;
}

/**
 * Checks that a snapshot belongs to this search and is internally consistent (so a corrupt or foreign file
 * cannot make the search read out of bounds). Throws CHECKPOINT_INVALID.
 */
export function validateSnapshot(snap: SearchSnapshot, identity: SearchIdentity, actionCount: number): void {
  const bad = (why: string): never => {
    throw new InterleaveError('CHECKPOINT_INVALID', `checkpoint is not usable: ${why}`, { spec: snap?.spec });
  };
  if (!snap || snap.version !== 1) bad(`unknown snapshot version ${String(snap?.version)}`);
  const key = searchKey(identity);
  const why = searchDifference(snap.identity, identity) ?? (snap.key !== key || searchKey(snap.identity) !== snap.key ? 'its key does not match its identity' : null);
  if (why !== null) {
    throw new InterleaveError('CHECKPOINT_INVALID', `checkpoint belongs to another search: ${why}. Resume with the same spec, constants and options, or start afresh`, {
      spec: snap.spec,
    });
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
