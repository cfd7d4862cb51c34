import type { z } from 'zod';
import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import { isAssertionFailure, type AssertionFailure, type Spec, type SpecAction, type SpecPredicate } from '../../model/index.ts';
import { unknownProperty } from './selection.ts';
import { compileCodec, WordBuffer, type StateCodec } from '../state/index.ts';
import { formatAction } from '../../report/format.ts';
import { formatPath, resolveConstants } from './constants.ts';
import { firstDifference } from './difference.ts';
import { stateFreeDomain } from './state-free-domain.ts';
import { readsNoParam } from './param-free-guard.ts';
import { FP, fingerprint } from '../state/index.ts';
import type { Trace, TraceStep } from './trace.ts';

const UNIT: readonly unknown[] = Object.freeze([null]);

/** Formats an action with its parameter the way traces and messages show it: `deliver(from: 1, to: 0)` (report/format.ts). */
export function formatStep(action: string, params: unknown): string {
  return formatAction(action, params);
}

/**
 * Where the compiled successor function (`SpecRuntime.successors`) delivers successors: the search's own code
 * for one successor (encoding, fingerprint, batch). While it runs, `action`, `dom` and `pi` say which action,
 * domain (null: the action has no parameters) and parameter are being tried (`pi` is -1 while the domain is
 * computed), `enabled` counts the steps whose guard held, and `inEffect` is true while an effect runs, so a
 * search can tell an assertion in an effect from an error elsewhere when one is thrown out of it.
 */
export interface StepSink {
  action: number;
  dom: readonly unknown[] | null;
  pi: number;
  enabled: number;
  inEffect: boolean;
  add(next: unknown, pi: number, param: unknown): void;
  /** Action `action` had an enabled step in this state (coverage). */
  covered(action: number): void;
}

/**
 * Every successor of a state: tries each action in order, each parameter of its domain in order, guard then
 * effect, and hands every enabled step's successor to the sink. Throws what a domain, guard or effect throws
 * (and SPEC_BAD_PARAMS for a domain that is not an array); the sink's fields say where.
 */
export type Successors<S = any, C = any> = (s: S, c: C, sink: StepSink) => void;

let compiled = 0;

function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function describeValue(v: unknown): string {
  if (isThenable(v)) return 'a Promise';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'an array' : 'an object';
  if (typeof v === 'function') return 'a function';
  return `${String(v)} (${typeof v})`;
}

const ASYNC_HINT = 'guards and effects must be synchronous: remove `async` (a Promise is not a state, and is always truthy)';

/** SPEC_BAD_GUARD: a guard returned something other than true or false. */
export function guardError(action: SpecAction, g: unknown, param: unknown): InterleaveError {
  const hint = isThenable(g) ? `; ${ASYNC_HINT}` : '';
  return new InterleaveError('SPEC_BAD_GUARD', `action '${formatStep(action.name, param)}': its guard returned ${describeValue(g)}, expected true or false${hint}`, {
    action: action.name,
    params: param,
  });
}

/**
 * Compiles a spec's successor function. Called from one generic loop, the domains, guards and effects of all
 * actions would share one call site each, which V8 leaves megamorphic: every call generic, none inlined. Here
 * each call site sees one function, which V8 can inline (docs/performance.md: Peterson n=6 runs 16 % fewer
 * instructions). The source carries a unique number so that V8 does not share one compiled function (and its
 * call feedback) between runtimes.
 */
