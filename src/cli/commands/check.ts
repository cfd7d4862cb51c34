import { statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { check, resolveConstants, type CheckEvent, type CheckOptions, type CheckResult } from '../../checker/index.ts';
import { residentSize } from '../../checker/search/index.ts';
import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import type { Expectation, Spec } from '../../model/index.ts';
import { formatValue, printedDepth, renderSummary, renderTrace } from '../../report/text.ts';
import { renderExtras } from '../../report/extras.ts';
import { renderProfile } from '../../report/profile.ts';
import { profileCheck, type SpecProfile } from '../../profile/index.ts';
import { freshSeed, selectProperties } from '../select.ts';
import { traceFileOf, witnessFileOf } from '../../trace/format.ts';
import { annotateForTrace } from '../../trace/explain.ts';
import { readCheckpoint, specSources, writeCheckpoint } from '../checkpoint-store.ts';
import { styleFor, writeOutputFile } from '../io.ts';
import { Interrupts } from '../signals.ts';
import { findSpecFiles, loadSpecFile, parseConstants, pickSpec } from '../load.ts';
import { EXIT, type Context } from '../context.ts';
import { checkOnCluster, refuseOnCluster } from '../cluster.ts';
import { formatCount } from '../../format-count.ts';

export interface CheckFlags {
  spec?: string;
  const: string[];
  invariant: string[];
  maxDepth?: number;
  maxStates?: number;
  timeLimit?: number;
  deadlock: boolean;
  json?: boolean;
  traceOut?: string;
  strict?: boolean;
  memoryLimit?: number;
  workers?: string;
  property: string[];
  skipProperty: string[];
  strategy?: 'bfs' | 'dfs' | 'random';
  seed?: number;
  runs?: number;
  symmetry?: boolean;
  coverage?: boolean;
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: string;
  profile?: boolean;
  expected?: boolean;
  cluster?: string;
  nodes?: number;
  /** Print the trace to the first state found where this `reachable` predicate holds (docs/reachability.md). */
  witness?: string;
  /** A temporal property that holds only vacuously fails the run. */
  strictVacuity?: boolean;
  /** The flags the user gave (not defaults): a matching `expected` entry's options apply only where they did not. */
  given?: ReadonlySet<string>;
}

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 0) {
      throw new InterleaveError('CLI_USAGE', `${flag} expects a non-negative integer, got '${value}'`);
    }
    return n;
  };
}

