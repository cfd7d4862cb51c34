/**
 * Terminal rendering of results and traces. Pure: returns strings. Colour comes from a `Style` the caller
 * passes (the CLI builds one with chalk; tests use `plainStyle`).
 */
import type { CheckResult } from '../checker/index.ts';
import type { TraceFile } from '../trace/format.ts';
import { childPath, tagOf } from '../trace/values.ts';

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

/** Compact one-line rendering of plain data: `{from: 1, to: 0}`, `[0, 1, 2]`, `"text"`. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  const tag = tagOf(v);
  if (tag !== null) {
    const inner = (v as Record<string, unknown>)[tag];
    switch (tag) {
      case '#set':
        return Array.isArray(inner) ? `{${inner.map(formatValue).join(', ')}}` : String(inner);
      case '#tup':
        return Array.isArray(inner) ? `(${inner.map(formatValue).join(', ')})` : String(inner);
      case '#map':
        return Array.isArray(inner) ? `Map{${inner.map((e) => (Array.isArray(e) ? `${formatValue(e[0])} ↦ ${formatValue(e[1])}` : formatValue(e))).join(', ')}}` : String(inner);
      case '#bigint':
        return `${String(inner)}n`;
      case '#unserializable':
        return `<${String(inner)}>`;
    }
  }
  if (v instanceof Set) return `{${[...v].map(formatValue).join(', ')}}`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${formatValue(k)} ↦ ${formatValue(x)}`).join(', ')}}`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${formatValue(x)}`)
    .join(', ')}}`;
}

/** Formats an action with its parameters: `deliver(from: 1, to: 0)`, `failover(1)`, `fillBig`. */
export function formatAction(action: string, params: unknown): string {
  if (params === null || params === undefined) return action;
  if (typeof params === 'object' && !Array.isArray(params)) {
    const inner = formatValue(params);
    return `${action}(${inner.slice(1, -1)})`;
  }
  return `${action}(${formatValue(params)})`;
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
    const n = Math.min(before.length, after.length);
    for (let i = 0; i < n; i++) diffValues(before[i], after[i], childPath(path, i), width, out);
    for (let i = n; i < before.length; i++) out.push({ kind: 'removed', path: childPath(path, i), before: before[i] });
    for (let i = n; i < after.length; i++) out.push({ kind: 'added', path: childPath(path, i), after: after[i] });
    return out;
  }
  out.push({ kind: 'changed', path, before, after });
  return out;
}

/** Renders the steps of a trace: each step's action, then the state with changes highlighted. */
export function renderTrace(trace: Pick<TraceFile, 'steps' | 'loop'>, options: TraceRenderOptions = {}): string {
  const st = options.style ?? plainStyle;
  const width = options.width ?? 60;
  const lines: string[] = [];
  const keep = (name: string) => !options.vars || options.vars.includes(name);
  let prev: Record<string, unknown> | null = null;
  trace.steps.forEach((step, i) => {
    const loopMark = trace.loop === i ? st.warn('  ⟲ loop starts here') : '';
    const head = i === 0 ? `${st.bold(`step ${i}`)}  ${st.action('init')}` : `${st.bold(`step ${i}`)}  ${st.action(formatAction(step.action, step.params))}`;
    lines.push(head + loopMark);
    const cur = step.state;
    const names = Object.keys(cur).filter(keep);
    if (prev === null) {
      for (const name of names) for (const [p, v] of flatten(cur[name], width, childPath('', name))) lines.push(`    ${p} = ${formatValue(v)}`);
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
      if (unchanged.length && !options.diffOnly) {
        const list = unchanged.length <= 6 ? `: ${unchanged.join(', ')}` : '';
        lines.push(st.dim(`    (${unchanged.length} unchanged${list})`));
      }
      if (names.length > 0 && unchanged.length === names.length) lines.push(st.dim('    (no change)'));
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
  return `${num(s.distinct)} distinct states, ${num(s.generated)} generated, depth ${s.depth}, ${s.seconds.toFixed(2)} s (${rate(s.statesPerSecond)} states/s)`;
}

/** The verdict block printed after a run (the trace comes before it for a violation). */
export function renderSummary(r: CheckResult, st: Style = plainStyle): string {
  const lines: string[] = [];
  const consts = Object.entries(r.constants);
  const where = `${r.spec}${consts.length ? ` (${consts.map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')})` : ''}`;
  switch (r.status) {
    case 'ok':
      lines.push(st.ok(`✓ ${where}: no violation`) + ` — ${renderStats(r)}`);
      lines.push(st.dim(`  checked: ${r.options.invariants.length ? r.options.invariants.join(', ') : 'no invariants'}${r.options.deadlock ? ', deadlock' : ''}`));
      break;
    case 'violation':
      lines.push(st.bad(`✗ ${where}: ${r.violation.message}`) + ` (property '${r.violation.property}')`);
      lines.push(
        `  counterexample: ${r.trace.steps.length - 1} actions${r.shortest ? ' (guaranteed shortest: breadth-first search)' : ' (not guaranteed shortest)'}`,
      );
      lines.push(`  ${renderStats(r)}`);
      break;
    case 'incomplete':
      lines.push(st.warn(`⚠ ${where}: incomplete — ${r.message}`));
      lines.push(`  ${renderStats(r)}; no violation in the part explored, which proves nothing about the rest`);
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
