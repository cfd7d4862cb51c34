/** Turns a profiled run's counters into shares of the search time, hottest first, with a hint for each. */
import type { HookCounter } from './instrument.ts';

export interface ProfileEntry {
  readonly label: string;
  readonly kind: HookCounter['kind'] | 'engine';
  readonly calls: number;
  /** Milliseconds, with the timer's own cost taken out. */
  readonly ms: number;
  /** Share of the search time, 0..1. */
  readonly share: number;
  readonly nsPerCall: number;
  readonly hint: string | undefined;
}

export interface SpecProfile {
  /** Milliseconds from the first state to the result (the timed run: hooks, engine and timers). */
  readonly searchMs: number;
  /** The measured cost of timing one call, taken out of every figure (nanoseconds). */
  readonly timerNs: number;
  /** The spec's hooks and the engine, hottest first. */
  readonly entries: readonly ProfileEntry[];
  /** The engine's share of the search time (everything but the spec's own code). */
  readonly engineShare: number;
}

/** Nanoseconds one timed call costs beyond the call itself, measured on a function that does nothing. */
export function measureTimerCost(): number {
  const now = performance.now.bind(performance);
  const noop = (x: number) => x;
  let sink = 0;
  const rounds = 200_000;
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    let acc = 0;
    const t0 = now();
    for (let i = 0; i < rounds; i++) {
      const t = now();
      sink += noop(i);
      acc += now() - t;
    }
    const loop = now() - t0;
    best = Math.min(best, (loop / rounds) * 1e6);
    if (acc < 0) sink++;
  }
  return sink < 0 ? 0 : best;
}

const HINTS: Record<HookCounter['kind'], string> = {
  params: 'this params reads the state, so it runs once per expanded state (one that reads nothing of it runs once per run): build the parts that do not depend on the state once, outside the hook, and the list with a plain loop (flatMap/filter/map chains allocate closures and arrays per state)',
  guard: 'guards run once per parameter and state (once per state when they do not declare the parameter: write (s) => …, not (s, c, p) => … with p unused): test the cheapest condition first, avoid .some/.filter over collections (a loop with an early exit), or move the test into params so disabled choices are never listed',
  effect: 'effects run once per enabled step: change only what changes ({ ...s, field }), keep untouched parts the very same objects (they are not encoded again), and avoid rebuilding whole arrays (Array.prototype.with, spreads of large collections) and Array.from({ length: n }, f), about ten times slower than a plain loop; with and toSpliced on a list, bag or set of the state, and spreading an element of a bag or set, take slow paths in V8 (docs/performance.md, "Writing fast specs")',
  invariant: 'invariants run on every distinct state: return early, avoid building arrays (includes/every on a record array is a loop per state), precompute what depends only on constants',
  property: "temporal properties' predicates run on every state of the recorded graph: keep them as lean as invariants",
};

/** Shares of `searchMs`, the timer cost (`timerNs` per call) taken out of each hook and given to nobody. */
export function profileOf(counters: readonly HookCounter[], searchMs: number, timerNs: number): SpecProfile {
  const timerMsPerCall = timerNs / 1e6;
  let hooksMs = 0;
  let calls = 0;
  const hooks = counters
    .filter((c) => c.calls > 0)
    .map((c) => {
      const ms = Math.max(0, c.ms - c.calls * timerMsPerCall);
      hooksMs += ms;
      calls += c.calls;
      return { c, ms };
    });
  const measuredMs = Math.max(searchMs - calls * timerMsPerCall, hooksMs, 1e-9);
  const engineMs = measuredMs - hooksMs;
  const entries: ProfileEntry[] = hooks.map(({ c, ms }) => ({
    label: c.label,
    kind: c.kind,
    calls: c.calls,
    ms,
    share: ms / measuredMs,
    nsPerCall: (ms / c.calls) * 1e6,
    hint: ms / measuredMs >= 0.1 ? HINTS[c.kind] : undefined,
  }));
  entries.push({
    label: 'engine (decode, encode, fingerprint, seen-set, frontier, GC)',
    kind: 'engine',
    calls: 0,
    ms: engineMs,
    share: engineMs / measuredMs,
    nsPerCall: 0,
    hint: undefined,
  });
  entries.sort((a, b) => b.ms - a.ms);
  return { searchMs: measuredMs, timerNs, entries, engineShare: engineMs / measuredMs };
}
