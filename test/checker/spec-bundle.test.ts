/**
 * The spec bundle the search workers load instead of a TypeScript file (src/spec-bundle.ts): what goes in, what
 * stays an import, what makes a file ineligible, and that the bundle runs in plain Node (no tsx). That workers of
 * the installed package load it, and fall back to the file, is tested in test/package/outside-user.test.ts.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleSpec, resolutionOptions, specBundleFor } from '../../src/spec-bundle.ts';

const FIX = path.resolve(import.meta.dirname, '../fixtures/spec-bundle');
const ROOT = path.resolve(import.meta.dirname, '../..');

function source(url: string): string {
  expect(url.startsWith('data:text/javascript;base64,')).toBe(true);
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('utf8');
}

describe('bundleSpec', () => {
  it('inlines the local files and keeps each package an import of the file Node loads for it', async () => {
    const b = await bundleSpec(path.join(FIX, 'main.ts'));
    if (!('url' in b)) throw new Error(b.reason);
    const text = source(b.url);
    expect(text).toContain('bundled-helper-marker');
    expect(text).not.toMatch(/from\s+["']\.\/helper/);
    const zod = /from\s+"(file:\/\/[^"]+)"/.exec(text)?.[1];
    expect(zod).toBe(pathToFileURL(path.join(ROOT, 'node_modules/zod/index.js')).href);
  });

  it('runs in plain Node, without tsx: the same exports and values as the file', async () => {
    const b = await bundleSpec(path.join(FIX, 'main.ts'));
    if (!('url' in b)) throw new Error(b.reason);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', 'const m = await import(process.argv[1]); console.log(JSON.stringify({ keys: Object.keys(m).sort(), marker: m.marker, limit: m.limit, bad: m.schema.safeParse({ n: 5 }).success }))', b.url], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ keys: ['limit', 'marker', 'schema'], marker: 'bundled-helper-marker', limit: 4, bad: false });
  });

  it('refuses a file that reads import.meta or require, naming the file and what it uses', async () => {
    expect(await bundleSpec(path.join(FIX, 'meta.ts'))).toEqual({ reason: `${path.join(FIX, 'meta.ts')} uses 'import.meta'` });
    expect(await bundleSpec(path.join(FIX, 'requires.ts'))).toEqual({ reason: `${path.join(FIX, 'requires.ts')} uses 'require'` });
  });

  it('refuses classes, JSX and imports that a tsconfig alias resolves (they depend on which tsconfig applies)', async () => {
    expect(await bundleSpec(path.join(FIX, 'with-jsx.ts'))).toEqual({ reason: `${path.join(FIX, 'view.jsx')} is JSX` });
    expect(await bundleSpec(path.join(FIX, 'with-class.ts'))).toEqual({ reason: `${path.join(FIX, 'with-class.ts')} uses 'class'` });
    expect(await bundleSpec(path.join(FIX, 'aliased/main.ts'))).toEqual({ reason: `'~local/value.js' resolves to ${path.join(FIX, 'aliased/lib/value.js')}, which is not in a package of that name` });
  });

  it('looks at the compiled code: comments, types and a bundled import() of a local file do not refuse a file', async () => {
    const b = await bundleSpec(path.join(FIX, 'code-only.ts'));
    if (!('url' in b)) throw new Error(b.reason);
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', 'const m = await import(process.argv[1]); console.log(m.marker, m.schema.safeParse({ n: 1 }).success, m.fs, m.zod)', b.url], { encoding: 'utf8', timeout: 30_000 });
    expect([r.stderr, r.stdout.trim()]).toEqual(['', 'bundled-helper-marker true function object']);
  });

  it('reports a file esbuild cannot bundle instead of throwing', async () => {
    const b = await bundleSpec(path.join(FIX, 'broken.ts'));
    expect('reason' in b && b.reason).toMatch(/^esbuild could not bundle .*broken\.ts: .*missing\.ts/);
  });
});

describe('when the workers get a bundle', () => {
  it('never from the repository sources (they run through tsx anyway)', () => {
    expect(specBundleFor(pathToFileURL(path.join(FIX, 'main.ts')).href)).toBe(null);
  });

  it('not under Node options that may resolve a package elsewhere', () => {
    expect(resolutionOptions([], '')).toBe(null);
    expect(resolutionOptions(['--max-old-space-size=4096', '--enable-source-maps'], '--no-warnings')).toBe(null);
    expect(resolutionOptions(['--import', 'tsx'], '')).toBe('--import');
    expect(resolutionOptions(['--conditions=development'], '')).toBe('--conditions=development');
    expect(resolutionOptions([], '--max-old-space-size=100 -C custom')).toBe('-C');
    expect(resolutionOptions(['--loader=./hooks.mjs'], '')).toBe('--loader=./hooks.mjs');
    expect(resolutionOptions(['--preserve-symlinks'], '')).toBe('--preserve-symlinks');
  });
});
