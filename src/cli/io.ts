import { writeFileSync } from 'node:fs';
import chalk, { Chalk } from 'chalk';
import { InterleaveError, describeThrown } from '../errors.ts';
import type { Style } from '../report/text.ts';

/** Where the CLI writes. Tests pass their own; the binary uses the process's streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (progress lines, colour). */
  isTTY: boolean;
  /** Colour on: a terminal and NO_COLOR unset (or FORCE_COLOR set). */
  color: boolean;
}

export function processIo(): Io {
  guardStandardStreams();
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  const force = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    isTTY: Boolean(process.stdout.isTTY),
    color: !noColor && (force || (Boolean(process.stdout.isTTY) && chalk.level > 0)),
  };
}

export function styleFor(io: Io): Style {
  const c = new Chalk({ level: io.color ? Math.max(chalk.level, 1) as 1 | 2 | 3 : 0 });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    changed: (s) => c.yellow(s),
    added: (s) => c.green(s),
    removed: (s) => c.red(s),
    ok: (s) => c.green.bold(s),
    bad: (s) => c.red.bold(s),
    warn: (s) => c.magenta.bold(s),
    action: (s) => c.cyan.bold(s),
  };
}

/** The reason of a failed write, without the stack: `ENOSPC: no space left on device`. */
function reasonOf(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  if (typeof err?.code === 'string' && typeof err.message === 'string') return err.message.replace(/, (open|write) '.*'$/, '').replace(/, write$/, '');
  return describeThrown(e);
}

/**
 * Writes an output file the user asked for (`--out`, `--trace-out`): OUTPUT_WRITE_FAILED naming the file and the
 * reason (no such folder, permission denied, disk full) instead of an internal error.
 */
export function writeOutputFile(file: string, text: string, what: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new InterleaveError('OUTPUT_WRITE_FAILED', `cannot write ${what} to ${file}: ${reasonOf(e)}`, { file });
  }
}

let guarded = false;

/**
 * Standard output that the reader closed (`interleave show t.json | head -1`: EPIPE) is not an error: the rest of
 * the output is dropped and the exit code stays the command's (the verdict's). Standard output that cannot be
 * written (`> /dev/full`: ENOSPC, EIO...) is: one line `error OUTPUT_WRITE_FAILED` on stderr and exit code 2, since
 * the verdict was lost. Errors writing stderr are ignored (there is nowhere left to report them).
 */
function guardStandardStreams(): void {
  if (guarded) return;
  guarded = true;
  let failure: string | null = null;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_DESTROYED' || failure !== null) return;
    failure = reasonOf(e);
    try {
      process.stderr.write(`error OUTPUT_WRITE_FAILED: cannot write to standard output: ${failure}\n`);
    } catch {
      /* nowhere to report it */
    }
  });
  process.stderr.on('error', () => {});
  // The error arrives after the write returned, possibly after the command set its exit code: override it last.
  process.on('exit', () => {
    if (failure !== null) process.exitCode = 2;
  });
}
