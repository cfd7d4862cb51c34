/**
 * Issue 7, part 6: the README's Troubleshooting section lists every error code with its meaning and fix, and
 * stays in sync with ERROR_CATALOGUE (regenerate with `npx tsx scripts/error-table.ts --write`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.ts';
import { withTable } from '../../scripts/error-table.ts';
import { ROOT } from './helpers.ts';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const troubleshooting = readme.slice(readme.indexOf('## Troubleshooting'));

describe('error catalogue', () => {
  it('README has a Troubleshooting section', () => {
    expect(readme).toContain('## Troubleshooting');
  });

  it.each(Object.entries(ERROR_CATALOGUE))('%s is listed with its meaning and fix', (code, entry) => {
    const row = troubleshooting.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
    expect(row, `README Troubleshooting lacks ${code}: run npx tsx scripts/error-table.ts --write`).toBeDefined();
    expect(row).toContain(entry.meaning.replace(/\|/g, '\\|'));
    expect(row).toContain(entry.fix.replace(/\|/g, '\\|'));
  });

  it('the generated table is up to date', () => {
    expect(withTable(readme)).toBe(readme);
  });

  it('every code used in src/ is in the catalogue', () => {
    const used = new Set<string>();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/InterleaveError\('([A-Z_]+)'/g)) used.add(m[1]!);
      }
    };
    walk(path.join(ROOT, 'src'));
    for (const code of used) expect(ERROR_CATALOGUE, code).toHaveProperty(code);
  });
});
