import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { testConformance, validateLog, parseLog, showStep, type ConformanceResult, type Driver, type LogValidationResult } from '../../conformance/index.ts';
import { InterleaveError, describeThrown } from '../../errors.ts';
import type { Spec } from '../../model/index.ts';
import { formatValue } from '../../report/text.ts';
import { styleFor } from '../io.ts';
import { loadSpecFile, parseConstants, pickSpec } from '../load.ts';
import { EXIT, reportError, type Context } from '../context.ts';

interface ConformFlags {
  spec?: string;
  const?: string[];
  seed?: number;
  walks?: number;
  length?: number;
  depth?: number;
  stepTimeout?: number;
  shrink?: boolean;
  log?: string;
  silent?: string[];
  json?: boolean;
}

/** What a conformance module exports: the spec, the view, and a factory for the driver (with an optional close). */
interface ConformanceModule {
  spec: Spec;
  view: ((state: unknown, constants: unknown) => unknown) | undefined;
  createDriver: ((constants: Record<string, unknown>) => Promise<Driver<unknown> & { close?: () => Promise<void> }>) | undefined;
}

const count = (flag: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InterleaveError('CLI_USAGE', `${flag} expects an integer ≥ ${min}, got '${v}'`);
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

/**
 * `interleave conform MODULE`: drives a real system with behaviours of a spec through the module's driver and
 * reports the first divergence, shrunk; with `--log FILE`, checks a recorded log against the spec instead.
 * Exit 0: conforms (or the log is explained), 1: divergence (or mismatch), 2: bad input, 3: interrupted.
 */
export function registerConform(program: Command, ctx: Context): void {
  program
    .command('conform')
    .description('test a real system against a spec through a driver (docs/conformance.md), or check a recorded log with --log')
    .argument('<module>', 'a module exporting spec, view and createDriver(constants)')
    .option('--spec <name>', 'which spec, when the module exports several and no `spec`')
    .option('--const <name=value>', 'set a constant (repeatable)', collect)
    .option('--seed <n>', 'seed of the random walks (default 0)', count('--seed', 0))
    .option('--walks <n>', 'random walks to run (default 20)', count('--walks', 0))
    .option('--length <n>', 'steps per walk at most (default 8)', count('--length', 1))
    .option('--depth <n>', 'also run every behaviour of this many steps (default 0)', count('--depth', 0))
    .option('--step-timeout <ms>', 'milliseconds each driver call may take (default 10000)', count('--step-timeout', 1))
    .option('--no-shrink', 'report the divergence as found, without shrinking it')
    .option('--log <file>', 'check this recorded log (JSON: { events: [{ action, params?, observed? }] }) instead of driving the system')
    .option('--silent <action>', 'with --log: an action the log does not record (repeatable)', collect)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, flags: ConformFlags) => {
      const mod = await loadModule(file, flags.spec);
      const constants = parseConstants(flags.const ?? []);
      if (flags.log !== undefined) {
        ctx.code = runLog(ctx, mod, flags.log, constants, flags);
        return;
      }
      if (!mod.createDriver) {
        throw new InterleaveError('DRIVER_NOT_FOUND', `${file} exports no createDriver(constants) function (needed to drive the system; --log needs only the spec)`, { file });
      }
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      let driver: Awaited<ReturnType<NonNullable<ConformanceModule['createDriver']>>> | undefined;
      try {
        try {
          driver = await mod.createDriver(constants);
        } catch (e) {
          throw new InterleaveError('DRIVER_FAILED', `createDriver failed: ${describeThrown(e)}`, { file }, { cause: e });
        }
        const r = await testConformance(mod.spec, driver, {
          view: mod.view as ((s: unknown, c: unknown) => unknown) | undefined,
          constants,
          seed: flags.seed,
          walks: flags.walks,
          walkLength: flags.length,
          depth: flags.depth,
          stepTimeout: flags.stepTimeout,
          shrink: flags.shrink,
          signal: controller.signal,
        });
        ctx.code = printConformance(ctx, r, file, flags);
      } finally {
        process.off('SIGINT', stop);
        await driver?.close?.();
      }
    });
}

async function loadModule(file: string, specName: string | undefined): Promise<ConformanceModule> {
  const loaded = await loadSpecFile(file);
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(loaded.file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new InterleaveError('SPEC_LOAD_FAILED', `cannot load ${file}: ${describeThrown(e)}`, { file }, { cause: e });
  }
  const exported = ns.spec as Spec | undefined;
  const spec = specName === undefined && exported && loaded.specs.includes(exported) ? exported : pickSpec(loaded, specName);
  const view = ns.view;
  if (view !== undefined && typeof view !== 'function') throw new InterleaveError('DRIVER_NOT_FOUND', `${file}: 'view' must be a function (state, constants) => view`, { file });
  const createDriver = ns.createDriver;
  if (createDriver !== undefined && typeof createDriver !== 'function') throw new InterleaveError('DRIVER_NOT_FOUND', `${file}: 'createDriver' must be a function (constants) => Promise<driver>`, { file });
  return { spec, view: view as ConformanceModule['view'], createDriver: createDriver as ConformanceModule['createDriver'] };
}

