/**
 * The explorer's model: a spec made ready to run (SpecRuntime), and paths through it named only by indices —
 * the initial state's index, then (action index, parameter index) pairs. Every answer is computed here by
 * replaying such a path with the runtime's own domain, guard and effect; nothing the page sends is ever
 * evaluated. Pure: no I/O (the server in server.ts does the HTTP).
 */
import { SpecRuntime, formatStep } from '../checker/index.ts';
import { InterleaveError, describeThrown } from '../errors.ts';
import { isAssertionFailure, type Spec } from '../model/index.ts';
import { annotateTrace, replay, toJson, TRACE_FORMAT_VERSION, equalValues, type RuntimeStep, type TraceFile } from '../trace/index.ts';
import { sequenceChart, type SequenceChart, type SequenceChartOptions } from '../viewer/index.ts';

/** The longest path the explorer accepts (steps after the initial state). */
export const MAX_PATH = 10_000;

/** A path through the spec by indices: `init` picks an initial state, each pair is [action index, parameter index]. */
export interface ExplorePath {
  init: number;
  steps: [number, number][];
}

/** A path the page sent that does not fit the spec (an index out of range, a disabled step): HTTP 400. */
export class BadPath extends Error {}

/** One enabled step from a state: what it is and what taking it gives. */
export interface EnabledStep {
  /** The parameter's index in the action's domain (what the page sends back). */
  index: number;
  /** The parameter as a trace value (null for an action without parameters). */
  params: unknown;
  /** `ok`: a successor; `assertion`: the effect fails an assert (taking it ends the path); `error`: it threw. */
  outcome: 'ok' | 'assertion' | 'error';
  /** The assertion's name and message, or the error. */
  property?: string;
  message?: string;
  /** The invariants that fail in the successor. */
  failing?: string[];
  /** True when the successor equals the state (a self-loop). */
  stutter?: boolean;
}

export interface EnabledAction {
  action: number;
  name: string;
  doc?: string;
  /** The enabled parameters (none: the action is disabled in this state). */
  params: EnabledStep[];
  /** The domain or a guard threw (the action is shown as broken). */
  error?: string;
  /**
   * The urgent step that pre-empts this action here (docs/urgent-actions.md): its guard holds but it is not a step of
   * the spec in this state, so it is shown as disabled, with this reason (absent when its guard is false anyway).
   */
  preemptedBy?: string;
}

/** A resolved path: runtime steps, and how it ends. */
interface Resolved {
  steps: RuntimeStep[];
  /** An assertion failed at the last step (its state is the state before, as in counterexamples). */
  assertion?: { property: string; message: string };
}

/** What the page shows for a path. */
export interface PathView {
  trace: TraceFile;
  chart: SequenceChart;
  /** The invariants failing at each step (a name, or `name (threw …)`). */
  failing: string[][];
}

export class ExplorerSession {
  readonly rt: SpecRuntime;
  readonly spec: Spec;
  /** The spec file, as written into saved traces (absolute, so a saved trace replays from anywhere). */
  readonly specFile: string | undefined;
  private readonly inits: unknown[];

  constructor(spec: Spec, options: { constants?: Record<string, unknown>; specFile?: string } = {}) {
    this.spec = spec;
    this.rt = new SpecRuntime(spec, { constants: options.constants });
    this.specFile = options.specFile;
    this.inits = this.rt.initialStates();
  }

  /** The initial states, as trace values. */
  initialStates(): unknown[] {
    return this.inits.map((s) => toJson(s));
  }

