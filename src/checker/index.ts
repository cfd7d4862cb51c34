export { check } from './engine.ts';
export { SpecRuntime, formatStep } from './runtime.ts';
export { resolveConstants } from './constants.ts';
export { compileCodec, WordBuffer, type StateCodec } from './codec.ts';
export { SeenSet, fingerprint, FP } from './seen-set.ts';
export type * from './types.ts';
