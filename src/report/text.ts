/**
 * Terminal rendering of results and traces. Pure: returns strings. Colour comes from a `Style` the caller
 * passes (the CLI builds one with chalk; tests use `plainStyle`).
 */
import type { CheckResult } from '../checker/index.ts';
import type { TraceFile } from '../trace/format.ts';
import { childPath, tagOf } from '../trace/values.ts';
import { diffValues, type DiffOptions } from '../trace/diff.ts';
import { formatAction, formatValue } from './format.ts';
import { formatCount } from '../format-count.ts';

export { formatAction, formatValue };

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  changed(s: string): string;
  added(s: string): string;
  removed(s: string): string;
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  action(s: string): string;
}

const id = (s: string): string => s;
export const plainStyle: Style = { bold: id, dim: id, changed: id, added: id, removed: id, ok: id, bad: id, warn: id, action: id };

export interface TraceRenderOptions {
  style?: Style;
  /** Show only the variables that changed (the initial step still shows everything). */
  diffOnly?: boolean;
  /** Show only these top-level variables. */
  vars?: readonly string[];
  /** Longest compact rendering of a value before it is split into its parts. */
  width?: number;
  /** Extra lines after each step (`show` prints the trace's views there: report/views.ts). */
  afterStep?: (step: number) => string[];
}

/** Flattens a state into (path, value) leaves: objects are opened; short arrays stay whole. */
export function flatten(value: unknown, width = 60, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Set) && !(value instanceof Map)) {
    const out: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) out.push(...flatten(v, width, prefix ? `${prefix}.${k}` : k));
    return out;
  }
  if (Array.isArray(value) && formatValue(value).length > width && value.length > 0) {
    const out: [string, unknown][] = [];
    value.forEach((v, i) => out.push(...flatten(v, width, `${prefix}[${i}]`)));
    if (value.length === 0) out.push([prefix, value]);
    return out;
  }
  return [[prefix, value]];
}

const scalar = (v: unknown): boolean => v === null || typeof v !== 'object' || tagOf(v) === '#bigint' || tagOf(v) === '#unserializable';

/**
 * How the printer diffs a variable (the one diff, trace/diff.ts): two arrays of scalars of the same length that
 * both print in at most `width` characters are one change (`~ R[0]: [0, 1] → [0, 2]`); every other array is opened,
 * so a push or a pop reads as one (`+ q[0] = m`). Records are always opened.
 */
export function printerDiff(path: string, width = 60): DiffOptions {
  return {
    path,
    keepWhole: (a, b) => a.length === b.length && a.every(scalar) && b.every(scalar) && formatValue(a).length <= width && formatValue(b).length <= width,
  };
}

/** Renders the steps of a trace: each step's action, then the state with changes highlighted. */
export function renderTrace(trace: Pick<TraceFile, 'steps' | 'loop'> & Partial<Pick<TraceFile, 'kind' | 'property' | 'message'>>, options: TraceRenderOptions = {}): string {
  const st = options.style ?? plainStyle;
  const width = options.width ?? 60;
  const lines: string[] = [];
  const keep = (name: string) => !options.vars || options.vars.includes(name);
  let prev: Record<string, unknown> | null = null;
  const last = trace.steps.length - 1;
  // With diffOnly, the initial state shows only the fields that change somewhere in the trace (the paths of the
  // changes the printer shows, and the leaves above or below them).
  const changed: string[] = [];
  if (options.diffOnly) {
    for (let i = 1; i <= last; i++) {
      const a = trace.steps[i - 1]!.state;
      const b = trace.steps[i]!.state;
      for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) for (const c of diffValues(a[name], b[name], printerDiff(childPath('', name), width))) changed.push(c.path);
    }
  }
  const within = (inner: string, outer: string) => inner === outer || (inner.startsWith(outer) && (inner[outer.length] === '.' || inner[outer.length] === '['));
  const changes = (leaf: string) => changed.some((c) => within(c, leaf) || within(leaf, c));
  trace.steps.forEach((step, i) => {
    const loopMark = trace.loop === i ? st.warn('  ⟲ loop starts here') : '';
    const head = i === 0 ? `${st.bold(`step ${i}`)}  ${st.action('init')}` : `${st.bold(`step ${i}`)}  ${st.action(formatAction(step.action, step.params))}`;
    lines.push(head + loopMark);
    const cur = step.state;
    const names = Object.keys(cur).filter(keep);
    if (prev === null) {
      const hidden: string[] = [];
      for (const name of names) {
        const leaves = flatten(cur[name], width, childPath('', name));
        const shown = options.diffOnly ? leaves.filter(([p]) => changes(p)) : leaves;
        for (const [p, v] of shown) lines.push(`    ${p} = ${formatValue(v)}`);
        // A variable none of whose fields changes is named; otherwise its fields that never change.
        if (shown.length === 0) hidden.push(childPath('', name));
        else if (shown.length < leaves.length) hidden.push(...leaves.filter(([p]) => !changes(p)).map(([p]) => p));
      }
      if (hidden.length) lines.push(st.dim(`    (${hidden.length} never change: ${hidden.join(', ')})`));
    } else if (i === last && trace.kind === 'assertion') {
      // The engine repeats the state before the step: the step itself did not complete.
      lines.push(st.bad(`  ✗ assertion '${trace.property ?? '?'}' fails in this step${trace.message ? `: ${trace.message}` : ''}`));
      lines.push(st.dim('    (the step does not complete: no next state; the state is the one above)'));
    } else {
      const unchanged: string[] = [];
      for (const name of names) {
        if (!Object.prototype.hasOwnProperty.call(prev, name)) {
          lines.push(st.added(`  + ${childPath('', name)} = ${formatValue(cur[name])}`));
          continue;
        }
        const changes = diffValues(prev[name], cur[name], printerDiff(childPath('', name), width));
        if (changes.length === 0) unchanged.push(name);
        for (const c of changes) {
          if (c.kind === 'changed') lines.push(st.changed(`  ~ ${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}`));
          else if (c.kind === 'added') lines.push(st.added(`  + ${c.path} = ${formatValue(c.after)}`));
          else lines.push(st.removed(`  - ${c.path} (was ${formatValue(c.before)})`));
        }
      }
      for (const name of Object.keys(prev).filter(keep)) if (!Object.prototype.hasOwnProperty.call(cur, name)) lines.push(st.removed(`  - ${childPath('', name)} (was ${formatValue(prev[name])})`));
      if (names.length > 0 && unchanged.length === names.length) lines.push(st.dim('    (no change: the step leaves the state as it was)'));
      else if (unchanged.length && !options.diffOnly) lines.push(st.dim(`    (${unchanged.length} unchanged: ${unchanged.join(', ')})`));
    }
    if (options.afterStep) lines.push(...options.afterStep(i));
    prev = cur;
  });
  if (trace.loop !== undefined) lines.push(st.warn(`(the last step leads back to step ${trace.loop}: the behaviour repeats forever)`));
  return lines.join('\n');
}