function compileSuccessors<S, C>(
  actions: readonly SpecAction<S, C>[],
  fixed: readonly (readonly unknown[] | null)[],
  badDomain: (action: SpecAction<S, C>, d: unknown) => never,
  skipAssertion: ((e: unknown) => boolean) | null,
): Successors<S, C> {
  const badGuard = (action: SpecAction<S, C>, g: unknown, param: unknown): never => {
    throw guardError(action, g, action.params === null ? null : param);
  };
  const id = compiled++;
  // A guard that cannot read the parameter (param-free-guard.ts) runs for the first one only.
  const guardOnce = actions.map((x) => x.params !== null && x.guard !== null && readsNoParam(x.guard));
  const blocks = actions.map((action, a) => {
    const domain = domainCode(action, a, fixed[a]!);
    const param = action.params === null ? 'undefined' : 'dom[pi]';
    // A guard must return a boolean: anything else (1, a Promise from an async guard) is an error, never a silently
    // disabled action. The type test runs only when the guard did not return true.
    // Such a guard false for the first parameter: none is enabled (break); true: every one is.
    const once = guardOnce[a]!;
    const call = `const g = G${a}(s, c, param); if (g !== true) { if (g !== false) badGuard(A[${a}], g, param); ${once ? 'break' : 'continue'}; }`;
    const guard = action.guard === null ? '' : once ? `if (pi === 0) { ${call} }` : call;
    return `  sink.action = ${a}; sink.pi = -1; sink.dom = null;
  ${domain}
  sink.dom = dom; before = sink.enabled;
  for (let pi = 0; pi < n; pi++) {
    const param = ${param};
    sink.pi = pi;
    ${guard}
    sink.enabled++;
    sink.inEffect = true;
    ${skipAssertion === null ? `const next = E${a}(s, c, param);` : `let next;
    try {
      next = E${a}(s, c, param);
    } catch (e) {
      // A deselected assertion failed: the step has no successor (docs/properties.md).
      if (!skip(e)) throw e;
      sink.inEffect = false;
      continue;
    }`}
    sink.inEffect = false;
    sink.add(next, pi, param);
  }
  if (sink.enabled > before) sink.covered(${a});`;
  });
  const names = actions.flatMap((_, a) => [`P${a}`, `G${a}`, `E${a}`, `D${a}`]);
  const fns = actions.flatMap((x, a) => [x.params, x.guard, x.effect, fixed[a]]);
  // Urgent actions (docs/urgent-actions.md): a probe evaluates their domains and guards first; when one is enabled,
  // the blocks of the non-urgent actions are skipped (pre-empted). Compiled in only for a spec with urgent actions,
  // so every other spec runs the same function as before.
  const urgent = actions.some((x) => x.urgent);
  const probe = urgent ? [`  let u = false;
  probe: {`, ...actions.flatMap((action, a) => (action.urgent ? [urgencyProbe(action, a, fixed[a]!, guardOnce[a]!)] : [])), '  }'] : [];
  const body = `"use strict";
return function successors(s, c, sink) {
  // interleave: the successors of a state (${id})
  let dom, n, before;
${[...probe, ''].join('\n')}${blocks.map((b, a) => (urgent && !actions[a]!.urgent ? `  if (!u) {\n${b}\n  }` : b)).join('\n')}
};`;
  return new Function('A', 'bad', 'badGuard', 'skip', ...names, body)(actions, badDomain, badGuard, skipAssertion, ...fns) as Successors<S, C>;
}

/**
 * How the compiled successor function gets action `a`'s domain: none (one step), a list computed once (`D${a}`:
 * `params: [...]`, or a `params` that reads no state, see state-free-domain.ts), or its `params` called per state.
 */
function domainCode(action: SpecAction, a: number, fixed: readonly unknown[] | null): string {
  if (action.params === null) return 'dom = null; n = 1;';
  if (fixed !== null) return `dom = D${a}; n = ${fixed.length};`;
  return `dom = P${a}(s, c); if (!Array.isArray(dom)) bad(A[${a}], dom); n = dom.length;`;
}

/** The probe of one urgent action in the compiled successor function: sets `u` and leaves the probe when it is enabled (`once`: its guard cannot read the parameter, so one call answers for all). */
function urgencyProbe(action: SpecAction, a: number, fixed: readonly unknown[] | null, once: boolean): string {
  const domain = domainCode(action, a, fixed);
  const param = action.params === null ? 'undefined' : 'dom[pi]';
  const test = action.guard === null ? 'u = true; break probe;' : `const g = G${a}(s, c, ${param}); if (g === true) { u = true; break probe; } if (g !== false) badGuard(A[${a}], g, ${param});${once ? ' break;' : ''}`;
  return `  sink.action = ${a}; sink.pi = -1; sink.dom = null;
  ${domain}
  sink.dom = dom;
  for (let pi = 0; pi < n; pi++) {
    sink.pi = pi;
    ${test}
  }`;
}

