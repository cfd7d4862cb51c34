/**
 * Issue 16, item 12: a closed standard output (`| head -1`) is not an error and keeps the verdict's exit code; a
 * full one (`> /dev/full`) is OUTPUT_WRITE_FAILED, exit 2; an output file that cannot be written costs the file,
 * not the verdict. Real processes (the streams are the process's own).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { BIN, ROOT } from './helpers.ts';

const TMP = mkdtempSync(path.join(os.tmpdir(), 'interleave-streams-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1' };

/** Runs the CLI with its stdout's reading end closed before it writes anything. */
function withStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

async function inProcess(...args: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false, color: false };
  return { code: await main(args, io), out, err };
}

describe('standard output closed or full', () => {
  it('closed early (| head -1): no stack, and the exit code of the verdict (0 for a spec that holds; it was 1)', async () => {
    const ok = await withStdoutClosed(['check', 'specs/bench/gossip.ts', '--workers', '1']);
    expect(ok).toEqual({ code: 0, stderr: '' });
    const bad = await withStdoutClosed(['check', 'specs/bench/gossip.ts', '--const', 'variant=buggy', '--workers', '1']);
    expect(bad).toEqual({ code: 1, stderr: '' });
  });

  it.runIf(existsSync('/dev/full'))('full (> /dev/full): one line OUTPUT_WRITE_FAILED and exit 2, not a stack and exit 1', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'check', 'specs/bench/gossip.ts', '--workers', '1'], { cwd: ROOT, env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('error OUTPUT_WRITE_FAILED: cannot write to standard output: ENOSPC: no space left on device\n');
    } finally {
      closeSync(fd);
    }
  });
});

describe('output files that cannot be written', () => {
  it('--trace-out: the verdict is printed, then OUTPUT_WRITE_FAILED for the file, exit 2 (it was an internal error, exit 4)', async () => {
    const file = path.join(TMP, 'no-such-folder', 't.json');
    const r = await inProcess('check', 'specs/bench/gossip.ts', '--const', 'variant=buggy', '--workers', '1', '--trace-out', file);
    expect(r.code).toBe(2);
    expect(r.out).toContain("✗ gossip (maxEpoch=1, bagSize=2, variant=\"buggy\"): invariant 'noReplicaLoop' is violated (property 'noReplicaLoop')");
    expect(r.out).toContain('400 distinct states, 852 generated, depth 5');
    expect(r.out).not.toContain('trace written');
    expect(r.err).toBe(`error OUTPUT_WRITE_FAILED: cannot write the trace to ${file}: ENOENT: no such file or directory\n`);
    const json = await inProcess('check', 'specs/bench/gossip.ts', '--const', 'variant=buggy', '--workers', '1', '--trace-out', file, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ status: 'violation', property: 'noReplicaLoop' });
  });

  it('view --out and export --out: OUTPUT_WRITE_FAILED naming the file, exit 2', async () => {
    const trace = 'test/fixtures/hostile/trace-names-marker-module.json';
    const html = path.join(TMP, 'missing', 'v.html');
    expect(await inProcess('view', trace, '--out', html)).toEqual({ code: 2, out: '', err: `error OUTPUT_WRITE_FAILED: cannot write the viewer page to ${html}: ENOENT: no such file or directory\n` });
    const itf = path.join(TMP, 'missing', 't.itf.json');
    expect(await inProcess('export', trace, '--itf', '--out', itf)).toEqual({ code: 2, out: '', err: `error OUTPUT_WRITE_FAILED: cannot write the ITF trace to ${itf}: ENOENT: no such file or directory\n` });
  });
});
