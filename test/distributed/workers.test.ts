/**
 * Issue 20, inside a node: a node expands its states on worker threads (`interleave node --workers N`, or a
 * search's own `check --cluster --workers N`), and the counts and the counterexample stay those of a local
 * one-thread check for any number of nodes and threads. A real redis-server on loopback port 17030, and two node
 * processes (one on two worker threads, one on its own thread). Sizes are small: the machine is shared.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../../src/index.ts';
import type { Spec } from '../../src/model/index.ts';
import { checkDistributed } from '../../src/distributed/index.ts';
import { main } from '../../src/cli/main.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';
import { redisReplication } from '../../specs/redis-replication.ts';
import { Proc, ROOT, hasRedisServer, verdict, startNode, startRedis } from './servers.ts';

const PORT = 17030;
const URL = `redis://127.0.0.1:${PORT}`;

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), isTTY: false, color: false });
  return { code, out, err };
}


interface Case {
  name: string;
  spec: Spec<any, any>;
  file: string;
  options: CheckOptions;
  pin: { status: string; distinct: number; generated: number; depth: number; property?: string; length?: number };
}

const CASES: Case[] = [
  {
    name: 'gossip (buggy)',
    spec: gossip,
    file: path.join(ROOT, 'specs/bench/gossip.ts'),
    options: { constants: { variant: 'buggy', maxEpoch: 2, bagSize: 4 } },
    pin: { status: 'violation', distinct: 1523, generated: 4248, depth: 5, property: 'noReplicaLoop', length: 5 },
  },
  {
    name: 'redis replication (a deadlock)',
    spec: redisReplication,
    file: path.join(ROOT, 'specs/redis-replication.ts'),
    options: {},
    pin: { status: 'violation', distinct: 8983, generated: 18848, depth: 8, property: 'deadlock', length: 8 },
  },
  {
    name: 'two-phase commit, rms=5',
    spec: twoPhaseCommit,
    file: path.join(ROOT, 'specs/two-phase-commit.ts'),
    options: { constants: { rms: 5 } },
    pin: { status: 'ok', distinct: 8832, generated: 58146, depth: 16 },
  },
];

describe.skipIf(!hasRedisServer())('a node on worker threads', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let nodes: Proc[] = [];
  beforeAll(async () => {
    redis = await startRedis(PORT);
    nodes = await Promise.all([startNode(URL, 'w1', ['--workers', '2']), startNode(URL, 'w2')]);
  });
  afterAll(async () => {
    for (const n of nodes) await n.kill();
    await redis?.stop();
  });

  for (const c of CASES) {
    it(`${c.name}: 2 nodes on 1, 2 and their own number of threads give the local one-thread counts and counterexample`, async () => {
      const expected = verdict(await check(c.spec, { ...c.options, workers: 1 }));
      expect(expected).toMatchObject({ status: c.pin.status, distinct: c.pin.distinct, generated: c.pin.generated, depth: c.pin.depth });
      if (c.pin.property) {
        expect(expected.violation?.property).toBe(c.pin.property);
        expect(expected.trace).toHaveLength(c.pin.length! + 1);
      }
      for (const workers of [1, 2, undefined]) {
        const marks = nodes.map((n) => n.out.length);
        const r = await checkDistributed(c.spec, c.options, { url: URL, nodes: 2, file: c.file, ...(workers === undefined ? {} : { workers }) });
        expect(verdict(r), `2 nodes, workers ${workers ?? 'of each node'}`).toEqual(expected);
        expect(r.cluster!.bytesSent).toBeGreaterThan(r.cluster!.keyBytes);
        // Each node says how many worker threads it took the search with (none: its own thread).
        const took = nodes.map((n, k) => /took part .*\)/.exec(n.out.slice(marks[k]))?.[0] ?? '');
        if (workers === 2) expect(took.every((t) => t.includes('2 worker threads'))).toBe(true);
        if (workers === 1) expect(took.some((t) => t.includes('worker threads'))).toBe(false);
        if (workers === undefined) expect(took.filter((t) => t.includes('2 worker threads'))).toHaveLength(1);
        // The result counts the threads that expanded states over both nodes: 2 + 2, 1 + 1, or 2 + 1 (each node's own).
        expect(r.stats.workers).toBe(workers === 2 ? 4 : workers === 1 ? 2 : 3);
      }
    });
  }

  it('the CLI: check --cluster --workers 2 prints what a local check prints; a bad --workers is CLI_USAGE (exit 2)', async () => {
    const args = ['check', 'specs/bench/gossip.ts', '--const', 'variant=buggy', '--const', 'maxEpoch=2', '--const', 'bagSize=4'];
    const local = await cli([...args, '--workers', '1']);
    const dist = await cli([...args, '--cluster', URL, '--nodes', '2', '--workers', '2']);
    expect(local.code).toBe(1);
    expect(dist.code).toBe(1);
    const strip = (s: string) => s.replace(/[\d.]+ s \([\d.,]+ k? ?states\/s\)/, '');
    expect(strip(dist.out)).toBe(strip(local.out));
    expect(dist.out).toContain('noReplicaLoop');
    const bad = await cli([...args, '--cluster', URL, '--nodes', '2', '--workers', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("error CLI_USAGE: --workers expects 'auto' or a whole number from 1 to 256, got 'many'");
    const node = await cli(['node', '--cluster', URL, '--workers', '0']);
    expect(node.code).toBe(2);
    expect(node.err).toContain("error CLI_USAGE: --workers expects 'auto' or a whole number from 1 to 256, got '0'");
  });
});