/**
 * A spec made ready to run: constants resolved, codec compiled, invariants selected. Shared by the search,
 * the replay of paths and the trace tools, so they all step a spec the same way.
 */
export class SpecRuntime<S = any, C = any> {
  readonly spec: Spec<S, C>;
  readonly constants: C;
  readonly codec: StateCodec<S>;
  readonly schema: z.ZodType<S>;
  readonly actions: readonly SpecAction<S, C>[];
  /**
   * Every successor of a state, compiled for this spec (compileSuccessors) when the first state is expanded: then
   * the actions whose `params` read nothing of the state get their list once (state-free-domain.ts).
   */
  successors: Successors<S, C>;
  /**
   * Once the first state was expanded: per action, the parameter list the search takes for every state (its
   * `params` read no state), or null (no parameters, or a list per state). The sampled checks compare it with what
   * `params` returns (checkParamDomains).
   */
  fixedDomains: readonly (readonly unknown[] | null)[] | null = null;
  readonly invariants: readonly SpecPredicate<S, C>[];
  readonly scratch = new WordBuffer(256);
  readonly strict: boolean;

  /** The assertions checked (null: every one that fails); a deselected one that fails drops its step. */
  readonly assertionFilter: ReadonlySet<string> | null;

  /** Whether some action is urgent (docs/urgent-actions.md): then `preemptedBy` can say something other than null. */
  readonly hasUrgent: boolean;

  /**
   * `invariants` and `assertions` are the names to check of each kind (default: all; resolveSelection turns a
   * user's request into them).
   */
  constructor(spec: Spec<S, C>, options: { constants?: Record<string, unknown>; invariants?: readonly string[]; assertions?: readonly string[] | null; strict?: boolean; forceDynamicCodec?: boolean } = {}) {
    this.spec = spec;
    this.constants = resolveConstants(spec, options.constants);
    this.strict = options.strict ?? false;
    try {
      this.schema = spec.stateSchema(this.constants);
    } catch (e) {
      throw new InterleaveError('SPEC_INVALID', `spec '${spec.name}': the state function threw ${describeThrown(e)} (it is called with the constants: ${safeJson(this.constants)})`, { spec: spec.name }, { cause: e });
    }
    if (typeof this.schema !== 'object' || this.schema === null || typeof (this.schema as { safeParse?: unknown }).safeParse !== 'function') {
      throw new InterleaveError('SPEC_INVALID', `spec '${spec.name}': the state function returned ${describeValue(this.schema)}, expected a zod schema`, { spec: spec.name });
    }
    try {
      this.codec = compileCodec(this.schema, { forceDynamic: options.forceDynamicCodec });
    } catch (e) {
      if (isInterleaveError(e)) throw e;
      throw new InterleaveError('INTERNAL', `cannot compile a codec for spec '${spec.name}': ${describeThrown(e)}`, { spec: spec.name }, { cause: e });
    }
    this.actions = spec.actions;
    this.hasUrgent = spec.actions.some((a) => a.urgent);
    const declared = spec.assertions;
    const wanted = options.assertions ?? null;
    for (const name of wanted ?? []) if (!declared?.some((a) => a.name === name)) throw unknownProperty(spec, name);
    this.assertionFilter = declared === null || wanted === null || declared.every((a) => wanted.includes(a.name)) ? null : new Set(wanted);
    const filter = this.assertionFilter;
    const skip = filter === null ? null : (e: unknown) => isAssertionFailure(e) && !this.assertionSelected(e);
    const bad = (action: SpecAction<S, C>, d: unknown): never => this.badDomain(action, d);
    // Compiled at the first state expanded, when the parameter lists that read no state can be told apart.
    this.successors = (s, c, sink) => {
      const fixed = spec.actions.map((x) => (x.params === null ? null : stateFreeDomain(x.params, s, this.constants)));
      this.fixedDomains = fixed;
      this.successors = compileSuccessors(spec.actions, fixed, bad, skip);
      this.successors(s, c, sink);
    };
    if (options.invariants !== undefined) {
      const picked: SpecPredicate<S, C>[] = [];
      for (const name of options.invariants) {
        const inv = spec.invariants.find((i) => i.name === name);
        if (!inv) throw unknownProperty(spec, name);
        if (!picked.includes(inv)) picked.push(inv);
      }
      this.invariants = picked;
    } else {
      // A copy: the spec's list is frozen, and V8 11 does not inline element loads from frozen arrays (a generic
      // KeyedLoadIC per distinct state in the search loop; docs/performance.md).
      this.invariants = [...spec.invariants];
    }
  }

