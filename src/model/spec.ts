import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { InterleaveError } from '../errors.ts';
import { checkAction, checkConstantDefaults, checkExpectations, checkTopLevel } from './validate.ts';

/** Any zod object schema: the shape of a spec's constants and of its state. */
export type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * One named action: a finite parameter domain, an optional guard and an effect.
 * - `params` (default: a single step with parameter `undefined`) is the finite set of nondeterministic choices,
 *   as an array or as a function of the state and constants. Each element must be plain data (it is shown in
 *   traces and stored in trace files).
 * - `guard` (default: always enabled) says whether the action can be taken with this parameter.
 * - `effect` returns the whole next state. It must not modify its input; it may call `assert`.
 */
export interface ActionDefinition<S, C, P = undefined> {
  params?: readonly P[] | ((state: S, constants: C) => readonly P[]);
  guard?: (state: S, constants: C, param: P) => boolean;
  effect: (state: S, constants: C, param: P) => S;
  /** Fairness for liveness checking: 'weak' (default for liveness runs: none) or 'strong'. */
  fairness?: Fairness;
  /**
   * The process (or group) this action belongs to, for per-process fairness and for the sequence chart:
   * a fixed name, or a function of the parameter (e.g. `(p) => `p${p.i}``).
   */
  process?: string | ((param: P, constants: C) => string);
  /** One line on what this action stands for in the real system (shown by `interleave list`). */
  doc?: string;
  /**
   * An urgent action (default false) is taken before any other when it is enabled, as UPPAAL's urgent transitions
   * or SPIN's priorities: in a state where some urgent action is enabled, only urgent actions are taken (the others
   * are pre-empted). For a timing assumption: a delivery that takes microseconds beside a timeout of seconds.
   * Pre-empted steps are absent from the state graph, so fairness and counterexamples see them as disabled there;
   * see docs/urgent-actions.md.
   */
  urgent?: boolean;
}

export type Fairness = 'none' | 'weak' | 'strong';

/** Helpers passed to `actions` when it is written as a function, so parameter types are inferred. */
export interface ActionKit<S, C> {
  /** Declares an action; `P` is inferred from `params`, so `effect` and `guard` see typed parameters. */
  action<P = undefined>(definition: ActionDefinition<S, C, P>): ActionDefinition<S, C, P>;
}

/** The temporal property constructors, typed for one spec (passed to `properties` when it is a function). */
export interface PropertyKit<S, C> {
  eventually(p: Predicate<S, C>): TemporalProperty<S, C>;
  leadsTo(p: Predicate<S, C>, q: Predicate<S, C>): TemporalProperty<S, C>;
  alwaysEventually(p: Predicate<S, C>): TemporalProperty<S, C>;
  eventuallyAlways(p: Predicate<S, C>): TemporalProperty<S, C>;
  leadsToAlways(p: Predicate<S, C>, q: Predicate<S, C>): TemporalProperty<S, C>;
  stable(p: Predicate<S, C>): TemporalProperty<S, C>;
  forEach<T>(domain: readonly T[] | ((constants: C) => readonly T[]), body: (element: T, constants: C) => TemporalProperty<S, C>): TemporalProperty<S, C>;
}

/** A state predicate. It must be a pure function of the state and constants. */
export type Predicate<S, C> = (state: S, constants: C) => boolean;

/** What a folder run (`interleave check specs/`) expects of one configuration of a spec. */
export interface Expectation {
  /** A short label for the summary table (default: the `variant` constant, or `default`). */
  name?: string;
  /** Constants for this configuration (the rest take their defaults). */
  constants?: Record<string, unknown>;
  /** `ok`: every invariant holds; `violation`: the named property fails. */
  status: 'ok' | 'violation';
  property?: string;
  /** Expected counterexample length in actions (violations only). */
  length?: number;
  /** Check options for this configuration (e.g. `{ deadlock: false }`). */
  options?: { deadlock?: boolean; maxDepth?: number; invariants?: readonly string[]; properties?: readonly string[] };
}

