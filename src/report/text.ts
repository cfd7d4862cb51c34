/**
 * Terminal rendering of results and traces. Pure: returns strings. Colour comes from a `Style` the caller
 * passes (the CLI builds one with chalk; tests use `plainStyle`).
 */
import type { CheckResult } from '../checker/index.ts';
import type { TraceFile } from '../trace/format.ts';
import { childPath, tagOf } from '../trace/values.ts';
import { formatAction, formatValue } from './format.ts';

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

type Change = { kind: 'changed' | 'added' | 'removed'; path: string; before?: unknown; after?: unknown };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && tagOf(v) === null;
}

/**
 * The changes between two values as leaves: equal parts are skipped; records (and arrays too long for one line)
 * are opened, so a change deep inside is shown at its own path (`R[1][0]: 0 → 1`).
 */
export function diffValues(before: unknown, after: unknown, path: string, width = 60, out: Change[] = []): Change[] {
  const a = formatValue(before);
  const b = formatValue(after);
  if (a === b) return out;
  const open = (x: string, y: string) => x.length > width || y.length > width;
  if (isRecord(before) && isRecord(after)) {
    for (const k of Object.keys(before)) {
      if (!Object.prototype.hasOwnProperty.call(after, k)) out.push({ kind: 'removed', path: childPath(path, k), before: before[k] });
      else diffValues(before[k], after[k], childPath(path, k), width, out);
    }
    for (const k of Object.keys(after)) if (!Object.prototype.hasOwnProperty.call(before, k)) out.push({ kind: 'added', path: childPath(path, k), after: after[k] });
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && open(a, b) && before.length > 0 && after.length > 0) {
    diffSequences(before, after, path, width, out);
    return out;
  }
  out.push({ kind: 'changed', path, before, after });
  return out;
}

/** Above this many element pairs the sequence diff falls back to comparing index by index. */
const LCS_LIMIT = 250_000;

/**
 * Two arrays as a sequence diff: the longest common subsequence of their elements stays put, the rest are
 * removals (at their old index), additions (at their new index), or, where a run of removals meets a run of
 * additions at the same place, changes of one element into another (opened like any value). So removing the head
 * of a FIFO queue prints as one removal of `q[0]`, and a push as one addition at the end, not as edits to every
 * element. Long arrays (more than LCS_LIMIT element pairs) are compared index by index.
 */
function diffSequences(before: readonly unknown[], after: readonly unknown[], path: string, width: number, out: Change[]): void {
  const n = before.length;
  const m = after.length;
  if (n * m > LCS_LIMIT) {
    const k = Math.min(n, m);
    for (let i = 0; i < k; i++) diffValues(before[i], after[i], childPath(path, i), width, out);
    for (let i = k; i < n; i++) out.push({ kind: 'removed', path: childPath(path, i), before: before[i] });
    for (let i = k; i < m; i++) out.push({ kind: 'added', path: childPath(path, i), after: after[i] });
    return;
  }
  const x = before.map(formatValue);
  const y = after.map(formatValue);
  // lcs[i][j]: length of the LCS of x[i..] and y[j..] (row-major, (n+1)×(m+1)).
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  }
  let i = 0;
  let j = 0;
  const dels: number[] = [];
  const ins: number[] = [];
  const flush = () => {
    const paired = Math.min(dels.length, ins.length);
    for (let k = 0; k < paired; k++) diffValues(before[dels[k]!], after[ins[k]!], childPath(path, ins[k]!), width, out);
    for (let k = paired; k < dels.length; k++) out.push({ kind: 'removed', path: childPath(path, dels[k]!), before: before[dels[k]!] });
    for (let k = paired; k < ins.length; k++) out.push({ kind: 'added', path: childPath(path, ins[k]!), after: after[ins[k]!] });
    dels.length = 0;
    ins.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      ins.push(j++);
    } else {
      dels.push(i++);
    }
  }
  flush();
}

/** Renders the steps of a trace: each step's action, then the state with changes highlighted. */
export function renderTrace(trace: Pick<TraceFile, 'steps' | 'loop'> & Partial<Pick<TraceFile, 'kind' | 'property' | 'message'>>, options: TraceRenderOptions = {}): string {
  const st = options.style ?? plainStyle;
  const width = options.width ?? 60;
  const lines: string[] = [];
  const keep = (name: string) => !options.vars || options.vars.includes(name);
  let prev: Record<string, unknown> | null = null;
  const last = trace.steps.length - 1;
  // With diffOnly, the initial state shows only the variables that change somewhere in the trace.
  const changing = new Set<string>();
  if (options.diffOnly) {
    for (let i = 1; i <= last; i++) {
      const a = trace.steps[i - 1]!.state;
      const b = trace.steps[i]!.state;
      for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (formatValue(a[name]) !== formatValue(b[name])) changing.add(name);
    }
  }
  trace.steps.forEach((step, i) => {
    const loopMark = trace.loop === i ? st.warn('  ⟲ loop starts here') : '';
    const head = i === 0 ? `${st.bold(`step ${i}`)}  ${st.action('init')}` : `${st.bold(`step ${i}`)}  ${st.action(formatAction(step.action, step.params))}`;
    lines.push(head + loopMark);
    const cur = step.state;
    const names = Object.keys(cur).filter(keep);
    if (prev === null) {
      const shown = options.diffOnly ? names.filter((name) => changing.has(name)) : names;
      for (const name of shown) for (const [p, v] of flatten(cur[name], width, childPath('', name))) lines.push(`    ${p} = ${formatValue(v)}`);
      const hidden = names.filter((name) => !shown.includes(name));
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
        const changes = diffValues(prev[name], cur[name], childPath('', name), width);
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

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function rate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n);
}

/** One line of statistics. */
export function renderStats(r: CheckResult): string {
  const s = r.stats;
  // An assertion fails inside a step whose state is never stored, so the search depth is one less than the
  // counterexample: print the depth the counterexample reaches (in actions), as for an invariant.
  const depth = r.status === 'violation' ? Math.max(s.depth, r.trace.steps.length - 1) : s.depth;
  return `${num(s.distinct)} distinct states, ${num(s.generated)} generated, depth ${depth}, ${s.seconds.toFixed(2)} s (${rate(s.statesPerSecond)} states/s)`;
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
        `  counterexample: ${r.trace.steps.length - 1} actions${r.shortest ? ' (guaranteed shortest: breadth-first search)' : ' (not guaranteed shortest)'}`,
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
