import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InterleaveError } from '../../errors.ts';
import { toItf } from '../../trace/index.ts';
import type { Context } from '../main.ts';
import { readTraceFile } from '../trace-files.ts';

/** `interleave export TRACE --itf | --json [--out FILE]`: convert a trace between our format and ITF. */
export function registerExport(program: Command, ctx: Context): void {
  program
    .command('export')
    .description('convert a trace: --itf writes ITF (Apalache/Quint), --json writes our trace format (e.g. from ITF)')
    .argument('<trace>', 'a trace file (JSON trace format or ITF)')
    .option('--itf', 'write the Informal Trace Format (ADR-015, with Quint-style mbt:: fields)')
    .option('--json', 'write the interleave trace format (version 1)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((file: string, opts: { itf?: boolean; json?: boolean; out?: string }) => {
      if (Boolean(opts.itf) === Boolean(opts.json)) throw new InterleaveError('CLI_USAGE', 'export: pass exactly one of --itf or --json');
      const { trace } = readTraceFile(file);
      const value = opts.itf ? toItf(trace) : trace;
      const text = `${JSON.stringify(value, null, 2)}\n`;
      if (opts.out) {
        writeFileSync(opts.out, text);
        ctx.io.err(`wrote ${opts.out}`);
      } else ctx.io.out(text);
    });
}
