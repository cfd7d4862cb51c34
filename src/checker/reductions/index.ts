/** Reductions of the state space: symmetry (symmetry.ts: a state is stored as its class's representative). */
export * from './symmetry.ts';
