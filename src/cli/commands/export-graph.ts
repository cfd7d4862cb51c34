import { Option, type Command } from 'commander';
import { InterleaveError } from '../../errors.ts';
import { exploreGraph, serializeGraph, DEFAULT_GRAPH_MAX_STATES, type GraphFormat } from '../../graph/index.ts';
import { writeOutputFile } from '../io.ts';
import { loadSpecFile, parseConstants, pickSpec } from '../load.ts';
import { EXIT, type Context } from '../context.ts';
import { positiveInt } from './check.ts';
import { formatCount } from '../../format-count.ts';

export interface ExportGraphFlags {
  spec?: string;
  const: string[];
  out?: string;
  maxStates?: number;
  symmetry?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const FORMATS = ['dot', 'gexf', 'json'];

/**
 * `interleave export SPEC.ts --graph dot|gexf|json`: the state graph of a spec. Shared by the `graph` command
 * and by `export --graph` (whichever `export` command is registered can call it).
 */
export async function runExportGraph(ctx: Context, file: string, format: string, flags: ExportGraphFlags): Promise<number> {
  if (!FORMATS.includes(format)) throw new InterleaveError('CLI_USAGE', `--graph expects one of ${FORMATS.join(', ')}, got '${format}'`);
  const loaded = await loadSpecFile(file);
  const spec = pickSpec(loaded, flags.spec);
  const maxStates = flags.maxStates ?? DEFAULT_GRAPH_MAX_STATES;
  const { complete, graph, result } = await exploreGraph(spec, { constants: parseConstants(flags.const ?? []), maxStates, symmetry: flags.symmetry });
  if (result.status === 'error') {
    ctx.io.err(`error ${result.error.code}: ${result.error.message}`);
    return result.error.code === 'INTERNAL' ? EXIT.internal : EXIT.badInput;
  }
  if (!complete) {
    ctx.io.err(`the state space of '${spec.name}' has more than ${formatCount(maxStates)} states: no graph written (raise --max-states, or lower the constants)`);
    return EXIT.incomplete;
  }
  const text = serializeGraph(graph, format as GraphFormat);
  if (flags.out) {
    writeOutputFile(flags.out, text, 'the graph');
    ctx.io.err(`${formatCount(graph.order)} states, ${formatCount(graph.size)} edges written to ${flags.out} (${format})`);
  } else {
    ctx.io.out(text.trimEnd());
  }
  return EXIT.ok;
}

function addGraphOptions(cmd: Command): Command {
  return cmd
    .option('--spec <name>', 'which spec, when the file exports several')
    .option('--const <name=value>', 'set a constant (repeatable); the value is JSON or text', collect, [])
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--max-states <n>', `the largest state space exported (default ${formatCount(DEFAULT_GRAPH_MAX_STATES)})`, positiveInt('--max-states'))
    .option('--symmetry', 'one node per symmetry class (the spec must declare symmetry)');
}

/**
 * Registers `graph SPEC --format dot|gexf|json`, and `export SPEC --graph FORMAT` unless an `export` command is
 * already registered (the trace `export` of another branch: when merging, make its action call
 * `runExportGraph` when `--graph` is given).
 */
export function registerExportGraph(program: Command, ctx: Context): void {
  addGraphOptions(
    program
      .command('graph')
      .description('export the state graph of a spec (DOT, GEXF or graphology JSON)')
      .argument('<spec>', 'a spec file')
      .addOption(new Option('--format <format>', 'dot, gexf or json').choices(FORMATS).default('dot')),
  ).action(async (file: string, flags: ExportGraphFlags & { format: string }) => {
    ctx.code = await runExportGraph(ctx, file, flags.format, flags);
  });
  if (program.commands.some((c) => c.name() === 'export')) return;
  addGraphOptions(
    program
      .command('export')
      .description('export a spec\'s state graph: interleave export SPEC --graph dot|gexf|json')
      .argument('<spec>', 'a spec file')
      .addOption(new Option('--graph <format>', 'dot, gexf or json').choices(FORMATS).makeOptionMandatory()),
  ).action(async (file: string, flags: ExportGraphFlags & { graph: string }) => {
    ctx.code = await runExportGraph(ctx, file, flags.graph, flags);
  });
}