  /** The initial states, validated against the schema and put in canonical form. */
  initialStates(): S[] {
    let raw: S | readonly S[];
    try {
      raw = this.spec.init(this.constants);
    } catch (e) {
      throw new InterleaveError('SPEC_INIT_INVALID', `spec '${this.spec.name}': init threw ${describeThrown(e)}`, { spec: this.spec.name }, { cause: e });
    }
    const list = (Array.isArray(raw) ? raw : [raw]) as S[];
    if (list.length === 0) throw new InterleaveError('SPEC_INIT_INVALID', `spec '${this.spec.name}': init returned no state`, { spec: this.spec.name });
    return list.map((s, i) => {
      const parsed = this.schema.safeParse(s);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = formatPath(issue.path);
        throw new InterleaveError(
          'SPEC_INIT_INVALID',
          `spec '${this.spec.name}': initial state ${list.length > 1 ? `#${i} ` : ''}field '${field}': ${issue.message}`,
          { spec: this.spec.name, field },
        );
      }
      // zod drops keys its object schemas lack: an initial state with a misspelt field would lose it silently.
      try {
        this.scratch.len = 0;
        this.codec.encode(s, this.scratch);
      } catch (e) {
        if (isInterleaveError(e) && /not in the state schema/.test(e.message)) {
          throw new InterleaveError('SPEC_INIT_INVALID', `spec '${this.spec.name}': initial state ${list.length > 1 ? `#${i} ` : ''}${e.message}`, { spec: this.spec.name, field: e.details.field });
        }
      }
      return this.canonical(parsed.data as S);
    });
  }

  /** Encodes a state into the scratch buffer (at 0) and returns its length; fingerprint left in FP. */
  encode(state: S): number {
    this.scratch.len = 0;
    const len = this.codec.encode(state, this.scratch);
    fingerprint(this.scratch.buf, 0, len);
    return len;
  }

  /** The state in canonical form (bags and sets in canonical order, optional fields normalised). */
  canonical(state: S): S {
    const len = this.encode(state);
    const out = this.codec.decode(this.scratch.buf, 0, len);
    return this.strict ? deepFreeze(out) : out;
  }

  /** The parameter domain of an action in a state (a one-element domain for actions without parameters). */
  domain(action: SpecAction<S, C>, state: S): readonly unknown[] {
    if (action.params === null) return UNIT;
    const d = action.params(state, this.constants);
    if (!Array.isArray(d)) this.badDomain(action, d);
    return d;
  }

  private badDomain(action: SpecAction<S, C>, d: unknown): never {
    throw new InterleaveError('SPEC_BAD_PARAMS', `action '${action.name}': params returned ${d === null ? 'null' : typeof d}, expected an array`, {
      spec: this.spec.name,
      action: action.name,
    });
  }

