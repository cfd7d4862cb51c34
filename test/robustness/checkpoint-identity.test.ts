/**
 * Issue 16, item 1: --resume trusts only a checkpoint of this very search. The key covers the spec's code (the
 * source files on disk, and the hooks' source text and first steps through the API), its state layout and every
 * option that changes the search; the manifest carries a checksum. A refusal is CHECKPOINT_INVALID naming what
 * differs, in one short line. See docs/spec-identity.md.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/index.ts';
import type { SearchSnapshot } from '../../src/checker/persistence/checkpoint.ts';
import { counters } from '../fixtures/checkpoint-identity/counters.ts';
import { counters as twin } from '../fixtures/checkpoint-identity/counters-twin.ts';
import { ROOT, run } from './helpers.ts';

const FIX = 'test/fixtures/checkpoint-identity';
const TMP = mkdtempSync(path.join(os.tmpdir(), 'interleave-cp-identity-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const result = (r: { stdout: string }) => JSON.parse(r.stdout) as CheckResult;

/** A checkpoint of `file` cut short at once (a time limit of a microsecond), in a fresh folder. */
function cut(file: string, extra: readonly string[] = []): string {
  const dir = mkdtempSync(path.join(TMP, 'cp-'));
  const r = run(['check', file, '--no-deadlock', '--checkpoint', dir, '--time-limit', '0.000001', '--json', ...extra]);
  expect(r.code, r.stderr).toBe(3);
  expect(result(r).stats.distinct).toBeLessThan(3125);
  return dir;
}

describe('--resume refuses a checkpoint of another search', () => {
  // One checkpoint of counters.ts (n=5, max=4: 3,125 states, 12,501 generated; 126 up to symmetry).
  const file = `${FIX}/counters.ts`;
  let dir = '';

  it('resuming the unchanged spec gives exactly the uninterrupted counts', () => {
    dir = cut(file);
    const full = run(['check', file, '--no-deadlock', '--json']);
    const resumed = run(['check', file, '--no-deadlock', '--resume', dir, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect([result(full).stats.distinct, result(full).stats.generated]).toEqual([3125, 12501]);
    expect([result(resumed).status, result(resumed).stats.distinct, result(resumed).stats.generated]).toEqual(['ok', 3125, 12501]);
  });

  it('--symmetry toggled: refused, naming the option', () => {
    const r = run(['check', file, '--no-deadlock', '--symmetry', '--resume', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'error CHECKPOINT_INVALID: checkpoint belongs to another search: --symmetry differs: off in the checkpoint, on in this run. Resume with the same spec, constants and options, or start afresh',
    );
    const dl = run(['check', file, '--resume', dir]);
    expect(dl.stderr).toContain('deadlock checking (--no-deadlock) differs: off in the checkpoint, on in this run');
  });

  it('an edited spec file: refused, naming the file', () => {
    const work = mkdtempSync(path.join(TMP, 'edit-'));
    const spec = path.join(work, 'counters.ts');
    const lib = JSON.stringify(path.join(ROOT, 'src/index.ts'));
    writeFileSync(spec, readFileSync(path.join(ROOT, file), 'utf8').replace("'../../../src/index.ts'", lib));
    const cp = cut(spec);
    // The edit: process 0 stops at 3. A fresh run of the edited spec finds 2,500 states, a trusted resume would not.
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('guard: (s, c, i) => s.v[i]! < c.max,', 'guard: (s, c, i) => s.v[i]! < (i === 0 ? 3 : c.max),'));
    expect(result(run(['check', spec, '--no-deadlock', '--json'])).stats.distinct).toBe(2500);
    const r = run(['check', spec, '--no-deadlock', '--resume', cp]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `error CHECKPOINT_INVALID: ${cp}: checkpoint belongs to another search: the spec's source changed since the checkpoint was written (counters.ts). Resume with the same spec, constants and options, or start afresh`,
    );
  });

  it('an edited manifest (generated): refused by its checksum', () => {
    const copy = path.join(TMP, 'edited-manifest');
    cpSync(dir, copy, { recursive: true });
    const manifest = path.join(copy, 'manifest.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/"generated": \d+/, '"generated": 999999'));
    const r = run(['check', file, '--no-deadlock', '--resume', copy]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error CHECKPOINT_INVALID: ${copy}: manifest.json was edited or is corrupt (its checksum does not match its content)`);
  });

  it('another spec with the same names (another file): refused in one short line', () => {
    const r = run(['check', `${FIX}/counters-twin.ts`, '--no-deadlock', '--resume', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.length).toBeLessThan(400);
    expect(r.stderr).toMatch(/^error CHECKPOINT_INVALID: .*: checkpoint belongs to another search: it was written for the spec file .*counters\.ts, this run checks .*counters-twin\.ts/);
  });
});

describe('the API: a snapshot carries the search identity', () => {
  /** A snapshot of counters cut short, with these options. */
  async function snapshot(options: { symmetry?: boolean; constants?: Record<string, unknown> } = {}): Promise<SearchSnapshot> {
    let snap: SearchSnapshot | undefined;
    const r = await check(counters, { deadlock: false, timeLimit: 1e-9, ...options, checkpoint: { everySeconds: 3600, save: (s) => void (snap = structuredClone(s)) } });
    expect(r.status).toBe('incomplete');
    return snap!;
  }

  it('another spec with the same names, actions, invariants and constants: the first steps differ', async () => {
    const r = await check(twin, { deadlock: false, resume: await snapshot() });
    expect(r.status === 'error' && [r.error.code, r.error.message]).toEqual([
      'CHECKPOINT_INVALID',
      'checkpoint belongs to another search: the states the first steps reach (init or the actions) differs. Resume with the same spec, constants and options, or start afresh',
    ]);
  });

  it('with symmetry: resumes to the exact reduced counts; toggled, refused', async () => {
    // n=5, max=9: C(14, 5) = 2,002 representatives (more than one chunk of 512, so the time limit cuts the search).
    const constants = { n: 5, max: 9 };
    const snap = await snapshot({ symmetry: true, constants });
    expect(snap.seen.size).toBeLessThan(2002);
    const full = await check(counters, { deadlock: false, symmetry: true, constants });
    const resumed = await check(counters, { deadlock: false, symmetry: true, constants, resume: snap });
    expect([full.stats.distinct, resumed.stats.distinct, resumed.stats.generated]).toEqual([2002, 2002, full.stats.generated]);
    const off = await check(counters, { deadlock: false, constants, resume: snap });
    expect(off.status === 'error' && off.error.message).toContain('--symmetry differs: on in the checkpoint, off in this run');
  });

  it('a snapshot whose identity was tampered with (key kept): refused', async () => {
    const snap = await snapshot();
    snap.identity.search.maxDepth = 3;
    const r = await check(counters, { deadlock: false, maxDepth: 3, resume: snap });
    expect(r.status === 'error' && r.error.message).toContain('its key does not match its identity');
  });
});