function describeConstants(c: Record<string, unknown>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function printConformance(ctx: Context, r: ConformanceResult, file: string, flags: ConformFlags): number {
  const style = styleFor(ctx.io);
  if (flags.json) ctx.io.out(JSON.stringify(r, null, 2));
  const budget = `${flags.walks ?? 20} walks of up to ${flags.length ?? 8} steps, seed ${r.seed}${flags.depth ? `; all paths of ${flags.depth} steps` : ''}`;
  switch (r.status) {
    case 'ok':
      if (!flags.json) {
        ctx.io.out(`${style.ok('✓')} ${r.spec}${describeConstants(r.constants)}: the system conforms — ${r.behaviours} behaviours, ${r.steps} steps (${budget}), ${r.seconds.toFixed(1)} s`);
        ctx.io.out(`  actions driven: ${Object.entries(r.coverage).map(([a, n]) => `${a} ${n}`).join(', ')}`);
      }
      return EXIT.ok;
    case 'divergence': {
      if (flags.json) return EXIT.violation;
      const d = r.divergence;
      const shrunk = d.shrinkRuns ? `; shrunk in ${d.shrinkRuns} runs` : '';
      ctx.io.out(`${style.bad('✗')} ${r.spec}${describeConstants(r.constants)}: the system diverges from the spec after ${d.steps.length} step${d.steps.length === 1 ? '' : 's'} (found in ${d.found.kind} ${d.found.index} of seed ${d.found.seed}, ${d.found.length} steps${shrunk})`);
      d.steps.forEach((s, i) => ctx.io.out(`  ${i + 1}. ${style.action(showStep(s))}`));
      ctx.io.out(`  ${d.message}`);
      if (d.kind === 'state') {
        ctx.io.out(`  spec:   ${formatValue(d.expected)}`);
        ctx.io.out(`  system: ${formatValue(d.observed)}`);
      }
      const consts = (flags.const ?? []).map((c) => ` --const ${c}`).join('');
      const again = d.found.kind === 'walk' ? `--seed ${d.found.seed} --walks ${d.found.index + 1} --length ${flags.length ?? 8}` : `--depth ${d.steps.length} --walks 0`;
      ctx.io.out(`  reproduce: interleave conform ${file}${consts} ${again}`);
      ctx.io.out('  a divergence is a bug in the spec (it misdescribes the system) or in the system (it breaks what the spec promises); see docs/conformance.md');
      return EXIT.violation;
    }
    case 'incomplete':
      if (!flags.json) ctx.io.out(`${style.warn('…')} ${r.spec}: ${r.message}`);
      return EXIT.incomplete;
    case 'error':
      return reportError(ctx, new InterleaveError(r.error.code as never, r.error.message, r.error.details ?? {}));
  }
}

function runLog(ctx: Context, mod: ConformanceModule, file: string, constants: Record<string, unknown>, flags: ConformFlags): number {
  const abs = path.resolve(file);
  if (!existsSync(abs) || statSync(abs).isDirectory()) throw new InterleaveError('FILE_NOT_FOUND', `no such log file: ${file}`, { file });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new InterleaveError('LOG_INVALID', `${file} is not valid JSON: ${describeThrown(e)}`, { file });
  }
  const log = parseLog(raw);
  const r: LogValidationResult = validateLog(mod.spec, log, {
    view: mod.view as ((s: unknown, c: unknown) => unknown) | undefined,
    constants: Object.keys(constants).length ? constants : undefined,
    silent: flags.silent,
  });
  const style = styleFor(ctx.io);
  if (flags.json) ctx.io.out(JSON.stringify(r, null, 2));
  switch (r.status) {
    case 'ok':
      if (!flags.json) ctx.io.out(`${style.ok('✓')} ${r.spec}: a behaviour of the spec explains all ${r.events} events of ${file} (${r.states} spec states searched)`);
      return EXIT.ok;
    case 'mismatch':
      if (!flags.json) {
        ctx.io.out(`${style.bad('✗')} ${r.spec}: no behaviour of the spec explains ${file}: ${r.matched < 0 ? 'the initial observation does not match' : r.matched === 0 ? 'event 0 does not match' : `events 0-${r.matched - 1} match, event ${r.matched} does not`}`);
        ctx.io.out(`  ${r.message}`);
        if (r.behaviour.length) ctx.io.out(`  a behaviour that matches the prefix: ${r.behaviour.map(showStep).join(' → ')}`);
      }
      return EXIT.violation;
    case 'incomplete':
      if (!flags.json) ctx.io.out(`${style.warn('…')} ${r.spec}: ${r.message}`);
      return EXIT.incomplete;
  }
}
