/**
 * Terminal rendering of what a trace file stores beside its states: the spec's views (trace expressions) per
 * step, and the explanation of the violation. Pure: returns lines; the trace carries everything (no spec code).
 */
import type { TraceFile } from '../trace/format.ts';
import { equalValues } from '../trace/diff.ts';
import { formatValue, plainStyle, type Style } from './text.ts';

/**
 * The views of step `i` (`  = name: value`, marked when changed since the previous step); none without views.
 * With `only` (show --vars), just the views it names.
 */
export function renderStepViews(trace: Pick<TraceFile, 'steps'>, i: number, st: Style = plainStyle, only?: readonly string[]): string[] {
  const views = trace.steps[i]?.views;
  if (!views) return [];
  const prev = i > 0 ? trace.steps[i - 1]?.views : undefined;
  return Object.entries(views).filter(([name]) => only === undefined || only.includes(name)).map(([name, v]) => {
    const line = `  = ${name}: ${formatValue(v)}`;
    return prev && Object.prototype.hasOwnProperty.call(prev, name) && !equalValues(prev[name], v) ? st.changed(line) : st.dim(line);
  });
}

/** Why the property failed: its name and message, and each field it read with its value and last change. */
export function renderExplanation(trace: Pick<TraceFile, 'explanation'>, st: Style = plainStyle): string[] {
  const e = trace.explanation;
  if (!e) return [];
  const what = e.source === 'hook' ? "the fields the spec's explain hook names" : e.kind === 'assertion' ? 'the fields the failing action read' : 'the fields the predicate read';
  const lines = [st.bad(`why: ${e.kind} '${e.property}' fails at step ${e.step}${e.message && e.message !== e.property ? ` — ${e.message}` : ''}`)];
  if (e.note) lines.push(`  ${e.note}`);
  lines.push(st.dim(`  ${what}:`));
  for (const f of e.fields) lines.push(`    ${f.path} = ${formatValue(f.value)}  ${st.dim(f.changedAt === 0 ? '(initial value)' : `(last changed at step ${f.changedAt})`)}`);
  if (e.fields.length === 0) lines.push(st.dim('    (it read no state field)'));
  return lines;
}
