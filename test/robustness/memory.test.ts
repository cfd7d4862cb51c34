/**
 * Issue 16, item 10: a search that runs short of memory ends `incomplete` (reason memory, exit 3) with its
 * statistics, whether the process's limit (--memory-limit), V8's heap limit on the main thread, or a worker's heap
 * runs out first; and it stops before passing the limit, as its message says.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers.ts';

const HEAP = 'test/fixtures/hostile/heap-growing.ts';

/** Runs the CLI under `node ...nodeFlags` (a small heap, say). */
function runNode(nodeFlags: string[], args: string[]) {
  const r = spawnSync(process.execPath, [...nodeFlags, BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('memory (issue 16, item 10)', () => {
  it('a spec that fills the heap on the main thread: incomplete (memory), exit 3, with statistics (it was a V8 FATAL ERROR, exit 134)', () => {
    const r = runNode(['--max-old-space-size=96'], ['check', HEAP, '--workers', '1', '--json']);
    expect(r.stderr).not.toMatch(/FATAL|heap out of memory/);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('incomplete');
    expect(j.reason).toBe('memory');
    expect(j.message).toMatch(/stopped before the JavaScript heap ran out .*: the JavaScript heap holds \d+ MiB, near V8's heap limit of \d+ MiB \(raise it with NODE_OPTIONS=--max-old-space-size=MiB\)/);
    expect(j.stats.distinct).toBeGreaterThan(100);
    expect(j.stats.generated).toBeGreaterThan(j.stats.distinct);
    expect(j.stats.depth).toBeGreaterThan(100);
  }, 60_000);

  it('a spec that fills a worker\'s heap: incomplete (memory), exit 3, with statistics (it was error INTERNAL, exit 4)', () => {
    const r = runNode(['--max-old-space-size=96'], ['check', HEAP, '--workers', '2']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/incomplete — stopped \(process peak \d+ MiB\): a search worker ran out of its JavaScript heap/);
    expect(r.stdout).toMatch(/[\d,]+ distinct states, [\d,]+ generated, depth \d+/);
    expect(r.stderr).not.toMatch(/INTERNAL/);
  }, 60_000);

  it('--memory-limit 160 stops before the process passes 160 MiB, as it says (it said so at 336 MiB for 300)', async () => {
    // Peterson n=7 has 1.5 M+ states: far more than 160 MiB of tables and state graph. The process's high-water
    // mark (VmHWM) is read while it runs, and the result's peak is the operating system's own (maxRSS).
    const limit = 160;
    const child = spawn(process.execPath, [BIN, 'check', 'specs/bench/peterson.ts', '--const', 'n=7', '--workers', '1', '--memory-limit', String(limit), '--json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    let hwm = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        /* exited, or no /proc */
      }
    }, 10);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearInterval(poll);
    expect(code).toBe(3);
    const j = JSON.parse(stdout);
    expect(j.reason).toBe('memory');
    expect(j.message).toMatch(new RegExp(`^stopped before passing the memory limit of ${limit} MiB \\(peak \\d+ MiB\\): `));
    expect(j.stats.distinct).toBeGreaterThan(10_000);
    expect(j.stats.peakMemoryBytes).toBeGreaterThan(0);
    expect(j.stats.peakMemoryBytes).toBeLessThanOrEqual(limit * 2 ** 20);
    expect(Number(/\(peak (\d+) MiB\)/.exec(j.message)![1])).toBeLessThanOrEqual(limit);
    expect(hwm).toBeLessThanOrEqual(limit * 2 ** 20);
  }, 60_000);
});
