import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { resolveConstants } from '../../checker/index.ts';
import { describeThrown } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';
import type { TraceFile } from '../../trace/index.ts';
import { renderViewerHtml, sequenceChart, type SequenceChartOptions } from '../../viewer/index.ts';
import { styleFor, writeOutputFile } from '../io.ts';
import type { Context } from '../context.ts';
import { loadSpecForTrace, readTraceFile } from '../trace-files.ts';

/** Chart inputs from the spec: process names, the messages hook, and the process of each step's action. */
export function chartOptionsFromSpec(spec: Spec, trace: TraceFile): SequenceChartOptions {
  const constants = resolveConstants(spec, trace.constants);
  const opts: SequenceChartOptions = {};
  if (spec.view.processes) opts.processes = spec.view.processes(constants);
  const messages = spec.view.messages;
  if (messages) opts.messages = (state) => messages(state, constants);
  opts.actors = trace.steps.map((step, i) => {
    if (i === 0) return null;
    const action = spec.actions.find((a) => a.name === step.action);
    if (!action || action.process === null) return null;
    try {
      return typeof action.process === 'string' ? action.process : action.process(step.params, constants);
    } catch {
      return null;
    }
  });
  return opts;
}

/** `interleave view TRACE [--out FILE.html] [--open]`: a self-contained HTML viewer for a trace. */
export function registerView(program: Command, ctx: Context): void {
  program
    .command('view')
    .description('write a self-contained HTML viewer for a trace (ours or ITF): steps, state diffs, message sequence chart')
    .argument('<trace>', 'a trace file (JSON trace format or ITF)')
    .option('--out <file>', 'the HTML file to write (default: the trace file with .html)')
    .option('--spec-file <file>', "the spec, for process names and view hooks (imported: its code runs; without it the chart is inferred from the states, and the trace's spec.file is never imported)")
    .option('--open', 'open the page in a browser (xdg-open / open / start); never fails the command')
    .action(async (file: string, opts: { out?: string; specFile?: string; open?: boolean }) => {
      const { trace, file: abs } = readTraceFile(file);
      const style = styleFor(ctx.io);
      let chartOptions: SequenceChartOptions = {};
      // Viewing a file never runs code from it: the spec is imported only when named on the command line.
      if (opts.specFile !== undefined) {
        try {
          const spec = await loadSpecForTrace(trace, abs, { specFile: opts.specFile });
          chartOptions = chartOptionsFromSpec(spec, trace);
        } catch (e) {
          ctx.io.err(style.dim(`(spec not loaded, the chart is inferred from the states: ${describeThrown(e)})`));
        }
      }
      let chart;
      try {
        chart = sequenceChart(trace, chartOptions);
      } catch (e) {
        ctx.io.err(style.dim(`(the spec's view hooks failed, the chart is inferred from the states: ${describeThrown(e)})`));
        chart = sequenceChart(trace, { processes: chartOptions.processes, actors: chartOptions.actors });
      }
      const out = opts.out ?? abs.replace(/(\.itf)?\.json$/i, '') + '.html';
      writeOutputFile(out, renderViewerHtml(trace, chart), 'the viewer page');
      ctx.io.out(`wrote ${displayPath(out)} (${trace.steps.length - 1} actions, ${chart.processes.length} processes, ${chart.messages.length} messages)`);
      if (opts.open) openInBrowser(path.resolve(out), ctx);
    });
}

function openInBrowser(file: string, ctx: Context): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', file] : [file];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => ctx.io.err(`(could not run ${cmd}; open ${file} yourself)`));
    child.unref();
  } catch {
    ctx.io.err(`(could not run ${cmd}; open ${file} yourself)`);
  }
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  return rel && !rel.startsWith('..') ? rel : path.resolve(file);
}
