/**
 * interleave as an outside user gets it: `npm pack` this repository (its `prepare` builds dist/), install the
 * tarball into fresh temporary projects with npm (offline, from a lockfile written from this repository's: see
 * install.ts), and use it there — plain Node ESM, TypeScript under `tsc --init` with `module: nodenext` and with
 * `moduleResolution: bundler`, a CommonJS project, the CLI (with 2 workers) on TypeScript and JavaScript spec
 * files, a spec made by a factory in another module, a script that defines a spec inline and checks it with
 * workers, and the project `interleave init` scaffolds (its check, test and typecheck scripts). Each verdict and
 * distinct count must equal the in-repo run's. Every child process has a time limit.
 *
 * The projects share one installation (one `npm ci` in the temporary root; each project is a folder with its
 * own package.json and tsconfig below it, and Node and tsc find the root's node_modules as they would their own).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, installPacked, pack, ROOT, type Packed, type Run } from './install.ts';

const FIX = path.join(ROOT, 'test/package/fixtures');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'interleave-outside-'));
const bin = path.join(tmp, 'node_modules/.bin/interleave');
let packed: Packed;
const inRepo: Record<string, { status: string; distinct: number; property?: string }> = {};

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `interleave check ... --json` with the repository's own CLI (the sources), for comparison. */
async function repoCheck(args: string[]) {
  const r = await exec(process.execPath, [path.join(ROOT, 'bin/interleave.mjs'), 'check', ...args, '--json'], { cwd: ROOT, timeoutMs: 120_000 });
  return json(r);
}

