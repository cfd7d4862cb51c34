import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { specOrigins, type Spec } from '../../model/spec.ts';
import { displayFile } from './load-guard.ts';

/**
 * Where a search worker finds the spec the coordinator checks: a module URL and the name of one of its exports,
 * resolved on the main thread, never guessed from the spec's name (docs/spec-identity.md).
 */
export interface SpecLocation {
  /** A file URL (built with pathToFileURL: spaces, '#', parentheses and any letter are safe). */
  url: string;
  /** The export whose value is the spec (`default` for a default export). */
  exportName: string;
}

/** Locations the CLI's loader knows (it imported the file and saw the export). Keyed by the spec object itself. */
const known = new WeakMap<object, SpecLocation>();

/** Records where `spec` was found (the CLI's loader calls this for every spec export of a file it loads). */
export function setSpecLocation(spec: Spec, location: SpecLocation): void {
  if (!known.has(spec)) known.set(spec, location);
}

/** The location recorded for `spec`, if any (synchronous: used to start workers ahead of a search). */
export function knownSpecLocation(spec: Spec): SpecLocation | undefined {
  return known.get(spec);
}

/** The entry script of this process (`node script.mjs`), as a file URL, resolved through links. */
function entryUrls(): string[] {
  const main = process.argv[1];
  if (!main) return [];
  const out = [pathToFileURL(main).href];
  try {
    out.push(pathToFileURL(realpathSync(main)).href);
  } catch {
    /* not a file: no entry script */
  }
  return out;
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(fileURLToPath(a)) === realpathSync(fileURLToPath(b));
  } catch {
    return false;
  }
}

/** How long the main thread waits to import a module that defined a spec (it may still be evaluating). */
const IMPORT_WAIT_MS = 5000;

/**
 * Resolves the module and export from which a worker can load `spec`, or says in one line why none can be named
 * (the search then runs on one thread). Known locations first (the CLI's loader); else every module on the stack
 * when the spec was defined (the module that called defineSpec, then its callers: a factory's user), taking the
 * export whose value is this very spec object. The entry script is never imported again: a script that defines a
 * spec and checks it would be re-run by each worker.
 */
export async function resolveSpecLocation(spec: Spec): Promise<SpecLocation | { reason: string }> {
  const hit = known.get(spec);
  if (hit) return hit;
  const origins = specOrigins(spec);
  if (origins.length === 0) return { reason: `the module that defined spec '${spec.name}' is not known, so workers cannot load it` };
  const entries = entryUrls();
  let entryReason: string | null = null;
  const tried: string[] = [];
  for (const url of origins) {
    if (entries.some((e) => sameFile(e, url))) {
      entryReason = `${displayFile(url)} defines spec '${spec.name}' and is the script being run; workers would re-run it (export the spec from a module of its own)`;
      continue;
    }
    let mod: Record<string, unknown>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // Already imported by the user's code in the usual case, so no code runs again. A module that is still being
      // evaluated (its top level awaits this very check) would never finish importing: give up after a while.
      const waited = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), IMPORT_WAIT_MS);
        timer.unref?.();
      });
      mod = (await Promise.race([import(url), waited])) as Record<string, unknown>;
    } catch {
      tried.push(displayFile(url));
      continue;
    } finally {
      if (timer) clearTimeout(timer);
    }
    for (const [name, value] of Object.entries(mod)) {
      if (value === spec) return { url, exportName: name };
    }
    if (mod.default && typeof mod.default === 'object' && !Array.isArray(mod.default)) {
      // A CommonJS or transpiled module: its exports are properties of the default export.
      for (const [name, value] of Object.entries(mod.default as Record<string, unknown>)) if (value === spec) return { url, exportName: `default.${name}` };
    }
    tried.push(displayFile(url));
  }
  if (entryReason) return { reason: entryReason };
  return { reason: `spec '${spec.name}' is not an export of ${tried.join(' or ')}, so workers cannot load it (export it from the module that builds it)` };
}

/** The export `name` of a module namespace (`default.x` reaches into a CommonJS default export). */
export function exportOf(mod: Record<string, unknown>, name: string): unknown {
  if (name.startsWith('default.') && !(name in mod)) {
    const d = mod.default as Record<string, unknown> | undefined;
    return d && typeof d === 'object' ? d[name.slice('default.'.length)] : undefined;
  }
  return mod[name];
}
