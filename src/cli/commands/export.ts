import type { Command } from 'commander';
import { InterleaveError } from '../../errors.ts';
import { toItf } from '../../trace/index.ts';
import { writeOutputFile } from '../io.ts';
import type { Context } from '../context.ts';
import { readTraceFile } from '../trace-files.ts';
import { positiveInt } from './check.ts';
import { runExportGraph } from './export-graph.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface ExportFlags {
  itf?: boolean;
  json?: boolean;
  graph?: string;
  out?: string;
  spec?: string;
  const: string[];
  maxStates?: number;
  symmetry?: boolean;
}

/**
 * `interleave export TRACE --itf | --json [--out FILE]`: convert a trace between our format and ITF.
 * `interleave export SPEC --graph dot|gexf|json`: the state graph of a spec (also `interleave graph`).
 */
export function registerExport(program: Command, ctx: Context): void {
  program
    .command('export')
    .description('convert a trace (--itf: ITF for Apalache/Quint; --json: our format), or export a spec\'s state graph (--graph dot|gexf|json)')
    .argument('<file>', 'a trace file (JSON trace format or ITF), or a spec file with --graph')
    .option('--itf', 'write the Informal Trace Format (ADR-015, with Quint-style mbt:: fields)')
    .option('--json', 'write the interleave trace format (version 1)')
    .option('--graph <format>', 'export the state graph of a spec: dot, gexf or json')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--spec <name>', 'with --graph: which spec, when the file exports several')
    .option('--const <name=value>', 'with --graph: set a constant (repeatable)', collect, [])
    .option('--max-states <n>', 'with --graph: the largest state space exported (default 10,000)', positiveInt('--max-states'))
    .option('--symmetry', 'with --graph: one node per symmetry class')
    .action(async (file: string, opts: ExportFlags) => {
      const modes = [opts.itf, opts.json, opts.graph !== undefined].filter(Boolean).length;
      if (modes !== 1) throw new InterleaveError('CLI_USAGE', 'export: pass exactly one of --itf, --json or --graph FORMAT');
      if (opts.graph !== undefined) {
        ctx.code = await runExportGraph(ctx, file, opts.graph, opts);
        return;
      }
      const { trace } = readTraceFile(file);
      const value = opts.itf ? toItf(trace) : trace;
      const text = `${JSON.stringify(value, null, 2)}\n`;
      if (opts.out) {
        writeOutputFile(opts.out, text, opts.itf ? 'the ITF trace' : 'the trace');
        ctx.io.err(`wrote ${opts.out}`);
      } else ctx.io.out(text);
    });
}