function json(r: Run) {
  if (r.stdout.trim() === '') throw new Error(`no output (exit ${r.code}, signal ${r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as { status: string; property?: string; stats: { distinct: number; workers: number }; warnings: string[]; trace?: { steps: unknown[] } };
}

function node(args: string[], cwd: string, timeoutMs = 60_000) {
  return exec(process.execPath, args, { cwd, timeoutMs });
}

beforeAll(async () => {
  const [p, tpc, bagRun, factory] = await Promise.all([
    pack(tmp),
    repoCheck(['specs/two-phase-commit.ts', '--const', 'rms=3', '--workers', '1']),
    repoCheck(['test/package/fixtures/bag-spec.mjs', '--no-deadlock', '--workers', '1']),
    repoCheck(['test/package/fixtures/factory-big.mjs', '--workers', '1']),
  ]);
  packed = p;
  inRepo.tpc = { status: tpc.status, distinct: tpc.stats.distinct };
  inRepo.bag = { status: bagRun.status, distinct: bagRun.stats.distinct };
  inRepo.factory = { status: factory.status, distinct: factory.stats.distinct, property: factory.property };
  const install = await installPacked(tmp, packed, ['typescript', 'vitest', '@types/node'], { type: 'module' });
  if (install.code !== 0) throw new Error(`npm ci failed (${install.code}):\n${install.stderr}`);
  mkdirSync(path.join(tmp, 'specs'));
  cpSync(path.join(ROOT, 'specs/two-phase-commit.ts'), path.join(tmp, 'specs/two-phase-commit.ts'));
  cpSync(path.join(ROOT, 'specs/die-hard.ts'), path.join(tmp, 'specs/die-hard.ts'));
  for (const f of ['bag-spec.mjs', 'esm-main.mjs', 'cjs-main.cjs', 'factory-lib.mjs', 'factory-big.mjs', 'inline.mjs', 'loads.ts', 'loads-meta.ts', 'loads-helper.ts']) cpSync(path.join(FIX, f), path.join(tmp, f));
}, 420_000);

describe('the package', () => {
  it('holds dist/, the CLI, README and LICENSE, and nothing else', () => {
    // The in-repo runs pin the numbers the installed package must reproduce.
    expect(inRepo).toEqual({
      tpc: { status: 'ok', distinct: 288 },
      bag: { status: 'ok', distinct: 225 },
      factory: { status: 'violation', distinct: 376, property: 'belowLimit' },
    });
    const top = new Set(packed.files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
    expect(packed.files.filter((f) => f.startsWith('bin/'))).toEqual(['bin/interleave.mjs']);
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/testing/index.js', 'dist/viewer/index.d.ts', 'dist/checker/search/worker-entry.mjs', 'dist/checker/search/worker.js']) {
      expect(packed.files).toContain(f);
    }
    // Declarations import .js files (tsc leaves .ts there; scripts/build.mjs rewrites them).
    const dts = readFileSync(path.join(tmp, 'node_modules/interleave/dist/index.d.ts'), 'utf8');
    expect(dts).toContain("from './model/index.js'");
    expect(dts).not.toMatch(/from '\.[^']*\.ts'/);
    console.log(`tarball: ${packed.filename}, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${packed.entryCount} files`);
  });

  it('plain Node ESM: import and check() (die-hard, and a bag spec) as in the repository', async () => {
    const r = await node(['esm-main.mjs'], tmp);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      dieHard: { status: 'violation', property: 'bigNotFour', length: 6, distinct: 14 },
      bag: { status: 'ok', distinct: inRepo.bag!.distinct },
    });
  });

  for (const [name, edit] of [
    ['module nodenext', (t: string) => t],
    ['moduleResolution bundler', (t: string) => t.replace('"module": "nodenext",', '"module": "preserve",\n    "moduleResolution": "bundler",')],
  ] as const) {
    it(`TypeScript, tsc --init with ${name}: zero errors, the state type inferred from the schema`, async () => {
      const dir = path.join(tmp, `ts-${name.split(' ')[0]}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'package.json'), '{ "name": "ts-user", "private": true, "type": "module" }\n');
      const init = await exec(path.join(tmp, 'node_modules/.bin/tsc'), ['--init'], { cwd: dir, timeoutMs: 60_000 });
      expect(init.code).toBe(0);
      const tsconfig = readFileSync(path.join(dir, 'tsconfig.json'), 'utf8');
      expect(tsconfig).toContain('"module": "nodenext",');
      writeFileSync(path.join(dir, 'tsconfig.json'), edit(tsconfig));
      cpSync(path.join(FIX, 'typed.ts'), path.join(dir, 'typed.ts'));
      // A file that must NOT compile: proves tsc really checks the state type here (a wrong field is an error).
      writeFileSync(path.join(dir, 'wrong.ts'), "import type { StateOf } from 'interleave';\nimport type { typed } from './typed.js';\nexport const s: StateOf<typeof typed> = { count: 'one', log: [] };\n");
      const bad = await exec(path.join(tmp, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], { cwd: dir, timeoutMs: 120_000 });
      expect(bad.stdout).toMatch(/^wrong\.ts\(3,43\): error TS2322: Type 'string' is not assignable to type 'number'\.\s*$/);
      rmSync(path.join(dir, 'wrong.ts'));
      const r = await exec(path.join(tmp, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], { cwd: dir, timeoutMs: 120_000 });
      expect(r.stdout).toBe('');
      expect(r.code).toBe(0);
    });
  }

  it('CommonJS (npm init -y): require() gives the same instance as import, and the same bag semantics', async () => {
    const dir = path.join(tmp, 'cjs');
    mkdirSync(dir);
    const init = await exec('npm', ['init', '-y'], { cwd: dir, timeoutMs: 60_000 });
    expect(init.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type).toBe('commonjs');
    cpSync(path.join(tmp, 'cjs-main.cjs'), path.join(dir, 'main.js'));
    cpSync(path.join(tmp, 'bag-spec.mjs'), path.join(dir, 'bag-spec.mjs'));
    const r = await node(['main.js'], dir);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ sameInstance: true, status: 'ok', distinct: inRepo.bag!.distinct });
  });

  it('CommonJS: the CLI on a TypeScript spec (sets, symmetry) with 2 workers gives the in-repo count', async () => {
    const dir = path.join(tmp, 'cjs');
    mkdirSync(path.join(dir, 'specs'), { recursive: true });
    cpSync(path.join(ROOT, 'specs/two-phase-commit.ts'), path.join(dir, 'specs/two-phase-commit.ts'));
    const r = json(await exec(bin, ['check', 'specs/two-phase-commit.ts', '--const', 'rms=3', '--workers', '2', '--json'], { cwd: dir, timeoutMs: 120_000 }));
    expect({ status: r.status, distinct: r.stats.distinct, workers: r.stats.workers, warnings: r.warnings }).toEqual({ ...inRepo.tpc, workers: 2, warnings: [] });
  });

  it('npx interleave check with --workers 2: TypeScript and JavaScript specs, the in-repo verdicts and counts', async () => {
    const npx = (args: string[]) => exec('npx', ['--no', 'interleave', 'check', ...args, '--json'], { cwd: tmp, timeoutMs: 120_000 }).then(json);
    const [tpc, bagRun, dieHard] = await Promise.all([
      npx(['specs/two-phase-commit.ts', '--const', 'rms=3', '--workers', '2']),
      npx(['bag-spec.mjs', '--no-deadlock', '--workers', '2']),
      npx(['specs/die-hard.ts', '--workers', '2']),
    ]);
    expect({ status: tpc.status, distinct: tpc.stats.distinct, workers: tpc.stats.workers }).toEqual({ ...inRepo.tpc, workers: 2 });
    expect({ status: bagRun.status, distinct: bagRun.stats.distinct, workers: bagRun.stats.workers }).toEqual({ ...inRepo.bag, workers: 2 });
    // A violation ends the search mid-level, so its distinct count depends on the workers: compare the trace.
    expect({ status: dieHard.status, property: dieHard.property, length: dieHard.trace!.steps.length - 1 }).toEqual({ status: 'violation', property: 'bigNotFour', length: 6 });
  });

  it('a TypeScript spec on 2 workers: they load it bundled (no tsx in them), or from the file where a bundle could change it or does not load', async () => {
    // Each thread that evaluates the spec's helper logs whether it came from the bundle or the file (loads-helper.ts).
    const log = path.join(tmp, 'loads.log');
    const run = (file: string, workers: number) => exec(bin, ['check', file, '--workers', String(workers), '--json'], { cwd: tmp, timeoutMs: 120_000, env: { LOAD_LOG: log } }).then(json);
    for (const [file, name, workerLoads] of [['loads.ts', 'loads', 'bundle'], ['loads-meta.ts', 'loads-meta', 'file']] as const) {
      rmSync(log, { force: true });
      const two = await run(file, 2);
      const loads = readFileSync(log, 'utf8').trim().split('\n');
      const one = await run(file, 1);
      expect({ status: two.status, distinct: two.stats.distinct, workers: two.stats.workers, warnings: two.warnings }, file).toEqual({ status: 'ok', distinct: 49, workers: 2, warnings: [] });
      expect({ status: one.status, distinct: one.stats.distinct }, file).toEqual({ status: 'ok', distinct: 49 });
      // The main thread loads the file; each worker, the bundle (loads.ts) or the file (loads-meta.ts reads import.meta).
      expect(loads[0], file).toBe(`${name} file`);
      expect(loads.slice(1, 3), file).toEqual([`${name} ${workerLoads}`, `${name} ${workerLoads}`]);
    }
    // A bundle that fails to load (here the spec's helper throws when it is bundled): each worker loads the file.
    rmSync(log, { force: true });
    const refused = json(await exec(bin, ['check', 'loads.ts', '--workers', '2', '--json'], { cwd: tmp, timeoutMs: 120_000, env: { LOAD_LOG: log, REFUSE_BUNDLE: '1' } }));
    expect({ status: refused.status, distinct: refused.stats.distinct, workers: refused.stats.workers, warnings: refused.warnings }).toEqual({ status: 'ok', distinct: 49, workers: 2, warnings: [] });
    expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['loads bundle', 'loads bundle', 'loads file', 'loads file', 'loads file']);
  });

  it('without the optional client ioredis, check --cluster and interleave node stop with CLUSTER_NO_CLIENT (exit 2)', async () => {
    const cli = (args: string[]) => exec('npx', ['--no', 'interleave', ...args], { cwd: tmp, timeoutMs: 60_000 });
    const [check, node] = await Promise.all([cli(['check', 'specs/die-hard.ts', '--cluster', 'redis://127.0.0.1:17099', '--nodes', '2']), cli(['node', '--cluster', 'redis://127.0.0.1:17099'])]);
    for (const r of [check, node]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("error CLUSTER_NO_CLIENT: a distributed search needs the Valkey/Redis client ioredis");
    }
  });

  it('a spec made by a factory in another module: --workers 2 gives the in-repo verdict and count (never the module\'s own spec)', async () => {
    const r = json(await exec(bin, ['check', 'factory-big.mjs', '--workers', '2', '--json'], { cwd: tmp, timeoutMs: 120_000 }));
    expect({ status: r.status, property: r.property, length: (r.trace?.steps.length ?? 0) - 1 }).toEqual({ status: 'violation', property: 'belowLimit', length: 30 });
    if (r.stats.workers === 1) expect(r.stats.distinct).toBe(inRepo.factory!.distinct);
  });

  it('a script that defines a spec inline and calls check() with 2 workers finishes, with a bounded thread count', async () => {
    const one = await exec(process.execPath, ['inline.mjs'], { cwd: tmp, timeoutMs: 60_000, env: { WORKERS: '1' } });
    expect(one.code).toBe(0);
    const base = JSON.parse(one.stdout) as { status: string; distinct: number };
    expect(base).toMatchObject({ status: 'ok', distinct: 961 });
    const two = await exec(process.execPath, ['inline.mjs'], { cwd: tmp, timeoutMs: 30_000, env: { WORKERS: '2' } });
    expect(two.signal, `killed at the time limit; ${two.maxThreads} threads`).toBe(null);
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({ status: 'ok', distinct: 961 });
    if (one.maxThreads > 0) expect(two.maxThreads).toBeLessThanOrEqual(one.maxThreads + 4);
  });

  it('interleave init: the scaffolded project type-checks, checks and tests with the installed package', async () => {
    const init = await exec(bin, ['init', 'scaffold'], { cwd: tmp, timeoutMs: 60_000 });
    expect(init.code).toBe(0);
    const dir = path.join(tmp, 'scaffold');
    const typecheck = await exec('npm', ['run', 'typecheck'], { cwd: dir, timeoutMs: 120_000 });
    expect(typecheck.stdout + typecheck.stderr).not.toContain('error');
    expect(typecheck.code).toBe(0);
    const check = await exec('npm', ['run', 'check'], { cwd: dir, timeoutMs: 120_000 });
    expect(check.stdout).toContain('all 2 verdicts as expected');
    expect(check.code).toBe(0);
    const test = await exec('npm', ['test'], { cwd: dir, timeoutMs: 120_000 });
    expect(test.stdout).toMatch(/Tests\s+3 passed \(3\)/);
    expect(test.code).toBe(0);
  });
});
