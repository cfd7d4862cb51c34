/** Where a check's time goes: the spec's own hooks against the engine (`check --profile`, `profileCheck`). */
import { check, type CheckOptions, type CheckResult } from '../checker/index.ts';
import type { Spec } from '../model/index.ts';
import { instrumentSpec } from './instrument.ts';
import { measureTimerCost, profileOf, type SpecProfile } from './report.ts';

export { instrumentSpec, type HookCounter, type Instrumented } from './instrument.ts';
export { profileOf, measureTimerCost, type SpecProfile, type ProfileEntry } from './report.ts';

export interface ProfiledResult {
  readonly result: CheckResult;
  readonly profile: SpecProfile;
}

/**
 * Runs `check` on a timed copy of the spec, on one thread, and attributes the search time to each action's
 * params, guard and effect, to each invariant and property, and to the engine. Timing costs time: the run is
 * slower than a plain check, and the timer's measured cost is taken out of every figure.
 */
export async function profileCheck<S, C>(spec: Spec<S, C>, options: CheckOptions = {}): Promise<ProfiledResult> {
  const { spec: timedSpec, counters } = instrumentSpec(spec);
  const timerNs = measureTimerCost();
  let start = 0;
  const onEvent = options.onEvent;
  const t0 = performance.now();
  const result = await check(timedSpec, {
    ...options,
    workers: 1,
    onEvent: (e) => {
      if (e.type === 'start') start = performance.now();
      onEvent?.(e);
    },
  });
  const searchMs = performance.now() - (start || t0);
  return { result, profile: profileOf(counters, searchMs, timerNs) };
}