  /** Runs one step. Returns the next state; throws AssertionFailure or an error describing the action. */
  step(action: SpecAction<S, C>, state: S, param: unknown): S {
    const next = action.effect(state, this.constants, action.params === null ? undefined : param);
    if (typeof next !== 'object' || next === null) {
      throw new InterleaveError(
        'SPEC_BAD_SUCCESSOR',
        `action '${formatStep(action.name, param)}' returned ${next === null ? 'null' : typeof next}, expected the next state (use guard to disable an action)`,
        { spec: this.spec.name, action: action.name, params: param },
      );
    }
    return next;
  }

  enabled(action: SpecAction<S, C>, state: S, param: unknown): boolean {
    if (action.guard === null) return true;
    const g = action.guard(state, this.constants, action.params === null ? undefined : param);
    if (g !== true && g !== false) throw guardError(action, g, action.params === null ? null : param);
    return g;
  }

  /**
   * True when some action is enabled in `state` (evaluates domains and guards only). A domain or guard that throws
   * is reported as that action's error, with `path` (how the state was reached; computed only then).
   */
  anyEnabled(state: S, path: () => readonly string[]): boolean {
    for (const action of this.actions) {
      let param: unknown = null;
      try {
        const dom = action.params === null ? null : this.domain(action, state);
        const n = dom === null ? 1 : dom.length;
        for (let pi = 0; pi < n; pi++) {
          param = dom === null ? undefined : dom[pi];
          if (this.enabled(action, state, param ?? null)) return true;
        }
      } catch (e) {
        throw this.actionError(e, action, param ?? null, path());
      }
    }
    return false;
  }

  /**
   * The first enabled step of an urgent action in `state` (action order, then parameter order), or null: what the
   * compiled successor function's urgency probe finds. Throws what an urgent action's domain or guard throws.
   */
  urgentStep(state: S): { action: SpecAction<S, C>; param: unknown } | null {
    if (!this.hasUrgent) return null;
    for (const u of this.actions) {
      if (!u.urgent) continue;
      for (const p of this.domain(u, state)) {
        const param = u.params === null ? null : p;
        if (this.enabled(u, state, param)) return { action: u, param };
      }
    }
    return null;
  }

  /**
   * The urgent step that pre-empts `action` in `state` (docs/urgent-actions.md): null when `action` is urgent, when
   * no urgent action is enabled there, and always for a spec without urgent actions. Where a user-supplied step is
   * checked (replay, the explorer, a rebuilt counterexample) a step of a pre-empted action is not a step of the spec.
   */
  preemptedBy(action: SpecAction<S, C>, state: S): { action: SpecAction<S, C>; param: unknown } | null {
    return action.urgent ? null : this.urgentStep(state);
  }

