// Running interleave from its own sources (a checkout of the repository, where src/ exists): bin/interleave.mjs
// and the worker entry call registerSourceMode() before importing any src/*.ts file. It registers tsx (the sources
// are TypeScript) and source-condition.mjs, which resolves `import 'interleave'` in the bundled specs and tests to
// src/ (the "interleave-source" export condition) rather than to a dist/ build that may be stale or absent — so a
// spec and the checker always share one copy of the library. The published package has no src/ and never runs this.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

let registered = false;

export function registerSourceMode() {
  if (registered) return;
  registered = true;
  registerTsx();
  globalThis[Symbol.for('interleave.tsx-registered')] = true; // src/module-loader.ts: no second registration
  register('../src/typescript-format-hook.mjs', import.meta.url);
  register('./source-condition.mjs', import.meta.url);
}