/** How the viewer and the terminal name processes and messages (all optional). */
export interface ViewHooks<S, C> {
  /** The process names, for lifelines in the sequence chart. */
  processes?: (constants: C) => readonly string[];
  /**
   * The messages in flight in a state, each with a stable `id`, its sender and receiver. A message is identified
   * by (id, from, to): one header multicast to two receivers under one id is two messages. The viewer draws an
   * arrow from the step where such a message first appears to the step where it disappears (delivered), and
   * marks those still present at the end (undelivered). `dropped` marks a message the network lost.
   */
  messages?: (state: S, constants: C) => readonly ViewMessage[];
}

export interface ViewMessage {
  id: string;
  from: string;
  to: string;
  label: string;
}

export interface SpecDefinition<CS extends AnyObjectSchema, SS extends AnyObjectSchema> {
  /** The spec's name: shown in results and traces, and used by `--spec`. */
  name: string;
  /** One paragraph: what system and what bug this spec models. */
  description?: string;
  /** Constants (like TLC's CONSTANTS) as a zod object schema with defaults. */
  constants?: CS;
  /**
   * The state as a zod object schema, or a function of the constants returning one (when bounds depend on
   * constants, e.g. `z.array(pc).length(c.n)`). The state type is inferred from it.
   */
  state: SS | ((constants: z.output<CS>) => SS);
  /** The initial state, or several. */
  init: (constants: z.output<CS>) => z.output<SS> | readonly z.output<SS>[];
  /** Named actions: an object of action definitions, or a function of an ActionKit that returns one. */
  actions:
    | Record<string, ActionDefinition<z.output<SS>, z.output<CS>, any>>
    | ((kit: ActionKit<z.output<SS>, z.output<CS>>) => Record<string, ActionDefinition<z.output<SS>, z.output<CS>, any>>);
  /** Named state invariants, checked on every distinct reachable state. */
  invariants?: Record<string, Predicate<z.output<SS>, z.output<CS>>>;
  /**
   * The assertions the actions' effects make with `assert(condition, name)`, each with one line on what it stands
   * for (e.g. the production `serverAssert`). Declared, they are properties like the others: `list` shows them,
   * `--property`/`--skip-property` select them, a passing run names them, and an `assert` whose name is not
   * declared is an error (a misspelt name). Undeclared (no key), every assertion that fails is a violation and
   * none can be deselected.
   */
  assertions?: Record<string, string>;
  /**
   * The legitimate end states (like SPIN's valid end states): a reachable state where no action is enabled is a
   * deadlock unless `terminal` holds in it. A bounded model whose processes simply finish says so here (e.g.
   * `(s) => s.pc.every((p) => p === 'done')`) and keeps deadlock checking for every other state; `() => true`
   * accepts every end state (what `--no-deadlock` does for one run). Default: no state is terminal.
   */
  terminal?: Predicate<z.output<SS>, z.output<CS>>;
  /**
   * Named predicates that must be reachable (Stateright's `sometimes`, Quint's witnesses): each must hold in at
   * least one reachable state. A complete search that never reaches one fails (`unreachable NAME`), so that a fix
   * cannot pass because the scenario never happens; a bounded search warns. `check --witness NAME` prints the
   * shortest trace to one. They share the namespace of invariants and properties (docs/reachability.md).
   */
  reachable?: Record<string, Predicate<z.output<SS>, z.output<CS>>>;
  /**
   * Named temporal properties (see `eventually`, `leadsTo`, `alwaysEventually`, `forEach`): an object, or a
   * function of a PropertyKit (the same constructors, typed for this spec's state and constants).
   */
  properties?:
    | Record<string, TemporalProperty<z.output<SS>, z.output<CS>>>
    | ((kit: PropertyKit<z.output<SS>, z.output<CS>>) => Record<string, TemporalProperty<z.output<SS>, z.output<CS>>>);
  /** Interchangeable identities, for `--symmetry`: a function returning the canonical representative. */
  symmetry?: Symmetry<z.output<SS>, z.output<CS>>;
  /** Names of processes and messages, for the sequence chart. */
  view?: ViewHooks<z.output<SS>, z.output<CS>>;
  /** What a folder run expects of this spec's configurations (default: one configuration that holds). */
  expected?: readonly Expectation[];
  // ---- trace expressions and explanations (shown by the viewer, `show` and `explore`; docs/explorer.md)
  /**
   * Named derived values (trace expressions, like TLC's ALIAS): each is computed for every step of a trace when
   * the trace is written (`check --trace-out`, `explore`) and stored in it, so `show` and `view` need no code.
   * The result must be plain data (Set, Map and bigint are written as in traces).
   */
  views?: Record<string, (state: z.output<SS>, constants: z.output<CS>) => unknown>;
  /**
   * Says which state fields explain a failing invariant or assertion `property` (default: the fields the
   * predicate, or the failing action, read). Return undefined to keep the default for that property.
   */
  explain?: (state: z.output<SS>, constants: z.output<CS>, property: string) => ExplainHint | undefined;
}

