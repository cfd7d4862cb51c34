/**
 * Parameter lists that do not depend on the state. Specs are written the way the tutorial shows,
 * `params: (_s, c) => ids(c.rms)`, and such a list is rebuilt for every state the search expands, once per
 * action, although it can only ever be the same list: it is a function of the constants alone, and the constants
 * are fixed for a run. On the bundled two-phase commit spec, rebuilding those five lists was a third of the
 * search (docs/performance.md, "Parameter lists computed once").
 *
 * So the first time a state is expanded, each action's `params` is called once with the state behind a proxy
 * that notes any use of it (reading a field, asking for its keys, testing `in`, its prototype). A call that did
 * not use the state at all computed its list from the constants alone: a spec's hooks are deterministic (the
 * same state and constants give the same result, or replay and checkpoints would break), so every later call
 * would return an equal list, and the search takes that list for every state, as it does for `params: [...]`.
 * A call that used the state, threw, or returned something other than an array leaves the action as it was: its
 * `params` runs for every state, and reports its own errors there.
 */
import { notPlainData } from './plain-data.ts';

/** What a `params` hook returns for a state no field of which it read, or null when it read the state. */
export function stateFreeDomain<S, C>(params: (state: S, constants: C) => readonly unknown[], state: S, constants: C): readonly unknown[] | null {
  if (typeof state !== 'object' || state === null) return null;
  let used = false;
  // Every trap a proxy has is a function of Reflect's, with the same name: each one notes the use and forwards it.
  const traps: ProxyHandler<object> = {};
  for (const name of Object.getOwnPropertyNames(Reflect) as (keyof typeof Reflect & keyof ProxyHandler<object>)[]) {
    const forward = Reflect[name] as (...args: unknown[]) => unknown;
    (traps as Record<string, unknown>)[name] = (...args: unknown[]) => ((used = true), forward(...args));
  }
  const watched = new Proxy(state as object, traps);
  let domain: unknown;
  try {
    domain = params(watched as S, constants);
  } catch {
    return null; // the hook runs again on the real state, and its error is reported there
  }
  if (!Array.isArray(domain)) return null;
  // A domain must be plain data. Walking it also notes a domain that holds the state itself (`(s) => [s]` reads
  // nothing, but its list is the state's): the walk asks the proxy for its prototype.
  if (notPlainData(domain) !== null || used) return null;
  // A copy: the spec may hold on to the array it returned. (Not frozen: V8 does not inline loads from frozen arrays.)
  return [...(domain as unknown[])];
}
