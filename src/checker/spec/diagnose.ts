import { InterleaveError } from '../../errors.ts';
import { firstDifference } from './difference.ts';
import { formatStep, type SpecRuntime } from './runtime.ts';

/**
 * Diagnosis run only after something went wrong: which action modified its input, named with its parameter and the
 * field (the fields come from difference.ts).
 */
/**
 * Strict mode found that a state's encoding changed while its successors were computed. Re-runs each enabled
 * step on a fresh copy of the state to find the one that modifies its input, and names it with the field.
 */
export function mutationError<S, C>(rt: SpecRuntime<S, C>, words: Int32Array, path: readonly string[]): InterleaveError {
  const via = path.length ? `, after ${path.join(' → ')}` : ', in an initial state';
  const pristine = rt.codec.decode(words, 0, words.length);
  for (const action of rt.actions) {
    let dom: readonly unknown[];
    try {
      dom = rt.domain(action, rt.codec.decode(words, 0, words.length));
    } catch {
      continue;
    }
    for (let pi = 0; pi < dom.length; pi++) {
      const copy = rt.codec.decode(words, 0, words.length);
      const param = action.params === null ? null : dom[pi];
      try {
        if (rt.enabled(action, copy, param)) action.effect(copy, rt.constants, action.params === null ? undefined : param);
      } catch {
        // The effect's own failure is reported elsewhere; only the modification matters here.
      }
      const d = firstDifference(pristine, copy);
      if (d) {
        return new InterleaveError(
          'SPEC_MUTATED_STATE',
          `${rt.named(`action '${formatStep(action.name, param)}'`)} modified the state it was given: field '${d.field}' changed from ${d.left} to ${d.right}${via}`,
          { spec: rt.spec.name, action: action.name, params: param, field: d.field, path },
        );
      }
    }
  }
  return new InterleaveError('SPEC_MUTATED_STATE', `${rt.named('a step')} modified the state it was given (its encoding changed while its successors were computed)${via}`, {
    spec: rt.spec.name,
    path,
  });
}
