// Types of bench/measure.mjs (imported by bench/floor.ts).
export interface PanRun {
  distinct: number;
  generated: number;
  distinctDigits: number;
  generatedDigits: number;
  seconds: number;
  wallSeconds: number;
  statesPerSecond: number;
  bytesPerState: number;
}
export function haveSpin(): boolean;
export function thousands(x: number): string;
export function compilePan(dir: string, file: string, source: string, flags?: string[]): string;
export function compileVerifier(dir: string, m: import('./models.d.mts').BenchModel, kind: 'dfs' | 'bfs', memlimMb: number, flags?: string[]): string;
export function coresSizes(quick: boolean): { warm: 'quick' | 'default'; measured: 'quick' | 'large' };
export function coresVerifiers(quick: boolean): ['quick' | 'default' | 'large', 'dfs' | 'bfs'][];
export function verifierName(m: import('./models.d.mts').BenchModel, size: string, kind: 'dfs' | 'bfs'): string;
export function runPan(pan: string, args?: string[]): PanRun;
export function sameCount(spin: number, digits: number, ours: number): boolean;
export function median(xs: number[]): number;
