import { InterleaveError } from '../errors.ts';
import type { CheckOptions, CheckResult } from '../checker/index.ts';
import type { Spec } from '../model/index.ts';

/** The flags of `check` a distributed search does not support (their CLI names), from the flags given. */
const UNSUPPORTED: Record<string, string> = {
  seed: '--seed',
  runs: '--runs',
  symmetry: '--symmetry',
  profile: '--profile',
  maxDepth: '--max-depth',
  maxStates: '--max-states',
  memoryLimit: '--memory-limit',
  checkpoint: '--checkpoint',
  checkpointEvery: '--checkpoint-every',
  resume: '--resume',
  expected: '--expected',
  witness: '--witness',
  strictVacuity: '--strict-vacuity',
};

/** Throws CLUSTER_UNSUPPORTED listing the given flags a distributed check cannot honour. */
export function refuseOnCluster(flags: { strategy?: string; nodes?: number; given?: ReadonlySet<string> }, folder: boolean): void {
  const given = flags.given ?? new Set<string>();
  const names = Object.keys(UNSUPPORTED).filter((k) => given.has(k)).map((k) => UNSUPPORTED[k]!);
  if (flags.strategy !== undefined && flags.strategy !== 'bfs') names.unshift(`--strategy ${flags.strategy}`);
  if (folder) names.unshift('a folder (check one spec file)');
  if (names.length) {
    throw new InterleaveError('CLUSTER_UNSUPPORTED', `a distributed search (--cluster) does not support ${names.join(', ')}: run without ${names.length > 1 ? 'them' : 'it'}, or on one machine`, { options: names });
  }
  if (flags.nodes === 0) throw new InterleaveError('CLI_USAGE', '--nodes expects a whole number from 1');
}

/** `check --cluster URL --nodes N`: the search on N node processes (src/distributed, imported only here). */
export async function checkOnCluster(spec: Spec, options: CheckOptions, flags: { cluster: string; nodes?: number; workers?: number | 'auto' }, file: string): Promise<CheckResult> {
  const { checkDistributed } = await import('../distributed/index.ts');
  const { memoryLimit: _m, memoryProbe: _p, ...rest } = options;
  // --workers given: every node expands this search's states on that many threads (else on its own --workers).
  return checkDistributed(spec, rest, { url: flags.cluster, nodes: flags.nodes ?? 1, file, ...(flags.workers === undefined ? {} : { workers: flags.workers }) });
}
