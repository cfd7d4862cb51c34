import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InterleaveError } from '../errors.ts';
import type { Spec } from '../model/index.ts';
import { readTrace, type ReadTraceResult, type TraceFile } from '../trace/index.ts';
import { loadSpecFile, pickSpec } from './load.ts';

/** Reads a trace file (ours or ITF) from disk. FILE_NOT_FOUND, TRACE_INVALID or ITF_INVALID. */
export function readTraceFile(file: string): ReadTraceResult & { file: string } {
  const abs = path.resolve(file);
  if (!existsSync(abs) || statSync(abs).isDirectory()) throw new InterleaveError('FILE_NOT_FOUND', `no such trace file: ${file}`, { file });
  return { ...readTrace(readFileSync(abs, 'utf8'), file), file: abs };
}

/**
 * The spec a trace was made from: `--spec-file` if given, else the trace's `spec.file` (relative to the trace
 * file's folder, as `check --trace-out` writes it); the spec is picked by the trace's spec name.
 */
export async function loadSpecForTrace(trace: TraceFile, traceFile: string, specFile: string | undefined, specName?: string): Promise<Spec> {
  let file = specFile;
  if (file === undefined) {
    if (trace.spec.file === undefined) {
      throw new InterleaveError('CLI_USAGE', `the trace names no spec file (it came from ITF or an API call); pass --spec-file FILE`, { file: traceFile });
    }
    file = path.resolve(path.dirname(traceFile), trace.spec.file);
    if (!existsSync(file)) {
      throw new InterleaveError('FILE_NOT_FOUND', `the trace's spec file ${trace.spec.file} (relative to ${path.dirname(traceFile)}) does not exist; pass --spec-file FILE`, { file });
    }
  }
  const loaded = await loadSpecFile(file);
  const wanted = specName ?? trace.spec.name;
  if (specName === undefined && loaded.specs.length === 1) return loaded.specs[0]!;
  return pickSpec(loaded, loaded.specs.some((s) => s.name === wanted) ? wanted : specName);
}
