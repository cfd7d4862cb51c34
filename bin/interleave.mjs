#!/usr/bin/env node
// The interleave CLI. Spec files are TypeScript, loaded at run time through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
