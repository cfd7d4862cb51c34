import { Command, CommanderError } from 'commander';
import { InterleaveError, isInterleaveError, describeThrown } from '../errors.ts';
import { registerCheck } from './commands/check.ts';
import { registerList } from './commands/list.ts';
import { registerReplay } from './commands/replay.ts';
import { registerShow } from './commands/show.ts';
import { registerView } from './commands/view.ts';
import { registerExport } from './commands/export.ts';
import { registerExportGraph } from './commands/export-graph.ts';
import { registerExplore } from './commands/explore.ts';
import { processIo, type Io } from './io.ts';

/** Exit codes: 0 no violation, 1 violation, 2 bad input, 3 incomplete, 4 internal error. */
export const EXIT = { ok: 0, violation: 1, badInput: 2, incomplete: 3, internal: 4 } as const;

export interface Context {
  io: Io;
  debug: boolean;
  /** Set by a command: the exit code. */
  code: number;
}

export function buildProgram(ctx: Context): Command {
  const program = new Command();
  program
    .name('interleave')
    .description('Model-check distributed systems written as typed TypeScript transition systems.')
    .version('0.1.0')
    .option('--debug', 'show stack traces for errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s.trimEnd()),
      writeErr: (s) => ctx.io.err(s.trimEnd()),
      // Usage errors are printed by main() in the house format (code, message and suggestion on one line).
      outputError: () => {},
    });
  registerCheck(program, ctx);
  registerList(program, ctx);
  registerReplay(program, ctx);
  registerShow(program, ctx);
  registerView(program, ctx);
  registerExport(program, ctx);
  registerExportGraph(program, ctx);
  registerExplore(program, ctx);
  program.hook('preAction', (cmd) => {
    if (cmd.optsWithGlobals().debug) ctx.debug = true;
  });
  return program;
}

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const ctx: Context = { io, debug: argv.includes('--debug'), code: EXIT.ok };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      // No command given: the help was shown as a usage error.
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      const text = e.message.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      io.err(`error CLI_USAGE: ${text}`);
      io.err(`run 'interleave --help' or 'interleave COMMAND --help' for usage`);
      return EXIT.badInput;
    }
    return reportError(ctx, e);
  }
}

/** Prints an error in one or two lines (a stack only with --debug) and returns its exit code. */
export function reportError(ctx: Context, e: unknown): number {
  if (isInterleaveError(e)) {
    ctx.io.err(`error ${e.code}: ${e.message}`);
    if (ctx.debug && e.stack) ctx.io.err(e.stack);
    return e.kind === 'internal' ? EXIT.internal : EXIT.badInput;
  }
  ctx.io.err(`internal error: ${describeThrown(e)} (please report it; rerun with --debug for the stack)`);
  if (ctx.debug && e instanceof Error && e.stack) ctx.io.err(e.stack);
  return EXIT.internal;
}

export { InterleaveError };
