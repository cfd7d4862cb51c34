import { InterleaveError } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';
import type { ReachHit } from '../properties/index.ts';
import type { CheckOptions, CheckResult, ReachableReport, ResolvedOptions, TemporalReport, Trace, Witness } from '../types.ts';
import { formatCount } from '../../format-count.ts';

/**
 * What a run's verdict owes to reachability (docs/reachability.md): the report of each `reachable` predicate,
 * the witness trace asked for, and the verdict: a complete search that never reached a predicate is `unreached`
 * (a failure, exit 1); a bounded or interrupted one warns. With `strictVacuity`, a temporal property whose premise
 * never held fails a complete run the same way; by default it is a warning (coverage.ts).
 */

/** A temporal property's instance whose premise never held: the property and its forEach binding ('' for none). */
export interface VacuousInstance {
  property: string;
  binding: string;
}

/**
 * The `reachable` and `witness` fields of a result: per predicate, whether it was reached and at what depth, from the
 * hits (at most one per predicate, `index` into `names`), and the trace to the witness asked for, if reached.
 */
export function reachReport(
  names: readonly string[],
  hits: readonly ReachHit[],
  witness: string | undefined,
  traceOf: (hit: ReachHit) => Trace,
  shortest: boolean,
): { reachable: ReachableReport[]; witness?: Witness } {
  const byIndex = new Map(hits.map((h) => [h.index, h]));
  const reachable = names.map((name, i) => ({ name, reached: byIndex.has(i), depth: byIndex.get(i)?.depth ?? null }));
  const w = witness === undefined ? undefined : byIndex.get(names.indexOf(witness));
  return w === undefined ? { reachable } : { reachable, witness: { name: witness!, trace: traceOf(w), shortest } };
}

/** The `temporal` field of a result after liveness was checked: per property, whether it holds only vacuously. */
export function temporalReport(properties: readonly string[], vacuous: readonly VacuousInstance[]): TemporalReport[] {
  return properties.map((property) => {
    const mine = vacuous.filter((v) => v.property === property);
    const instances = mine.map((v) => v.binding).filter((b) => b !== '');
    return { property, vacuous: mine.length > 0, ...(instances.length ? { instances } : {}) };
  });
}

/** UNKNOWN_PROPERTY unless `witness` names a `reachable` predicate the run checks. */
export function checkWitness(spec: Spec, witness: string | undefined, selected: readonly string[]): void {
  if (witness === undefined || selected.includes(witness)) return;
  const declared = spec.reachable.map((r) => r.name);
  const why = declared.includes(witness) ? 'it is not selected in this run' : 'it is not a reachable predicate of the spec';
  throw new InterleaveError('UNKNOWN_PROPERTY', `--witness ${witness}: ${why} (reachable: ${declared.length ? declared.join(', ') : 'none declared'})`, { spec: spec.name, known: declared });
}

/**
 * The verdict: an `ok` result of a complete search (not resumed: the states before a checkpoint were not tested)
 * becomes `unreached` when a reachable predicate was never reached, or, with `strictVacuity`, when a temporal
 * property holds only vacuously. Any other result gets a warning per predicate not reached.
 */
export function judgeReachability<S>(r: CheckResult<S>, resolved: ResolvedOptions, options: CheckOptions): CheckResult<S> {
  if (r.status === 'error') return r;
  const missed = (r.reachable ?? []).filter((x) => !x.reached).map((x) => x.name);
  const vacuous = (r.temporal ?? []).filter((t) => t.vacuous);
  const complete = r.status === 'ok' && !options.resume;
  if (complete && missed.length) {
    const others = missed.length > 1 ? `; also never reached: ${missed.slice(1).map((n) => `'${n}'`).join(', ')}` : '';
    const message = `reachable '${missed[0]}' was never reached in ${formatCount(r.stats.distinct)} distinct states (the search was complete${resolved.symmetry ? ', on symmetry representatives' : ''})${others}`;
    return { ...r, status: 'unreached', violation: { kind: 'unreachable', property: missed[0]!, message } };
  }
  if (complete && options.strictVacuity && vacuous.length) {
    const v = vacuous[0]!;
    const message = `property '${v.property}'${v.instances ? ` (${v.instances.join('; ')})` : ''} holds only vacuously: its premise never held in ${formatCount(r.stats.distinct)} distinct states (--strict-vacuity)`;
    return { ...r, status: 'unreached', violation: { kind: 'vacuous', property: v.property, message } };
  }
  if (missed.length === 0 || r.status === 'ok' && !options.resume) return r;
  const why = r.status === 'violation' ? 'the search stopped at a violation' : options.resume && r.status === 'ok' ? 'a resumed search does not test the states found before the checkpoint' : 'the search stopped early';
  const notes = missed.map((n) => `reachable '${n}' was not reached in the part explored (${why}): not a failure; a complete run decides`);
  return { ...r, warnings: [...(r.warnings ?? []), ...notes] };
}
