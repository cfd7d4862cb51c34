/**
 * State representation: how a state is stored. The schema plan (plan.ts) says how each field is laid out, the
 * codec (codec.ts) packs a state into 32-bit words and back, and fingerprints them; the seen-set (seen-set.ts)
 * keeps the fingerprints of one thread's visited states with their parents and step labels; the shared table
 * (shared-table.ts) is the seen-set the worker threads share, with its per-entry arrays in chunks (entry-chunks.ts).
 */
export * from './plan.ts';
export * from './codec.ts';
export * from './seen-set.ts';
export * from './shared-table.ts';
export * from './entry-chunks.ts';
