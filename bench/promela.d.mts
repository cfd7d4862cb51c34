// Types of bench/promela.mjs (imported by test/specs/bench-promela.test.ts).
export function petersonPromela(n: number): string;
export function gossipPromela(options: { maxEpoch: number; bagSize: number; variant: 'fixed' | 'buggy' }): string;
export function twoPhasePromela(rms: number): string;
export function failoverPromela(options: { nodes: number; maxEpoch: number; capacity: number }): string;
export function bfsParTwin(source: string): string;
