/**
 * Random simulation (`strategy: 'random'`): `runs` walks of at most `maxDepth` steps from random initial states,
 * choosing uniformly among the enabled (action, parameter) pairs, checking invariants, assertions and deadlock
 * on every state visited. Walks revisit states freely, so this is a separate loop over the same `SpecRuntime`
 * (same stepping, same errors) rather than a frontier of the exhaustive search, whose seen-set would prune them.
 *
 * Reproducible: walk k draws from a generator seeded with `walkSeed(seed, k)`, so the same seed gives the same
 * walks however the runs are split into slices (`workers`). The reported violation is the shortest one found
 * (ties: the lowest walk index). It never reports `ok`: a simulation that finds nothing is `incomplete`.
 */
import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import { isAssertionFailure, type Spec } from '../../model/index.ts';
import { CoverageCounters, coverageWarnings } from '../properties/index.ts';
import { Random, walkSeed } from './random.ts';
import { SpecRuntime, formatStep, selectionFor } from '../spec/index.ts';
import { FP, SeenSet } from '../state/index.ts';
import { resultBase, searchStats } from './result-base.ts';
import type { CheckOptions, CheckResult, ResolvedOptions, Violation } from '../types.ts';

interface Found {
  walk: number;
  init: number;
  labels: number[];
  violation: Violation;
  /** An assertion or deadlock at the end: the failing action (assertion) to append. */
  extra?: { action: number; param: unknown };
}

