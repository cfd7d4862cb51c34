/**
 * What ends a breadth-first level, decided as one thread decides it (engine.ts: expandSome), for the searches that
 * expand a level's states in parallel: worker threads (parallel.ts, from each worker's reply: level.ts) and node
 * processes (distributed/coordinator.ts). Each says where its first trouble of each kind is, as a rank in the level
 * (Infinity: none), and this says which one ends the level.
 *
 * One thread meets the level's states in rank order. It stops at the first error or deadlock. At the first broken
 * invariant or failed assertion (a counterexample one step longer than the level's depth) it stops at once without
 * deadlock checking; with it, it runs that state's mutation check, then only scans the rest of the level for a
 * deadlock: guards and `terminal`, no effect, no invariant. The first error or deadlock met there ends the level,
 * else the violation does. So a state expanded in full in parallel, before the violation at a smaller rank was known,
 * must also say what that scan would have given (`scanError`, or a deadlock at its rank).
 */
export interface LevelTroubles {
  /** The first error in a state expanded in full: its action, a successor's invariant, the mutation check, `terminal`. */
  error: number;
  /** The first error in a state only scanned for a deadlock (after a violation at a smaller rank). */
  scanError: number;
  /** The first broken invariant or failed assertion. */
  violation: number;
  /** The first deadlock. */
  deadlock: number;
}

/** The one of least rank, or null. */
export function firstByRank<T extends { rank: number }>(xs: readonly (T | null)[]): T | null {
  let best: T | null = null;
  for (const x of xs) if (x !== null && (best === null || x.rank < best.rank)) best = x;
  return best;
}

/** The ranks of each kind's first trouble (Infinity where there is none). */
export function troublesAt(first: { [K in keyof LevelTroubles]: { rank: number } | null }): LevelTroubles {
  const at = (x: { rank: number } | null) => x?.rank ?? Infinity;
  return { error: at(first.error), scanError: at(first.scanError), violation: at(first.violation), deadlock: at(first.deadlock) };
}

export type LevelEnd = 'error' | 'scanError' | 'violation' | 'deadlock' | null;

export function levelEnd(t: LevelTroubles, deadlockChecking: boolean): LevelEnd {
  const r = t.violation;
  // Before the violation (or with none): the first error or deadlock (at one rank, the error: the state's
  // expansion failed before its deadlock could be seen).
  if (t.error < r && t.error <= t.deadlock) return 'error';
  if (t.deadlock < r) return 'deadlock';
  if (r === Infinity) return null;
  if (!deadlockChecking) return 'violation';
  // The mutation check of the violation's own state, then the scan of the rest of the level.
  if (t.error === r) return 'error';
  if (t.scanError < t.deadlock) return 'scanError';
  return t.deadlock < Infinity ? 'deadlock' : 'violation';
}

/**
 * The depth one thread reports when `end` ('violation' or 'deadlock') ends level `depth`: a broken invariant counts
 * the violating state (one deeper), an assertion or a deadlock the state it is in; and a deadlock met while scanning
 * after a broken invariant counts that invariant's state, which one thread had reached first.
 */
export function depthAtEnd(end: 'violation' | 'deadlock', depth: number, t: LevelTroubles, firstIsInvariant: boolean): number {
  if (end === 'violation') return firstIsInvariant ? depth + 1 : depth;
  return firstIsInvariant && t.violation < t.deadlock ? depth + 1 : depth;
}