/** What a spec's `explain` hook returns: the state fields to highlight (paths like `view[0].replicaof`). */
export interface ExplainHint {
  fields: readonly string[];
  /** One line shown with the explanation. */
  note?: string;
}

/** A named trace expression (`SpecDefinition.views`). */
export interface SpecView<S = any, C = any> {
  readonly name: string;
  readonly compute: (state: S, constants: C) => unknown;
}

/**
 * A temporal property over behaviours; built with `eventually`, `leadsTo`, `alwaysEventually`,
 * `eventuallyAlways`, `leadsToAlways`, `stable`, and quantified
 * over a finite set with `forEach`. Checked on the complete state graph under the fairness the actions declare
 * (see docs/liveness.md); never reported as holding when the search was bounded.
 */
export type TemporalProperty<S, C> =
  | { kind: 'eventually'; p: Predicate<S, C> }
  | { kind: 'leadsTo'; p: Predicate<S, C>; q: Predicate<S, C> }
  | { kind: 'alwaysEventually'; p: Predicate<S, C> }
  | { kind: 'eventuallyAlways'; p: Predicate<S, C> }
  | { kind: 'leadsToAlways'; p: Predicate<S, C>; q: Predicate<S, C> }
  | { kind: 'stable'; p: Predicate<S, C> }
  | { kind: 'forEach'; domain: (constants: C) => readonly unknown[]; body: (element: any, constants: C) => TemporalProperty<S, C> };

/**
 * A symmetry: interchangeable identities 0..size-1 (the resource managers of two-phase commit, the processes of
 * a mutex). `apply(state, perm, c)` renames every identity i to perm[i] (move the entry of i to index perm[i],
 * rename stored ids v to perm[v]; `permute` helps). Give `size` and the library generates every permutation,
 * or list the `permutations` yourself (they must form a group). With `--symmetry` the checker keeps one
 * representative per class: the least encoding among all images. Sound for invariants that are themselves
 * symmetric; see docs/symmetry.md.
 */
export interface Symmetry<S, C> {
  /** How many interchangeable identities there are (the library generates all size! permutations). */
  size?: (constants: C) => number;
  /** Or: the permutations of the identity set, as arrays of indices (identity included). */
  permutations?: (constants: C) => readonly (readonly number[])[];
  apply: (state: S, permutation: readonly number[], constants: C) => S;
}

/** A checked, frozen action. */
export interface SpecAction<S = any, C = any> {
  readonly name: string;
  readonly index: number;
  readonly params: ((state: S, constants: C) => readonly unknown[]) | null;
  readonly guard: ((state: S, constants: C, param: any) => boolean) | null;
  readonly effect: (state: S, constants: C, param: any) => S;
  readonly fairness: Fairness;
  readonly process: string | ((param: any, constants: C) => string) | null;
  readonly doc: string | undefined;
  /** Taken before every non-urgent action when enabled (`ActionDefinition.urgent`; docs/urgent-actions.md). */
  readonly urgent: boolean;
}

export interface SpecPredicate<S = any, C = any> {
  readonly name: string;
  readonly test: Predicate<S, C>;
}

export interface SpecProperty<S = any, C = any> {
  readonly name: string;
  readonly property: TemporalProperty<S, C>;
}

/** A declared assertion (`SpecDefinition.assertions`): its name and what it stands for. */
export interface SpecAssertion {
  readonly name: string;
  readonly doc: string;
}

