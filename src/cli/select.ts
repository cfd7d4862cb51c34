import { InterleaveError } from '../errors.ts';
import type { Spec } from '../model/index.ts';

/**
 * Splits `--property NAME` (invariants and temporal properties alike) and `--invariant NAME` into the checker's
 * two lists. With neither flag, everything is checked (undefined = the checker's default: all).
 */
export function selectProperties(spec: Spec, invariantFlags: readonly string[], propertyFlags: readonly string[]): { invariants?: string[]; properties?: string[] } {
  if (invariantFlags.length === 0 && propertyFlags.length === 0) return {};
  const invariants = [...invariantFlags];
  const properties: string[] = [];
  for (const name of propertyFlags) {
    if (spec.invariants.some((i) => i.name === name)) {
      if (!invariants.includes(name)) invariants.push(name);
    } else if (spec.properties.some((p) => p.name === name)) {
      if (!properties.includes(name)) properties.push(name);
    } else {
      const known = [...spec.invariants.map((i) => i.name), ...spec.properties.map((p) => p.name)];
      throw new InterleaveError('UNKNOWN_PROPERTY', `spec '${spec.name}' has no invariant or property '${name}' (known: ${known.length ? known.join(', ') : 'none'})`, {
        spec: spec.name,
        known,
      });
    }
  }
  return { invariants, properties };
}

/** A fresh seed for a random simulation when none was given (echoed in the result, so the run can be repeated). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
