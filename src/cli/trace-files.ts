import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InterleaveError, elide } from '../errors.ts';
import type { Spec } from '../model/index.ts';
import { readTrace, type ReadTraceResult, type TraceFile } from '../trace/index.ts';
import { loadSpecFile, pickSpec } from './load.ts';

/**
 * The largest trace file read (64 MiB). A trace holds every state of a counterexample, so this is thousands of
 * steps of large states; a larger file is refused before it is read (docs/robustness.md).
 */
export const MAX_TRACE_BYTES = 64 * 2 ** 20;

/**
 * Reads a trace file (ours or ITF) from disk. FILE_NOT_FOUND, TRACE_INVALID or ITF_INVALID. Reads only regular
 * files and pipes, and at most MAX_TRACE_BYTES: a regular file's size is checked before anything is read; a
 * device (`/dev/zero`) is refused without reading it.
 */
export function readTraceFile(file: string, limit = MAX_TRACE_BYTES): ReadTraceResult & { file: string } {
  const abs = path.resolve(file);
  if (!existsSync(abs) || statSync(abs).isDirectory()) throw new InterleaveError('FILE_NOT_FOUND', `no such trace file: ${file}`, { file });
  return { ...readTrace(readBounded(abs, file, limit), file), file: abs };
}

function tooLarge(file: string, size: number | null, limit: number): InterleaveError {
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return new InterleaveError('TRACE_INVALID', `${file} is ${size === null ? 'larger than' : mib(size) + ', over'} the ${mib(limit)} limit for trace files: not read`, { file, size: size ?? undefined, limit });
}

/** The file's text (UTF-8), read only if it is a regular file or a pipe of at most `limit` bytes. */
function readBounded(abs: string, file: string, limit: number): string {
  const fd = openSync(abs, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isFile() && !st.isFIFO()) throw new InterleaveError('TRACE_INVALID', `${file} is not a regular file (a device, socket or the like): not read`, { file });
    if (st.isFile() && st.size > limit) throw tooLarge(file, st.size, limit);
    // Read at most limit + 1 bytes: a file that grows meanwhile, or a pipe, cannot make us read more.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) throw tooLarge(file, null, limit);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A path from an untrusted file, safe to print: quoted when it holds control characters, and elided when long. */
export function shownPath(p: string): string {
  return elide(/[\u0000-\u001f\u007f-\u009f]/.test(p) ? JSON.stringify(p) : p, 300);
}

export interface TraceSpecOptions {
  /** A spec file the user named on the command line (`--spec-file`): always loaded. */
  specFile?: string;
  /** Which spec in the file (`--spec`); without it, the trace's spec name. */
  specName?: string;
  /**
   * `--trust-trace-spec`: load the spec file the trace names, if that is a relative path that stays inside the
   * trace's own folder tree (symbolic links resolved).
   */
  trustTraceSpec?: boolean;
}

/**
 * The spec file to import for a trace, or an error. A trace file is data: it may come from anyone, and importing the
 * module it names runs that module's code. So a spec is imported only when the user names it (`--spec-file`), or
 * confirms the trace's own `spec.file` (`--trust-trace-spec`) and that path is relative and inside the trace's folder
 * tree. Otherwise TRACE_SPEC_NOT_TRUSTED, with the `--spec-file` to pass.
 */
export function specFileForTrace(trace: TraceFile, traceFile: string, opts: TraceSpecOptions): string {
  if (opts.specFile !== undefined) return opts.specFile;
  const named = trace.spec.file;
  if (named === undefined) {
    throw new InterleaveError('CLI_USAGE', `the trace names no spec file (it came from ITF or an API call); pass --spec-file FILE`, { file: traceFile });
  }
  const folder = path.dirname(traceFile);
  const resolved = path.resolve(folder, named);
  const shown = shownPath(path.relative(process.cwd(), resolved) || resolved);
  const inside = !path.isAbsolute(named) && isInside(folder, resolved);
  if (!opts.trustTraceSpec) {
    throw new InterleaveError(
      'TRACE_SPEC_NOT_TRUSTED',
      `the trace names the spec file ${shownPath(named)}; importing it would run its code, so replay loads only a spec you name: pass --spec-file ${inside ? shown : 'FILE'}${inside ? ' (or --trust-trace-spec)' : ''}`,
      { file: traceFile, field: 'spec.file' },
    );
  }
  if (!inside) {
    throw new InterleaveError(
      'TRACE_SPEC_NOT_TRUSTED',
      `the trace's spec file ${shownPath(named)} is ${path.isAbsolute(named) ? 'an absolute path' : "outside the trace's folder"}; --trust-trace-spec loads only a relative path inside the trace's folder: pass --spec-file FILE`,
      { file: traceFile, field: 'spec.file' },
    );
  }
  if (!existsSync(resolved)) {
    throw new InterleaveError('FILE_NOT_FOUND', `the trace's spec file ${shownPath(named)} (relative to ${path.dirname(traceFile)}) does not exist; pass --spec-file FILE`, { file: resolved });
  }
  // Symbolic links inside the folder may point out of it: compare the real paths too.
  if (!isInside(realpathSync(folder), realpathSync(resolved))) {
    throw new InterleaveError('TRACE_SPEC_NOT_TRUSTED', `the trace's spec file ${shownPath(named)} leads outside the trace's folder (a symbolic link): pass --spec-file FILE`, { file: traceFile, field: 'spec.file' });
  }
  return resolved;
}

function isInside(folder: string, file: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The spec a trace was made from (see specFileForTrace for which file is imported); picked by `--spec`, else by
 * the trace's spec name, which the file must export (SPEC_NOT_FOUND otherwise: replaying another spec's trace
 * against a spec of another name is refused, not guessed).
 */
export async function loadSpecForTrace(trace: TraceFile, traceFile: string, opts: TraceSpecOptions): Promise<Spec> {
  const file = specFileForTrace(trace, traceFile, opts);
  const abs = path.resolve(file);
  if (existsSync(abs) && !statSync(abs).isFile() && !statSync(abs).isDirectory()) {
    throw new InterleaveError('CLI_USAGE', `${shownPath(file)} is not a regular file: a spec file is a .ts or .js module`, { file });
  }
  const loaded = await loadSpecFile(file);
  if (opts.specName !== undefined) return pickSpec(loaded, opts.specName);
  const wanted = trace.spec.name;
  if (loaded.specs.some((s) => s.name === wanted)) return pickSpec(loaded, wanted);
  const names = loaded.specs.map((s) => s.name);
  throw new InterleaveError(
    'SPEC_NOT_FOUND',
    `the trace is of spec '${elide(wanted, 100)}', and ${path.basename(loaded.file)} has no spec of that name (known: ${names.join(', ')}); pass --spec NAME to replay it against another spec`,
    { file: loaded.file, known: names, spec: wanted },
  );
}