/** The plain, frozen value `defineSpec` returns. The checker, CLI and viewer read only this. */
export interface Spec<S = any, C = any> {
  readonly kind: 'interleave/spec';
  readonly name: string;
  readonly description: string | undefined;
  readonly constants: z.ZodType<C>;
  /** The state schema for given constants. */
  readonly stateSchema: (constants: C) => z.ZodType<S>;
  readonly init: (constants: C) => S | readonly S[];
  readonly actions: readonly SpecAction<S, C>[];
  readonly invariants: readonly SpecPredicate<S, C>[];
  /** The declared assertions (`SpecDefinition.assertions`), or null when the spec declares none. */
  readonly assertions: readonly SpecAssertion[] | null;
  /** The legitimate end states (`SpecDefinition.terminal`), or null: every state with no enabled action is a deadlock. */
  readonly terminal: Predicate<S, C> | null;
  readonly properties: readonly SpecProperty<S, C>[];
  /** The predicates that must be reachable (`SpecDefinition.reachable`), in declaration order. */
  readonly reachable: readonly SpecPredicate<S, C>[];
  readonly symmetry: Symmetry<S, C> | undefined;
  readonly view: ViewHooks<S, C>;
  readonly expected: readonly Expectation[];
  /** Trace expressions (`SpecDefinition.views`), in declaration order. */
  readonly views: readonly SpecView<S, C>[];
  /** The explain hook (`SpecDefinition.explain`). */
  readonly explain: ((state: S, constants: C, property: string) => ExplainHint | undefined) | undefined;
  /** The URL of the module that called defineSpec, when it can be told (used to load the spec in workers). */
  readonly sourceUrl: string | undefined;
}

export type StateOf<T> = T extends Spec<infer S, any> ? S : never;
export type ConstantsOf<T> = T extends Spec<any, infer C> ? C : never;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const kit: ActionKit<any, any> = { action: (d) => d };

function fail(spec: string, message: string, code: 'SPEC_INVALID' | 'SPEC_DUPLICATE_NAME' | 'SPEC_BAD_PARAMS' = 'SPEC_INVALID'): never {
  throw new InterleaveError(code, `spec '${spec}': ${message}`, { spec });
}

/**
 * Defines a spec: a plain, frozen value. Checks the definition's shape eagerly (names, functions, schemas),
 * so a malformed spec is reported when it is loaded, not half-way through a search.
 */
