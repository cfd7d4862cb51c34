/**
 * Model-based testing of a real system: behaviours generated from a spec (seeded random walks, and every path up
 * to a depth) are run against the system through a driver; after reset and after every step the driver's
 * observation is compared with the view of the spec's state. The first divergence is shrunk (shorter prefixes,
 * then single steps dropped, while the system still diverges) and returned like a counterexample.
 *
 * The stepping is the checker's (`SpecRuntime.successors`, `Random`, `walkSeed`): the same seed gives the same
 * walks as long as the system conforms.
 */
import { Random, SpecRuntime, walkSeed } from '../checker/index.ts';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import type { Spec } from '../model/index.ts';
import { equalValues, firstDifference, toJson, valueAt } from '../trace/index.ts';
import { enabledSteps, showStep, type SpecStep } from './steps.ts';
import type { BehaviourKind, BehaviourStep, ConformanceOptions, ConformanceResult, Divergence, Driver, DriverContext } from './types.ts';

/** A behaviour to run: a walk (steps chosen as it goes) or a fixed list of steps. */
type Plan = { kind: 'walk'; index: number; rng: Random; length: number } | { kind: 'path' | 'given' | 'shrink'; index: number; steps: readonly BehaviourStep[] };

type Outcome<V> =
  | { ok: true; steps: number }
  | { ok: false; divergence: Omit<Divergence<V>, 'found' | 'shrinkRuns'> }
  /** The planned steps are not a behaviour of the spec (only while shrinking). */
  | { ok: 'invalid' };

class DriverFailure extends Error {
  constructor(readonly error: InterleaveError) {
    super(error.message);
  }
}
class Interrupted extends Error {}

/**
 * Runs behaviours of `spec` against a real system through `driver` and compares what it observes with the spec.
 * Resolves to `ok` (every behaviour conformed), `divergence` (shrunk), `incomplete` (aborted) or `error` (a bad
 * spec, or the driver's reset or observe failed: code DRIVER_FAILED). Never rejects.
 */
