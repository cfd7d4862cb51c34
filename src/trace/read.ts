/**
 * Reading a trace file from text: our format (validated against the schema) or ITF (detected by its shape and
 * converted). Pure: the caller reads the file. Every failure is an InterleaveError (`TRACE_INVALID` or
 * `ITF_INVALID`) whose message names the step and the field.
 */
import { InterleaveError, isInterleaveError } from '../errors.ts';
import { TRACE_FORMAT_VERSION, traceFileSchema, type TraceFile } from './format.ts';
import { fromItf, isItf } from './itf.ts';
import { parseJsonSafely } from './parse-json.ts';
import { childPath } from './values.ts';

export interface ReadTraceResult {
  trace: TraceFile;
  /** Which format the text was in. */
  format: 'interleave' | 'itf';
}

/** Parses and validates a trace (ours or ITF). Throws TRACE_INVALID / ITF_INVALID. */
export function readTrace(text: string, source = 'trace'): ReadTraceResult {
  // Syntax errors with line and column; `__proto__`, `constructor` and `prototype` keys refused (so no later
  // copy can turn one into a prototype change); hostile nesting refused.
  const json = parseJsonSafely(text, source, 'TRACE_INVALID');
  if (isItf(json)) {
    let converted: TraceFile;
    try {
      converted = fromItf(json);
    } catch (e) {
      if (isInterleaveError(e)) throw new InterleaveError(e.code, `${source}: ${e.message}`, { ...e.details, file: source }, { cause: e });
      throw e;
    }
    return { trace: validate(converted, source, 'ITF_INVALID'), format: 'itf' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InterleaveError('TRACE_INVALID', `${source}: a trace file is a JSON object with version, spec and steps (or an ITF trace with states)`, { file: source });
  }
  const version = (json as { version?: unknown }).version;
  if (version === undefined) throw new InterleaveError('TRACE_INVALID', `${source}: no 'version' field (expected ${TRACE_FORMAT_VERSION})`, { file: source, field: 'version' });
  if (version !== TRACE_FORMAT_VERSION) {
    throw new InterleaveError('TRACE_INVALID', `${source}: trace format version ${JSON.stringify(version)} is not supported (this interleave reads version ${TRACE_FORMAT_VERSION})`, {
      file: source,
      field: 'version',
    });
  }
  return { trace: validate(json, source, 'TRACE_INVALID'), format: 'interleave' };
}

function validate(json: unknown, source: string, code: 'TRACE_INVALID' | 'ITF_INVALID'): TraceFile {
  const parsed = traceFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = describePath(zodPath(issue.path));
  throw new InterleaveError(code, `${source}: ${where}: ${issue.message}`, { file: source, field: zodPath(issue.path), step: stepOf(issue.path) });
}

function zodPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out = childPath(out, typeof p === 'number' ? p : String(p));
  return out;
}

function stepOf(path: readonly PropertyKey[]): number | undefined {
  return path[0] === 'steps' && typeof path[1] === 'number' ? path[1] : undefined;
}

/** `steps[3].state.net[0]` → `step 3, field state.net[0]`. */
function describePath(path: string): string {
  const m = /^steps\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (m) return m[2] ? `step ${m[1]}, field ${m[2]}` : `step ${m[1]}`;
  return path ? `field ${path}` : '(top level)';
}

/**
 * Reads the text of a trace file in our format (version 1) with `readTrace`; an ITF file is refused here with a
 * hint (the CLI's readers accept both).
 */
export function readTraceText(text: string, what = 'trace file'): TraceFile {
  const r = readTrace(text, what);
  if (r.format === 'itf') throw new InterleaveError('TRACE_INVALID', `${what}: this looks like an ITF file: read it as ITF (every interleave command that takes a trace accepts both)`);
  return r.trace;
}