  /** Replays a path by indices; throws BadPath naming the step that does not fit. */
  resolve(path: ExplorePath): Resolved {
    if (!Number.isInteger(path.init) || path.init < 0 || path.init >= this.inits.length) {
      throw new BadPath(`init ${String(path.init)} is not an initial state index (0..${this.inits.length - 1})`);
    }
    if (path.steps.length > MAX_PATH) throw new BadPath(`the path has ${path.steps.length} steps; at most ${MAX_PATH}`);
    let state = this.inits[path.init];
    const steps: RuntimeStep[] = [{ action: 'init', params: null, state }];
    for (let k = 0; k < path.steps.length; k++) {
      const pair = path.steps[k]!;
      const [a, p] = pair;
      const where = `step ${k + 1}`;
      if (!Number.isInteger(a) || a < 0 || a >= this.rt.actions.length) throw new BadPath(`${where}: action index ${String(a)} is out of range (0..${this.rt.actions.length - 1})`);
      const action = this.rt.actions[a]!;
      let dom: readonly unknown[];
      try {
        dom = this.rt.domain(action, state);
      } catch (e) {
        throw new BadPath(`${where}: the parameter domain of '${action.name}' threw ${describeThrown(e)}`);
      }
      if (!Number.isInteger(p) || p < 0 || p >= dom.length) throw new BadPath(`${where}: parameter index ${String(p)} of '${action.name}' is out of range (0..${dom.length - 1})`);
      const param = action.params === null ? null : dom[p];
      let enabled: boolean;
      try {
        enabled = this.rt.enabled(action, state, param);
      } catch (e) {
        throw new BadPath(`${where}: the guard of ${formatStep(action.name, param)} threw ${describeThrown(e)}`);
      }
      if (!enabled) throw new BadPath(`${where}: ${formatStep(action.name, param)} is not enabled`);
      let urgent: ReturnType<SpecRuntime['preemptedBy']>;
      try {
        urgent = this.rt.preemptedBy(action, state);
      } catch (e) {
        throw new BadPath(`${where}: an urgent action's parameter domain or guard threw ${describeThrown(e)}`);
      }
      if (urgent !== null) throw new BadPath(`${where}: ${formatStep(action.name, param)} is pre-empted by the urgent step ${formatStep(urgent.action.name, urgent.param)}`);
      try {
        state = this.rt.canonical(this.rt.step(action, state, param));
      } catch (e) {
        if (isAssertionFailure(e) && k === path.steps.length - 1) {
          steps.push({ action: action.name, params: param ?? null, state });
          return { steps, assertion: { property: e.property, message: e.message } };
        }
        throw new BadPath(`${where}: ${formatStep(action.name, param)} ${isAssertionFailure(e) ? `fails assertion '${e.property}' (only the last step may)` : `threw ${describeThrown(e)}`}`);
      }
      steps.push({ action: action.name, params: param ?? null, state });
    }
    return { steps };
  }

  /** The invariants failing in a state (all of the spec's, in order). */
  failingIn(state: unknown): string[] {
    const out: string[] = [];
    for (const inv of this.spec.invariants) {
      try {
        if (inv.test(state, this.rt.constants) !== true) out.push(inv.name);
      } catch (e) {
        out.push(`${inv.name} (threw ${describeThrown(e)})`);
      }
    }
    return out;
  }

  /** The trace of a path (views and explanation included), as a saved trace would be. */
  traceOf(path: ExplorePath): TraceFile {
    return this.traceOfResolved(this.resolve(path)).trace;
  }

  private traceOfResolved(r: Resolved): { trace: TraceFile; failing: string[][] } {
    const failing = r.steps.map((s, i) => (r.assertion && i === r.steps.length - 1 ? [] : this.failingIn(s.state)));
    const trace: TraceFile = {
      version: TRACE_FORMAT_VERSION,
      spec: this.specFile === undefined ? { name: this.spec.name } : { name: this.spec.name, file: this.specFile },
      constants: toJson(this.rt.constants) as Record<string, unknown>,
      seed: 0,
      property: null,
      steps: r.steps.map((s) => ({ action: s.action, params: toJson(s.params), state: toJson(s.state) as Record<string, unknown> })),
    };
    const last = failing[failing.length - 1]!;
    if (r.assertion) {
      trace.property = r.assertion.property;
      trace.kind = 'assertion';
      trace.message = r.assertion.message;
    } else if (last.length > 0) {
      const name = this.spec.invariants.find((i) => last[0] === i.name || last[0]!.startsWith(`${i.name} (threw `))!.name;
      trace.property = name;
      trace.kind = 'invariant';
      trace.message = r.steps.length === 1 ? `invariant '${name}' is violated in an initial state` : `invariant '${name}' is violated`;
    }
    annotateTrace(trace, this.rt, r.steps);
    return { trace, failing };
  }

  /** The trace, chart and failing invariants of a path (what the page shows). */
  view(path: ExplorePath): PathView {
    const { trace, failing } = this.traceOfResolved(this.resolve(path));
    let chart: SequenceChart;
    const options = this.chartOptions(trace);
    try {
      chart = sequenceChart(trace, options);
    } catch {
      chart = sequenceChart(trace, { processes: options.processes, actors: options.actors });
    }
    return { trace, chart, failing };
  }

