import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

// `interleave conform` as transcripts (in process: main() with a captured output), with the jugs (no server) and
// the recorded Redis log. The Redis driver itself is run through the CLI in docs/conformance.md.
async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t), isTTY: false, color: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const log = 'test/conformance/fixtures/redis-replication.log.json';
const redis = 'specs/redis-replication.ts';

describe('interleave conform (transcripts)', () => {
  it('drives a conforming system (exit 0) and a buggy one (exit 1: the shrunk behaviour, the field, how to reproduce)', async () => {
    const ok = await run('conform', 'test/conformance/fixtures/jugs.ts', '--walks', '5', '--seed', '1');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^✓ die-hard: the system conforms — 5 behaviours, 40 steps \(5 walks of up to 8 steps, seed 1\)/);
    const bad = await run('conform', 'test/conformance/fixtures/jugs-buggy.ts', '--walks', '50', '--length', '12', '--seed', '1');
    expect(bad.code).toBe(1);
    expect(bad.out.split('\n').slice(0, 5)).toEqual([
      '✗ die-hard: the system diverges from the spec after 3 steps (found in walk 2 of seed 1, 8 steps; shrunk in 10 runs)',
      '  1. fillBig',
      '  2. bigToSmall',
      '  3. bigToSmall',
      '  after fillBig → bigToSmall → bigToSmall: small is 5 on the system, the spec says 3',
    ]);
    expect(bad.out).toContain('reproduce: interleave conform test/conformance/fixtures/jugs-buggy.ts --seed 1 --walks 3 --length 12');
    const shortest = await run('conform', 'test/conformance/fixtures/jugs-buggy.ts', '--depth', '3', '--walks', '0');
    expect(shortest.code).toBe(1);
    expect(shortest.out).toContain('the system diverges from the spec after 3 steps (found in path 53 of seed 0, 3 steps)');
    expect(shortest.out).toContain('reproduce: interleave conform test/conformance/fixtures/jugs-buggy.ts --depth 3 --walks 0');
  });

  it('--log: the recorded Redis log is explained (exit 0); under the optimistic variant it is not (exit 1, event 4)', async () => {
    const ok = await run('conform', redis, '--log', log);
    expect(ok).toMatchObject({ code: 0, out: `✓ redis-replication: a behaviour of the spec explains all 8 events of ${log} (9 spec states searched)` });
    const bad = await run('conform', redis, '--log', log, '--const', 'variant=optimistic');
    expect(bad.code).toBe(1);
    expect(bad.out.split('\n')).toEqual([
      `✗ redis-replication: no behaviour of the spec explains ${log}: events 0-3 match, event 4 does not`,
      '  event 4 (reconnect(1)): no enabled step matches the observation; for example reconnect(1) leads to a state where [0].fullSyncs is 0 in the spec, the log says 1',
      '  a behaviour that matches the prefix: write(0) → disconnect(1) → bigWrite(0) → write(0)',
    ]);
  });

  it('bad input is one line with a code and exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'interleave-conform-'));
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"events": [');
    const unknown = path.join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ events: [{ action: 'flushall' }] }));
    expect(await run('conform', redis)).toMatchObject({ code: 2, err: `error DRIVER_NOT_FOUND: ${redis} exports no createDriver(constants) function (needed to drive the system; --log needs only the spec)` });
    expect(await run('conform', redis, '--log', path.join(dir, 'missing.json'))).toMatchObject({ code: 2, err: expect.stringMatching(/^error FILE_NOT_FOUND: no such log file: /) });
    expect(await run('conform', redis, '--log', broken)).toMatchObject({ code: 2, err: expect.stringMatching(/^error LOG_INVALID: .*broken\.json is not valid JSON/) });
    expect(await run('conform', redis, '--log', unknown)).toMatchObject({ code: 2, err: expect.stringMatching(/^error LOG_INVALID: event 0: spec 'redis-replication' has no action 'flushall'/) });
    expect(await run('conform', redis, '--walks', 'x')).toMatchObject({ code: 2, err: expect.stringMatching(/^error CLI_USAGE: .*--walks expects an integer/) });
  });
});
