import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kvrocksTlsFullsync } from '../../specs/kvrocks-tls-fullsync.ts';

const root = resolve(__dirname, '../..');
// Every file git would commit (tracked, or new and not ignored): build outputs and node_modules are left out.
function files(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter((f) => /\.(md|ts|mjs|js|json)$/.test(f) && existsSync(join(root, f))).map((f) => join(root, f));
}

describe('repository docs', () => {
  const all = files();

  it('no file points into the development-only shared folder (users do not have it)', () => {
    const needles = [['..', 'shared', ''].join('/'), ['shared', 'design', ''].join('/'), ['', 'work', 'shared'].join('/')];
    const bad = all.filter((f) => needles.some((n) => readFileSync(f, 'utf8').includes(n))).map((f) => f.slice(root.length + 1));
    expect(bad).toEqual([]);
  });

  it('every repository file a page names in backticks (`docs/x.md`, `test/y.ts`) exists', () => {
    // Written by `interleave init` into the user's new project, not part of this repository.
    const elsewhere = new Set(['specs/example.ts']);
    const missing: string[] = [];
    for (const f of all.filter((p) => p.endsWith('.md'))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/`((?:docs|specs|src|test|bench|scripts)\/[\w./-]+\.(?:md|ts|mjs|js|json|png))`/g)) {
        const target = m[1]!;
        if (elsewhere.has(target) || existsSync(join(root, target)) || existsSync(resolve(dirname(f), target))) continue;
        missing.push(`${f.slice(root.length + 1)} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
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

/** The identifiers a spec defines: actions, invariants, assertions, properties, constants, state fields, processes and enum values. */
function namesOf(spec: typeof kvrocksTlsFullsync): Set<string> {
  const names = new Set<string>();
  const addSchema = (schema: unknown): void => {
    const z = schema as { options?: unknown; unwrap?: () => unknown; shape?: Record<string, unknown> };
    if (Array.isArray(z.options)) for (const v of z.options) if (typeof v === 'string') names.add(v); // an enum
    if (typeof z.unwrap === 'function') addSchema(z.unwrap()); // a default or an optional
    if (z.shape) for (const [k, v] of Object.entries(z.shape)) (names.add(k), addSchema(v));
  };
  const defaults = spec.constants.parse({});
  addSchema(spec.constants);
  addSchema(spec.stateSchema(defaults));
  for (const a of spec.actions) (names.add(a.name), a.process !== null && typeof a.process === 'string' && names.add(a.process));
  for (const i of spec.invariants) names.add(i.name);
  for (const a of spec.assertions ?? []) names.add(a.name);
  for (const p of spec.properties) names.add(p.name);
  return names;
}

/** Words of the spec API and of its documentation that a page may put in backticks besides the spec's own names. */
const VOCABULARY = new Set(['process', 'fairness', 'weak', 'strong', 'none', 'expected', 'eventually', 'incomplete', 'invariants', 'properties', 'close_notify', 'SSL_sendfile', 'SSL_write']);

/** Identifiers a page puts in backticks (inline code, outside fenced blocks) that are neither the spec's names nor the vocabulary. */
function unknownNames(text: string, known: Set<string>): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  return [...new Set(spans.filter((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && !known.has(s) && !VOCABULARY.has(s)))];
}

describe('docs/kvrocks-liveness.md describes the shipped spec', () => {
  const text = readFileSync(join(root, 'docs/kvrocks-liveness.md'), 'utf8');
  const known = namesOf(kvrocksTlsFullsync);

  it('every name it puts in backticks exists in specs/kvrocks-tls-fullsync.ts (a renamed action fails here)', () => {
    expect(unknownNames(text, known)).toEqual([]);
    // The check is not vacuous: the names of the old patch note are caught.
    expect(unknownNames('add `fairness` to `Psync`, `FetchMeta` and `EnvFault`; `replica` is `Synced`', known)).toEqual(['Psync', 'FetchMeta', 'EnvFault', 'Synced']);
  });

  it("its action table gives every action, with the spec's own process and fairness", () => {
    const rows = [...text.matchAll(/^\| `(\w+)` \| (\w+) \| (\w+) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(kvrocksTlsFullsync.actions.map((a) => [a.name, a.process, a.fairness]));
  });
});
