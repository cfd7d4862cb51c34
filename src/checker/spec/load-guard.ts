import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { InterleaveError } from '../../errors.ts';

/**
 * While interleave imports a user's module (a search worker loading the spec, the CLI loading spec files), a
 * `check()` called by that module must not run: in a worker it would start workers of its own, which load the same
 * module again (unbounded threads); in the CLI it would run a script's search as a side effect of listing specs.
 * The guard is a property of `globalThis` under a registry symbol, so every copy of the library loaded into the
 * thread sees it (docs/spec-identity.md).
 */
const GUARD = Symbol.for('interleave.loadingUserModule');

interface Guard {
  /** The module being imported (a file URL or path), for the message. */
  file: string;
  /** In a search worker: the guard stays for the thread's life. */
  worker: boolean;
  /** How many times check() was called under the guard (a caught refusal still counts). */
  calls: number;
}

function current(): Guard | undefined {
  return (globalThis as Record<symbol, Guard | undefined>)[GUARD];
}

/** A file URL or path, as the user would name it: relative to the working folder when inside it. */
export function displayFile(file: string): string {
  let p = file;
  if (p.startsWith('file:')) {
    try {
      p = fileURLToPath(p);
    } catch {
      return file;
    }
  }
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** The one-line reason for a module that calls check() when imported. */
export function checkOnImportMessage(file: string, worker: boolean): string {
  return worker
    ? `${displayFile(file)} calls check() when imported; workers would re-run it`
    : `${displayFile(file)} calls check() when imported: it is a script, not a spec module, and interleave does not run it (call check() from a separate script or test that imports the spec)`;
}

/** Called first by `check()`: throws SPEC_CHECK_ON_IMPORT, synchronously, under the guard. */
export function refuseCheckWhileLoading(): void {
  const g = current();
  if (g === undefined) return;
  g.calls++;
  throw new InterleaveError('SPEC_CHECK_ON_IMPORT', checkOnImportMessage(g.file, g.worker), { file: g.file });
}

/** Marks this thread as a search worker for good: no check() runs in it, ever. */
export function guardWorkerThread(file: string): void {
  (globalThis as Record<symbol, Guard | undefined>)[GUARD] = { file, worker: true, calls: 0 };
}

/** How many check() calls the guard has refused in this thread so far. */
export function refusedChecks(): number {
  return current()?.calls ?? 0;
}

/**
 * Runs `load` (the import of a user's module) under the guard; a check() refused during it fails the load, even
 * when the module caught the refusal. Nested or worker guards are left as they are.
 */
export async function whileLoading<T>(file: string, load: () => Promise<T>): Promise<T> {
  const outer = current();
  const g: Guard = outer ?? { file, worker: false, calls: 0 };
  const before = g.calls;
  if (outer === undefined) (globalThis as Record<symbol, Guard | undefined>)[GUARD] = g;
  try {
    const out = await load();
    if (g.calls > before) throw new InterleaveError('SPEC_CHECK_ON_IMPORT', checkOnImportMessage(file, g.worker), { file });
    return out;
  } finally {
    if (outer === undefined) delete (globalThis as Record<symbol, Guard | undefined>)[GUARD];
  }
}