function rate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n);
}

/**
 * The depth printed for a result (`stats.depth` is the deepest stored state). An assertion fails inside a step
 * whose state is never stored, so the search depth is one less than the counterexample: for a violation, print
 * the depth the counterexample reaches (in actions), as for an invariant.
 */
export function printedDepth(r: CheckResult): number {
  return r.status === 'violation' ? Math.max(r.stats.depth, r.trace.steps.length - 1) : r.stats.depth;
}

/** One line of statistics. */
export function renderStats(r: CheckResult): string {
  const s = r.stats;
  const depth = printedDepth(r);
  return `${formatCount(s.distinct)} distinct states, ${formatCount(s.generated)} generated, depth ${depth}, ${s.seconds.toFixed(2)} s (${rate(s.statesPerSecond)} states/s)`;
}

/** What a passing run checked: its invariants, declared assertions, temporal properties and deadlock. */
function checkedList(o: CheckResult['options']): string {
  const parts: string[] = [o.invariants.length ? o.invariants.join(', ') : 'no invariants'];
  // Results written before assertions were properties have no `assertions` field.
  if (o.assertions) parts.push(o.assertions.length ? `assertions ${o.assertions.join(', ')}` : 'no assertions');
  if (o.properties?.length) parts.push(`temporal ${o.properties.join(', ')}`);
  if (o.reachable?.length) parts.push(`reachable ${o.reachable.join(', ')}`);
  if (o.deadlock) parts.push('deadlock');
  return parts.join(', ');
}

/** What is guaranteed shortest about a lasso (docs/liveness.md "Shortest lassos"). */
function lassoGuarantee(l: { stem: number; loop: number; loopShortest: boolean }): string {
  return l.loopShortest
    ? ' (guaranteed: the shortest stem, then the shortest loop after it; not necessarily the shortest in total)'
    : ' (guaranteed: the shortest stem; the loop is short, not guaranteed shortest)';
}

/** The verdict block printed after a run (the trace comes before it for a violation). */
export function renderSummary(r: CheckResult, st: Style = plainStyle): string {
  const lines: string[] = [];
  const consts = Object.entries(r.constants);
  const where = `${r.spec}${consts.length ? ` (${consts.map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')})` : ''}`;
  switch (r.status) {
    case 'ok':
      lines.push(st.ok(`✓ ${where}: no violation`) + ` — ${renderStats(r)}`);
      lines.push(st.dim(`  checked: ${checkedList(r.options)}`));
      break;
    case 'violation':
      lines.push(st.bad(`✗ ${where}: ${r.violation.message}`) + ` (property '${r.violation.property}')`);
      lines.push(
        `  counterexample: ${r.trace.steps.length - 1} actions${r.shortest ? ' (guaranteed shortest: breadth-first search)' : r.lasso ? lassoGuarantee(r.lasso) : ' (not guaranteed shortest)'}`,
      );
      lines.push(`  ${renderStats(r)}`);
      break;
    case 'unreached':
      // No trace: no state shows that something never happens (docs/reachability.md).
      lines.push(st.bad(`✗ ${where}: ${r.violation.kind === 'unreachable' ? 'unreachable' : 'vacuous'} ${r.violation.property}: ${r.violation.message}`));
      lines.push(`  ${renderStats(r)}`);
      break;
    case 'incomplete':
      lines.push(st.warn(`⚠ ${where}: incomplete — ${r.message}`));
      lines.push(
        r.violation
          ? `  ${renderStats(r)}; a violation was found (property '${r.violation.property}'), but its counterexample was not rebuilt`
          : `  ${renderStats(r)}; no violation in the part explored, which proves nothing about the rest`,
      );
      break;
    case 'error':
      lines.push(st.bad(`✗ ${where}: error ${r.error.code}: ${r.error.message}`));
      break;
  }
  if (r.status !== 'error') {
    lines.push(st.dim(`  fingerprint collision probability: ${r.fingerprint.collisionProbability.toExponential(1)} (64-bit fingerprints; TLC's optimistic estimate)`));
  }
  return lines.join('\n');
}