export async function simulate<S, C>(spec: Spec<S, C>, options: CheckOptions = {}): Promise<CheckResult<S>> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const runs = options.runs ?? 1000;
  const maxDepth = options.maxDepth ?? 100;
  const workers = typeof options.workers === 'number' ? Math.max(1, options.workers) : 1;
  const { selection, unknown } = selectionFor(spec, options);
  const resolved: ResolvedOptions = {
    strategy: 'random',
    invariants: selection.invariants,
    assertions: selection.assertions,
    properties: [],
    symmetry: false,
    deadlock: options.deadlock ?? true,
    maxDepth,
    maxStates: options.maxStates ?? null,
    timeLimit: options.timeLimit ?? null,
    strict: options.strict ?? false,
  };
  const warnings: string[] = [];
  const wantedProps = selection.properties;
  if (wantedProps.length) warnings.push(`temporal properties (${wantedProps.join(', ')}) are not checked by random simulation: liveness needs the complete state graph`);
  if (options.symmetry) warnings.push('--symmetry has no effect on random simulation');
  if (selection.reachable.length) warnings.push(`reachable predicates (${selection.reachable.join(', ')}) are not checked by random simulation: run a breadth-first search to find them`);

  let rt: SpecRuntime<S, C>;
  let cov: CoverageCounters | null = null;
  const seen = new SeenSet(1 << 12);
  let generated = 0;
  let deepest = 0;
  let walks = 0;
  let best = null as Found | null;
  let stoppedFor: 'timeLimit' | 'interrupted' | null = null;
  const base = () => {
    const seconds = (performance.now() - started) / 1000;
    const coverage = cov ? cov.report() : undefined;
    // A walk's states per second count every state it visits (distinct or not).
    const stats = searchStats({
      distinct: seen.size,
      generated,
      depth: deepest,
      seconds,
      queue: 0,
      peakMemoryBytes: options.memoryProbe ? options.memoryProbe() : seen.bytes,
      tableBytes: seen.bytes,
      workers,
      statesPerSecond: seconds > 0 ? Math.round(generated / seconds) : generated,
    });
    return {
      ...resultBase(spec, rt?.constants ?? options.constants ?? {}, resolved, stats, seed, rt?.codec.mode ?? 'packed'),
      coverage,
      warnings: coverage ? [...warnings, ...coverageWarnings(coverage)] : warnings,
      simulation: { runs, maxDepth, walks, walksPerSecond: seconds > 0 ? Math.round(walks / seconds) : walks, violatingWalk: best?.walk ?? null, workers },
    };
  };
  const fail = (e: unknown): CheckResult<S> => {
    const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `internal error: ${describeThrown(e)}`, {}, { cause: e });
    return { ...base(), status: 'error', error: { code: err.code, message: err.message, details: err.details } };
  };
  try {
    if (unknown !== null) throw unknown;
    rt = new SpecRuntime(spec, { ...options, invariants: resolved.invariants, assertions: resolved.assertions });
  } catch (e) {
    return fail(e);
  }
  cov = new CoverageCounters(rt.actions);
  const c = cov;
  options.onEvent?.({ type: 'start', spec: spec.name, constants: { ...(rt.constants as Record<string, unknown>) }, codec: rt.codec.mode });

  const actions = rt.actions;
  const nActions = actions.length;
  const timeLimitMs = resolved.timeLimit === null ? Infinity : resolved.timeLimit * 1000;
  let lastYield = performance.now();
  const choicesA: number[] = [];
  const choicesP: number[] = [];
  const params: unknown[] = [];

  try {
    const inits = rt.initialStates();
    // Walk k belongs to slice k % workers; slices run one after another here (see docs/strategies.md).
    outer: for (let slice = 0; slice < workers; slice++) {
      for (let k = slice; k < runs; k += workers) {
        const rng = new Random(walkSeed(seed, k));
        const initIndex = rng.below(inits.length);
        let s: S = inits[initIndex]!;
        const labels: number[] = [];
        const limit = best === null ? maxDepth : Math.min(maxDepth, best.labels.length - (best.walk < k ? 1 : 0));
        const record = (f: Omit<Found, 'walk' | 'init' | 'labels'>) => {
          const len = labels.length + (f.extra && f.violation.kind === 'assertion' ? 1 : 0);
          const bestLen = best === null ? Infinity : best.labels.length + (best.extra && best.violation.kind === 'assertion' ? 1 : 0);
          if (len < bestLen || (len === bestLen && k < best!.walk)) best = { walk: k, init: initIndex, labels: [...labels], ...f };
        };
        generated++;
        rt.encode(s);
        seen.insert(FP[0]!, FP[1]!, -1, -1);
        const bad0 = rt.failingInvariant(s);
        if (bad0) {
          record({ violation: { kind: 'invariant', property: bad0.name, message: `invariant '${bad0.name}' is violated in an initial state` } });
          walks++;
          continue;
        }
        for (let step = 0; step < limit; step++) {
          choicesA.length = 0;
          choicesP.length = 0;
          params.length = 0;
          // An enabled urgent action pre-empts the others (docs/urgent-actions.md), as in the exhaustive search.
          const urgentNow = rt.hasUrgent && rt.urgentStep(s) !== null;
          for (let a = 0; a < nActions; a++) {
            const action = actions[a]!;
            if (urgentNow && !action.urgent) continue;
            const dom = rt.domain(action, s);
            let any = false;
            for (let pi = 0; pi < dom.length; pi++) {
              const param = action.params === null ? null : dom[pi];
              if (!rt.enabled(action, s, param)) continue;
              any = true;
              choicesA.push(a);
              choicesP.push(pi);
              params.push(param);
            }
            if (any) c.enabled[a]!++;
          }
          if (choicesA.length === 0) {
            if (resolved.deadlock && !rt.isTerminal(s, () => [])) record({ violation: { kind: 'deadlock', property: 'deadlock', message: 'deadlock: no action is enabled in this state' } });
            break;
          }
          const pick = rng.below(choicesA.length);
          const a = choicesA[pick]!;
          const action = actions[a]!;
          const param = params[pick];
          let next: S;
          try {
            next = rt.step(action, s, param);
          } catch (e) {
            // A deselected assertion drops its step: this walk ends there, without a violation.
            if (isAssertionFailure(e) && !rt.assertionSelected(e)) break;
            if (isAssertionFailure(e)) {
              record({ violation: { kind: 'assertion', property: e.property, message: e.message }, extra: { action: a, param } });
              break;
            }
            throw rt.actionError(e, action, param, labels.map((l) => formatStep(actions[l % nActions]!.name, null)));
          }
          c.taken[a]!++;
          generated++;
          if (resolved.strict) rt.validate(next, action.name, param);
          next = rt.canonical(next);
          if (seen.insert(FP[0]!, FP[1]!, -1, -1) >= 0) c.fresh[a]!++;
          labels.push(a + nActions * choicesP[pick]!);
          if (labels.length > deepest) deepest = labels.length;
          s = next;
          const bad = rt.failingInvariant(s);
          if (bad) {
            record({ violation: { kind: 'invariant', property: bad.name, message: `invariant '${bad.name}' is violated` } });
            break;
          }
        }
        walks++;
        const t = performance.now();
        if (t - lastYield > 50) {
          if (t - started > timeLimitMs) {
            stoppedFor = 'timeLimit';
            break outer;
          }
          await new Promise((r) => setTimeout(r, 0));
          lastYield = performance.now();
          if (options.signal?.aborted) {
            stoppedFor = 'interrupted';
            break outer;
          }
        }
      }
    }
    const found = best as Found | null;
    if (found !== null) {
      const trace = rt.replayLabels(inits[found.init]!, found.labels);
      if (found.extra) {
        const last = trace.steps[trace.steps.length - 1]!;
        trace.steps.push({ action: actions[found.extra.action]!.name, params: actions[found.extra.action]!.params === null ? null : (found.extra.param ?? null), state: last.state });
      }
      options.onEvent?.({ type: 'done', status: 'violation' });
      return { ...base(), status: 'violation', violation: found.violation, trace, shortest: false };
    }
    options.onEvent?.({ type: 'done', status: 'incomplete' });
    if (stoppedFor === 'timeLimit') return { ...base(), status: 'incomplete', reason: 'timeLimit', message: `stopped after the time limit of ${resolved.timeLimit} s (${walks} of ${runs} walks)` };
    if (stoppedFor === 'interrupted') return { ...base(), status: 'incomplete', reason: 'interrupted', message: `interrupted after ${walks} of ${runs} walks` };
    return {
      ...base(),
      status: 'incomplete',
      reason: 'simulation',
      message: `random simulation (seed ${seed}): ${walks} walks of up to ${maxDepth} steps found no violation; this proves nothing about the behaviours not walked`,
    };
  } catch (e) {
    options.onEvent?.({ type: 'done', status: 'error' });
    return fail(e);
  }
}