  /** Validates a successor against the zod schema (strict mode and replay); throws SPEC_BAD_SUCCESSOR. */
  validate(state: S, action: string, param: unknown): void {
    const parsed = this.schema.safeParse(state);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = formatPath(issue.path);
      throw new InterleaveError('SPEC_BAD_SUCCESSOR', `action '${formatStep(action, param)}' produced a state whose field '${field}' is invalid: ${issue.message}`, {
        spec: this.spec.name,
        action,
        params: param,
        field,
      });
    }
  }

  /** The first invariant (among those selected) that fails in `state`, or null. */
  failingInvariant(state: S): SpecPredicate<S, C> | null {
    const invs = this.invariants;
    for (let i = 0; i < invs.length; i++) {
      const inv = invs[i]!;
      let ok: boolean;
      try {
        ok = inv.test(state, this.constants);
      } catch (e) {
        throw new InterleaveError('SPEC_INVARIANT_THREW', `${this.named(`invariant '${inv.name}'`)} threw ${describeThrown(e)}`, { spec: this.spec.name, predicate: inv.name }, { cause: e });
      }
      if (ok !== true) return inv;
    }
    return null;
  }

  /**
   * Whether an assertion that failed in an effect is checked in this run (else its step is dropped). An assertion
   * the spec's `assertions` does not declare is SPEC_INVALID: a misspelt name would otherwise be a property that
   * no flag can select.
   */
  assertionSelected(e: AssertionFailure): boolean {
    const declared = this.spec.assertions;
    if (declared !== null && !declared.some((a) => a.name === e.property)) {
      throw new InterleaveError('SPEC_INVALID', `${this.named(`an effect failed assertion '${e.property}', which the spec's \`assertions\` does not declare`)} (declared: ${declared.map((a) => a.name).join(', ') || 'none'})`, { spec: this.spec.name, field: 'assertions' });
    }
    return this.assertionFilter === null || this.assertionFilter.has(e.property);
  }

  /**
   * Whether a state where no action is enabled is a legitimate end (the spec's `terminal` holds in it) rather
   * than a deadlock. `path` (how the state was reached) is computed only for an error.
   */
  isTerminal(state: S, path: () => readonly string[]): boolean {
    const terminal = this.spec.terminal;
    if (terminal === null) return false;
    let ok: unknown;
    try {
      ok = terminal(state, this.constants);
    } catch (e) {
      const p = path();
      throw new InterleaveError('SPEC_INVARIANT_THREW', `${this.named("'terminal'")} threw ${describeThrown(e)}${p.length ? `, in the state reached by ${shortPath(p).join(' → ')}` : ' in an initial state'}`, { spec: this.spec.name, predicate: 'terminal', path: [...p] }, { cause: e });
    }
    if (ok !== true && ok !== false) throw new InterleaveError('SPEC_INVALID', `${this.named("'terminal'")} returned ${describeValue(ok)}, expected true or false`, { spec: this.spec.name, field: 'terminal' });
    return ok;
  }

  /** Splits a label into action and parameter index. */
  label(action: number, paramIndex: number): number {
    return action + this.actions.length * paramIndex;
  }

  /**
   * Rebuilds a trace from an initial state and a list of labels, checking at each step that the state reached
   * has the fingerprint the search recorded (`expect`, optional). A mismatch is SPEC_NONDETERMINISTIC.
   */
  replayLabels(initial: S, labels: readonly number[], expect?: (step: number, hi: number, lo: number) => boolean): Trace<S> {
    const steps: TraceStep<S>[] = [{ action: 'init', params: null, state: initial }];
    let state = initial;
    const n = this.actions.length;
    labels.forEach((label, k) => {
      const action = this.actions[label % n]!;
      const pi = Math.floor(label / n);
      const where = `step ${k + 1} (${action.name})`;
      const dom = this.domain(action, state);
      if (pi >= dom.length) {
        throw nondeterministic(this.spec.name, k + 1, `${where}: the parameter domain shrank on replay (it had more than ${dom.length} elements during the search)`, action.name);
      }
      const param = action.params === null ? null : dom[pi];
      if (!this.enabled(action, state, param)) {
        throw nondeterministic(this.spec.name, k + 1, `${where}: the guard of '${formatStep(action.name, param)}' was false on replay but true during the search`, action.name);
      }
      const before = state;
      const beforeLen = this.encode(before);
      const beforeWords = this.scratch.buf.slice(0, beforeLen);
      const raw = this.step(action, state, param);
      this.mutatedCheck(before, beforeWords, action, param, () => steps.slice(1).map((st) => formatStep(st.action, st.params)), k + 1);
      state = this.canonical(raw);
      if (expect && !expect(k + 1, FP[0]!, FP[1]!)) {
        // Evaluate the step once more on the same input: if the two results differ, the diff names the field.
        let field = '';
        try {
          const copy = this.codec.decode(this.scratch.buf, 0, this.encode(before));
          const again = this.canonical(this.step(action, copy, param));
          const changed = firstDifference(before, copy);
          const d = firstDifference(state, again);
          if (changed) field = `; it modifies the state it was given (field '${changed.field}' changed from ${changed.left} to ${changed.right}): return a new state instead, and run with --strict to catch this where it happens`;
          else if (d) field = `; evaluated twice on the same state, field '${d.field}' was ${d.left} then ${d.right}`;
          else field = '; evaluated twice on replay it agrees with itself, so it depends on something that changed since the search (a variable outside the spec?)';
        } catch {
          // the second evaluation failed: report without the field
        }
        throw nondeterministic(this.spec.name, k + 1, `${where}: '${formatStep(action.name, param)}' produced a different state on replay than during the search${field}`, action.name);
      }
      steps.push({ action: action.name, params: param ?? null, state });
    });
    return { steps };
  }

  /**
   * Throws SPEC_MUTATED_STATE when `state` no longer encodes to `words` (its encoding before `action` ran): the
   * action modified its input. The search checks this on a sample of states (every state with --strict); a
   * rebuilt counterexample checks it at every step, so that a trace never shows a state an action changed after
   * it was recorded (such a trace would not replay).
   */
  private mutatedCheck(state: S, words: Int32Array, action: SpecAction<S, C>, param: unknown, before: () => readonly string[], step: number): void {
    let same: boolean;
    try {
      this.scratch.len = 0;
      const len = this.codec.encode(state, this.scratch);
      same = len === words.length && this.scratch.buf.subarray(0, len).every((w, i) => w === words[i]);
    } catch {
      same = false;
    }
    if (same) return;
    const d = firstDifference(this.codec.decode(words, 0, words.length), state);
    const path = shortPath(before());
    const at = formatStep(action.name, param);
    throw new InterleaveError(
      'SPEC_MUTATED_STATE',
      `${this.named(`action '${at}'`)} modified the state it was given${d ? ` (field '${d.field}' changed from ${d.left} to ${d.right})` : ''}, at step ${step} of the counterexample${path.length ? `, after ${path.join(' → ')}` : ''}: the search's sampled check missed it, and its results are not trustworthy. Return a new state instead ({...s, field: value}), and run with --strict to catch this where it happens`,
      { spec: this.spec.name, action: action.name, params: param, step, ...(d ? { field: d.field } : {}) },
    );
  }

  /**
   * Checks that a rebuilt trace replays as `interleave replay` would replay it: every step, run on a fresh copy
   * of the state before it, is enabled and gives the state recorded after it. Throws SPEC_NONDETERMINISTIC
   * otherwise (a counterexample that does not replay is never printed). `upTo`: the steps to check (an assertion's
   * last step, whose action failed, is left out).
   */
  verifyTrace(trace: Trace<S>, upTo = trace.steps.length): void {
    const steps = trace.steps;
    const words = (st: S) => {
      const len = this.encode(st);
      return this.scratch.buf.slice(0, len);
    };
    for (let k = 1; k < upTo; k++) {
      const action = this.actions.find((a) => a.name === steps[k]!.action)!;
      const prevWords = words(steps[k - 1]!.state);
      const fresh = this.codec.decode(prevWords, 0, prevWords.length);
      const param = steps[k]!.params;
      let why: string | null = null;
      try {
        let urgent: ReturnType<SpecRuntime<S, C>['preemptedBy']> = null;
        if (!this.enabled(action, fresh, param)) why = 'its guard is false on replay';
        else if ((urgent = this.preemptedBy(action, fresh)) !== null) why = `the urgent step ${formatStep(urgent.action.name, urgent.param)} is enabled there and pre-empts it`;
        else {
          const next = words(this.canonical(this.step(action, fresh, param)));
          const want = words(steps[k]!.state);
          if (next.length !== want.length || next.some((w, i) => w !== want[i])) {
            const d = firstDifference(this.codec.decode(want, 0, want.length), this.codec.decode(next, 0, next.length));
            why = `it gives a different state on replay${d ? ` (field '${d.field}' is ${d.right}, the trace says ${d.left})` : ''}`;
          }
        }
      } catch (e) {
        why = `it throws on replay: ${isInterleaveError(e) ? e.message : describeThrown(e)}`;
      }
      if (why !== null) {
        throw nondeterministic(this.spec.name, k, `the counterexample rebuilt from the search does not replay at step ${k} (${formatStep(action.name, param)}): ${why}; the spec modified a state it was given or is not a function of its inputs (run with --strict to find where)`, action.name);
      }
    }
  }

  /** Describes an action failure as an error with the path that led there. */
  actionError(e: unknown, action: SpecAction<S, C>, param: unknown, path: readonly string[], state?: S): InterleaveError {
    const at = formatStep(action.name, param);
    if (isInterleaveError(e) && e.code === 'SPEC_BAD_SUCCESSOR' && state !== undefined && !e.message.includes(ASYNC_HINT)) {
      // A Promise passes for an object and fails at its first field: say why (error path only: the effect runs again).
      let returned: unknown;
      try {
        returned = action.effect(state, this.constants, action.params === null ? undefined : param);
      } catch {
        returned = undefined;
      }
      if (isThenable(returned)) {
        e = new InterleaveError('SPEC_BAD_SUCCESSOR', `action '${at}' returned a Promise, expected the next state; ${ASYNC_HINT}`, { ...e.details, action: action.name, params: param }, { cause: e });
      }
    }
    const via = path.length ? `, after ${shortPath(path).join(' → ')}` : ', in an initial state';
    if (isInterleaveError(e) && e.code === 'SPEC_INVARIANT_THREW') {
      return new InterleaveError(e.code, `${this.named(e.message)}, in the state reached by ${shortPath([...path, at]).join(' → ')}`, { ...e.details, spec: this.spec.name, path: [...path, at] }, { cause: e });
    }
    if (isInterleaveError(e)) {
      const details = { ...e.details, spec: this.spec.name, action: action.name, params: param, path };
      const msg = e.message.startsWith('action ') ? e.message : `action '${at}': ${e.message}`;
      return new InterleaveError(e.code, `${this.named(msg)}${via}`, details, { cause: e });
    }
    if (e instanceof TypeError && /read.only|not extensible|Cannot assign|Cannot add property|Cannot delete/i.test(e.message)) {
      const field = /property '([^']*)'/.exec(e.message)?.[1];
      return new InterleaveError('SPEC_MUTATED_STATE', `${this.named(`action '${at}'`)} modified the state it was given (${e.message}; strict mode freezes states)${via}`, { spec: this.spec.name, action: action.name, params: param, path, ...(field ? { field } : {}) }, { cause: e });
    }
    return new InterleaveError('SPEC_ACTION_THREW', `${this.named(`action '${at}'`)} threw ${describeThrown(e)}${via}`, { spec: this.spec.name, action: action.name, params: param, path }, { cause: e });
  }

  /** Prefixes a message with the spec's name (once). */
  named(message: string): string {
    return message.startsWith('spec ') ? message : `spec '${this.spec.name}': ${message}`;
  }
}

