/**
 * Parameters are data: they are written into traces and `--json`, compared on replay, and shown in messages. A
 * domain that holds a function, a symbol, a class instance (a Date, a user class), NaN, Infinity or a cycle would
 * be explored and then lost or changed on the way out, so it is SPEC_BAD_PARAMS. Set and Map are accepted, as in
 * states (traces write them with `#set` / `#map`, and replay compares them), with plain contents. Checked on the states the mutation check samples (engine.ts) and on
 * every replayed step, not on every state: the cost stays out of the search loop.
 */
import { InterleaveError } from '../../errors.ts';
import { deepEqual } from '../../model/index.ts';
import { nondeterministic, type SpecRuntime } from './runtime.ts';
import { notPlainData } from './plain-data.ts';

/** Throws SPEC_BAD_PARAMS when a parameter of `domain` (the domain of `action`) is not plain data. */
export function checkDomain(spec: string, action: string, domain: readonly unknown[], path?: () => readonly string[]): void {
  for (let i = 0; i < domain.length; i++) {
    const bad = notPlainData(domain[i]);
    if (bad === null) continue;
    const via = path?.() ?? [];
    throw new InterleaveError(
      'SPEC_BAD_PARAMS',
      `spec '${spec}': action '${action}': parameter ${i} of its domain is not plain data: ${bad.what}${bad.path ? ` at ${bad.path.replace(/^\./, '')}` : ''} (parameters go into traces: use numbers, strings, booleans, null, and plain arrays, objects, Sets and Maps of them)${via.length ? `, after ${via.join(' → ')}` : ''}`,
      { spec, action, field: bad.path || undefined, path: via },
    );
  }
}

/**
 * Checks the parameter domain of every action in `state` (see checkDomain). Where the search takes one list for
 * every state (a `params` that read no state: state-free-domain.ts), `params` must still return that list here;
 * a different one means it depends on something outside the state and the constants: SPEC_NONDETERMINISTIC.
 */
export function checkParamDomains(rt: SpecRuntime, state: unknown, path?: () => readonly string[]): void {
  for (let a = 0; a < rt.actions.length; a++) {
    const action = rt.actions[a]!;
    if (action.params === null) continue;
    const domain = rt.domain(action, state);
    checkDomain(rt.spec.name, action.name, domain, path);
    const fixed = rt.fixedDomains?.[a] ?? null;
    if (fixed !== null && !deepEqual(fixed, domain)) {
      const via = path?.() ?? [];
      const now = domain.length === fixed.length ? 'a different list' : `${domain.length}`;
      throw nondeterministic(rt.spec.name, via.length, `action '${action.name}': its params read nothing of the state and returned ${fixed.length} parameter(s) for the first state, but ${now} here${via.length ? `, after ${via.join(' → ')}` : ''}`, action.name);
    }
  }
}
