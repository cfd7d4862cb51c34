import { fingerprintInfo } from '../state/index.ts';
import type { CheckStats, ResolvedOptions, ResultBase } from '../types.ts';

/** What a search measured, from which its statistics are derived the same way by every search. */
export interface Measured {
  distinct: number;
  generated: number;
  depth: number;
  seconds: number;
  queue: number;
  peakMemoryBytes: number;
  /** Bytes of the search's own tables (seen-set, frontier): `bytesPerState` is this over `distinct`. */
  tableBytes: number;
  workers: number;
  /** States per second when not distinct states over seconds (a simulation counts the states its walks visit). */
  statesPerSecond?: number;
}

const perSecond = (n: number, seconds: number) => (seconds > 0 ? Math.round(n / seconds) : n);

/** The statistics of a result. */
export function searchStats(m: Measured): CheckStats {
  return {
    distinct: m.distinct,
    generated: m.generated,
    depth: m.depth,
    seconds: m.seconds,
    statesPerSecond: m.statesPerSecond ?? perSecond(m.distinct, m.seconds),
    queue: m.queue,
    peakMemoryBytes: m.peakMemoryBytes,
    bytesPerState: m.distinct > 0 ? Math.round(m.tableBytes / m.distinct) : 0,
    workers: m.workers,
  };
}

/**
 * The fields every result has (one thread, workers, simulation, a cluster, an error before the search): what was
 * checked, the statistics, and the fingerprint collision estimate computed from them.
 */
export function resultBase(
  spec: { name: string },
  constants: unknown,
  options: ResolvedOptions,
  stats: CheckStats,
  seed: number,
  codec: ResultBase['codec'],
): Pick<ResultBase, 'spec' | 'constants' | 'options' | 'stats' | 'fingerprint' | 'seed' | 'codec'> {
  return {
    spec: spec.name,
    constants: { ...(constants as Record<string, unknown>) },
    options,
    stats,
    fingerprint: fingerprintInfo(stats.distinct, stats.generated),
    seed,
    codec,
  };
}

/** The statistics of a search that stopped before it explored anything. */
export function emptyStats(seconds: number, workers: number): CheckStats {
  return searchStats({ distinct: 0, generated: 0, depth: 0, seconds, queue: 0, peakMemoryBytes: 0, tableBytes: 0, workers });
}
