/**
 * Trace validation: does some behaviour of the spec explain a log recorded from a real system? A breadth-first
 * search over pairs (spec state, position in the log): from every spec state consistent with events 0..i-1, the
 * steps whose action (and parameter, when the log gives it) match event i, and whose state matches the event's
 * partial observation, give the states consistent with events 0..i. What the log does not record (parameters,
 * fields, and `silent` actions in between) is left nondeterministic: the search tries every possibility. States
 * are kept once per position (by the checker's fingerprint). Pure: the caller reads the log.
 */
import { SpecRuntime, FP } from '../checker/index.ts';
import type { Spec } from '../model/index.ts';
import { equalValues, firstDifference, toJson, valueAt } from '../trace/index.ts';
import { InterleaveError, describeThrown } from '../errors.ts';
import { enabledSteps, showStep } from './steps.ts';
import type { BehaviourStep, LogValidationResult, ObservedEvent, ObservedLog, ValidateLogOptions } from './types.ts';

interface Node<S> {
  state: S;
  parent: Node<S> | null;
  step: BehaviourStep | null;
}

/** The first field where `observed` (a partial view: only the fields it has count) differs from `actual`; null when it matches. */
export function partialDifference(observed: unknown, actual: unknown, path = ''): string | null {
  if (observed === null || typeof observed !== 'object' || Array.isArray(observed) !== Array.isArray(actual) || actual === null || typeof actual !== 'object') {
    return equalValues(observed, actual) ? null : path;
  }
  if (Array.isArray(observed)) {
    const a = actual as unknown[];
    if (observed.length !== a.length) return path ? `${path}.length` : 'length';
    for (let i = 0; i < observed.length; i++) {
      const d = partialDifference(observed[i], a[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  // A tagged value (a set, a map) is compared whole.
  if (Object.keys(observed).some((k) => k.startsWith('#'))) return firstDifference(observed, actual, path) === null ? null : path;
  for (const [k, v] of Object.entries(observed as Record<string, unknown>)) {
    const d = partialDifference(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d !== null) return d;
  }
  return null;
}

/** Checks the shape of a log read from a file; throws LOG_INVALID naming the event. */
export function parseLog(value: unknown): ObservedLog {
  const bad = (msg: string, details: Record<string, unknown> = {}): never => {
    throw new InterleaveError('LOG_INVALID', msg, details);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('a log must be an object with an "events" array');
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.events)) bad('a log must have an "events" array');
  if (v.constants !== undefined && (typeof v.constants !== 'object' || v.constants === null || Array.isArray(v.constants))) bad('"constants" must be an object');
  const events = (v.events as unknown[]).map((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) bad(`event ${i} must be an object with an "action"`, { step: i });
    const ev = e as Record<string, unknown>;
    if (typeof ev.action !== 'string' || ev.action === '') bad(`event ${i}: "action" must be a non-empty string`, { step: i, field: 'action' });
    const out: ObservedEvent = { action: ev.action as string };
    if ('params' in ev) out.params = ev.params;
    if ('observed' in ev) out.observed = ev.observed;
    return out;
  });
  return { ...(v.constants ? { constants: v.constants as Record<string, unknown> } : {}), ...('initial' in v ? { initial: v.initial } : {}), events };
}

/**
 * Decides whether some behaviour of `spec` matches `log`. `ok` comes with one matching behaviour; `mismatch`
 * names the longest matching prefix, the event that no enabled action explains and why; `incomplete` when the
 * search held more than `maxStates` states. Throws only for bad constants or a log naming an unknown action.
 */
export function validateLog<S, C, V = S>(spec: Spec<S, C>, log: ObservedLog, options: ValidateLogOptions<S, C, V> = {}): LogValidationResult {
  const rt = new SpecRuntime(spec, { constants: { ...(log.constants ?? {}), ...(options.constants ?? {}) } });
  const view = options.view ?? ((s: S) => s as unknown as V);
  const maxStates = options.maxStates ?? 100_000;
  const names = new Set(rt.actions.map((a) => a.name));
  const silent = new Set(options.silent ?? []);
  for (const n of silent) if (!names.has(n)) throw new InterleaveError('UNKNOWN_PROPERTY', `spec '${spec.name}' has no action '${n}' (given as silent; known: ${[...names].join(', ')})`, { spec: spec.name, known: [...names] });
  log.events.forEach((e, i) => {
    if (!names.has(e.action)) throw new InterleaveError('LOG_INVALID', `event ${i}: spec '${spec.name}' has no action '${e.action}' (known: ${[...names].join(', ')})`, { spec: spec.name, step: i, action: e.action });
  });
  const key = (s: S) => {
    rt.encode(s);
    return `${FP[0]}:${FP[1]}`;
  };
  const pathOf = (n: Node<S> | null): BehaviourStep[] => {
    const out: BehaviourStep[] = [];
    for (let x = n; x !== null && x.step !== null; x = x.parent) out.push(x.step);
    return out.reverse();
  };
  const viewOf = (s: S) => {
    try {
      return toJson(view(s, rt.constants));
    } catch (e) {
      throw new InterleaveError('DRIVER_FAILED', `the view threw ${describeThrown(e)}`, { spec: spec.name }, { cause: e });
    }
  };
  let states = 0;
  const events = log.events.length;

  // Position 0: the initial states that match the initial observation.
  const inits = rt.initialStates();
  let layer: Node<S>[] = [];
  let firstMiss: string | null = null;
  for (const s of inits) {
    states++;
    const d = log.initial === undefined ? null : partialDifference(toJson(log.initial), viewOf(s));
    if (d === null) layer.push({ state: s, parent: null, step: null });
    else firstMiss ??= `the initial observation differs from every initial state of the spec: ${describeField(d, log.initial, viewOf(s))}`;
  }
  if (layer.length === 0) {
    return { status: 'mismatch', spec: spec.name, events, states, matched: -1, event: null, message: firstMiss!, candidates: 0, behaviour: [] };
  }

  for (let i = 0; i < events; i++) {
    const event = log.events[i]!;
    // Close the layer under silent actions.
    const seen = new Set<string>();
    const closed: Node<S>[] = [];
    const queue = [...layer];
    for (const n of queue) {
      const k = key(n.state);
      if (seen.has(k)) continue;
      seen.add(k);
      closed.push(n);
    }
    if (silent.size) {
      for (let q = 0; q < closed.length; q++) {
        const n = closed[q]!;
        for (const c of enabledSteps(rt, n.state, () => pathOf(n).map(showStep))) {
          if (!silent.has(c.name)) continue;
          states++;
          const k = key(c.next);
          if (seen.has(k)) continue;
          seen.add(k);
          closed.push({ state: c.next, parent: n, step: { action: c.name, params: c.params } });
        }
        if (states > maxStates) return { status: 'incomplete', spec: spec.name, events, states, matched: i, message: `stopped after ${maxStates} spec states at event ${i}` };
      }
    }
    // Take event i from every state of the closed layer.
    const next: Node<S>[] = [];
    const nextSeen = new Set<string>();
    let why: string | null = null;
    let anyAction = false;
    let anyParam = false;
    for (const n of closed) {
      for (const c of enabledSteps(rt, n.state, () => pathOf(n).map(showStep))) {
        if (c.name !== event.action) continue;
        anyAction = true;
        if ('params' in event && !equalValues(c.params, toJson(event.params))) continue;
        anyParam = true;
        states++;
        if (event.observed !== undefined) {
          const actual = viewOf(c.next);
          const d = partialDifference(toJson(event.observed), actual);
          if (d !== null) {
            why ??= `${showStep({ action: c.name, params: c.params })} leads to a state where ${describeField(d, event.observed, actual)}`;
            continue;
          }
        }
        const k = key(c.next);
        if (nextSeen.has(k)) continue;
        nextSeen.add(k);
        next.push({ state: c.next, parent: n, step: { action: c.name, params: c.params } });
      }
      if (states > maxStates) return { status: 'incomplete', spec: spec.name, events, states, matched: i, message: `stopped after ${maxStates} spec states at event ${i}` };
    }
    if (next.length === 0) {
      const shown = showStep({ action: event.action, params: 'params' in event ? toJson(event.params) : null });
      const message = !anyAction
        ? `event ${i} (${shown}): '${event.action}' is not enabled in any of the ${closed.length} spec states consistent with the log so far`
        : !anyParam
          ? `event ${i} (${shown}): '${event.action}' is enabled, but not with this parameter, in the ${closed.length} spec states consistent with the log so far`
          : `event ${i} (${shown}): no enabled step matches the observation; for example ${why}`;
      return { status: 'mismatch', spec: spec.name, events, states, matched: i, event, message, candidates: closed.length, behaviour: pathOf(closed[0]!) };
    }
    layer = next;
  }
  return { status: 'ok', spec: spec.name, events, states, behaviour: pathOf(layer[0]!) };
}

function describeField(field: string, observed: unknown, actual: unknown): string {
  const o = valueAt(toJson(observed), field);
  const a = valueAt(actual, field);
  return `${field || 'the view'} is ${JSON.stringify(a) ?? 'absent'} in the spec, the log says ${JSON.stringify(o) ?? 'absent'}`;
}
