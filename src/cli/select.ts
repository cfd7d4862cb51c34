import { resolveSelection, selectionOf } from '../checker/spec/index.ts';
import type { Spec } from '../model/index.ts';

/**
 * The check options for `--invariant NAME`, `--property NAME` and `--skip-property NAME`. With `--property`
 * or `--invariant`, only the names given are checked, of any kind (invariants, declared assertions, temporal
 * properties, reachable predicates); `--skip-property` leaves names of any kind unchecked. check() resolves the names
 * (resolveSelection, the one resolver); they are resolved here too, so that a misspelt name fails before a search.
 */
export function selectProperties(
  spec: Spec,
  invariantFlags: readonly string[],
  propertyFlags: readonly string[],
  skipFlags: readonly string[] = [],
): { invariants?: string[]; assertions?: string[]; properties?: string[]; reachable?: string[]; skipProperties?: string[] } {
  const request: { invariants?: string[]; assertions?: string[]; properties?: string[]; reachable?: string[]; skipProperties?: string[] } = {};
  if (invariantFlags.length || propertyFlags.length) {
    request.invariants = [...invariantFlags];
    request.assertions = [];
    request.properties = [...propertyFlags];
    request.reachable = [];
  }
  if (skipFlags.length) request.skipProperties = [...skipFlags];
  resolveSelection(spec, selectionOf(request));
  return request;
}

/** A fresh seed for a random simulation when none was given (echoed in the result, so the run can be repeated). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