export function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InterleaveError('CLI_USAGE', `${flag} expects a positive number, got '${value}'`);
    return n;
  };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerCheck(program: Command, ctx: Context): void {
  program
    .command('check')
    .description('check a spec file, or every spec and variant in a folder (the main job)')
    .argument('<path>', 'a spec file, or a folder of spec files')
    .option('--spec <name>', 'which spec, when the file exports several')
    .option('--const <name=value>', 'set a constant (repeatable); the value is JSON or text', collect, [])
    .option('--invariant <name>', 'check only this invariant (repeatable; default: all; with it, only the names given are checked)', collect, [])
    .option('--property <name>', 'check only this invariant, assertion or temporal property (repeatable; default: all)', collect, [])
    .option('--skip-property <name>', 'do not check this invariant, assertion or temporal property (repeatable)', collect, [])
    .addOption(new Option('--strategy <name>', 'search order: bfs (shortest counterexamples), dfs (lean memory), random (simulation)').choices(['bfs', 'dfs', 'random']))
    .option('--seed <n>', 'seed of the random simulation (default: a fresh one, echoed in the result)', positiveInt('--seed'))
    .option('--runs <n>', 'random simulation: number of walks (default 1000)', positiveInt('--runs'))
    .option('--symmetry', "reduce states to a canonical representative under the spec's declared symmetry")
    .option('--coverage', 'print the per-action coverage table (enabled, taken, new states)')
    .option('--profile', "time the spec's own code (each action's params, guard and effect, each invariant) against the engine's, on one thread")
    .option('--max-depth <n>', 'explore at most n actions deep (the result is incomplete if states lie beyond)', positiveInt('--max-depth'))
    .option('--max-states <n>', 'stop after n distinct states (incomplete)', positiveInt('--max-states'))
    .option('--time-limit <seconds>', 'stop after this many seconds (incomplete)', positiveNumber('--time-limit'))
    .addOption(new Option('--memory-limit <MiB>', 'stop cleanly (incomplete) before the process passes this size (default: 90% of the memory available)').argParser(positiveNumber('--memory-limit')))
    .option('--workers <n>', "worker threads for the search: a number, or 'auto' (default: one thread; after 1 s a worker per core, which take over once enough work is waiting)", 'auto')
    .option('--checkpoint <dir>', 'save the search into this folder periodically and when interrupted')
    .option('--checkpoint-every <seconds>', 'seconds between checkpoints (default 60)', positiveNumber('--checkpoint-every'))
    .option('--resume <dir>', 'continue the search saved in this folder (same spec, constants and options); keeps checkpointing there')
    .option('--deadlock', "report states with no enabled action that the spec's `terminal` does not accept (the default; overrides an expected configuration's `deadlock: false`)")
    .option('--no-deadlock', 'do not report states with no enabled action')
    .option('--strict', 'validate every successor against the schema and freeze states to catch mutation (slower)')
    .option('--json', 'print one JSON object instead of text')
    .option('--trace-out <file>', 'write the counterexample trace (JSON trace format) to a file')
    .option('--witness <name>', 'print the shortest trace to a state where this `reachable` predicate holds (a witness, not a violation)')
    .option('--strict-vacuity', 'fail the run (exit 1) when a temporal property holds only vacuously: its premise never held (default: a warning)')
    .option('--expected', "run every configuration of the file's `expected` list against what it expects, as a folder run does")
    .option('--cluster <url>', 'run the search on node processes (interleave node) through Valkey/Redis at redis://HOST:PORT (docs/distributed.md)')
    .option('--nodes <n>', 'with --cluster: how many node processes take part (default 1)', positiveInt('--nodes'))
    .action((target: string, flags: CheckFlags, command: Command) => whileInterruptible(ctx, async () => {
      flags.given = new Set(Object.keys(flags).filter((k) => command.getOptionValueSource(k) === 'cli'));
      try {
        const abs = path.resolve(target);
        if (!existsSync(abs)) throw new InterleaveError('FILE_NOT_FOUND', `no such file or folder: ${target}`, { file: target });
        if (flags.cluster !== undefined) refuseOnCluster(flags, statSync(abs).isDirectory());
        if (statSync(abs).isDirectory()) {
          ctx.code = await checkFolder(ctx, abs, flags);
          return;
        }
        ctx.code = flags.expected ? await checkExpectations(ctx, [abs], flags) : await checkFile(ctx, target, flags);
      } catch (e) {
        // With --json, an error before any result (no such file, a spec that does not load, a bad constant) is
        // one JSON object too; the error line on stderr and the exit code follow as without --json.
        if (flags.json && !(isInterleaveError(e) && e.code === 'OUTPUT_WRITE_FAILED')) ctx.io.out(errorJson(target, e));
        throw e;
      }
    }));
}

function optionsFrom(flags: CheckFlags, onEvent?: (e: CheckEvent) => void, signal?: AbortSignal): CheckOptions {
  return {
    constants: parseConstants(flags.const ?? []),
    invariants: flags.invariant && flags.invariant.length ? flags.invariant : undefined,
    deadlock: flags.deadlock,
    maxDepth: flags.maxDepth,
    maxStates: flags.maxStates,
    timeLimit: flags.timeLimit,
    strict: flags.strict ?? false,
    memoryLimit: flags.memoryLimit === undefined ? defaultMemoryLimit() : flags.memoryLimit * 2 ** 20,
    memoryProbe: residentSize,
    strategy: flags.strategy,
    seed: flags.seed ?? (flags.strategy === 'random' ? freshSeed() : undefined),
    runs: flags.runs,
    symmetry: flags.symmetry ?? false,
    ...(flags.witness !== undefined ? { witness: flags.witness } : {}),
    ...(flags.strictVacuity ? { strictVacuity: true } : {}),
    onEvent,
    signal,
  };
}

