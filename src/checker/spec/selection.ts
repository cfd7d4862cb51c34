import { InterleaveError } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';

/**
 * Which properties a run checks: the one resolver of property names, for check(), the CLI and `expected` entries
 * (docs/properties.md). Invariants, assertions and temporal properties share one namespace, so a name says its
 * own kind: each name given, in whichever list, goes to its kind. A kind is restricted to the names of that kind
 * when its own list is given or when another list names one of its members; otherwise every property of that
 * kind is checked. `skip` then removes names of any kind.
 *
 * So `properties: []` still means "no temporal property" (invariants and assertions all checked), and
 * `properties: ['onePrimaryPerShard']`, an invariant, checks that invariant alone.
 */
export interface SelectionRequest {
  invariants?: readonly string[];
  assertions?: readonly string[];
  properties?: readonly string[];
  /** Names of `reachable` predicates (docs/reachability.md). */
  reachable?: readonly string[];
  skip?: readonly string[];
}

/** The resolved selection. `assertions` is null when the spec declares none (every assertion is checked). */
export interface Selection {
  invariants: string[];
  assertions: string[] | null;
  properties: string[];
  /** The `reachable` predicates checked (docs/reachability.md). */
  reachable: string[];
}

export type PropertyKind = 'invariant' | 'assertion' | 'property' | 'reachable';

/** The kind of a declared name, or undefined. */
export function kindOf(spec: Spec, name: string): PropertyKind | undefined {
  if (spec.invariants.some((i) => i.name === name)) return 'invariant';
  if (spec.assertions?.some((a) => a.name === name)) return 'assertion';
  if (spec.properties.some((p) => p.name === name)) return 'property';
  if (spec.reachable?.some((r) => r.name === name)) return 'reachable';
  return undefined;
}

/** Every declared name, by kind, in declaration order. */
export function declaredNames(spec: Spec): Record<PropertyKind, string[]> {
  return { invariant: spec.invariants.map((i) => i.name), assertion: (spec.assertions ?? []).map((a) => a.name), property: spec.properties.map((p) => p.name), reachable: (spec.reachable ?? []).map((r) => r.name) };
}

/** UNKNOWN_PROPERTY for a name the spec does not declare, listing what it does declare. */
export function unknownProperty(spec: Spec, name: string): InterleaveError {
  const d = declaredNames(spec);
  const known = [...d.invariant, ...d.assertion, ...d.property, ...d.reachable];
  return new InterleaveError('UNKNOWN_PROPERTY', `spec '${spec.name}' has no invariant, assertion or property '${name}' (known: ${known.length ? known.join(', ') : 'none'})`, {
    spec: spec.name,
    known,
  });
}

/** The request made by check()'s options (`invariants`, `assertions`, `properties`, `skipProperties`). */
export function selectionOf(options: { invariants?: readonly string[]; assertions?: readonly string[]; properties?: readonly string[]; reachable?: readonly string[]; skipProperties?: readonly string[] }): SelectionRequest {
  return { invariants: options.invariants, assertions: options.assertions, properties: options.properties, reachable: options.reachable, skip: options.skipProperties };
}

/**
 * resolveSelection for check()'s options, where an unknown name is reported as a result rather than thrown: the
 * selection (nothing selected when a name is unknown) and the error, if any.
 */
export function selectionFor(spec: Spec, options: Parameters<typeof selectionOf>[0]): { selection: Selection; unknown: unknown } {
  try {
    return { selection: resolveSelection(spec, selectionOf(options)), unknown: null };
  } catch (e) {
    return { selection: { invariants: [], assertions: null, properties: [], reachable: [] }, unknown: e };
  }
}

export function resolveSelection(spec: Spec, request: SelectionRequest): Selection {
  const declared = declaredNames(spec);
  const named: Record<PropertyKind, string[]> = { invariant: [], assertion: [], property: [], reachable: [] };
  for (const list of [request.invariants, request.assertions, request.properties, request.reachable]) {
    for (const name of list ?? []) {
      const kind = kindOf(spec, name);
      if (kind === undefined) throw unknownProperty(spec, name);
      if (!named[kind].includes(name)) named[kind].push(name);
    }
  }
  const skip = new Set<string>();
  for (const name of request.skip ?? []) {
    if (kindOf(spec, name) === undefined) throw unknownProperty(spec, name);
    skip.add(name);
  }
  const pick = (kind: PropertyKind, own: readonly string[] | undefined): string[] => {
    const restricted = own !== undefined || named[kind].length > 0;
    return (restricted ? named[kind] : declared[kind]).filter((n) => !skip.has(n));
  };
  return {
    invariants: pick('invariant', request.invariants),
    assertions: spec.assertions === null ? null : pick('assertion', request.assertions),
    properties: pick('property', request.properties),
    reachable: pick('reachable', request.reachable),
  };
}
