// Entry of a search worker thread: spec files are TypeScript, so the worker loads through tsx like the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
