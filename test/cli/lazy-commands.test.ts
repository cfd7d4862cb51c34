/**
 * The CLI imports a command's module only when that command runs: `--version` and `--help` start without the
 * checker. The help stubs (COMMANDS in src/cli/main.ts) must say what the real commands say.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Help } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS, EXIT, VERSION, type Context } from '../../src/cli/main.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'interleave-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function ctx(): Context {
  return { io: { out: () => {}, err: () => {}, isTTY: false, color: false }, debug: false, code: EXIT.ok };
}

/** Runs the CLI from the sources and returns its output with the module URLs it resolved. */
function runLogged(args: string[], name: string) {
  const log = path.join(tmp, `${name}.log`);
  const r = spawnSync(process.execPath, ['--import', './test/fixtures/module-log/register.mjs', 'bin/interleave.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', MODULE_LOG: log, INTERLEAVE_DIST: '' },
    timeout: 60_000,
  });
  const modules = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((u) => u.replace(`file://${root}/`, ''));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

describe('lazy commands', () => {
  it('each help stub has the term and description of the real command', async () => {
    const real = await buildProgram(ctx());
    const help = new Help();
    expect(real.commands.map((c) => c.name())).toEqual(COMMANDS.map((c) => c.name));
    for (const entry of COMMANDS) {
      const cmd = real.commands.find((c) => c.name() === entry.name)!;
      expect(entry.term, entry.name).toBe(help.subcommandTerm(cmd));
      expect(entry.summary, entry.name).toBe(cmd.description());
    }
  });

  it('--version prints the package version and loads no command, checker or model module', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const r = runLogged(['--version'], 'version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.modules).toContain('src/cli/main.ts');
    expect(r.modules.filter((m) => /^src\/(cli\/commands|checker|model)\//.test(m))).toEqual([]);
  });

  it('--help lists every command and loads no command, checker or model module', () => {
    const r = runLogged(['--help'], 'help');
    expect(r.code).toBe(0);
    for (const entry of COMMANDS) expect(r.stdout).toContain(`  ${entry.term} `);
    expect(r.modules.filter((m) => /^src\/(cli\/commands|checker|model)\//.test(m))).toEqual([]);
  });

  it('a command loads its own module only: list loads list.ts, not check.ts', () => {
    const r = runLogged(['list', 'specs/die-hard.ts'], 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('die-hard');
    expect(r.modules).toContain('src/cli/commands/list.ts');
    expect(r.modules).not.toContain('src/cli/commands/check.ts');
  });

  it('an unknown command is a usage error that suggests the closest one', () => {
    const r = runLogged(['chek', 'specs/die-hard.ts'], 'unknown');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error CLI_USAGE: unknown command 'chek' (Did you mean check?)");
  });

  it('check --help states each default once (an option that describes its default gets no second one)', () => {
    const r = runLogged(['check', '--help'], 'help-check');
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain("(default: one thread; after 1 s a worker per core, which take over once enough work is waiting)");
    expect(text).not.toContain('(default: "auto")');
    expect(text).not.toContain('all) (default: [])');
    // A repeatable option's empty start list is not a default worth printing; choices are still listed.
    expect(text).not.toContain('(default: [])');
    expect(text).toContain('(choices: "bfs", "dfs", "random")');
  });

  it("no command's help states a default twice or prints a repeatable option's empty default", async () => {
    const program = await buildProgram(ctx());
    const seen: string[] = [];
    for (const command of program.commands) {
      const help = command.helpInformation().replace(/\s+/g, ' ');
      // One entry per option: from one "--name" (or "-x,") to the next.
      const entries = help.split(/ (?=-[a-zA-Z], |--[a-z])/);
      for (const entry of entries) if ((entry.match(/\bdefault\b/g) ?? []).length > 1 && !entry.includes('(the default;')) seen.push(`${command.name()}: ${entry}`);
      if (help.includes('(default: [])')) seen.push(`${command.name()}: (default: [])`);
    }
    expect(program.commands.map((c) => c.name())).toEqual(expect.arrayContaining(['check', 'graph', 'export', 'show', 'init']));
    expect(seen).toEqual([]);
  });
});
