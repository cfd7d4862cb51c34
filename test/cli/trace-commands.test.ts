import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/interleave.mjs');
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('trace commands (transcripts)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'interleave-trace-'));
  const trace = path.join(dir, 'gossip.json');
  beforeAll(() => {
    const r = run('check', 'specs/bench/gossip.ts', '--const', 'variant=buggy', '--const', 'maxEpoch=2', '--const', 'bagSize=4', '--trace-out', trace);
    expect(r.code).toBe(1);
  });

  it('replay: reproduces (exit 0); a tampered trace diverges at its step and field (exit 1); a bad file is exit 2', () => {
    expect(run('replay', trace, '--spec-file', 'specs/bench/gossip.ts')).toMatchObject({ code: 0, out: 'reproduces: 5 steps\n' });
    const t = JSON.parse(readFileSync(trace, 'utf8'));
    t.steps[5].state.R[0][1] = 2;
    const tampered = path.join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(t));
    const r = run('replay', tampered, '--spec-file', 'specs/bench/gossip.ts');
    expect(r.code).toBe(1);
    expect(r.out).toContain('diverges at step 5, field R[0][1]: state-differs');
    expect(r.out).toContain('field R[0][1] is 0 on replay, the trace says 2');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...t, version: 7 }));
    expect(run('replay', bad)).toMatchObject({ code: 2, err: expect.stringContaining('error TRACE_INVALID:') });
    expect(run('replay', path.join(dir, 'missing.json'))).toMatchObject({ code: 2, err: expect.stringContaining('error FILE_NOT_FOUND') });
  });

  it('show: the check rendering, with --diff-only and --vars', () => {
    const full = run('show', trace);
    expect(full.code).toBe(0);
    expect(full.out).toContain("gossip (maxEpoch=2, bagSize=4, variant=\"buggy\"): violation of 'noReplicaLoop'");
    expect(full.out).toContain('step 3  send(from: 1, to: 0)\n  + net[1] = {from: 1, to: 0, replicaOf: 1, epoch: 1}\n    (2 unchanged: R, E)');
    const net = run('show', trace, '--diff-only', '--vars', 'net');
    expect(net.out).not.toContain('R =');
    expect(net.out).not.toContain('unchanged');
    expect(net.out).toContain('step 4  deliver(from: 1, to: 0, replicaOf: 1, epoch: 1)\n  - net[1] (was {from: 1, to: 0, replicaOf: 1, epoch: 1})');
  });

  it('export --itf, then show, replay and view read the ITF file; export --json converts back', () => {
    const itf = path.join(dir, 'gossip.itf.json');
    expect(run('export', trace, '--itf', '--out', itf).code).toBe(0);
    const doc = JSON.parse(readFileSync(itf, 'utf8'));
    expect(doc['#meta'].format).toBe('ITF');
    expect(doc.states[1]['mbt::actionTaken']).toBe('send');
    expect(run('show', itf).out).toContain('(read from ITF)');
    expect(run('replay', itf, '--spec-file', 'specs/bench/gossip.ts')).toMatchObject({ code: 0, out: 'reproduces: 5 steps\n' });
    const back = run('export', itf, '--json');
    expect(JSON.parse(back.out)).toEqual(JSON.parse(readFileSync(trace, 'utf8')));
    expect(run('export', trace)).toMatchObject({ code: 2, err: expect.stringContaining('pass exactly one of --itf, --json or --graph') });
  });

  it('view writes one HTML file next to the trace (or --out), for ours and for a Quint ITF fixture', () => {
    const r = run('view', trace, '--spec-file', 'specs/bench/gossip.ts');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wrote .*gossip\.html \(5 actions, 3 processes, 2 messages\)/);
    expect(readFileSync(path.join(dir, 'gossip.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const out = path.join(dir, 'cluster.html');
    const q = run('view', 'test/fixtures/itf/quint-cluster.itf.json', '--out', out);
    expect(q.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
