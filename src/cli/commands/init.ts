/**
 * `interleave init [DIR]`: a small project that checks, tests and type-checks its specs — package.json ("type":
 * "module"; scripts check, test, typecheck), tsconfig.json, specs/example.ts and test/example.test.ts. It never
 * overwrites: when any of those files exists it writes nothing and fails with FILE_EXISTS (exit 2).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InterleaveError } from '../../errors.ts';
import { VERSION, type Context } from '../context.ts';

/**
 * The versions the scaffold asks for: releases this repository is tested with (test/package/init.test.ts checks
 * that the installed ones satisfy them).
 */
export const SCAFFOLD_DEPENDENCIES = {
  interleave: `^${VERSION}`,
  typescript: '~5.9.3',
  vitest: '^4.1.12',
  '@types/node': '^20.19.43',
} as const;

export function registerInit(program: Command, ctx: Context): void {
  program
    .command('init')
    .description('create a small project that checks, tests and type-checks its specs (package.json, tsconfig, an example)')
    .argument('[dir]', 'the project folder (created if missing)', '.')
    .option('--name <name>', 'the package name (default: the folder name)')
    .option('--from <spec>', `where the project installs interleave from: a version range (default ^${VERSION}), or a .tgz file or folder`)
    .action((dir: string, opts: { name?: string; from?: string }) => {
      const root = path.resolve(dir);
      const files = scaffold(opts.name ?? packageName(path.basename(root)), opts.from === undefined ? undefined : dependencySpec(opts.from, root));
      const existing = Object.keys(files).filter((f) => existsSync(path.join(root, f)));
      if (existing.length > 0) {
        throw new InterleaveError('FILE_EXISTS', `init writes nothing: ${existing.map((f) => path.join(dir, f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}`, {
          file: path.join(dir, existing[0]!),
        });
      }
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), text, { flag: 'wx' });
      }
      const cd = path.relative(process.cwd(), root);
      ctx.io.out(`created ${Object.keys(files).join(', ')} in ${cd === '' ? 'this folder' : cd}`);
      ctx.io.out('next:');
      if (cd !== '') ctx.io.out(`  cd ${cd}`);
      ctx.io.out('  npm install');
      ctx.io.out('  npm run check       # interleave check specs: every spec against its expected verdicts');
      ctx.io.out('  npm test            # the specs as vitest regression tests');
      ctx.io.out('  npm run typecheck   # tsc type-checks specs/ and test/ (check itself does not)');
    });
}

/** A valid npm package name from a folder name. */
function packageName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'my-specs' : name;
}

/** A local .tgz or folder becomes `file:` relative to the project (as `npm install PATH` writes it); else as given. */
function dependencySpec(from: string, root: string): string {
  if (!existsSync(from)) return from;
  const rel = path.relative(root, path.resolve(from)).split(path.sep).join('/');
  return `file:${rel.startsWith('.') ? rel : `./${rel}`}`;
}

/** The files of a new project, by relative path. */
export function scaffold(name: string, interleave: string = SCAFFOLD_DEPENDENCIES.interleave): Record<string, string> {
  const pkg = {
    name,
    version: '0.0.0',
    private: true,
    type: 'module',
    scripts: {
      check: 'interleave check specs',
      test: 'vitest run',
      typecheck: 'tsc --noEmit -p .',
    },
    devDependencies: { ...SCAFFOLD_DEPENDENCIES, interleave },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2023'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      // Specs are run by interleave (through tsx) and tests by vitest: tsc only checks types.
      noEmit: true,
      allowImportingTsExtensions: true,
      isolatedModules: true,
      skipLibCheck: true,
    },
    include: ['specs', 'test'],
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'specs/example.ts': EXAMPLE_SPEC,
    'test/example.test.ts': EXAMPLE_TEST,
  };
}

const EXAMPLE_SPEC = `/**
 * The lost update: each process adds 1 to a shared counter in two steps — it reads the counter, then writes back
 * what it read plus one. When two processes read before either writes, one increment is lost. With
 * \`lock: true\` a process holds a lock from its read to its write, and every increment counts.
 *
 *   npx interleave check specs/example.ts                                     # the counterexample, step by step
 *   npx interleave check specs/example.ts --const lock=true                   # no violation
 *
 * (Once every process is done no action is enabled: \`terminal\` says that this is the end, not a deadlock.)
 */
import { defineSpec, z } from 'interleave';

export const lostUpdate = defineSpec({
  name: 'lost-update',
  description: 'Processes increment a shared counter with a separate read and write: an increment can be lost.',
  constants: z.object({
    procs: z.number().int().min(1).max(4).default(2),
    lock: z.boolean().default(false),
  }),
  // The state type is inferred from this schema:
  // { counter: number; pc: ('read' | 'write' | 'done')[]; seen: number[]; locked: boolean }
  state: (c) =>
    z.object({
      counter: z.number().int().min(0).max(c.procs),
      pc: z.array(z.enum(['read', 'write', 'done'])).length(c.procs),
      seen: z.array(z.number().int().min(0).max(c.procs)).length(c.procs),
      locked: z.boolean(),
    }),
  init: (c) => ({
    counter: 0,
    pc: Array.from({ length: c.procs }, () => 'read' as const),
    seen: Array.from({ length: c.procs }, () => 0),
    locked: false,
  }),
  actions: ({ action }) => ({
    // \`params\` is the nondeterministic choice (which process moves): the checker tries every one.
    read: action({
      params: (_s, c) => Array.from({ length: c.procs }, (_, p) => p),
      guard: (s, c, p) => s.pc[p] === 'read' && !(c.lock && s.locked),
      effect: (s, c, p) => ({ ...s, pc: s.pc.with(p, 'write'), seen: s.seen.with(p, s.counter), locked: c.lock }),
    }),
    write: action({
      params: (_s, c) => Array.from({ length: c.procs }, (_, p) => p),
      guard: (s, _c, p) => s.pc[p] === 'write',
      effect: (s, _c, p) => ({ ...s, counter: (s.seen[p] ?? 0) + 1, pc: s.pc.with(p, 'done'), locked: false }),
    }),
  }),
  invariants: {
    // Once every process is done, the counter counts every increment.
    noLostUpdate: (s, c) => !s.pc.every((pc) => pc === 'done') || s.counter === c.procs,
  },
  // The legitimate end states: anywhere else, a state where no action is enabled is reported as a deadlock.
  terminal: (s) => s.pc.every((pc) => pc === 'done'),
  // What \`interleave check specs\` expects of each configuration (it exits 0 when every verdict is the expected one).
  expected: [
    { name: 'no-lock', status: 'violation', property: 'noLostUpdate', length: 4 },
    { name: 'lock', constants: { lock: true }, status: 'ok' },
  ],
});
`;

const EXAMPLE_TEST = `import { describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { expectHolds, expectViolation } from 'interleave/testing';
import { lostUpdate } from '../specs/example.ts';

describe('lost-update', () => {
  it('loses an increment when reads and writes interleave (shortest counterexample: 4 actions)', async () => {
    const result = await expectViolation(lostUpdate, 'noLostUpdate', { length: 4, actions: ['read', 'read', 'write', 'write'] });
    expect(result.status).toBe('violation');
  });

  it('counts every increment with the lock', async () => {
    await expectHolds(lostUpdate, { constants: { lock: true }, distinct: 9 });
  });

  it('check() returns the result as a value', async () => {
    const result = await check(lostUpdate, { constants: { procs: 3, lock: true } });
    expect(result.status).toBe('ok');
    expect(result.stats.distinct).toBe(31);
  });
});
`;
