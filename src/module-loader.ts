import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** File extensions Node cannot import by itself: a spec written in TypeScript. */
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Set on globalThis once a thread has tsx registered (scripts/source-mode.mjs sets it too). */
const TSX_REGISTERED = Symbol.for('interleave.tsx-registered');

/**
 * Imports a user's module (a spec file) by URL. A TypeScript file gets tsx's loader registered first, once per
 * thread and only then: JavaScript specs, the CLI's `--version` and the library itself never load tsx.
 */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  const flags = globalThis as { [TSX_REGISTERED]?: boolean };
  if (!flags[TSX_REGISTERED] && isTypeScript(url)) {
    await preloadLibrary();
    const { register } = await import('tsx/esm/api');
    register();
    // Runs before tsx's resolve: a TypeScript spec with import/export loads as an ES module in any package.
    (await import('node:module')).register('./typescript-format-hook.mjs', import.meta.url);
    flags[TSX_REGISTERED] = true;
  }
  return (await import(url)) as Record<string, unknown>;
}

/**
 * Loads this package's own entry (`import 'interleave'`, a self-reference) before tsx is registered. Once it is, Node
 * 20 sends every module the thread loads through tsx's loader thread, a round trip for each; a spec's
 * `import { defineSpec } from 'interleave'` would load the library's modules that way. Loaded now, they are
 * already in the module map when the spec names them, and only the user's own files go through tsx: two search
 * workers of a TypeScript spec were ready in 735 instead of 818 ms (medians; docs/performance.md, "Worker start-up").
 * A spec that resolves 'interleave' to another copy loads that copy as before.
 * Only a head start: a failure here is left for the spec's own import to report.
 */
async function preloadLibrary(): Promise<void> {
  try {
    await import('interleave');
  } catch {
    // The spec's import reports whatever is wrong.
  }
}

/** Whether `url` names a TypeScript file (by its extension). */
export function isTypeScript(url: string): boolean {
  let file = url;
  try {
    if (url.startsWith('file:')) file = fileURLToPath(url);
  } catch {
    // Not a file URL Node understands: import() reports it.
  }
  return TYPESCRIPT.has(extname(file).toLowerCase());
}