/** 90% of the memory this process may use: the cgroup limit if there is one, else the machine's memory. */
export function defaultMemoryLimit(): number {
  const total = os.totalmem();
  const constrained = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0;
  const avail = constrained && constrained > 0 && constrained < total ? constrained : total;
  return Math.floor(avail * 0.9);
}

/** Set while a `check` command runs: SIGINT/SIGTERM while a search runs abort it (src/cli/signals.ts). */
let commandInterrupts: Interrupts | undefined;

async function whileInterruptible<T>(ctx: Context, body: () => Promise<T>): Promise<T> {
  const interrupts = new Interrupts(
    (signal) => ctx.io.err(`\n${signal}: stopping the search (again to quit at once)…`),
    () => {
      if (ctx.debug) ctx.io.err('debug: search started (SIGINT/SIGTERM now stop it cleanly)');
    },
  );
  commandInterrupts = interrupts;
  try {
    return await body();
  } finally {
    commandInterrupts = undefined;
    interrupts.disarm();
  }
}

export function parseWorkers(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 256) throw new InterleaveError('CLI_USAGE', `--workers expects 'auto' or a whole number from 1 to 256, got '${value}'`);
  return n;
}

/**
 * Runs one check with SIGINT/SIGTERM turned into a clean `incomplete` result. With `--workers auto` the search
 * starts on one thread and goes on with one worker per core, where it stands, once it has run a second, the workers
 * are ready and enough work is waiting (src/checker/search/auto.ts): small specs never pay for starting workers, and
 * nothing is searched twice.
 */
async function runInterruptible(spec: Spec, options: CheckOptions, workers: number | 'auto' = 1): Promise<CheckResult> {
  // The spec is loaded: from here a signal stops the search cleanly (not while the next spec of a folder loads).
  await commandInterrupts?.arm();
  try {
    return await runOnce(spec, { ...options, workers });
  } finally {
    commandInterrupts?.disarm();
  }
}

/** One check, stopped cleanly by SIGINT/SIGTERM (see whileInterruptible, which every check command runs in). */
async function runOnce(spec: Spec, options: CheckOptions): Promise<CheckResult> {
  return check(spec, { ...options, signal: commandInterrupts?.signal });
}

function progressPrinter(): ((e: CheckEvent) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (e) => {
    if (e.type === 'progress') {
      process.stderr.write(
        `\r  ${formatCount(e.distinct)} distinct, ${formatCount(e.generated)} generated, queue ${formatCount(e.queue)}, depth ${e.depth}, ${Math.round(e.statesPerSecond / 1000)} k states/s   `,
      );
    } else if (e.type === 'done') {
      process.stderr.write('\r\x1b[K');
    }
  };
}

export function exitCodeOf(r: CheckResult): number {
  switch (r.status) {
    case 'ok':
      return EXIT.ok;
    case 'violation':
    case 'unreached':
      return EXIT.violation;
    case 'incomplete':
      return EXIT.incomplete;
    case 'error':
      return r.error.code === 'INTERNAL' ? EXIT.internal : EXIT.badInput;
  }
}

