// Entry of a search worker thread (started by parallel.ts). Copied as is into dist/checker/ by scripts/build.mjs.
// - In the package, ./worker.js is the compiled worker: no tsx here. A TypeScript spec file gets tsx registered
//   by importModule (src/module-loader.ts) when the worker loads it, and only then.
// - In a checkout of the repository (no ./worker.js next to this file), the worker runs from the sources, through
//   tsx, with `import 'interleave'` resolved to src/ (scripts/source-mode.mjs), like bin/interleave.mjs does.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (existsSync(fileURLToPath(new URL('./worker.js', import.meta.url)))) {
  await import('./worker.js');
} else {
  const { registerSourceMode } = await import('../../../scripts/source-mode.mjs');
  registerSourceMode();
  await import('./worker.ts');
}