  /** Whether the last state of a path is a legitimate end state (the spec's `terminal` holds there). */
  terminal(path: ExplorePath): boolean {
    const r = this.resolve(path);
    if (r.assertion) return false;
    return this.rt.isTerminal(r.steps[r.steps.length - 1]!.state, () => []);
  }

  /** Every action in the last state of a path, with its enabled parameters and what each leads to. */
  enabled(path: ExplorePath): EnabledAction[] {
    const r = this.resolve(path);
    if (r.assertion) return this.rt.actions.map((a) => ({ action: a.index, name: a.name, ...(a.doc ? { doc: a.doc } : {}), params: [] }));
    const state = r.steps[r.steps.length - 1]!.state;
    const here = toJson(state);
    let urgent: ReturnType<SpecRuntime['urgentStep']> = null;
    try {
      urgent = this.rt.urgentStep(state);
    } catch {
      // the urgent action that threw is shown as broken below
    }
    return this.rt.actions.map((action) => {
      const out: EnabledAction = { action: action.index, name: action.name, params: [] };
      if (action.doc) out.doc = action.doc;
      let dom: readonly unknown[];
      try {
        dom = this.rt.domain(action, state);
      } catch (e) {
        out.error = `its parameter domain threw ${describeThrown(e)}`;
        return out;
      }
      dom.forEach((p, pi) => {
        const param = action.params === null ? null : p;
        try {
          if (!this.rt.enabled(action, state, param)) return;
        } catch (e) {
          out.error = `the guard of ${formatStep(action.name, param)} threw ${describeThrown(e)}`;
          return;
        }
        if (urgent !== null && !action.urgent) {
          // Enabled, but not a step of the spec here: shown as disabled, with the step that pre-empts it.
          out.preemptedBy = formatStep(urgent.action.name, urgent.param);
          return;
        }
        const step: EnabledStep = { index: pi, params: toJson(param), outcome: 'ok' };
        try {
          const next = this.rt.canonical(this.rt.step(action, state, param));
          step.failing = this.failingIn(next);
          if (equalValues(toJson(next), here)) step.stutter = true;
        } catch (e) {
          if (isAssertionFailure(e)) {
            step.outcome = 'assertion';
            step.property = e.property;
            step.message = e.message;
          } else {
            step.outcome = 'error';
            step.message = describeThrown(e);
          }
        }
        out.params.push(step);
      });
      return out;
    });
  }

  /** The path (by indices) of a trace of this spec; TRACE_INVALID when it does not replay. */
  pathOf(trace: TraceFile, source = 'trace'): ExplorePath {
    const r = replay(this.spec, { ...trace, constants: toJson(this.rt.constants) as Record<string, unknown> });
    if (!r.ok) throw new InterleaveError('TRACE_INVALID', `${source} does not replay against spec '${this.spec.name}': ${r.message}`, { file: source, step: r.step, field: r.field });
    const init = this.inits.findIndex((s) => equalValues(toJson(s), trace.steps[0]!.state));
    const steps: [number, number][] = [];
    let state = this.inits[init];
    for (let i = 1; i < trace.steps.length; i++) {
      const rec = trace.steps[i]!;
      const action = this.rt.actions.find((a) => a.name === rec.action)!;
      const dom = this.rt.domain(action, state);
      const pi = action.params === null ? 0 : dom.findIndex((p) => equalValues(toJson(p), rec.params));
      steps.push([action.index, pi]);
      if (r.assertion !== undefined && i === trace.steps.length - 1) break;
      state = this.rt.canonical(this.rt.step(action, state, action.params === null ? null : dom[pi]));
    }
    return { init, steps };
  }

  /** Chart inputs from the spec's view hooks and the processes of the actions taken. */
  private chartOptions(trace: TraceFile): SequenceChartOptions {
    const spec = this.spec;
    const c = this.rt.constants;
    const opts: SequenceChartOptions = {};
    try {
      if (spec.view.processes) opts.processes = spec.view.processes(c);
    } catch {
      // no names: the chart takes them from the messages
    }
    const messages = spec.view.messages;
    if (messages) opts.messages = (state) => messages(state, c);
    opts.actors = trace.steps.map((step, i) => {
      if (i === 0) return null;
      const action = spec.actions.find((a) => a.name === step.action);
      if (!action || action.process === null) return null;
      try {
        return typeof action.process === 'string' ? action.process : action.process(step.params, c);
      } catch {
        return null;
      }
    });
    return opts;
  }
}
