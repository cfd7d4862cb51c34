/**
 * Issue 15, item 2: the spec a worker checks is provably the spec the main thread checks. Real worker threads, the
 * real CLI (`node bin/interleave.mjs`) and the API; see docs/spec-identity.md.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { check, isInterleaveError } from '../../src/index.ts';
import { whileLoading } from '../../src/checker/spec/load-guard.ts';
import { big } from '../fixtures/spec-identity/factory/big.ts';
import { grid } from '../fixtures/spec-identity/factory/make.ts';
import { BIN, ROOT } from '../robustness/helpers.ts';

const FIX = 'test/fixtures/spec-identity';

interface Watched {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The most threads the process had at once (/proc/PID/task), sampled every 20 ms. */
  maxThreads: number;
  killed: boolean;
}

/** Runs node with these arguments, counting its threads, and kills it after `limitMs` (then `killed`). */
function watch(args: readonly string[], limitMs = 90_000): Promise<Watched> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let maxThreads = 0;
    let killed = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = setInterval(() => {
      try {
        maxThreads = Math.max(maxThreads, readdirSync(`/proc/${child.pid}/task`).length);
      } catch {
        /* exited */
      }
    }, 20);
    const limit = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearInterval(sample);
      clearTimeout(limit);
      resolve({ code, stdout, stderr, maxThreads, killed });
    });
  });
}

const cli = (args: readonly string[]) => watch([BIN, ...args]);
const json = (w: Watched) => JSON.parse(w.stdout) as { status: string; property: string | null; stats: { distinct: number; workers: number }; warnings?: string[]; trace?: { steps: unknown[] } };

// A node process has ~12 threads of its own here; two workers add ~4. Before the fix a script that checks with
// workers at its top level grew without bound (40 threads after 12 s, 508 in a folder run).
const THREAD_BOUND = 24;

describe('a spec built by a factory in another module', () => {
  it('the CLI: --workers 2 checks the exported spec, not the factory module\'s own spec of the same name', async () => {
    const [one, two] = await Promise.all([
      cli(['check', `${FIX}/factory/big.ts`, '--workers', '1', '--json']),
      cli(['check', `${FIX}/factory/big.ts`, '--workers', '2', '--json']),
    ]);
    for (const r of [one, two]) {
      expect(r.code, r.stderr).toBe(1);
      expect(json(r)).toMatchObject({ status: 'violation', property: 'xBelowBound' });
      expect(json(r).trace!.steps).toHaveLength(6); // init and 5 steps right
      expect(json(r).warnings ?? []).toEqual([]);
    }
    expect([json(one).stats.workers, json(two).stats.workers]).toEqual([1, 2]);
  });

  it('the API: check(big, { workers: 2 }) finds the export in big.ts (make.ts only built it)', async () => {
    // The complete search: the 8×8 grid of big.ts (make.ts's own spec has 4×4 = 16 states), 1 and 2 workers.
    const one = await check(big, { workers: 1, constants: { bound: 9 }, deadlock: false });
    const two = await check(big, { workers: 2, constants: { bound: 9 }, deadlock: false });
    expect([one.status, one.stats.distinct, one.stats.workers]).toEqual(['ok', 64, 1]);
    expect([two.status, two.stats.distinct, two.stats.workers, two.warnings ?? []]).toEqual(['ok', 64, 2, []]);
    const own = await check(grid, { deadlock: false });
    expect([own.status, own.stats.distinct]).toEqual(['ok', 16]);
  });
});

