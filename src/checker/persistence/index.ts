/** Persistence: snapshots of a search (checkpoint.ts) that a later run resumes; the checker does no I/O itself. */
export * from './checkpoint.ts';
