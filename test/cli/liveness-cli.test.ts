import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTTY: false, color: false };
}

describe('CLI: liveness, strategies, coverage, graph export', () => {
  it('check --json shows the lasso (trace.loop), coverage and warnings; exit 1', async () => {
    const io = capture();
    const code = await main(['check', 'specs/bench/peterson.ts', '--const', 'fairness=system', '--json'], io);
    expect(code).toBe(1);
    const out = JSON.parse(io.stdout.join('\n'));
    expect(out.property).toBe('starvationFree');
    expect(out.trace.loop).toBe(7);
    expect(out.trace.kind).toBe('property');
    expect(out.coverage.actions).toHaveLength(4);
    expect(out.warnings).toEqual([]);
  });

  it('check prints the lasso shape and the coverage table', async () => {
    const io = capture();
    const code = await main(['check', 'specs/bench/peterson.ts', '--const', 'fairness=system', '--coverage'], io);
    expect(code).toBe(1);
    const text = io.stdout.join('\n');
    expect(text).toContain('loop starts here');
    expect(text).toContain('lasso: a stem of 7 actions, then a loop of 12 actions');
    expect(text).toMatch(/setVictim\s+\d+/);
  });

  it('--property selects; an unknown name is bad input (exit 2)', async () => {
    const io = capture();
    expect(await main(['check', 'specs/bench/peterson.ts', '--property', 'mutex', '--const', 'fairness=system'], io)).toBe(0);
    expect(await main(['check', 'specs/bench/peterson.ts', '--property', 'nope'], capture())).toBe(2);
  });

  it('--strategy random echoes the seed and walks/s', async () => {
    const io = capture();
    const code = await main(['check', 'specs/die-hard.ts', '--strategy', 'random', '--seed', '5', '--runs', '2000', '--max-depth', '30'], io);
    expect(code).toBe(1);
    expect(io.stdout.join('\n')).toMatch(/random simulation: seed 5, 2,000 of 2,000 walks of up to 30 steps, [\d,]+ walks\/s/);
  });

  it('export --graph dot writes the graph; too large a space exits 3', async () => {
    const io = capture();
    expect(await main(['export', 'specs/die-hard.ts', '--graph', 'dot'], io)).toBe(0);
    expect(io.stdout.join('\n').match(/->/g)!.length).toBe(96);
    expect(await main(['graph', 'specs/bench/peterson.ts', '--format', 'json', '--const', 'n=4', '--max-states', '100'], capture())).toBe(3);
  });
});
