/**
 * Profiling a spec's own code: a copy of a spec whose hooks (each action's params, guard and effect, each
 * invariant, each temporal property's predicates) add their run time to counters. The checker runs the copy as
 * it would run the spec; whatever time is not in the hooks is the engine's (decoding, encoding, fingerprints,
 * the seen-set, the frontier, garbage collection).
 */
import { readsNoParam } from '../checker/spec/index.ts';
import type { Spec, SpecAction, SpecPredicate, SpecProperty } from '../model/index.ts';

/** One hook's counters. */
export interface HookCounter {
  /** What ran: `deliver: params`, `deliver: guard`, `deliver: effect`, `invariant noLoop`, `property live: p`. */
  readonly label: string;
  readonly kind: 'params' | 'guard' | 'effect' | 'invariant' | 'property';
  /** The action or predicate it belongs to. */
  readonly owner: string;
  calls: number;
  /** Milliseconds, as measured (timer cost included; see `profileOf`). */
  ms: number;
}

export interface Instrumented<S, C> {
  readonly spec: Spec<S, C>;
  readonly counters: readonly HookCounter[];
}

type Fn = (...args: any[]) => any;

/**
 * `fn` with its run time added to `counter`. `stateOnly`: `fn` is a guard that cannot read its parameter
 * (param-free-guard.ts), and the wrapper declares the same two parameters, so the checker still calls it once per
 * action and state, as it calls the spec's own guard; a wrapper taking `...args` would be called once per
 * parameter, and the profile would overstate the guard.
 */
function timed<F extends Fn>(counter: HookCounter, fn: F, stateOnly = false): F {
  const now = performance.now.bind(performance);
  const call = (self: unknown, args: unknown[]): ReturnType<F> => {
    const t = now();
    try {
      return fn.apply(self, args);
    } finally {
      counter.ms += now() - t;
      counter.calls++;
    }
  };
  return (
    stateOnly
      ? function (this: unknown, s: unknown, c: unknown) {
          return call(this, [s, c]);
        }
      : function (this: unknown, ...args: unknown[]) {
          return call(this, args);
        }
  ) as F;
}

/**
 * Returns a copy of `spec` whose hooks are timed. The copy has no `sourceUrl`, so a check of it runs on one
 * thread (the counters live in this thread).
 */
export function instrumentSpec<S, C>(spec: Spec<S, C>): Instrumented<S, C> {
  const counters: HookCounter[] = [];
  const counter = (label: string, kind: HookCounter['kind'], owner: string): HookCounter => {
    const c: HookCounter = { label, kind, owner, calls: 0, ms: 0 };
    counters.push(c);
    return c;
  };
  const actions = spec.actions.map((a): SpecAction<S, C> => {
    const params = a.params ? timed(counter(`${a.name}: params`, 'params', a.name), a.params) : null;
    const guard = a.guard ? timed(counter(`${a.name}: guard`, 'guard', a.name), a.guard, readsNoParam(a.guard)) : null;
    const effect = timed(counter(`${a.name}: effect`, 'effect', a.name), a.effect);
    return Object.freeze({ ...a, params, guard, effect });
  });
  const invariants = spec.invariants.map((i): SpecPredicate<S, C> => Object.freeze({ ...i, test: timed(counter(`invariant ${i.name}`, 'invariant', i.name), i.test) }));
  const properties = spec.properties.map((p): SpecProperty<S, C> => {
    const c = counter(`property ${p.name}`, 'property', p.name);
    return Object.freeze({ ...p, property: timeProperty(p.property, c) });
  });
  const copy = Object.freeze({ ...spec, actions: Object.freeze(actions), invariants: Object.freeze(invariants), properties: Object.freeze(properties), sourceUrl: undefined });
  return { spec: copy as Spec<S, C>, counters };
}

/** A temporal property with its predicates timed (a `forEach` body's properties too, as they are built). */
function timeProperty<T>(property: T, c: HookCounter): T {
  const out: Record<string, unknown> = { ...(property as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    if (typeof value !== 'function' || key === 'domain') continue;
    out[key] = key === 'body' ? (...args: unknown[]) => timeProperty((value as Fn)(...args), c) : timed(c, value as Fn);
  }
  return out as T;
}
