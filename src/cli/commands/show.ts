import type { Command } from 'commander';
import { formatValue, renderTrace } from '../../report/text.ts';
import { renderExplanation, renderStepViews } from '../../report/views.ts';
import { styleFor } from '../io.ts';
import type { Context } from '../context.ts';
import { readTraceFile } from '../trace-files.ts';

/** `interleave show TRACE`: the terminal rendering `check` uses, for any trace file (ours or ITF). */
export function registerShow(program: Command, ctx: Context): void {
  program
    .command('show')
    .description('print a trace file (ours or ITF) the way check does, with what changed highlighted')
    .argument('<trace>', 'a trace file (JSON trace format or ITF)')
    .option('--diff-only', 'show only what changed at each step (the initial state: only the variables that change later)')
    .option('--vars <names>', 'show only these variables (comma-separated)')
    .action((file: string, opts: { diffOnly?: boolean; vars?: string }) => {
      const { trace, format } = readTraceFile(file);
      const style = styleFor(ctx.io);
      const vars = opts.vars?.split(',').map((v) => v.trim()).filter(Boolean);
      const consts = Object.entries(trace.constants);
      const where = `${trace.spec.name}${consts.length ? ` (${consts.map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')})` : ''}`;
      const what = trace.property ? `: violation of '${trace.property}'${trace.message && trace.message !== trace.property ? ` — ${trace.message}` : ''}` : '';
      ctx.io.out(style.dim(`${where}${what}; ${trace.steps.length - 1} actions${format === 'itf' ? ' (read from ITF)' : ''}`));
      ctx.io.out(renderTrace(trace, { style, diffOnly: opts.diffOnly, vars, afterStep: (i) => renderStepViews(trace, i, style, vars) }));
      for (const line of renderExplanation(trace, style)) ctx.io.out(line);
    });
}
