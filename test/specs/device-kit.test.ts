import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

// bench/device-kit.mjs compiles SPIN's verifiers beforehand, so that `bench/cores.mjs --pan DIR` runs on a machine
// with neither SPIN nor gcc. Here: the kit for two-phase commit at the quick size, packed, unpacked elsewhere, then
// cores.mjs with a PATH that holds node alone. Needs SPIN and gcc to build the kit (`apt-get install spin`).
const root = path.resolve(import.meta.dirname, '../..');
const haveSpin = spawnSync('spin', ['-V']).status === 0 && spawnSync('gcc', ['--version']).status === 0;
const dir = mkdtempSync(path.join(os.tmpdir(), 'interleave-kit-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const node = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env, timeout: 240_000 });

it.skipIf(!haveSpin)('cores.mjs runs the verifiers of a kit where neither spin nor gcc is on the PATH (two-phase commit, 5 RMs)', () => {
  const kit = path.join(dir, 'kit');
  const built = node(['bench/device-kit.mjs', '--quick', '--no-modules', '--no-node', '--memlim', '1024', '--out', kit, 'two-phase']);
  expect(built.status, built.stderr).toBe(0);
  expect(built.stdout).toContain('2 verifiers (BFS_PAR MEMLIM 1024 MB)');
  expect(built.stdout).toContain("tarfile.open('kit.tar.xz')");
  // What travels is the archive: unpacked somewhere else, it is all cores.mjs needs.
  const there = path.join(dir, 'there');
  mkdirSync(there);
  expect(spawnSync('tar', ['-xJf', `${kit}.tar.xz`, '-C', there]).status).toBe(0);
  const pans = path.join(there, 'kit', 'pan');
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  const env = { HOME: process.env.HOME, PATH: bin };
  expect(spawnSync('spin', ['-V'], { env }).status).not.toBe(0);
  const run = node(['bench/cores.mjs', '--quick', '--workers', '1', '--pan', pans, 'two-phase'], env);
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('compiled beforehand (BFS_PAR MEMLIM 1024 MB, Spin Version');
  // The counts of every run, interleave's and both verifiers', agree with TLC's.
  expect(run.stdout).toContain('two-phase commit rms=5: 8,832 distinct, 58,146 generated — the same in every run and in SPIN ✓');
  // A model the kit has no verifier for: exit 2, naming it.
  const missing = node(['bench/cores.mjs', '--quick', '--pan', pans, 'gossip'], env);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('has no verifier gossip-quick-dfs, gossip-quick-bfs');
});

it('bad options exit 2 with the usage line', () => {
  for (const [args, message] of [
    [['bench/device-kit.mjs', '--memlim', 'lots'], "--memlim takes megabytes, a whole number (got 'lots')"],
    [['bench/device-kit.mjs', 'paxos'], 'no model named paxos'],
    [['bench/cores.mjs', '--pan', path.join(dir, 'nowhere')], '--pan takes the directory of verifiers bench/device-kit.mjs wrote'],
  ] as const) {
    const r = node([...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: node bench/');
  }
});
