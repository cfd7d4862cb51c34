/**
 * The lines printed under the verdict for what issue 6 added: strategy and simulation figures, symmetry
 * reduction, temporal properties checked, the shape of a lasso, warnings, and (on request) the coverage table.
 * Pure: returns a string (possibly empty).
 */
import type { CheckResult } from '../checker/index.ts';
import { plainStyle, type Style } from './text.ts';
import { formatCount } from '../format-count.ts';

export interface ExtrasOptions {
  /** Print the per-action coverage table (default: only the warnings it implies). */
  coverage?: boolean;
}

export function renderExtras(r: CheckResult, st: Style = plainStyle, options: ExtrasOptions = {}): string {
  if (r.status === 'error') return '';
  const lines: string[] = [];
  const sim = r.simulation;
  if (sim) {
    lines.push(
      `  random simulation: seed ${r.seed}, ${formatCount(sim.walks)} of ${formatCount(sim.runs)} walks of up to ${sim.maxDepth} steps, ${formatCount(sim.walksPerSecond)} walks/s` +
        (sim.violatingWalk !== null ? `; shortest violation found in walk ${sim.violatingWalk}` : ''),
    );
  } else if (r.options.strategy === 'dfs') {
    lines.push(st.dim('  strategy: depth-first'));
  }
  if (r.symmetry) {
    const s = r.symmetry;
    lines.push(`  symmetry: ${formatCount(s.representatives)} representatives for ${formatCount(s.states)} states (reduction ×${s.reductionFactor.toFixed(2)}, ${s.permutations} permutations)`);
  }
  if (r.status === 'ok' && r.options.properties.length) {
    const vacuous = new Set((r.temporal ?? []).filter((t) => t.vacuous).map((t) => t.property));
    lines.push(st.dim(`  temporal properties hold under the declared fairness: ${r.options.properties.map((p) => (vacuous.has(p) ? `${p} (vacuously)` : p)).join(', ')}`));
  }
  if (r.status === 'violation' && r.trace.loop !== undefined) {
    const last = r.trace.steps.length - 1;
    const loop = r.trace.loop;
    lines.push(
      loop === last
        ? `  lasso: ${loop} actions, then stuttering forever at step ${loop}`
        : `  lasso: a stem of ${loop} actions, then a loop of ${last - loop} actions (steps ${loop}–${last}) repeated forever`,
    );
  }
  const reached = (r.reachable ?? []).filter((x) => x.reached);
  if (reached.length) lines.push(st.dim(`  reached: ${reached.map((x) => `${x.name} (depth ${x.depth})`).join(', ')}`));
  for (const w of r.warnings ?? []) lines.push(st.warn(`  ⚠ ${w}`));
  if (options.coverage && r.coverage) {
    const rows = r.coverage.actions;
    const w = Math.max(6, ...rows.map((a) => a.action.length));
    lines.push(st.dim('  coverage: enabled = states explored where the action could run; taken = steps run (one per enabled parameter); new = steps that found a state not seen before (new far below enabled: the action mostly reaches states already seen)'));
    lines.push(st.bold(`  ${'action'.padEnd(w)}  ${'enabled'.padStart(10)}  ${'taken'.padStart(10)}  ${'new'.padStart(10)}`));
    for (const a of rows) lines.push(`  ${a.action.padEnd(w)}  ${formatCount(a.enabled).padStart(10)}  ${formatCount(a.taken).padStart(10)}  ${formatCount(a.newStates).padStart(10)}`);
  }
  return lines.join('\n');
}
