import chalk, { Chalk } from 'chalk';
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
