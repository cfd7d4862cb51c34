// Module resolve hook, registered with tsx by importModule (src/module-loader.ts) and by scripts/source-mode.mjs.
// A user's TypeScript spec written with `import`/`export` in a package without "type": "module" (what
// `npm init -y` writes) would be CommonJS to Node; tsx then compiles it to CommonJS and its `require('interleave')`
// reaches the library by another path than the CLI did: a second copy of interleave, whose specs, bags and sets
// the first copy does not recognise. Such a file is loaded as the ES module it is written as, so the spec and the
// checker share one copy. Files in node_modules, `.cts` files and files with no import/export keep Node's format.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s)/m;

export async function resolve(specifier, context, nextResolve) {
  const r = await nextResolve(specifier, context);
  if (r.format !== 'commonjs' || !r.url.startsWith('file:') || !/\.(ts|tsx|mts)$/.test(r.url) || r.url.includes('/node_modules/')) return r;
  let source;
  try {
    source = readFileSync(fileURLToPath(r.url), 'utf8');
  } catch {
    return r;
  }
  return ESM_SYNTAX.test(source) ? { ...r, format: 'module' } : r;
}
