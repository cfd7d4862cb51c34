import { createRequire } from 'node:module';
import { describeThrown, isInterleaveError } from '../errors.ts';
import type { Io } from './io.ts';

/**
 * What every command shares: the context it runs in, the exit codes, the version, and how an error is reported.
 * main.ts imports the commands lazily; the commands import this, not main.ts (no import circle).
 */

/** Exit codes: 0 no violation, 1 violation, 2 bad input, 3 incomplete, 4 internal error. */
export const EXIT = { ok: 0, violation: 1, badInput: 2, incomplete: 3, internal: 4 } as const;

export interface Context {
  io: Io;
  debug: boolean;
  /** Set by a command: the exit code. */
  code: number;
}

/** The version in package.json (src/cli and dist/cli are both two folders below it). */
export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

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