describe('no check() ever runs in a worker: bounded threads, bounded time', () => {
  it('a script that defines a spec and checks it with workers at its top level runs on one thread and says why', async () => {
    const r = await watch(['--import', 'tsx', `${FIX}/inline-script.ts`]);
    expect(r.killed).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'violation',
      property: 'notCorner',
      distinct: 441,
      workers: 1,
      warnings: [`${FIX}/inline-script.ts defines spec 'inline' and is the script being run; workers would re-run it (export the spec from a module of its own); searched on one thread instead`],
    });
    expect(r.maxThreads).toBeGreaterThan(0);
    expect(r.maxThreads).toBeLessThanOrEqual(THREAD_BOUND);
  });

  it('a module that checks its spec when imported: the workers refuse the check, the search falls back with the reason', async () => {
    const r = await watch(['--import', 'tsx', `${FIX}/run-imported.ts`]);
    expect(r.killed).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      status: 'violation',
      property: 'notCorner',
      distinct: 441,
      workers: 1,
      warnings: [`${FIX}/checks-on-import.ts calls check() when imported; workers would re-run it; searched on one thread instead`],
    });
    expect(r.maxThreads).toBeLessThanOrEqual(THREAD_BOUND);
  });

  it('a folder run reports a script that checks when imported (SPEC_CHECK_ON_IMPORT) and does not run it', async () => {
    const r = await cli(['check', `${FIX}/folder`]);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `error SPEC_CHECK_ON_IMPORT: ${FIX}/folder/script.ts calls check() when imported: it is a script, not a spec module, and interleave does not run it (call check() from a separate script or test that imports the spec)`,
    );
    expect(r.stdout).not.toContain('the script ran its check');
    expect(r.stdout).toMatch(/✓ counter\s+default\s+holds\s+holds\s+4\s+3/);
    expect(r.maxThreads).toBeLessThanOrEqual(THREAD_BOUND);
  });

  it('check() under the load guard throws at once, synchronously, with its code', async () => {
    let thrown: unknown;
    await expect(
      whileLoading(pathToFileURL(path.join(ROOT, 'x.ts')).href, async () => {
        try {
          void check(big, { workers: 2 });
        } catch (e) {
          thrown = e;
        }
      }),
    ).rejects.toThrow('x.ts calls check() when imported: it is a script');
    expect(isInterleaveError(thrown) && thrown.code).toBe('SPEC_CHECK_ON_IMPORT');
    // Outside the guard, check() runs again.
    expect((await check(big, { workers: 1, constants: { bound: 9 }, deadlock: false })).stats.distinct).toBe(64);
  });
});

describe('paths and identity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'interleave spaces #1 (ü✓) '));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a spec under a path with a space, #, parentheses and unicode runs on 2 workers', async () => {
    const file = path.join(dir, 'spec (1) #a ü.ts');
    const lib = pathToFileURL(path.join(ROOT, 'src/index.ts')).href;
    writeFileSync(
      file,
      `import { defineSpec, z } from ${JSON.stringify(lib)};
export const odd = defineSpec({
  name: 'odd',
  state: z.object({ x: z.number().int().min(0).max(5), y: z.number().int().min(0).max(5) }),
  init: () => ({ x: 0, y: 0 }),
  actions: {
    right: { guard: (s) => s.x < 5, effect: (s) => ({ ...s, x: s.x + 1 }) },
    up: { guard: (s) => s.y < 5, effect: (s) => ({ ...s, y: s.y + 1 }) },
  },
});
`,
    );
    const r = await cli(['check', file, '--workers', '2', '--json', '--no-deadlock']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).stats).toMatchObject({ distinct: 36, workers: 2 });
    expect(json(r).warnings ?? []).toEqual([]);
  });

  it('a worker that builds a different spec: one thread, and a one-line reason naming the user\'s file', async () => {
    const r = await cli(['check', `${FIX}/thread-dependent.ts`, '--workers', '2', '--json', '--no-deadlock']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).stats).toMatchObject({ distinct: 7, workers: 1 });
    expect(json(r).warnings).toEqual([
      `the spec a worker loads from ${FIX}/thread-dependent.ts (export 'drift') is not the one being checked: the actions differ: inc, reset on the main thread, inc in a worker; searched on one thread instead`,
    ]);
    expect(json(r).warnings!.join('\n')).not.toContain('src/cli/load.ts');
  });
});