export async function testConformance<S, C, V = S>(spec: Spec<S, C>, driver: Driver<V>, options: ConformanceOptions<S, C, V> = {}): Promise<ConformanceResult<V>> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const userView = options.view ?? ((s: S) => s as unknown as V);
  const view = (s: S, c: C): V => {
    try {
      return userView(s, c);
    } catch (e) {
      throw new DriverFailure(new InterleaveError('DRIVER_FAILED', `the view threw ${describeThrown(e)}`, { spec: spec.name }, { cause: e }));
    }
  };
  const timeout = options.stepTimeout ?? 10_000;
  const coverage: Record<string, number> = {};
  let behaviours = 0;
  let stepsRun = 0;
  let rt: SpecRuntime<S, C> | undefined;
  const base = () => ({
    spec: spec.name,
    constants: { ...((rt?.constants ?? options.constants ?? {}) as Record<string, unknown>) },
    seed,
    behaviours,
    steps: stepsRun,
    coverage,
    seconds: (performance.now() - started) / 1000,
  });
  try {
    rt = new SpecRuntime(spec, { constants: options.constants, strict: true });
    for (const a of rt.actions) coverage[a.name] = 0;
    const runtime = rt;
    const inits = runtime.initialStates();

    const call = async <T>(what: string, f: (ctx: DriverContext) => Promise<T>): Promise<T> => {
      const controller = new AbortController();
      const deadline = performance.now() + timeout;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new TimeoutError(`${what} did not finish within ${timeout} ms`));
        }, timeout);
      });
      try {
        return await Promise.race([f({ signal: controller.signal, deadline }), expired]);
      } finally {
        clearTimeout(timer);
      }
    };
    const observe = async (): Promise<V> => {
      try {
        return await call('observe', (ctx) => driver.observe(ctx));
      } catch (e) {
        throw new DriverFailure(new InterleaveError('DRIVER_FAILED', `the driver's observe failed: ${describeThrown(e)}`, { spec: spec.name }, { cause: e }));
      }
    };

    /** Runs one behaviour on the system; `counted` behaviours add to the statistics. */
    const run = async (plan: Plan): Promise<Outcome<V>> => {
      if (options.signal?.aborted) throw new Interrupted();
      // A fixed list of steps must be a behaviour of the spec; a shrink candidate that is not is never run.
      if (plan.kind !== 'walk' && !inits.some((s) => isBehaviour(runtime, s, plan.steps))) {
        if (plan.kind === 'shrink') return { ok: 'invalid' };
      }
      const counted = plan.kind !== 'shrink';
      if (counted) behaviours++;
      try {
        await call('reset', (ctx) => driver.reset(ctx));
      } catch (e) {
        throw new DriverFailure(new InterleaveError('DRIVER_FAILED', `the driver's reset failed: ${describeThrown(e)}`, { spec: spec.name }, { cause: e }));
      }
      const observed0 = await observe();
      // A walk or a given behaviour starts in the first initial state whose view the system shows (for specs with
      // several); the paths, enumerated from the first initial state, start there.
      let state: S = (plan.kind !== 'path' && inits.find((s) => equalValues(toJson(view(s, runtime.constants)), toJson(observed0)))) || inits[0]!;
      const done: BehaviourStep[] = [];
      const compare = (observed: V): Outcome<V> | null => {
        const expected = view(state, runtime.constants);
        const e = toJson(expected);
        const o = toJson(observed);
        options.onStep?.({ behaviour: { kind: plan.kind, index: plan.index }, step: done.length, action: done.length ? done[done.length - 1]!.action : 'init', params: done.length ? done[done.length - 1]!.params : null, expected, observed });
        const field = firstDifference(e, o);
        if (field === null) return null;
        const ev = valueAt(e, field);
        const ov = valueAt(o, field);
        const where = done.length ? `after ${done.map(showStep).join(' → ')}` : 'right after reset';
        return {
          ok: false,
          divergence: { kind: 'state', steps: [...done], expected, observed, field, expectedValue: ev ?? null, observedValue: ov ?? null, message: `${where}: ${field || 'the view'} is ${show(ov)} on the system, the spec says ${show(ev)}` },
        };
      };
      const first = compare(observed0);
      if (first) return first;
      const length = plan.kind === 'walk' ? plan.length : plan.steps.length;
      for (let k = 0; k < length; k++) {
        if (options.signal?.aborted) throw new Interrupted();
        const choices = enabledSteps(runtime, state, () => done.map(showStep));
        let chosen: SpecStep<S>;
        if (plan.kind === 'walk') {
          if (choices.length === 0) break;
          chosen = choices[plan.rng.below(choices.length)]!;
        } else {
          const want = plan.steps[k]!;
          const found = choices.find((c) => c.name === want.action && equalValues(c.params, toJson(want.params)));
          if (found) chosen = found;
          else {
            if (plan.kind === 'shrink') return { ok: 'invalid' };
            // Where an urgent step is enabled, a non-urgent one is pre-empted (docs/urgent-actions.md): say which.
            const urgent = runtime.actions.find((a) => a.name === want.action)?.urgent === false ? choices.find((c) => runtime.actions[c.action]!.urgent) : undefined;
            const why = urgent ? ` (pre-empted: the urgent step ${showStep({ action: urgent.name, params: urgent.params })} is enabled there)` : '';
            throw new InterleaveError('LOG_INVALID', `behaviour ${plan.index}, step ${k + 1}: ${showStep(want)} is not enabled in the spec${why} after ${done.map(showStep).join(' → ') || 'reset'}`, { spec: spec.name, step: k + 1, action: want.action });
          }
        }
        const step = { action: chosen.name, params: chosen.params };
        done.push(step);
        if (counted) {
          stepsRun++;
          coverage[step.action]!++;
        }
        try {
          await call(showStep(step), (ctx) => driver.step(step.action, step.params, ctx));
        } catch (e) {
          const timedOut = e instanceof TimeoutError;
          const expected = view(chosen.next, runtime.constants);
          return {
            ok: false,
            divergence: {
              kind: timedOut ? 'timeout' : 'step-failed',
              steps: [...done],
              expected,
              observed: null,
              field: null,
              expectedValue: null,
              observedValue: null,
              message: timedOut ? `${showStep(step)} did not finish within ${timeout} ms` : `the system refused ${showStep(step)}: ${describeThrown(e)}`,
            },
          };
        }
        state = chosen.next;
        const diverged = compare(await observe());
        if (diverged) return diverged;
      }
      return { ok: true, steps: done.length };
    };

    const report = async (kind: BehaviourKind, index: number, outcome: Extract<Outcome<V>, { ok: false }>): Promise<ConformanceResult<V>> => {
      const { divergence, shrinkRuns } = options.shrink === false ? { divergence: outcome.divergence, shrinkRuns: 0 } : await shrink(outcome.divergence, run, options.maxShrinkRuns ?? 50);
      return { ...base(), status: 'divergence', divergence: { ...divergence, found: { kind, index, seed, length: outcome.divergence.steps.length }, shrinkRuns } };
    };

    if (options.behaviours) {
      for (let i = 0; i < options.behaviours.length; i++) {
        const out = await run({ kind: 'given', index: i, steps: options.behaviours[i]! });
        if (out.ok === false) return await report('given', i, out);
      }
      return { ...base(), status: 'ok' };
    }
    // Every path up to `depth` first, shortest first (iterative deepening): a divergence found here is the
    // shortest within the depth (for a deterministic system), so it needs no shrinking.
    const depth = options.depth ?? 0;
    let index = 0;
    for (let d = 1; d <= depth; d++) {
      for (const path of allPaths(runtime, inits[0]!, d)) {
        const out = await run({ kind: 'path', index, steps: path });
        if (out.ok === false) return { ...base(), status: 'divergence', divergence: { ...out.divergence, found: { kind: 'path', index, seed, length: out.divergence.steps.length }, shrinkRuns: 0 } };
        index++;
      }
    }
    const walks = options.walks ?? 20;
    const walkLength = options.walkLength ?? 8;
    for (let k = 0; k < walks; k++) {
      const out = await run({ kind: 'walk', index: k, rng: new Random(walkSeed(seed, k)), length: walkLength });
      if (out.ok === false) return await report('walk', k, out);
    }
    return { ...base(), status: 'ok' };
  } catch (e) {
    if (e instanceof Interrupted) return { ...base(), status: 'incomplete', reason: 'interrupted', message: `interrupted after ${behaviours} behaviours` };
    const err = e instanceof DriverFailure ? e.error : isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `internal error: ${describeThrown(e)}`, {}, { cause: e });
    return { ...base(), status: 'error', error: { code: err.code, message: err.message, details: err.details } };
  }
}

