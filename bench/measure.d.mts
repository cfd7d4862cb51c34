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
export function runPan(pan: string, args?: string[]): PanRun;
export function sameCount(spin: number, digits: number, ours: number): boolean;
export function median(xs: number[]): number;