export function defineSpec<CS extends AnyObjectSchema = z.ZodObject<{}>, SS extends AnyObjectSchema = AnyObjectSchema>(
  definition: SpecDefinition<CS, SS>,
): Spec<z.output<SS>, z.output<CS>> {
  const d = definition as SpecDefinition<CS, SS> | undefined;
  if (typeof d !== 'object' || d === null) throw new InterleaveError('SPEC_INVALID', 'defineSpec expects an object');
  const name = d.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InterleaveError('SPEC_INVALID', `defineSpec: 'name' must be an identifier-like string, got ${JSON.stringify(name)}`);
  }
  checkTopLevel(name, d as unknown as Record<string, unknown>);
  const constants = d.constants ?? z.object({});
  if (!(constants instanceof z.ZodObject)) fail(name, "'constants' must be a zod object schema (z.object({...}))");
  checkConstantDefaults(name, constants.shape);
  if (!(d.state instanceof z.ZodObject) && typeof d.state !== 'function') {
    fail(name, "'state' must be a zod object schema (z.object({...})) or a function of the constants returning one");
  }
  const stateDef = d.state;
  const stateSchema = (c: unknown): z.ZodType => {
    const schema = typeof stateDef === 'function' ? (stateDef as (c: unknown) => unknown)(c) : stateDef;
    if (!(schema instanceof z.ZodObject)) fail(name, "'state' must return a zod object schema (z.object({...}))");
    return schema;
  };
  if (typeof d.init !== 'function') fail(name, "'init' must be a function of the constants returning the initial state(s)");

  const rawActions = typeof d.actions === 'function' ? d.actions(kit as ActionKit<any, any>) : d.actions;
  if (typeof rawActions !== 'object' || rawActions === null) fail(name, "'actions' must be an object of named actions");
  const actions: SpecAction[] = [];
  for (const [actionName, a] of Object.entries(rawActions)) {
    if (!NAME.test(actionName)) fail(name, `action name ${JSON.stringify(actionName)} is not an identifier`);
    if (typeof a !== 'object' || a === null || typeof a.effect !== 'function') {
      fail(name, `action '${actionName}' must be an object with an 'effect' function (and optional 'params', 'guard')`);
    }
    checkAction(name, actionName, a as unknown as Record<string, unknown>);
    let params: SpecAction['params'] = null;
    if (Array.isArray(a.params)) {
      if (a.params.length === 0) fail(name, `action '${actionName}' has an empty parameter domain (params: []), so it can never run`, 'SPEC_BAD_PARAMS');
      // A private copy (the author's array may change later), not frozen: V8 11 does not inline element loads from a
      // frozen array it has constant-folded, so `dom[pi]` in the compiled successor function became a generic
      // call per parameter (gossip: -8 % instructions without it; docs/performance.md).
      const fixed = [...a.params];
      params = () => fixed;
      // The domain, readable by the spec's identity (checker/identity.ts), where the wrapper's text says nothing.
      Object.defineProperty(params, FIXED_DOMAIN, { value: fixed });
    } else if (typeof a.params === 'function') {
      params = a.params as SpecAction['params'];
    } else if (a.params !== undefined) {
      fail(name, `action '${actionName}': 'params' must be an array or a function returning an array`);
    }
    if (a.guard !== undefined && typeof a.guard !== 'function') fail(name, `action '${actionName}': 'guard' must be a function`);
    const fairness = a.fairness ?? 'none';
    if (fairness !== 'none' && fairness !== 'weak' && fairness !== 'strong') {
      fail(name, `action '${actionName}': 'fairness' must be 'none', 'weak' or 'strong'`);
    }
    if (a.process !== undefined && typeof a.process !== 'string' && typeof a.process !== 'function') {
      fail(name, `action '${actionName}': 'process' must be a string or a function of the parameter`);
    }
    actions.push(
      Object.freeze({
        name: actionName,
        index: actions.length,
        params,
        guard: a.guard ?? null,
        effect: a.effect,
        fairness,
        process: a.process ?? null,
        doc: a.doc,
        urgent: a.urgent === true,
      }),
    );
  }
  if (actions.length === 0) fail(name, 'a spec needs at least one action');

  const seen = new Set(actions.map((a) => a.name));
  const invariants: SpecPredicate[] = [];
  for (const [n, test] of Object.entries(d.invariants ?? {})) {
    if (!NAME.test(n)) fail(name, `invariant name ${JSON.stringify(n)} is not an identifier`);
    if (typeof test !== 'function') fail(name, `invariant '${n}' must be a function (state, constants) => boolean`);
    if (seen.has(n)) fail(name, `the name '${n}' is used twice (actions, invariants and properties share one namespace)`, 'SPEC_DUPLICATE_NAME');
    seen.add(n);
    invariants.push(Object.freeze({ name: n, test }));
  }
  const properties: SpecProperty[] = [];
  const rawProperties = typeof d.properties === 'function' ? d.properties(propertyKit as PropertyKit<any, any>) : (d.properties ?? {});
  for (const [n, property] of Object.entries(rawProperties)) {
    if (!NAME.test(n)) fail(name, `property name ${JSON.stringify(n)} is not an identifier`);
    if (typeof property !== 'object' || property === null || !TEMPORAL_KINDS.includes(property.kind)) {
      fail(name, `property '${n}' must be built with eventually(), leadsTo(), alwaysEventually(), eventuallyAlways(), leadsToAlways(), stable() or forEach()`);
    }
    if (seen.has(n)) fail(name, `the name '${n}' is used twice (actions, invariants and properties share one namespace)`, 'SPEC_DUPLICATE_NAME');
    seen.add(n);
    properties.push(Object.freeze({ name: n, property }));
  }
  let assertions: SpecAssertion[] | null = null;
  if (d.assertions !== undefined) {
    if (typeof d.assertions !== 'object' || d.assertions === null || Array.isArray(d.assertions)) fail(name, "'assertions' must be an object: { name: 'what it stands for', ... }");
    assertions = [];
    for (const [n, doc] of Object.entries(d.assertions)) {
      if (!NAME.test(n)) fail(name, `assertion name ${JSON.stringify(n)} is not an identifier`);
      if (typeof doc !== 'string') fail(name, `assertion '${n}' must be described by a string (what it stands for)`);
      if (seen.has(n)) fail(name, `the name '${n}' is used twice (actions, invariants, assertions and properties share one namespace)`, 'SPEC_DUPLICATE_NAME');
      seen.add(n);
      assertions.push(Object.freeze({ name: n, doc }));
    }
  }
  const reachable: SpecPredicate[] = [];
  for (const [n, test] of Object.entries(d.reachable ?? {})) {
    if (!NAME.test(n)) fail(name, `reachable name ${JSON.stringify(n)} is not an identifier`);
    if (typeof test !== 'function') fail(name, `reachable '${n}' must be a function (state, constants) => boolean`);
    if (seen.has(n)) fail(name, `the name '${n}' is used twice (actions, invariants, assertions, properties and reachable predicates share one namespace)`, 'SPEC_DUPLICATE_NAME');
    seen.add(n);
    reachable.push(Object.freeze({ name: n, test }));
  }
  if (d.symmetry !== undefined && ((typeof d.symmetry.permutations !== 'function' && typeof d.symmetry.size !== 'function') || typeof d.symmetry.apply !== 'function')) {
    fail(name, "'symmetry' must have an 'apply' function and a 'size' (or 'permutations') function of the constants");
  }
  const views: SpecView[] = [];
  for (const [n, compute] of Object.entries(d.views ?? {})) {
    if (!NAME.test(n)) fail(name, `view name ${JSON.stringify(n)} is not an identifier`);
    if (typeof compute !== 'function') fail(name, `view '${n}' must be a function (state, constants) => value`);
    views.push(Object.freeze({ name: n, compute }));
  }
  if (d.explain !== undefined && typeof d.explain !== 'function') fail(name, "'explain' must be a function (state, constants, property) => { fields, note }");
  if (d.terminal !== undefined && typeof d.terminal !== 'function') fail(name, "'terminal' must be a function (state, constants) => boolean: true in the states where stopping is not a deadlock");
  checkExpectations(name, d.expected ?? [], {
    invariants: invariants.map((i) => i.name),
    assertions: (assertions ?? []).map((a) => a.name),
    properties: properties.map((p) => p.name),
    reachable: reachable.map((r) => r.name),
    constants: Object.keys(constants.shape),
  });

  const origins = callerUrls();
  const spec = {
    kind: 'interleave/spec',
    name,
    description: d.description,
    constants: constants as unknown as z.ZodType<z.output<CS>>,
    stateSchema,
    init: d.init,
    actions: Object.freeze(actions),
    invariants: Object.freeze(invariants),
    assertions: assertions === null ? null : Object.freeze(assertions),
    terminal: d.terminal ?? null,
    properties: Object.freeze(properties),
    reachable: Object.freeze(reachable),
    symmetry: d.symmetry,
    view: Object.freeze({ ...(d.view ?? {}) }),
    expected: Object.freeze([...(d.expected ?? [])]),
    views: Object.freeze(views),
    explain: d.explain,
    sourceUrl: origins[0],
  };
  // Every module on the stack when the spec was defined (the module that called defineSpec first, then the modules
  // that called it: a factory's callers): where a worker may find the spec as an export (docs/spec-identity.md).
  Object.defineProperty(spec, SPEC_ORIGINS, { value: Object.freeze(origins), enumerable: false });
  return Object.freeze(spec) as Spec<z.output<SS>, z.output<CS>>;
}