async function checkFile(ctx: Context, file: string, flags: CheckFlags): Promise<number> {
  const loaded = await loadSpecFile(file);
  const spec = pickSpec(loaded, flags.spec);
  const options: CheckOptions = { ...optionsFrom(flags, flags.json ? undefined : progressPrinter()), ...selectProperties(spec, flags.invariant ?? [], flags.property ?? [], flags.skipProperty ?? []) };
  // Constants picked by hand that are one of the spec's `expected` configurations: that entry's options apply
  // (a bounded model expected to run with `deadlock: false` does not report a false deadlock), except where a
  // flag says otherwise.
  const exp = matchingExpectation(spec, options.constants ?? {});
  const applied = exp ? applyExpectation(options, exp, flags.given ?? new Set()) : [];
  if (exp && applied.length && !flags.json) ctx.io.err(`note: the options of the expected configuration '${expectationName(exp)}' apply: ${applied.join(', ')} (the spec expects it to ${exp.status === 'ok' ? 'hold' : `violate ${exp.property ?? 'a property'}`})`);
  const checkpointDir = flags.checkpoint ?? flags.resume;
  // The spec's source files as loaded: a checkpoint records them, a resume must find them unchanged.
  const sources = checkpointDir ? specSources(loaded.file) : undefined;
  if (flags.resume) options.resume = readCheckpoint(flags.resume, { specFile: loaded.file, sources }).snapshot;
  let saved = false;
  let warned = false;
  if (checkpointDir) {
    options.checkpoint = {
      everySeconds: flags.checkpointEvery ?? 60,
      save: (snap) => {
        // A failed write must not cost the search itself: warn once and go on (the last good checkpoint stays).
        try {
          writeCheckpoint(checkpointDir, snap, loaded.file, sources);
          saved = true;
        } catch (e) {
          if (!warned) ctx.io.err(`warning ${(e as InterleaveError).code ?? 'CHECKPOINT_WRITE_FAILED'}: ${(e as Error).message}; the search goes on`);
          warned = true;
        }
      },
    };
  }
  let profile: SpecProfile | undefined;
  let r: CheckResult;
  if (flags.profile) {
    if (checkpointDir) throw new InterleaveError('CLI_USAGE', '--profile cannot be combined with --checkpoint or --resume');
    await commandInterrupts?.arm();
    try {
      ({ result: r, profile } = await profileCheck(spec, { ...options, signal: commandInterrupts?.signal }));
    } finally {
      commandInterrupts?.disarm();
    }
  } else if (flags.cluster !== undefined) {
    await commandInterrupts?.arm();
    try {
      r = await checkOnCluster(spec, { ...options, signal: commandInterrupts?.signal }, { cluster: flags.cluster, nodes: flags.nodes, workers: flags.given?.has('workers') ? parseWorkers(flags.workers) : undefined }, loaded.file);
    } finally {
      commandInterrupts?.disarm();
    }
  } else {
    // Checkpoints hold one seen-set: a checkpointed search runs on one thread (said after it ran, since --workers
    // is ignored; not when the run ended in an error, whose line comes alone).
    r = await runInterruptible(spec, options, checkpointDir ? 1 : parseWorkers(flags.workers));
    if (checkpointDir && flags.workers !== '1' && r.status !== 'error') {
      ctx.io.err(`warning: with ${flags.resume ? '--resume' : '--checkpoint'} the search ran on one thread (--workers ${flags.workers ?? 'auto'} was not used)`);
    }
  }
  if (checkpointDir && saved && r.status === 'incomplete' && ['interrupted', 'timeLimit', 'memory'].includes(r.reason) && !flags.json) ctx.io.err(`checkpoint saved in ${checkpointDir}: continue with --resume ${checkpointDir}`);
  const relativeSpec = path.relative(flags.traceOut ? path.dirname(path.resolve(flags.traceOut)) : process.cwd(), loaded.file);
  const traceFile = traceFileOf(r, relativeSpec);
  // With --witness: the trace to the predicate (written by --trace-out when there is no counterexample).
  const witnessFile = witnessFileOf(r, relativeSpec);
  const outFile = traceFile ?? witnessFile;
  // A trace file that cannot be written does not cost the verdict: it is printed, then the error (exit 2).
  let writeFailure: InterleaveError | null = null;
  if (traceFile) annotateForTrace(traceFile, spec, r as { constants: Record<string, unknown>; trace?: { steps: readonly { action: string; params: unknown; state: unknown }[] } });
  if (flags.traceOut) {
    if (outFile) {
      try {
        writeOutputFile(flags.traceOut, `${JSON.stringify(outFile, null, 2)}\n`, 'the trace');
      } catch (e) {
        writeFailure = e as InterleaveError;
      }
    } else if (!flags.json) ctx.io.err(`(no counterexample: ${flags.traceOut} not written)`);
  }
  const codeOf = (r: CheckResult): number => {
    if (writeFailure === null) return exitCodeOf(r);
    ctx.io.err(`error ${writeFailure.code}: ${writeFailure.message}`);
    return exitCodeOf(r) === EXIT.internal ? EXIT.internal : EXIT.badInput;
  };
  if (flags.json) {
    const out: Record<string, unknown> = {
      ...r,
      status: r.status,
      spec: r.spec,
      file: loaded.file,
      constants: r.constants,
      property: r.status === 'violation' ? r.violation.property : null,
    };
    if (traceFile) out.trace = traceFile;
    else delete out.trace;
    if (r.status !== 'error' && r.witness && witnessFile) out.witness = { name: r.witness.name, shortest: r.witness.shortest, trace: witnessFile };
    if (profile) out.profile = profile;
    ctx.io.out(JSON.stringify(out, null, 2));
    return codeOf(r);
  }
  const style = styleFor(ctx.io);
  if (r.status === 'violation' || (r.status === 'error' && r.trace)) {
    ctx.io.out(renderTrace(traceFile!, { style }));
    ctx.io.out('');
  }
  if (r.status === 'error') {
    ctx.io.err(`error ${r.error.code}: ${r.error.message}`);
    return codeOf(r);
  }
  if (witnessFile) {
    const w = r.witness!;
    ctx.io.out(style.bold(`witness of reachable '${w.name}' (not a violation): ${w.trace.steps.length - 1} actions to a state where it holds${w.shortest ? ' (shortest: breadth-first search)' : ' (not guaranteed shortest)'}`));
    ctx.io.out(renderTrace(witnessFile, { style }));
    ctx.io.out('');
  } else if (flags.witness !== undefined) {
    ctx.io.out(style.warn(`no witness: reachable '${flags.witness}' was not reached`));
  }
  ctx.io.out(renderSummary(r, style));
  const extras = renderExtras(r, style, { coverage: flags.coverage });
  if (extras) ctx.io.out(extras);
  if (profile) ctx.io.out(`\n${renderProfile(profile, style)}`);
  if (flags.traceOut && outFile && writeFailure === null) ctx.io.out(style.dim(`  ${traceFile ? 'trace' : 'witness trace'} written to ${flags.traceOut}`));
  return codeOf(r);
}

