/**
 * `interleave init`: the files it writes, and that it never overwrites. (test/package/ installs the packed
 * package into a scaffolded project and runs its check, test and typecheck scripts.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCAFFOLD_DEPENDENCIES } from '../../src/cli/commands/init.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'interleave-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/interleave.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `installed` satisfies `range` (^x.y.z or ~x.y.z), the way npm reads them. */
function satisfies(installed: string, range: string): boolean {
  const [op, want] = [range[0], range.slice(1).split('.').map(Number)];
  const have = installed.split('.').map(Number);
  const atLeast = have[0]! > want[0]! || (have[0] === want[0] && (have[1]! > want[1]! || (have[1] === want[1] && have[2]! >= want[2]!)));
  return atLeast && have[0] === want[0] && (op === '^' || have[1] === want[1]);
}

describe('interleave init', () => {
  it('writes package.json, tsconfig.json, an example spec and a test, into a new folder', () => {
    const r = cli(['init', 'my project']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created package.json, tsconfig.json, specs/example.ts, test/example.test.ts in my project');
    const dir = path.join(tmp, 'my project');
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-project');
    expect(pkg.type).toBe('module');
    expect(pkg.scripts).toEqual({ check: 'interleave check specs', test: 'vitest run', typecheck: 'tsc --noEmit -p .' });
    expect(Object.keys(pkg.devDependencies)).toEqual(['interleave', 'typescript', 'vitest', '@types/node']);
    const tsconfig = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.include).toEqual(['specs', 'test']);
    expect(readFileSync(path.join(dir, 'specs/example.ts'), 'utf8')).toContain("from 'interleave'");
    expect(readFileSync(path.join(dir, 'test/example.test.ts'), 'utf8')).toContain("from 'interleave/testing'");
  });

  it('refuses to overwrite: FILE_EXISTS, exit 2, and nothing written', () => {
    const dir = path.join(tmp, 'taken');
    mkdirSync(path.join(dir, 'specs'), { recursive: true });
    writeFileSync(path.join(dir, 'specs/example.ts'), '// mine\n');
    const r = cli(['init', 'taken']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error FILE_EXISTS: init writes nothing: ${path.join('taken', 'specs/example.ts')} already exists`);
    expect(readFileSync(path.join(dir, 'specs/example.ts'), 'utf8')).toBe('// mine\n');
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'tsconfig.json'))).toBe(false);
  });

  it('--from a tarball writes a file: dependency relative to the project', () => {
    writeFileSync(path.join(tmp, 'interleave-9.9.9.tgz'), '');
    const r = cli(['init', 'from-tarball', '--from', 'interleave-9.9.9.tgz']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(path.join(tmp, 'from-tarball/package.json'), 'utf8'));
    expect(pkg.devDependencies.interleave).toBe('file:../interleave-9.9.9.tgz');
    expect(cli(['init', 'from-range', '--from', '^0.2.0']).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(tmp, 'from-range/package.json'), 'utf8')).devDependencies.interleave).toBe('^0.2.0');
  });

  it('asks for versions that exist: the ones this repository installs satisfy them', () => {
    for (const [name, range] of Object.entries(SCAFFOLD_DEPENDENCIES)) {
      const dir = name === 'interleave' ? root : path.join(root, 'node_modules', name);
      const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
      expect(satisfies(version, range), `${name}@${version} vs ${range}`).toBe(true);
    }
  });
});
