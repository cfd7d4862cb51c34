import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import { isSpec, type Spec } from '../model/index.ts';
import { importModule } from '../module-loader.ts';
import { whileLoading } from '../checker/spec/index.ts';
import { setSpecLocation } from '../checker/spec/index.ts';

export interface LoadedFile {
  file: string;
  specs: Spec[];
}

/** Loads a spec file (TypeScript or JavaScript) and returns every spec it exports, in export order. */
export async function loadSpecFile(file: string): Promise<LoadedFile> {
  const abs = path.resolve(file);
  if (!existsSync(abs)) throw new InterleaveError('FILE_NOT_FOUND', `no such file: ${file}`, { file });
  if (statSync(abs).isDirectory()) throw new InterleaveError('CLI_USAGE', `${file} is a folder; this command takes a spec file`, { file });
  const url = pathToFileURL(abs).href;
  let mod: Record<string, unknown>;
  try {
    // Under the load guard: a check() the module calls while it is imported throws (it is a script, not a spec
    // module; a folder run must not run it). See docs/spec-identity.md.
    mod = await whileLoading(url, () => importModule(url));
  } catch (e) {
    // A .ts file in a folder without "type": "module" is CommonJS to Node; with require(esm) Node 20.19+ can
    // refuse it as a cycle. tsx's isolated tsImport loads it anyway.
    if ((e as { code?: unknown })?.code !== 'ERR_REQUIRE_CYCLE_MODULE') throw loadError(file, e);
    try {
      const { tsImport } = await import('tsx/esm/api');
      const m = (await whileLoading(url, () => tsImport(url, import.meta.url))) as Record<string, unknown>;
      mod = { ...m, ...(typeof m.default === 'object' && m.default !== null ? (m.default as Record<string, unknown>) : {}) };
    } catch (e2) {
      throw loadError(file, e2);
    }
  }
  const specs: Spec[] = [];
  const exportOf = new Map<Spec, string>();
  for (const [key, value] of Object.entries(mod)) {
    if (!isSpec(value) || specs.includes(value)) continue;
    const twin = specs.find((s) => s.name === value.name);
    if (twin) {
      throw new InterleaveError('SPEC_DUPLICATE_NAME', `${file}: the exports '${exportOf.get(twin)}' and '${key}' both define a spec named '${value.name}'; give each spec its own name`, {
        file,
        spec: value.name,
        exports: [exportOf.get(twin)!, key],
      });
    }
    specs.push(value);
    exportOf.set(value, key);
    // Search workers load this spec from here: this module, this export (checker/spec-location.ts).
    setSpecLocation(value, { url, exportName: key });
  }
  if (specs.length === 0) {
    throw new InterleaveError('SPEC_NOT_FOUND', `${file} exports no spec (export the value of defineSpec(...))`, { file });
  }
  return { file: abs, specs };
}

function loadError(file: string, e: unknown): InterleaveError {
  // The guard's message names the file already.
  if (isInterleaveError(e) && e.code === 'SPEC_CHECK_ON_IMPORT') return e;
  // defineSpec's own checks (duplicate names, empty domains...) run when the module loads: keep their code.
  if (isInterleaveError(e)) return new InterleaveError(e.code, `${file}: ${e.message}`, { ...e.details, file }, { cause: e });
  const text = e instanceof Error ? e.message : String(e);
  // esbuild (through tsx) reports "file.ts:LINE:COL: ERROR: message".
  const m = /([^\s:]+\.[cm]?[tj]sx?):(\d+):(\d+): ERROR: (.*)/.exec(text);
  if (m) {
    const rel = path.relative(process.cwd(), m[1]!);
    return new InterleaveError('SPEC_LOAD_FAILED', `${rel && !rel.startsWith('..') ? rel : m[1]}:${m[2]}:${m[3]}: syntax error: ${m[4]}`, {
      file,
      line: Number(m[2]),
      column: Number(m[3]),
    });
  }
  const stackLine = e instanceof Error ? /\((.*?):(\d+):(\d+)\)/.exec(e.stack ?? '') : null;
  const at = stackLine && stackLine[1]!.includes(path.basename(file)) ? ` (at line ${stackLine[2]}, column ${stackLine[3]})` : '';
  return new InterleaveError('SPEC_LOAD_FAILED', `cannot load ${file}: ${describeThrown(e)}${at}`, { file }, { cause: e });
}

/** Picks one spec from a file: the one named `name`, or the only one. */
export function pickSpec(loaded: LoadedFile, name: string | undefined): Spec {
  const names = loaded.specs.map((s) => s.name);
  if (name === undefined) {
    if (loaded.specs.length === 1) return loaded.specs[0]!;
    throw new InterleaveError('SPEC_NOT_FOUND', `${path.basename(loaded.file)} exports ${loaded.specs.length} specs; pick one with --spec NAME (known: ${names.join(', ')})`, {
      file: loaded.file,
      known: names,
    });
  }
  const spec = loaded.specs.find((s) => s.name === name);
  if (!spec) throw new InterleaveError('SPEC_NOT_FOUND', `${path.basename(loaded.file)} has no spec '${name}' (known: ${names.join(', ')})`, { file: loaded.file, known: names });
  return spec;
}

/** Every .ts/.js spec file below a folder, sorted, skipping tests and declaration files. */
export function findSpecFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(m?ts|m?js)$/.test(entry.name) && !/\.(test|spec|d)\.[mc]?[tj]s$/.test(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Parses `--const name=value` pairs: JSON where it parses (numbers, booleans, quoted strings), else text. */
export function parseConstants(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InterleaveError('CLI_USAGE', `--const expects name=value, got '${pair}'`);
    const name = pair.slice(0, eq).trim();
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') {
      throw new InterleaveError('CLI_USAGE', `--const: '${name}' is not a valid constant name`);
    }
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[name] = value;
  }
  return { ...out };
}