interface Row {
  spec: string;
  variant: string;
  expected: string;
  verdict: string;
  property: string;
  distinct: string;
  depth: string;
  trace: string;
  seconds: string;
  pass: boolean;
}

/** The main job: every spec and configuration in a folder, against what each spec expects. */
async function checkFolder(ctx: Context, dir: string, flags: CheckFlags): Promise<number> {
  if (flags.checkpoint || flags.resume) throw new InterleaveError('CLI_USAGE', '--checkpoint and --resume take a spec file, not a folder');
  const files = findSpecFiles(dir);
  if (files.length === 0) throw new InterleaveError('SPEC_NOT_FOUND', `no spec files (.ts) in ${dir}`, { file: dir });
  return checkExpectations(ctx, files, flags);
}

/** The name a configuration of `expected` goes by: its name, else its `variant` constant, else `default`. */
function expectationName(exp: Expectation): string {
  return exp.name ?? (typeof exp.constants?.variant === 'string' ? exp.constants.variant : 'default');
}

/** The first `expected` entry whose constants (with the defaults) are the ones given (with the defaults). */
function matchingExpectation(spec: Spec, given: Record<string, unknown>): Expectation | undefined {
  if (spec.expected.length === 0) return undefined;
  const key = (c: Record<string, unknown>) => {
    try {
      const r = resolveConstants(spec, c) as Record<string, unknown>;
      return JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]));
    } catch {
      return undefined;
    }
  };
  const want = key(given);
  return want === undefined ? undefined : spec.expected.find((e) => key(e.constants ?? {}) === want);
}

