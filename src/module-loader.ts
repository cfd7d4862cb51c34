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
    const { register } = await import('tsx/esm/api');
    register();
    // Runs before tsx's resolve: a TypeScript spec with import/export loads as an ES module in any package.
    (await import('node:module')).register('./typescript-format-hook.mjs', import.meta.url);
    flags[TSX_REGISTERED] = true;
  }
  return (await import(url)) as Record<string, unknown>;
}

function isTypeScript(url: string): boolean {
  let file = url;
  try {
    if (url.startsWith('file:')) file = fileURLToPath(url);
  } catch {
    // Not a file URL Node understands: import() reports it.
  }
  return TYPESCRIPT.has(extname(file).toLowerCase());
}
