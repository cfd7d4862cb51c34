/**
 * Issue 20: the breadth-first search partitioned over node processes, through a real redis-server on loopback
 * ports (17010; a 3-shard Redis Cluster on 17020-17022). A distributed run gives exactly the local distinct and
 * generated counts and the same counterexample for any number of nodes; a node whose spec differs is refused; a
 * killed node ends the run with exit 3 and CLUSTER_NODE_LOST, a restarted server with CLUSTER_TRANSPORT_LOST. Sizes are small: the machine is shared.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckOptions, type CheckResult } from '../../src/index.ts';
import type { Spec } from '../../src/model/index.ts';
import { checkDistributed } from '../../src/distributed/index.ts';
import { main } from '../../src/cli/main.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';
import { levelOrder } from '../fixtures/level-order.ts';
import { Proc, ROOT, hasRedisServer, verdict, runCli, startCluster, startNode, startRedis } from './servers.ts';

const PORT = 17010;
const URL = `redis://127.0.0.1:${PORT}`;
const CLUSTER_PORTS = [17020, 17021, 17022];
const specFile = (rel: string) => path.join(ROOT, rel);

/** The CLI in this process (from the sources): exit code, stdout and stderr. */
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
  nodes: number[];
  pin: { status: string; distinct: number; generated: number; depth: number; property?: string; length?: number };
}

const buggyGossip: Case = {
  name: 'gossip (buggy)',
  spec: gossip,
  file: specFile('specs/bench/gossip.ts'),
  options: { constants: { variant: 'buggy', maxEpoch: 2, bagSize: 4 } },
  nodes: [1, 2, 3],
  pin: { status: 'violation', distinct: 1523, generated: 4248, depth: 5, property: 'noReplicaLoop', length: 5 },
};

const CASES: Case[] = [
  buggyGossip,
  {
    name: 'two-phase commit, rms=5',
    spec: twoPhaseCommit,
    file: specFile('specs/two-phase-commit.ts'),
    options: { constants: { rms: 5 } },
    nodes: [3],
    pin: { status: 'ok', distinct: 8832, generated: 58146, depth: 16 },
  },
  {
    name: 'Peterson, n=5',
    spec: peterson,
    file: specFile('specs/bench/peterson.ts'),
    // Temporal properties are checked on one machine only (a distributed run says so in a warning).
    options: { constants: { n: 5 }, skipProperties: peterson.properties.map((p) => p.name) },
    nodes: [3],
    pin: { status: 'ok', distinct: 88560, generated: 286986, depth: 36 },
  },
];


const skip = !hasRedisServer();

