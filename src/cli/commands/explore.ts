import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { ExplorerSession, startExplorer, type ExplorePath } from '../../explorer/index.ts';
import { InterleaveError } from '../../errors.ts';
import { loadSpecFile, parseConstants, pickSpec } from '../load.ts';
import type { Context } from '../context.ts';
import { readTraceFile } from '../trace-files.ts';

interface ExploreFlags {
  spec?: string;
  const?: string[];
  port?: string;
  trace?: string;
  open?: boolean;
}

/**
 * `interleave explore SPEC [--spec NAME] [--const k=v]… [--port N] [--trace FILE] [--no-open]`: a web page on
 * 127.0.0.1 to step through the spec by hand. Runs until interrupted (Ctrl-C), then exits 0.
 */
export function registerExplore(program: Command, ctx: Context): void {
  program
    .command('explore')
    .description('step through a spec by hand in the browser: pick each action, step back, save the path as a trace (a server on 127.0.0.1)')
    .argument('<spec>', 'the spec file')
    .option('--spec <name>', 'which spec in the file (default: the only one, or the trace\'s)')
    .option('--const <name=value>', 'set a constant (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--port <n>', 'the port on 127.0.0.1 (default: a free one)')
    .option('--trace <file>', "start from a trace's last state (it must replay against the spec)")
    .option('--no-open', 'do not open a browser; just print the address')
    .action(async (file: string, flags: ExploreFlags) => {
      const port = flags.port === undefined ? 0 : Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InterleaveError('CLI_USAGE', `--port expects a port number 0..65535, got '${flags.port}'`);
      const loaded = await loadSpecFile(file);
      const trace = flags.trace === undefined ? undefined : readTraceFile(flags.trace);
      const wanted = flags.spec ?? (trace && loaded.specs.some((s) => s.name === trace.trace.spec.name) ? trace.trace.spec.name : undefined);
      const spec = pickSpec(loaded, wanted);
      const constants = { ...(trace?.trace.constants ?? {}), ...parseConstants(flags.const ?? []) };
      const session = new ExplorerSession(spec, { constants, specFile: loaded.file });
      let start: ExplorePath | undefined;
      if (trace) start = session.pathOf(trace.trace, flags.trace);
      const server = await startExplorer(session, { port, start });
      const from = start ? `\n  starting from the last state of ${flags.trace} (${start.steps.length} steps)` : '';
      ctx.io.out(`exploring ${spec.name} at ${server.url}  (127.0.0.1 only; Ctrl-C to stop)${from}`);
      if (flags.open !== false) openInBrowser(server.url, ctx);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

function openInBrowser(url: string, ctx: Context): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => ctx.io.err(`(could not run ${cmd}; open ${url} yourself)`));
    child.unref();
  } catch {
    ctx.io.err(`(could not run ${cmd}; open ${url} yourself)`);
  }
}