/** Marks the function defineSpec wraps around a fixed parameter domain (read by checker/identity.ts). */
const FIXED_DOMAIN = Symbol.for('interleave.fixedDomain');

/** A registry symbol, so that every copy of this library finds the origins a spec was given by another copy. */
const SPEC_ORIGINS = Symbol.for('interleave.specOrigins');

/** The module URLs on the stack when `spec` was defined, nearest first (see defineSpec). Internal. */
export function specOrigins(spec: Spec): readonly string[] {
  const o = (spec as unknown as Record<symbol, unknown>)[SPEC_ORIGINS];
  return Array.isArray(o) ? o : spec.sourceUrl !== undefined ? [spec.sourceUrl] : [];
}

/**
 * The file URLs of the stack frames outside this file, nearest first, each once. A frame is `at NAME (LOCATION)`
 * or `at LOCATION`, LOCATION being `URL-or-path:line:column`; a path may hold spaces, parentheses, '#' and any
 * letter, so the location is cut at its known ends rather than matched by character class.
 */
function callerUrls(): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const out: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const where = frameFile(line);
    if (where === undefined || /[\\/](src[\\/]model[\\/]spec\.[cm]?[tj]s|dist[\\/]model[\\/]spec\.js)$/.test(where)) continue;
    if (!out.includes(where)) out.push(where);
  }
  return out;
}

