/**
 * Issue 7, parts 3 and 4: interrupts, the memory limit, checkpoint and resume. Real processes and real signals.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/index.ts';
import type { SearchSnapshot } from '../../src/checker/persistence/checkpoint.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { run, start, waitFor } from './helpers.ts';

const TMP = mkdtempSync(path.join(os.tmpdir(), 'interleave-robust-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('interrupts', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s during a check prints the statistics so far and exits 3 (incomplete)', async (signal) => {
    const p = start(['check', 'specs/bench/peterson.ts', '--const', 'n=7', '--debug']);
    await waitFor(() => p.output().stderr.includes('debug: search started'), 30_000, 'the search to start');
    p.child.kill(signal);
    const r = await p.done;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`${signal}: stopping the search`);
    expect(r.stdout).toMatch(/incomplete — interrupted/);
    expect(r.stdout).toMatch(/[\d,]+ distinct states, [\d,]+ generated, depth \d+/);
    expect(r.stdout).not.toMatch(/^\s+at /m);
  });

  it('with --json the result is a value with status incomplete and reason interrupted', async () => {
    const p = start(['check', 'specs/bench/peterson.ts', '--const', 'n=7', '--json', '--debug']);
    await waitFor(() => p.output().stderr.includes('debug: search started'), 30_000, 'the search to start');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout) as CheckResult;
    expect(json.status).toBe('incomplete');
    expect((json as { reason: string }).reason).toBe('interrupted');
    expect(json.stats.distinct).toBeGreaterThan(0);
  });
});

describe('memory limit', () => {
  it('--memory-limit stops cleanly, incomplete (memory), exit 3', () => {
    const r = run(['check', 'specs/bench/peterson.ts', '--const', 'n=6', '--memory-limit', '1', '--json']);
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(r.stdout) as { status: string; reason: string; message: string };
    expect(json.status).toBe('incomplete');
    expect(json.reason).toBe('memory');
    expect(json.message).toMatch(/memory limit of \d+ MiB/);
  });

  it('the engine compares the memory probe with the limit', async () => {
    const r = await check(peterson, { constants: { n: 5 }, memoryLimit: 100 * 2 ** 20, memoryProbe: () => 200 * 2 ** 20 });
    expect(r.status).toBe('incomplete');
    expect((r as { reason: string }).reason).toBe('memory');
  });
});

describe('checkpoint and resume', () => {
  it('the API: a snapshot taken at a stop resumes to the exact counts of an uninterrupted run', async () => {
    // Invariants only: a resumed search cannot check temporal properties (tested below).
    const full = await check(peterson, { constants: { n: 4 }, properties: [] });
    let snap: SearchSnapshot | undefined;
    const save = (s: SearchSnapshot) => {
      snap = structuredClone(s);
    };
    const first = await check(peterson, { constants: { n: 4 }, properties: [], timeLimit: 1e-9, checkpoint: { everySeconds: 3600, save } });
    expect(first.status).toBe('incomplete');
    expect(snap).toBeDefined();
    expect(snap!.seen.size).toBeLessThan(full.stats.distinct);
    const resumed = await check(peterson, { constants: { n: 4 }, properties: [], resume: snap });
    expect(resumed.status).toBe(full.status);
    expect(resumed.stats.distinct).toBe(full.stats.distinct);
    expect(resumed.stats.generated).toBe(full.stats.generated);
    expect(resumed.stats.depth).toBe(full.stats.depth);
    // A snapshot of another search is refused.
    const other = await check(peterson, { constants: { n: 3 }, properties: [], resume: snap });
    expect(other.status).toBe('error');
    expect((other as { error: { code: string } }).error.code).toBe('CHECKPOINT_INVALID');
    // So is a corrupt one.
    const corrupt = structuredClone(snap!);
    corrupt.frontier[2] = 1e9;
    const bad = await check(peterson, { constants: { n: 4 }, properties: [], resume: corrupt });
    expect((bad as { error: { code: string; message: string } }).error.message).toMatch(/frontier record at word 0 is corrupt/);
  });

  it('a resumed search never reports temporal properties as holding: incomplete (resumed)', async () => {
    let snap: SearchSnapshot | undefined;
    await check(peterson, { constants: { n: 4 }, timeLimit: 1e-9, checkpoint: { everySeconds: 3600, save: (s) => void (snap = structuredClone(s)) } });
    expect(snap).toBeDefined();
    const resumed = await check(peterson, { constants: { n: 4 }, resume: snap });
    expect(resumed.status).toBe('incomplete');
    expect((resumed as { reason: string }).reason).toBe('resumed');
    expect(resumed.stats.distinct).toBe(4752);
  });

  it('a run killed with SIGKILL after a checkpoint and resumed ends with the same distinct and generated counts and verdict', async () => {
    const args = ['check', 'specs/bench/peterson.ts', '--const', 'n=6', '--property', 'mutex', '--json'];
    const dir = path.join(TMP, 'cp');
    const p = start([...args, '--checkpoint', dir, '--checkpoint-every', '0.3']);
    await waitFor(() => existsSync(path.join(dir, 'manifest.json')), 30_000, 'the first checkpoint');
    const killed = p.child.kill('SIGKILL');
    const k = await p.done;
    const full = run(args);
    expect(killed).toBe(true);
    expect(k.signal).toBe('SIGKILL');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { size: number; generated: number };
    const expected = JSON.parse(full.stdout) as CheckResult;
    expect(manifest.size).toBeLessThan(expected.stats.distinct);

    const resumed = run([...args, '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const got = JSON.parse(resumed.stdout) as CheckResult;
    expect(got.status).toBe(expected.status);
    expect(got.stats.distinct).toBe(expected.stats.distinct);
    expect(got.stats.generated).toBe(expected.stats.generated);
    expect(got.stats.depth).toBe(expected.stats.depth);
    expect(expected.stats.distinct).toBe(1_827_936);
    expect(expected.stats.generated).toBe(6_803_689);

    // A resume with other constants is refused, and so is a corrupted file.
    const other = run(['check', 'specs/bench/peterson.ts', '--const', 'n=5', '--resume', dir]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^error CHECKPOINT_INVALID: checkpoint belongs to another search/);
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: { labels: { name: string } } };
    const labels = path.join(dir, m.files.labels.name);
    const bytes = readFileSync(labels);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(labels, bytes);
    const corrupt = run([...args, '--resume', dir]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/CHECKPOINT_INVALID: .*labels-\d+\.bin is corrupt \(checksum mismatch\)/);
  }, 60_000);

  it('a checkpoint that cannot be written is a one-line warning; the search goes on', () => {
    const file = path.join(TMP, 'a-file');
    writeFileSync(file, '');
    const r = run(['check', 'specs/bench/peterson.ts', '--const', 'n=4', '--checkpoint', path.join(file, 'sub'), '--time-limit', '0.000001']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^warning CHECKPOINT_WRITE_FAILED: cannot write the checkpoint to .*ENOTDIR.*; the search goes on$/m);
    expect(r.stderr).not.toContain('checkpoint saved');
  });

  it('SIGINT with --checkpoint saves a final checkpoint and says how to resume', async () => {
    const dir = path.join(TMP, 'cp-int');
    // Started when its first checkpoint is on disk (every 0.2 s): no fixed sleep, whatever the machine's load.
    const p = start(['check', 'specs/bench/peterson.ts', '--const', 'n=6', '--checkpoint', dir, '--checkpoint-every', '0.2']);
    await waitFor(() => existsSync(path.join(dir, 'manifest.json')) || p.child.exitCode !== null, 60_000, 'the first checkpoint');
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`checkpoint saved in ${dir}: continue with --resume ${dir}`);
    expect(existsSync(path.join(dir, 'manifest.json'))).toBe(true);
  });
});