describe.skipIf(skip)('distributed search on one redis-server', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let nodes: Proc[] = [];
  beforeAll(async () => {
    redis = await startRedis(PORT);
    nodes = await Promise.all([1, 2, 3].map((i) => startNode(URL, `n${i}`)));
  });
  afterAll(async () => {
    for (const n of nodes) await n.kill();
    await redis?.stop();
  });

  for (const c of CASES) {
    it(`${c.name}: the local counts and counterexample with ${c.nodes.join(', ')} node(s)`, async () => {
      const local = await check(c.spec, { ...c.options, workers: 1 });
      const expected = verdict(local);
      expect(expected).toMatchObject({ status: c.pin.status, distinct: c.pin.distinct, generated: c.pin.generated, depth: c.pin.depth });
      if (c.pin.property) {
        expect(expected.violation?.property).toBe(c.pin.property);
        expect(expected.trace).toHaveLength(c.pin.length! + 1);
      }
      for (const n of c.nodes) {
        const r = await checkDistributed(c.spec, c.options, { url: URL, nodes: n, file: c.file });
        expect(verdict(r), `${n} node(s)`).toEqual(expected);
        expect(r.cluster?.nodes).toBe(n);
        // One node sends only its sorted keys (8 bytes a state); more send the successors they do not own too.
        expect(r.cluster!.keyBytes % 8).toBe(0);
        if (n === 1) expect(r.cluster!.bytesSent).toBe(r.cluster!.keyBytes);
        else expect(r.cluster!.bytesSent).toBeGreaterThan(r.cluster!.keyBytes);
      }
    });
  }

  it('what ends a level is what ends it on one thread: an effect that throws after a violation in the level is never run', async () => {
    // Nodes expand every state of a level in full; one thread, after a violation one step deeper, only scans the
    // rest of the level for a deadlock (level-outcome.ts). Before, any error of the level won, whatever its rank.
    const placements = [{ bad: 1, boom: 30 }, { boom: 2, bad: 1 }, { bad: 9, boom: 12 }, { bad: 12, boom: 9 }, { bad: 9, stuck: 12 }, { fail: 9, boom: 12 }, { boom: 9, fail: 12 }];
    const file = specFile('test/fixtures/level-order.ts');
    const outcome = (r: CheckResult<unknown>) => ({
      status: r.status,
      property: r.status === 'violation' ? r.violation.property : null,
      error: r.status === 'error' ? r.error.message : null,
      steps: r.status === 'violation' ? r.trace.steps.map((st) => st.action) : null,
      // At a violation, the counts and depth where one thread stops (at an error, those of the levels finished).
      counts: r.status === 'violation' ? [r.stats.distinct, r.stats.generated, r.stats.depth] : null,
    });
    for (const constants of placements) {
      const local = outcome(await check(levelOrder, { constants, workers: 1 }));
      expect(local.status, JSON.stringify(constants)).not.toBe('ok');
      const r = await checkDistributed(levelOrder, { constants }, { url: URL, nodes: 2, file });
      expect(outcome(r), JSON.stringify(constants)).toEqual(local);
    }
  });

  it('a node that loads a different spec refuses the search, and the error names it', async () => {
    const other = specFile('test/distributed/fixtures/other-gossip.ts');
    await expect(checkDistributed(gossip, buggyGossip.options, { url: URL, nodes: 1, file: other })).rejects.toMatchObject({
      code: 'CLUSTER_SPEC_MISMATCH',
      message: expect.stringMatching(/^node n[123]: its spec is not the coordinator's \(the actions differ/),
    });
  });

  it('the CLI prints the same result and trace as a local check (exit 1), and refuses unsupported options (exit 2)', async () => {
    const args = ['check', 'specs/bench/gossip.ts', '--const', 'variant=buggy', '--const', 'maxEpoch=2', '--const', 'bagSize=4'];
    const local = await cli([...args, '--workers', '1']);
    const dist = await cli([...args, '--cluster', URL, '--nodes', '2']);
    expect(local.code).toBe(1);
    expect(dist.code).toBe(1);
    const strip = (s: string) => s.replace(/[\d.]+ s \([\d.,]+ k? ?states\/s\)/, '');
    expect(strip(dist.out)).toBe(strip(local.out));
    expect(dist.out).toContain('noReplicaLoop');
    const bad = await cli([...args, '--cluster', URL, '--max-depth', '3', '--symmetry']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('error CLUSTER_UNSUPPORTED: a distributed search (--cluster) does not support --symmetry, --max-depth');
  });

  it('a node killed in the middle of a search ends it with exit 3 and CLUSTER_NODE_LOST', async () => {
    const marks = nodes.map((n) => n.out.length);
    const run = runCli(['check', 'specs/bench/peterson.ts', '--const', 'n=6', '--skip-property', 'starvationFree', '--cluster', URL, '--nodes', '2', '--json'], 90_000);
    // The victim: a node that took this search, once it is under way.
    let victim: Proc | undefined;
    for (let i = 0; i < 600 && victim === undefined; i++) {
      victim = nodes.find((n, k) => /took part/.test(n.out.slice(marks[k])));
      if (victim === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(victim, 'no node took the search').toBeDefined();
    await new Promise((r) => setTimeout(r, 1500));
    const killedAt = Date.now();
    await victim!.kill('SIGKILL');
    nodes = nodes.filter((n) => n !== victim);
    const r = await run;
    const seconds = (Date.now() - killedAt) / 1000;
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(r.stdout) as { status: string; reason: string; message: string; code: string };
    expect(json).toMatchObject({ status: 'incomplete', reason: 'cluster', code: 'CLUSTER_NODE_LOST' });
    expect(json.message).toMatch(/^CLUSTER_NODE_LOST: node n[123] \(index [01]\) stopped answering/);
    expect(seconds).toBeLessThan(30);
  });

  // Last: the nodes may not survive it.
  it('a redis-server that restarts in the middle of a search ends it with exit 3 and CLUSTER_TRANSPORT_LOST', async () => {
    const marks = nodes.map((n) => n.out.length);
    const run = runCli(['check', 'specs/bench/peterson.ts', '--const', 'n=6', '--skip-property', 'starvationFree', '--cluster', URL, '--nodes', '2', '--json'], 90_000);
    for (let i = 0; i < 600 && !nodes.every((n, k) => /took part/.test(n.out.slice(marks[k]))); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    const restartedAt = Date.now();
    await redis.stop();
    redis = await startRedis(PORT);
    const r = await run;
    const seconds = (Date.now() - restartedAt) / 1000;
    expect(r.code, r.stderr).toBe(3);
    const json = JSON.parse(r.stdout) as { status: string; reason: string; message: string; code: string };
    expect(json).toMatchObject({ status: 'incomplete', reason: 'cluster', code: 'CLUSTER_TRANSPORT_LOST' });
    expect(json.message).toMatch(/^CLUSTER_TRANSPORT_LOST: /);
    expect(seconds).toBeLessThan(30);
  });
});

describe.skipIf(skip)('distributed search on a 3-shard Redis Cluster', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>>;
  let nodes: Proc[] = [];
  const url = `redis://127.0.0.1:${CLUSTER_PORTS[0]}`;
  beforeAll(async () => {
    cluster = await startCluster(CLUSTER_PORTS);
    nodes = await Promise.all([1, 2].map((i) => startNode(url, `c${i}`)));
  });
  afterAll(async () => {
    for (const n of nodes) await n.kill();
    await cluster?.stop();
  });

  it('gives the local counts and counterexample with 2 nodes', async () => {
    const local = verdict(await check(gossip, { ...buggyGossip.options, workers: 1 }));
    const r = await checkDistributed(gossip, buggyGossip.options, { url, nodes: 2, file: buggyGossip.file });
    expect(verdict(r)).toEqual(local);
    expect(local).toMatchObject({ distinct: 1523, generated: 4248, depth: 5 });
  });
});
