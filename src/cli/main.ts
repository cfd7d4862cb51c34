import { Command, CommanderError, Help, type Option } from 'commander';
import { InterleaveError } from '../errors.ts';
import { processIo, type Io } from './io.ts';

export { EXIT, VERSION, reportError, type Context } from './context.ts';
import { EXIT, VERSION, reportError, type Context } from './context.ts';

/**
 * The commands, in help order. A command's module (and through it the checker) is imported only when that command
 * runs, so `--version` and `--help` start without loading the engine; the others appear in the help as stubs with
 * the same term and description (test/cli/lazy-commands.test.ts keeps the two in step).
 */
export interface CommandEntry {
  name: string;
  /** The help's left column, as commander writes it for the real command. */
  term: string;
  summary: string;
  register(program: Command, ctx: Context): Promise<void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    term: 'check [options] <path>',
    summary: 'check a spec file, or every spec and variant in a folder (the main job)',
    register: async (p, c) => (await import('./commands/check.ts')).registerCheck(p, c),
  },
  {
    name: 'list',
    term: 'list [options] <file>',
    summary: 'show each spec in a file: constants with defaults, actions, invariants, assertions, properties, reachable predicates',
    register: async (p, c) => (await import('./commands/list.ts')).registerList(p, c),
  },
  {
    name: 'replay',
    term: 'replay [options] <trace>',
    summary: 're-execute a trace (ours or ITF) against its spec: reproduces, or the step and field where it diverges',
    register: async (p, c) => (await import('./commands/replay.ts')).registerReplay(p, c),
  },
  {
    name: 'show',
    term: 'show [options] <trace>',
    summary: 'print a trace file (ours or ITF) the way check does, with what changed highlighted',
    register: async (p, c) => (await import('./commands/show.ts')).registerShow(p, c),
  },
  {
    name: 'view',
    term: 'view [options] <trace>',
    summary: 'write a self-contained HTML viewer for a trace (ours or ITF): steps, state diffs, message sequence chart',
    register: async (p, c) => (await import('./commands/view.ts')).registerView(p, c),
  },
  {
    name: 'export',
    term: 'export [options] <file>',
    summary: "convert a trace (--itf: ITF for Apalache/Quint; --json: our format), or export a spec's state graph (--graph dot|gexf|json)",
    register: async (p, c) => (await import('./commands/export.ts')).registerExport(p, c),
  },
  {
    name: 'graph',
    term: 'graph [options] <spec>',
    summary: 'export the state graph of a spec (DOT, GEXF or graphology JSON)',
    // Registers `graph` (and `export` only when absent: the stub above is there).
    register: async (p, c) => (await import('./commands/export-graph.ts')).registerExportGraph(p, c),
  },
  {
    name: 'conform',
    term: 'conform [options] <module>',
    summary: 'test a real system against a spec through a driver (docs/conformance.md), or check a recorded log with --log',
    register: async (p, c) => (await import('./commands/conform.ts')).registerConform(p, c),
  },
  {
    name: 'explore',
    term: 'explore [options] <spec>',
    summary: 'step through a spec by hand in the browser: pick each action, step back, save the path as a trace (a server on 127.0.0.1)',
    register: async (p, c) => (await import('./commands/explore.ts')).registerExplore(p, c),
  },
  {
    name: 'node',
    term: 'node [options]',
    summary: 'serve distributed searches (check --cluster) through Valkey/Redis until stopped (docs/distributed.md)',
    register: async (p, c) => (await import('./commands/node.ts')).registerNode(p, c),
  },
  {
    name: 'init',
    term: 'init [options] [dir]',
    summary: 'create a small project that checks, tests and type-checks its specs (package.json, tsconfig, an example)',
    register: async (p, c) => (await import('./commands/init.ts')).registerInit(p, c),
  },
];

/** The command that argv runs (`help CMD` counts as CMD), or undefined. Global options take no value. */
export function commandOf(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** The program with `only` registered for real (every command when undefined) and the others as help stubs. */
export async function buildProgram(ctx: Context, only?: string | null): Promise<Command> {
  const program = baseProgram(ctx);
  const stubTerms = new Map<Command, string>();
  for (const entry of COMMANDS) {
    if (only === undefined || entry.name === only) await entry.register(program, ctx);
    else if (!program.commands.some((c) => c.name() === entry.name)) stubTerms.set(program.command(entry.name).description(entry.summary), entry.term);
  }
  const defaultTerm = Help.prototype.subcommandTerm;
  program.configureHelp({
    ...program.configureHelp(),
    subcommandTerm(this: Help, cmd: Command) {
      return stubTerms.get(cmd) ?? defaultTerm.call(this, cmd);
    },
  });
  program.hook('preAction', (cmd) => {
    if (cmd.optsWithGlobals().debug) ctx.debug = true;
  });
  return program;
}

/**
 * Commander appends "(default: …)" to an option's help. Not when the description already says its default (it
 * would be said twice), nor for a repeatable option's empty start list ("(default: [])" says nothing); choices
 * are still listed.
 */
function optionDescription(option: Option): string {
  const stated = /default/.test(option.description) || (Array.isArray(option.defaultValue) && option.defaultValue.length === 0);
  return Help.prototype.optionDescription.call(new Help(), stated ? (Object.create(option, { defaultValue: { value: undefined } }) as Option) : option);
}

function baseProgram(ctx: Context): Command {
  const program = new Command();
  program
    .name('interleave')
    .description('Model-check distributed systems written as typed TypeScript transition systems.')
    .version(VERSION)
    .option('--debug', 'show stack traces for errors')
    .configureHelp({ optionDescription })
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s.trimEnd()),
      writeErr: (s) => ctx.io.err(s.trimEnd()),
      // Usage errors are printed by main() in the house format (code, message and suggestion on one line).
      outputError: () => {},
    });
  return program;
}

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const ctx: Context = { io, debug: argv.includes('--debug'), code: EXIT.ok };
  try {
    const wanted = commandOf(argv);
    const program = await buildProgram(ctx, COMMANDS.some((c) => c.name === wanted) ? wanted : null);
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


export { InterleaveError };
