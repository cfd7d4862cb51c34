import { InterleaveError, type ErrorCode } from '../errors.ts';
import { TRACE_FORMAT_VERSION, traceFileSchema, type TraceFile } from './format.ts';

/**
 * Safe reading of untrusted JSON (trace files, ITF files, checkpoint manifests). Three guarantees:
 * - a syntax error becomes a coded error with the line and column, never a bare SyntaxError;
 * - keys that could pollute prototypes (`__proto__`, `constructor`, `prototype`) are rejected with their JSON
 *   path, wherever they appear;
 * - deeply nested input cannot overflow the stack of later tree walks (nesting is limited).
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 512;

/** `$.steps[3].state.x` style path. */
function jsonPath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return out;
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * JSON.parse that throws `InterleaveError(code)` (TRACE_INVALID by default) for a syntax error (with line and
 * column), a forbidden key (with its JSON path) or nesting deeper than 512. `what` names the input in messages
 * (`trace file t.json`).
 */
export function parseJsonSafely(text: string, what: string, code: ErrorCode = 'TRACE_INVALID'): unknown {
  if (typeof text !== 'string') throw new InterleaveError(code, `${what}: expected text, got ${typeof text}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const offset = m ? Number(m[1]) : syntaxErrorOffset(text);
    const details: { line?: number; column?: number } = text.trim() === '' ? {} : lineColumn(text, offset);
    const where = details.line !== undefined ? ` at line ${details.line}, column ${details.column}` : '';
    const reason =
      text.trim() === ''
        ? 'the file is empty'
        : msg
            .replace(/, ".*is not valid JSON$/s, '')
            .replace(/ in JSON at position \d+.*$/s, '')
            .replace(/\s*\(line \d+ column \d+\)/, '');
    throw new InterleaveError(code, `${what} is not valid JSON${where}: ${reason}`, { ...details, file: what });
  }
  checkKeys(value, [], what, code);
  return value;
}

/** The offset of the first character where `text` stops being JSON (for messages that lack a position). */
function syntaxErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (depth: number): void => {
    if (depth > 2000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m || m[0] === '' || m[0] === '-') fail();
      i += m![0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) return void (i += lit.length);
      fail();
    }
  };
  const str = (): void => {
    i++;
    while (i < n && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= n) fail();
    i++;
  };
  try {
    value(0);
    ws();
    return i;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, n) : 0;
  }
}

/** Walks a parsed JSON value iteratively (no recursion: hostile nesting cannot overflow the stack). */
function checkKeys(root: unknown, _path: (string | number)[], what: string, code: ErrorCode): void {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: root, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (path.length > MAX_DEPTH) throw new InterleaveError(code, `${what}: nesting deeper than ${MAX_DEPTH} levels at ${jsonPath(path.slice(0, 8))}…`, { field: jsonPath(path.slice(0, 8)) });
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) {
        const field = jsonPath([...path, k]);
        throw new InterleaveError(code, `${what}: forbidden key '${k}' at ${field} (keys __proto__, constructor and prototype are rejected)`, { field });
      }
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
}

/** `steps[3].action` from a zod issue path. */
function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    const k = String(p);
    out += typeof p === 'number' ? `[${p}]` : !/^[A-Za-z_$][\w$]*$/.test(k) ? `[${JSON.stringify(k)}]` : out ? `.${k}` : k;
  }
  return out || '(file)';
}

/**
 * Reads the text of a trace file (format version 1): parses it safely and validates it against
 * `traceFileSchema`. Errors are TRACE_INVALID naming the field (`steps[3].action`), or the version found.
 */
export function readTraceText(text: string, what = 'trace file'): TraceFile {
  const json = parseJsonSafely(text, what, 'TRACE_INVALID');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InterleaveError('TRACE_INVALID', `${what}: expected a JSON object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`);
  }
  const version = (json as { version?: unknown }).version;
  if (version !== TRACE_FORMAT_VERSION) {
    const isItf = '#meta' in json || ('states' in json && Array.isArray((json as { states?: unknown }).states));
    const got = version === undefined ? 'no version field' : `version ${JSON.stringify(version).slice(0, 40)}`;
    throw new InterleaveError(
      'TRACE_INVALID',
      `${what}: has ${got}, expected version ${TRACE_FORMAT_VERSION}${isItf ? ' (this looks like an ITF file: read it as ITF)' : ''}`,
      { field: 'version' },
    );
  }
  const parsed = traceFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = fieldOf(issue.path);
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length > 2 ? 's' : ''})` : '';
    throw new InterleaveError('TRACE_INVALID', `${what}: field '${field}': ${issue.message}${more}`, { field });
  }
  return parsed.data;
}

/** The ITF tags this reader understands (ADR-015 of Apalache: the Informal Trace Format). */
export const ITF_TAGS: ReadonlySet<string> = new Set(['#meta', '#bigint', '#set', '#map', '#tup', '#unserializable']);

/**
 * Checks the tags of an ITF value: any key starting with `#` other than the known tags is ITF_INVALID, naming
 * the state index and the path (`states[2].x["#foo"]`). Also checks the top-level shape (a `states` array of
 * objects). Returns the value unchanged.
 */
export function itfTagCheck(json: unknown, what = 'ITF file'): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InterleaveError('ITF_INVALID', `${what}: expected a JSON object with a 'states' array`);
  const states = (json as { states?: unknown }).states;
  if (!Array.isArray(states)) throw new InterleaveError('ITF_INVALID', `${what}: missing the 'states' array`, { field: 'states' });
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: json, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (path.length > MAX_DEPTH) throw new InterleaveError('ITF_INVALID', `${what}: nesting deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] });
      continue;
    }
    for (const k of Object.keys(v)) {
      if (k.startsWith('#') && !ITF_TAGS.has(k)) {
        const state = path[0] === 'states' && typeof path[1] === 'number' ? path[1] : undefined;
        const field = fieldOf([...path, k]);
        throw new InterleaveError(
          'ITF_INVALID',
          `${what}: unknown tag '${k}' at ${field}${state !== undefined ? ` (state ${state})` : ''}; known tags: ${[...ITF_TAGS].join(', ')}`,
          { field, ...(state !== undefined ? { step: state } : {}) },
        );
      }
      if (FORBIDDEN_KEYS.has(k)) throw new InterleaveError('ITF_INVALID', `${what}: forbidden key '${k}' at ${fieldOf([...path, k])}`, { field: fieldOf([...path, k]) });
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] });
    }
  }
  states.forEach((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new InterleaveError('ITF_INVALID', `${what}: states[${i}] is not an object`, { step: i, field: `states[${i}]` });
  });
  return json;
}