/** The file URL of one stack frame, or undefined (node: internals, native code, eval). */
export function frameFile(line: string): string | undefined {
  let loc = line.replace(/^\s*at\s+(async\s+)?/, '');
  if (loc.endsWith(')')) {
    const i = loc.indexOf('(file://');
    const j = i >= 0 ? i : loc.indexOf('(/');
    if (j < 0) return undefined;
    loc = loc.slice(j + 1, -1);
  }
  const m = /^(.*?):\d+:\d+$/.exec(loc);
  if (!m) return undefined;
  const where = m[1]!;
  if (where.startsWith('file://')) return where;
  if (!where.startsWith('/') || !/\.[cm]?[tj]sx?$/.test(where)) return undefined;
  return pathToFileURL(where).href;
}

export function isSpec(value: unknown): value is Spec {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'interleave/spec';
}

/** Temporal property constructors. Each is checked with the fairness its actions declare. */
export function eventually<S, C>(p: Predicate<S, C>): TemporalProperty<S, C> {
  return { kind: 'eventually', p };
}
export function leadsTo<S, C>(p: Predicate<S, C>, q: Predicate<S, C>): TemporalProperty<S, C> {
  return { kind: 'leadsTo', p, q };
}
export function alwaysEventually<S, C>(p: Predicate<S, C>): TemporalProperty<S, C> {
  return { kind: 'alwaysEventually', p };
}
/** `◇□p`: from some point on, `p` holds for good (violated by a fair lasso whose loop has a `¬p` state). */
export function eventuallyAlways<S, C>(p: Predicate<S, C>): TemporalProperty<S, C> {
  return { kind: 'eventuallyAlways', p };
}
/** `p ~> □q`, i.e. `□(p ⇒ ◇□q)`: after any `p` state, `q` eventually holds for good. */
export function leadsToAlways<S, C>(p: Predicate<S, C>, q: Predicate<S, C>): TemporalProperty<S, C> {
  return { kind: 'leadsToAlways', p, q };
}
/** `□(p ⇒ □p)`: once `p` holds it holds forever (a safety property of steps; no fairness involved). */
export function stable<S, C>(p: Predicate<S, C>): TemporalProperty<S, C> {
  return { kind: 'stable', p };
}
const TEMPORAL_KINDS: readonly string[] = ['eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways', 'leadsToAlways', 'stable', 'forEach'];

/**
 * Quantifies a property over a finite set: `forEach((c) => ids(c.n), (i) => leadsTo(p(i), q(i)))` holds when
 * the body holds for every element. A counterexample names the element (`i = 0`).
 */
export function forEach<T, S, C>(domain: (constants: C) => readonly T[], body: (element: T, constants: C) => TemporalProperty<S, C>): TemporalProperty<S, C>;
export function forEach<T, S, C>(domain: readonly T[], body: (element: T, constants: C) => TemporalProperty<S, C>): TemporalProperty<S, C>;
export function forEach<T, S, C>(
  domain: readonly T[] | ((constants: C) => readonly T[]),
  body: (element: T, constants: C) => TemporalProperty<S, C>,
): TemporalProperty<S, C> {
  const fixed = Array.isArray(domain) ? Object.freeze([...domain]) : null;
  const fixedDomain = fixed ? () => fixed : null;
  if (fixedDomain) Object.defineProperty(fixedDomain, FIXED_DOMAIN, { value: fixed });
  return { kind: 'forEach', domain: fixedDomain ?? (domain as (c: C) => readonly T[]), body };
}

/**
 * Moves the entry of identity i to index perm[i] (for `symmetry.apply`): `permute(['a','b','c'], [1,2,0])`
 * is `['c','a','b']`. Rename stored identities with `perm[v]`.
 */
export function permute<T>(array: readonly T[], perm: readonly number[]): T[] {
  const out = new Array<T>(array.length);
  for (let i = 0; i < array.length; i++) out[perm[i] ?? i] = array[i]!;
  return out;
}

const propertyKit: PropertyKit<any, any> = {
  eventually,
  leadsTo,
  alwaysEventually,
  eventuallyAlways,
  leadsToAlways,
  stable,
  forEach: (domain: any, body: any) => forEach(domain, body),
};
