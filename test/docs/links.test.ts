import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
// Every file git would commit (tracked, or new and not ignored): build outputs and node_modules are left out.
function files(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter((f) => /\.(md|ts|mjs|js|json)$/.test(f) && existsSync(join(root, f))).map((f) => join(root, f));
}

describe('repository docs', () => {
  const all = files();

  it('no file points into the development-only shared folder (users do not have it)', () => {
    const needle = ['..', 'shared', ''].join('/');
    const bad = all.filter((f) => readFileSync(f, 'utf8').includes(needle)).map((f) => f.slice(root.length + 1));
    expect(bad).toEqual([]);
  });

  it('every relative markdown link resolves to an existing file', () => {
    const broken: string[] = [];
    for (const f of all.filter((p) => p.endsWith('.md'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(resolve(dirname(f), target))) broken.push(`${f.slice(root.length + 1)} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
