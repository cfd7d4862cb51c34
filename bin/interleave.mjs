#!/usr/bin/env node
// The interleave CLI. In the package it runs the compiled dist/. In a checkout of the repository (src/ is there;
// the package ships none) it runs the sources through tsx, so the repository's tests and `npx interleave` always
// run the code as it is, never a stale build; INTERLEAVE_DIST=1 runs dist/ there instead (npm run build first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fromSource = process.env.INTERLEAVE_DIST !== '1' && existsSync(fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)));
let main;
if (fromSource) {
  const { registerSourceMode } = await import('../scripts/source-mode.mjs');
  registerSourceMode();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
