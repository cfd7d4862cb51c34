import { InterleaveError, type ErrorCode } from '../errors.ts';

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
  // A UTF-8 byte order mark (some Windows editors write one) is not part of the JSON: skip it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
  checkKeys(value, what, code);
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

/**
 * Walks a parsed JSON value iteratively (no recursion: hostile nesting cannot overflow the stack), in time linear in
 * its size and memory linear in its depth: one frame per open container, and the JSON path built only for an error.
 */
function checkKeys(root: unknown, what: string, code: ErrorCode): void {
  if (typeof root !== 'object' || root === null) return;
  interface Frame {
    v: object;
    /** The keys of an object (null for an array), and the next key or index to visit. */
    keys: string[] | null;
    i: number;
  }
  const frames: Frame[] = [];
  const open = (v: object) => frames.push({ v, keys: Array.isArray(v) ? null : Object.keys(v), i: 0 });
  /** The path to the child being visited in the top frame. */
  const pathHere = (): (string | number)[] => frames.map((f) => (f.keys ? f.keys[f.i - 1]! : f.i - 1));
  open(root);
  while (frames.length > 0) {
    const f = frames[frames.length - 1]!;
    const n = f.keys ? f.keys.length : (f.v as unknown[]).length;
    if (f.i >= n) {
      frames.pop();
      continue;
    }
    const key = f.keys ? f.keys[f.i]! : f.i;
    f.i++;
    if (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) {
      const field = jsonPath(pathHere());
      throw new InterleaveError(code, `${what}: forbidden key '${key}' at ${field} (keys __proto__, constructor and prototype are rejected)`, { field });
    }
    const child = (f.v as Record<string | number, unknown>)[key];
    if (typeof child !== 'object' || child === null) continue;
    if (frames.length > MAX_DEPTH) {
      const field = jsonPath(pathHere().slice(0, 8));
      throw new InterleaveError(code, `${what}: nesting deeper than ${MAX_DEPTH} levels at ${field}…`, { field });
    }
    open(child);
  }
}
