import type { SpecAction } from '../../model/index.ts';

/** How often one action was exercised by a run. */
export interface ActionCoverage {
  action: string;
  /** Expanded states in which the action was enabled (for at least one parameter). */
  enabled: number;
  /** Steps taken: one per enabled (state, parameter) pair expanded (in simulation, steps chosen). */
  taken: number;
  /** Steps that reached a state not seen before. */
  newStates: number;
}

export interface Coverage {
  actions: ActionCoverage[];
  /** Actions never enabled in any state explored (dead code in the spec, or a guard that is always false). */
  neverEnabled: string[];
  /** Properties whose premise never held (vacuous): `leadsTo(p, q)` where no reachable state satisfies p. */
  vacuous: string[];
  /**
   * The spec's urgent actions (present only when it has some): a pre-empted action counts as not enabled in that
   * state (docs/urgent-actions.md), so "never enabled" may mean "always pre-empted".
   */
  urgent?: string[];
}

/** Per-action counters, kept in typed arrays so the exploration loop only increments. */
export class CoverageCounters {
  readonly enabled: Float64Array;
  readonly taken: Float64Array;
  readonly fresh: Float64Array;
  constructor(readonly actions: readonly SpecAction[]) {
    this.enabled = new Float64Array(actions.length);
    this.taken = new Float64Array(actions.length);
    this.fresh = new Float64Array(actions.length);
  }

  report(vacuous: string[] = []): Coverage {
    const actions = this.actions.map((a, i) => ({ action: a.name, enabled: this.enabled[i]!, taken: this.taken[i]!, newStates: this.fresh[i]! }));
    const urgent = this.actions.filter((a) => a.urgent).map((a) => a.name);
    return { actions, neverEnabled: actions.filter((a) => a.enabled === 0).map((a) => a.action), vacuous, ...(urgent.length ? { urgent } : {}) };
  }
}

/**
 * The warnings a coverage report implies, one line each. "Never enabled" is a fact only about the states explored:
 * when the search stopped early (`complete` false) the warning says so.
 */
export function coverageWarnings(c: Coverage, complete = true): string[] {
  const out: string[] = [];
  const partial = complete ? '' : ' in the part explored (the search stopped early)';
  const preemptable = (a: string) => c.urgent !== undefined && !c.urgent.includes(a);
  for (const a of c.neverEnabled) out.push(`action '${a}' was never enabled${preemptable(a) ? ' (or only where an urgent action pre-empted it)' : ''}${partial}`);
  for (const p of c.vacuous) out.push(`property ${p} holds vacuously: its premise never held${partial}`);
  return out;
}