/** Applies an expected configuration's options where no flag was given; returns what it changed, as flags. */
function applyExpectation(options: CheckOptions, exp: Expectation, given: ReadonlySet<string>): string[] {
  const o = exp.options ?? {};
  const applied: string[] = [];
  if (o.deadlock !== undefined && !given.has('deadlock') && options.deadlock !== o.deadlock) {
    options.deadlock = o.deadlock;
    applied.push(o.deadlock ? 'deadlock checking' : '--no-deadlock');
  }
  if (o.maxDepth !== undefined && !given.has('maxDepth')) {
    options.maxDepth = o.maxDepth;
    applied.push(`--max-depth ${o.maxDepth}`);
  }
  if (!given.has('invariant') && !given.has('property') && !given.has('skipProperty')) {
    if (o.invariants) {
      options.invariants = o.invariants;
      applied.push(`invariants ${o.invariants.join(', ') || '(none)'}`);
    }
    if (o.properties) {
      options.properties = o.properties;
      applied.push(`properties ${o.properties.join(', ') || '(none)'}`);
    }
  }
  return applied;
}

/** Every configuration that `expected` lists, of every spec in `files`, against what it expects (the main job). */
async function checkExpectations(ctx: Context, files: readonly string[], flags: CheckFlags): Promise<number> {
  if (flags.checkpoint || flags.resume) throw new InterleaveError('CLI_USAGE', '--checkpoint and --resume check one configuration: drop --expected');
  const rows: Row[] = [];
  const style = styleFor(ctx.io);
  let loadFailures = 0;
  let incomplete = 0;
  /** Rows whose check ended in an error (a spec mistake), and errors that are ours. */
  let specErrors = 0;
  let internal = 0;
  const results: unknown[] = [];
  for (const file of files) {
    let specs: Spec[];
    try {
      specs = (await loadSpecFile(file)).specs;
    } catch (e) {
      loadFailures++;
      const error = errorOf(e);
      ctx.io.err(`error ${error.code}: ${error.message}`);
      if (error.code === 'INTERNAL') internal++;
      results.push({ file: path.relative(process.cwd(), file), status: 'error', pass: false, error });
      continue;
    }
    for (const spec of specs) {
      if (flags.spec && spec.name !== flags.spec) continue;
      const expectations: readonly Expectation[] = spec.expected.length ? spec.expected : [{ status: 'ok' }];
      for (const exp of expectations) {
        const constants = { ...(exp.constants ?? {}), ...parseConstants(flags.const ?? []) };
        const options: CheckOptions = {
          ...optionsFrom(flags),
          ...selectProperties(spec, flags.invariant ?? [], flags.property ?? [], flags.skipProperty ?? []),
          constants,
          deadlock: exp.options?.deadlock ?? flags.deadlock,
          maxDepth: exp.options?.maxDepth ?? flags.maxDepth,
          ...(exp.options?.invariants ? { invariants: exp.options.invariants } : {}),
          ...(exp.options?.properties ? { properties: exp.options.properties } : {}),
        };
        const r = await runInterruptible(spec, options, parseWorkers(flags.workers));
        const variant = exp.name ?? (typeof constants.variant === 'string' ? constants.variant : 'default');
        const expectedText = exp.status === 'ok' ? 'holds' : `violates ${exp.property ?? '?'}${exp.length !== undefined ? ` in ${exp.length}` : ''}`;
        let pass = false;
        let verdict = '';
        let property = '';
        let trace = '';
        if (r.status === 'ok') {
          verdict = 'holds';
          pass = exp.status === 'ok';
        } else if (r.status === 'violation') {
          const len = r.trace.steps.length - 1;
          verdict = 'violated';
          property = r.violation.property;
          trace = String(len);
          pass = exp.status === 'violation' && (exp.property === undefined || exp.property === property) && (exp.length === undefined || exp.length === len);
        } else if (r.status === 'unreached') {
          verdict = r.violation.kind === 'vacuous' ? 'vacuous' : 'unreachable';
          property = r.violation.property;
          pass = exp.status === 'violation' && exp.property === property && exp.length === undefined;
        } else if (r.status === 'incomplete') {
          verdict = `incomplete (${r.reason})`;
          incomplete++;
        } else {
          verdict = `error ${r.error.code}`;
          ctx.io.err(`error ${r.error.code} in ${spec.name} (${variant}): ${r.error.message}`);
          specErrors++;
          if (r.error.code === 'INTERNAL') internal++;
        }
        rows.push({
          spec: spec.name,
          variant,
          expected: expectedText,
          verdict,
          property,
          distinct: formatCount(r.stats.distinct),
          depth: String(printedDepth(r)),
          trace,
          seconds: r.stats.seconds.toFixed(2),
          pass,
        });
        results.push({
          spec: spec.name,
          variant,
          file: path.relative(process.cwd(), file),
          expected: exp,
          status: r.status,
          pass,
          property: property || null,
          stats: r.stats,
          constants: r.constants,
          ...(r.status === 'error' ? { error: { code: r.error.code, message: r.error.message } } : {}),
        });
        if (r.status === 'incomplete' && r.reason === 'interrupted') break;
      }
    }
  }
  const failed = rows.filter((r) => !r.pass).length;
  if (flags.json) {
    const status = loadFailures + specErrors > 0 ? 'error' : failed === 0 ? 'ok' : 'mismatch';
    ctx.io.out(JSON.stringify({ status, passed: rows.length - failed, failed, errors: loadFailures + specErrors, results }, null, 2));
  } else {
    const head: Row = { spec: 'spec', variant: 'variant', expected: 'expected', verdict: 'verdict', property: 'property', distinct: 'distinct', depth: 'depth', trace: 'trace', seconds: 'seconds', pass: true };
    const cols: (keyof Row)[] = ['spec', 'variant', 'expected', 'verdict', 'property', 'distinct', 'depth', 'trace', 'seconds'];
    const right = new Set(['distinct', 'depth', 'trace', 'seconds']);
    const widths = cols.map((c) => Math.max(...[head, ...rows].map((r) => String(r[c]).length)));
    const line = (r: Row, mark: string) => `${mark} ${cols.map((c, i) => (right.has(c) ? String(r[c]).padStart(widths[i]!) : String(r[c]).padEnd(widths[i]!))).join('  ')}`;
    ctx.io.out(style.bold(line(head, ' ')));
    for (const r of rows) ctx.io.out(r.pass ? line(r, style.ok('✓')) : style.bad(line(r, '✗')));
    ctx.io.out('');
    ctx.io.out(
      failed === 0 && loadFailures === 0
        ? style.ok(`all ${rows.length} verdicts as expected`)
        : style.bad(`${failed} of ${rows.length} verdicts not as expected${specErrors ? ` (${specErrors} with an error)` : ''}${loadFailures ? `; ${loadFailures} file(s) failed to load` : ''}`),
    );
  }
  // Precedence: an internal error (4), then bad input (2: a file that does not load, a spec error), then a verdict
  // not as expected (1), then incomplete runs (3).
  if (internal) return EXIT.internal;
  if (loadFailures || specErrors) return EXIT.badInput;
  if (incomplete && failed === incomplete) return EXIT.incomplete;
  return failed === 0 ? EXIT.ok : EXIT.violation;
}

export { formatValue };

/** An error as `{ code, message, details? }` (a thrown value that is not ours is INTERNAL). */
function errorOf(e: unknown): { code: string; message: string; details?: unknown } {
  if (isInterleaveError(e)) return { code: e.code, message: e.message, details: e.details };
  return { code: 'INTERNAL', message: describeThrown(e) };
}

/** The JSON printed for an error with --json: `{ status: 'error', file, error: { code, message, details } }`. */
function errorJson(file: string, e: unknown): string {
  const error = errorOf(e);
  const value = { status: 'error', file, error };
  // Details may hold what JSON cannot: a bigint as a trace writes it, a cycle as text; otherwise left out.
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'bigint') return { '#bigint': String(v) };
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[cycle]';
        seen.add(v);
      }
      return v;
    }, 2);
  } catch {
    return JSON.stringify({ status: 'error', file, error: { code: error.code, message: error.message } }, null, 2);
  }
}