/** A path of steps for a message: at most 8 steps shown (the first 3, the last 4 and how many were left out). */
export function shortPath(path: readonly string[]): string[] {
  if (path.length <= 8) return [...path];
  return [...path.slice(0, 3), `… ${path.length - 7} more steps …`, ...path.slice(-4)];
}

function safeJson(v: unknown): string {
  try {
    const t = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    return t === undefined ? String(v) : t.length > 200 ? `${t.slice(0, 200)}…` : t;
  } catch {
    return '(not printable)';
  }
}

/** SPEC_NONDETERMINISTIC: a hook gave two answers for the same state and constants (`step`: the steps to that state). */
export function nondeterministic(spec: string, step: number, message: string, action?: string): InterleaveError {
  const field = /field '([^']*)'/.exec(message)?.[1];
  return new InterleaveError(
    'SPEC_NONDETERMINISTIC',
    `spec '${spec}' is not deterministic: ${message}. Usual causes: Math.random or Date in an action, iterating a Map/Set in changing order, mutating the input state, or state kept outside the spec.`,
    { spec, step, ...(action ? { action } : {}), ...(field ? { field } : {}) },
  );
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const [k, v] of value) (deepFreeze(k), deepFreeze(v));
    else if (value instanceof Set) for (const v of value) deepFreeze(v);
    else for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

export { isAssertionFailure };
