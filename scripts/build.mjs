#!/usr/bin/env node
// npm run build (also run by `prepare`, so `npm install`, `npm ci` and `npm pack` build): compiles src/ into dist/
// — JavaScript, declarations and source maps (with the TypeScript inlined, as the package ships no src/) — then
// finishes what tsc leaves:
//   - tsc rewrites `./x.ts` to `./x.js` in emitted JavaScript (rewriteRelativeImportExtensions) but not in the
//     declarations; a `.ts` import in a published .d.ts only resolves by accident, so they are rewritten here;
//   - the .mjs modules of src/ (the worker entry, a module hook) are JavaScript, which tsc does not copy.
// It builds into a fresh folder and swaps it in, so a reader of dist/ never sees a half-written build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const next = path.join(root, `dist.building-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(next, { recursive: true, force: true });
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit' });
  let rewritten = 0;
  for (const file of walk(next)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8');
    // `from './x.ts'`, `import('./x.ts')` and `export * from '../y/index.ts'`: relative specifiers only.
    const out = text.replace(/(['"])(\.\.?\/[^'"\n]*?)\.([mc]?)ts\1/g, (_m, q, base, m) => `${q}${base}.${m}js${q}`);
    if (out !== text) {
      writeFileSync(file, out);
      rewritten++;
    }
  }
  // JavaScript modules in src/ (the worker entry, module hooks) are copied as they are.
  for (const file of walk(path.join(root, 'src'))) {
    if (file.endsWith('.mjs')) copyFileSync(file, path.join(next, path.relative(path.join(root, 'src'), file)));
  }
  rmSync(dist, { recursive: true, force: true });
  renameSync(next, dist);
  const files = [...walk(dist)];
  console.log(`built dist/: ${files.length} files (${rewritten} declaration files had .ts imports rewritten)`);
} finally {
  if (existsSync(next)) rmSync(next, { recursive: true, force: true });
}

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}
