import type { Command } from 'commander';
import { formatValue } from '../../report/text.ts';
import { replay } from '../../trace/index.ts';
import { styleFor } from '../io.ts';
import { EXIT, type Context } from '../context.ts';
import { loadSpecForTrace, readTraceFile } from '../trace-files.ts';

/** `interleave replay TRACE`: re-execute a trace against its spec; exit 0 if it reproduces, 1 where it diverges. */
export function registerReplay(program: Command, ctx: Context): void {
  program
    .command('replay')
    .description('re-execute a trace (ours or ITF) against its spec: reproduces, or the step and field where it diverges')
    .argument('<trace>', 'a trace file (JSON trace format or ITF)')
    .option('--spec-file <file>', 'the spec file to replay against (imported: its code runs)')
    .option('--trust-trace-spec', "import the spec file the trace names (spec.file), when it is a relative path inside the trace's folder")
    .option('--spec <name>', "which spec in the file (default: the trace's spec name, which the file must export)")
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { specFile?: string; trustTraceSpec?: boolean; spec?: string; json?: boolean }) => {
      const { trace, file: abs } = readTraceFile(file);
      const spec = await loadSpecForTrace(trace, abs, { specFile: opts.specFile, specName: opts.spec, trustTraceSpec: opts.trustTraceSpec });
      const r = replay(spec, trace);
      const style = styleFor(ctx.io);
      if (opts.json) ctx.io.out(JSON.stringify({ spec: spec.name, ...r }, null, 2));
      else if (r.ok) ctx.io.out(style.ok(`reproduces: ${r.steps} steps`) + (r.assertion ? ` (the last step fails assertion '${r.assertion}')` : '') + (r.loop !== undefined ? ` (a lasso: the last step leads back to step ${r.loop})` : ''));
      else {
        ctx.io.out(style.bad(`diverges at step ${r.step}, field ${r.field || '(state)'}: ${r.reason}`));
        ctx.io.out(`  ${r.message}`);
        if (r.reason === 'state-differs') {
          ctx.io.out(`  trace:  ${formatValue(r.expected)}`);
          ctx.io.out(`  replay: ${formatValue(r.actual)}`);
        }
      }
      ctx.code = r.ok ? EXIT.ok : EXIT.violation;
    });
}