class TimeoutError extends Error {}

/** True when `steps` (by action name and parameter) can be taken one after another from `init` in the spec. */
export function isBehaviour<S, C>(rt: SpecRuntime<S, C>, init: S, steps: readonly BehaviourStep[]): boolean {
  let s = init;
  for (let k = 0; k < steps.length; k++) {
    const want = steps[k]!;
    const next = enabledSteps(rt, s, () => steps.slice(0, k).map(showStep)).find((c) => c.name === want.action && equalValues(c.params, toJson(want.params)));
    if (!next) return false;
    s = next.next;
  }
  return true;
}

/**
 * Every behaviour of exactly `depth` steps from `init` (or fewer, ending where no action is enabled), in the
 * checker's order. Each is one run against the system, so the count grows as the branching factor to the depth.
 */
export function allPaths<S, C>(rt: SpecRuntime<S, C>, init: S, depth: number): BehaviourStep[][] {
  const out: BehaviourStep[][] = [];
  const walk = (s: S, path: BehaviourStep[]) => {
    const choices = path.length < depth ? enabledSteps(rt, s, () => path.map(showStep)) : [];
    if (choices.length === 0) {
      if (path.length > 0) out.push(path);
      return;
    }
    for (const c of choices) walk(c.next, [...path, { action: c.name, params: c.params }]);
  };
  walk(init, []);
  return out;
}

/**
 * Shrinks a divergent behaviour: first to the prefix that ends at the divergence (already so), then by dropping
 * one step at a time (the earliest first) while the remaining steps are still a behaviour of the spec and the
 * system still diverges (anywhere: the behaviour is then cut at the new divergence). Greedy, so the result is
 * locally minimal: dropping any single step of it either leaves the spec or makes the system conform.
 */
async function shrink<V>(
  divergence: Omit<Divergence<V>, 'found' | 'shrinkRuns'>,
  run: (plan: Plan) => Promise<Outcome<V>>,
  maxRuns: number,
): Promise<{ divergence: Omit<Divergence<V>, 'found' | 'shrinkRuns'>; shrinkRuns: number }> {
  let best = divergence;
  let runs = 0;
  let improved = true;
  while (improved && runs < maxRuns) {
    improved = false;
    for (let i = 0; i < best.steps.length && runs < maxRuns; i++) {
      const candidate = [...best.steps.slice(0, i), ...best.steps.slice(i + 1)];
      runs++;
      const out = await run({ kind: 'shrink', index: runs, steps: candidate });
      if (out.ok === false && out.divergence.steps.length < best.steps.length) {
        best = out.divergence;
        improved = true;
        break;
      }
    }
  }
  return { divergence: best, shrinkRuns: runs };
}

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
