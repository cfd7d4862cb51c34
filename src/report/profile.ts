/** The text of `check --profile`: where the search time went, hottest first, with hints for the hot hooks. */
import type { SpecProfile } from '../profile/index.ts';
import { plainStyle, type Style } from './text.ts';
import { formatCount } from '../format-count.ts';

/** How many rows the table shows (the rest are summed in one line). */
const ROWS = 8;

export function renderProfile(p: SpecProfile, st: Style = plainStyle): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const shown = p.entries.slice(0, ROWS);
  const rest = p.entries.slice(ROWS);
  const width = Math.max(...shown.map((e) => e.label.length));
  const lines = [st.bold(`profile: ${(p.searchMs / 1000).toFixed(2)} s of search on one thread (timer cost ${p.timerNs.toFixed(0)} ns a call, taken out)`)];
  for (const e of shown) {
    const calls = e.kind === 'engine' ? '' : `  ${formatCount(e.calls).padStart(12)} calls  ${e.nsPerCall.toFixed(0).padStart(6)} ns/call`;
    lines.push(`  ${pct(e.share)}  ${e.label.padEnd(width)}${calls}`);
  }
  if (rest.length) lines.push(st.dim(`  ${pct(rest.reduce((a, e) => a + e.share, 0))}  ${rest.length} more`));
  const hinted = shown.filter((e) => e.hint);
  if (hinted.length) lines.push('', ...hinted.map((e) => `  ${st.warn('hint')} ${e.label}: ${e.hint}`));
  lines.push(st.dim(`  the spec's own code: ${pct(1 - p.engineShare).trim()}; the engine: ${pct(p.engineShare).trim()} (docs/performance.md, "Writing fast specs")`));
  return lines.join('\n');
}
