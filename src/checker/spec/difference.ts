/**
 * Where two states differ: run only after something went wrong, so that an error names the field (and, with
 * diagnose.ts, the action) instead of only saying that something changed. The states are converted to trace
 * values and compared by the one diff (trace/diff.ts), so an error names a field as a trace shows it.
 */
import { formatValue } from '../../report/format.ts';
import { firstChange } from '../../trace/diff.ts';
import { toJson } from '../../trace/values.ts';

function show(v: unknown): string {
  if (typeof v === 'function') return 'a function';
  const t = formatValue(v);
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

/** The first path (`a.b[2]`) where two states differ, with both values shown; null when they are equal. */
export function firstDifference(a: unknown, b: unknown): { field: string; left: string; right: string } | null {
  const c = firstChange(toJson(a), toJson(b));
  if (c === null) return null;
  return { field: c.path || '(state)', left: c.kind === 'added' ? 'absent' : show(c.before), right: c.kind === 'removed' ? 'absent' : show(c.after) };
}
