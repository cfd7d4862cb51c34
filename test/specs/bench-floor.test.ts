import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';

// `npm run bench:floor` (bench/floor.ts): the spec's own code timed over every reachable state, beside the whole
// search and SPIN. It stops with an error if the search generated other than what it timed, so a row means the
// two explored the same transitions.
const root = path.resolve(import.meta.dirname, '../..');
const floor = (...args: string[]) =>
  spawnSync(process.execPath, ['--conditions=interleave-source', '--import', 'tsx', 'bench/floor.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

it('prints a row per model: its transitions and a figure per part (two-phase commit, 5 RMs, one round)', () => {
  const r = floor('--size', 'quick', '--rounds', '1', 'two-phase');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const row = r.stdout.split('\n').find((l) => l.startsWith('| two-phase commit rms=5 |'));
  expect(row).toBeDefined();
  const cells = row!.split('|').slice(2, -1).map((c) => c.trim());
  // TLC's 58,146 generated states are the initial state and 58,145 transitions.
  expect(cells[0]).toBe('58,145');
  // decode, spec, + encode, + probe, search: nanoseconds a transition.
  for (const c of cells.slice(1, 6)) expect(Number(c)).toBeGreaterThan(0);
});

it('a bad option or model name exits 2 with the usage line', () => {
  const bad = floor('--rounds', '0');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("--rounds takes a whole number from 1, not '0'");
  expect(bad.stderr).toContain('usage: npm run bench:floor');
  expect(floor('--fast').stderr).toContain("no option '--fast'");
  const unknown = floor('paxos');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('no model named paxos');
});
