// Types of bench/models.mjs (imported by test/specs/bench-promela.test.ts).
export interface BenchModel {
  key: 'peterson' | 'gossip' | 'two-phase' | 'failover';
  name: string;
  spec: string;
  constants: Record<string, unknown>;
  args: string[];
  promela: string;
  file: string;
  /** pan's -m for the depth-first search: at least the depth it reaches. */
  spinDepth: number;
}
export const modelKeys: readonly BenchModel['key'][];
export function benchModels(size: 'quick' | 'default' | 'large'): BenchModel[];
export function selectModels(size: 'quick' | 'default' | 'large', wanted: readonly string[]): BenchModel[];
