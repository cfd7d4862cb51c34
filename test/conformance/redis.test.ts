/**
 * Conformance of specs/redis-replication.ts with two real redis-server processes (Debian's redis-server, which
 * .ci/run installs), started by this test on free loopback ports and stopped in afterAll. Every number is pinned:
 * the walks are determined by the seed and the spec as long as the servers conform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPaths, testConformance, validateLog, type ConformanceStepEvent, type ObservedLog } from 'interleave/testing';
import { SpecRuntime } from 'interleave';
import { redisReplication, redisView, type RedisNodeView } from '../../specs/redis-replication.ts';
import { createDriver, type RedisDriver } from './redis/driver.ts';
import { hasRedisServer } from './redis/servers.ts';

const view = (s: Parameters<typeof redisView>[0]) => redisView(s);
let driver: RedisDriver;

beforeAll(async () => {
  if (!hasRedisServer()) throw new Error('redis-server is not installed: these tests drive a real Redis (apt-get install redis-server; .ci/run installs it)');
  driver = await createDriver();
});
afterAll(async () => {
  await driver?.close();
});

describe('redis-replication against real redis-server', () => {
  const events: ConformanceStepEvent<RedisNodeView[]>[] = [];

  it('faithful: all 5 + 25 paths of 1 and 2 steps and 20 random walks of up to 8 steps (seed 1) conform', async () => {
    const r = await testConformance(redisReplication, driver, {
      view,
      seed: 1,
      walks: 20,
      walkLength: 8,
      depth: 2,
      onStep: (e) => {
        if (e.behaviour.kind === 'walk' && e.behaviour.index === 1) events.push(e);
      },
    });
    if (r.status !== 'ok') throw new Error(`expected conformance, got ${r.status}: ${r.status === 'divergence' ? r.divergence.message : r.status === 'error' ? r.error.message : r.message}`);
    // The 5 + 25 paths of 1 and 2 steps (enumerated with the checker's successor function), then 20 walks.
    const rt = new SpecRuntime(redisReplication);
    expect([allPaths(rt, rt.initialStates()[0]!, 1).length, allPaths(rt, rt.initialStates()[0]!, 2).length]).toEqual([5, 25]);
    expect(r.behaviours).toBe(50);
    expect(r.steps).toBe(215);
    expect(r.coverage).toEqual({ write: 48, bigWrite: 44, killLink: 27, disconnect: 27, reconnect: 9, promote: 37, follow: 23 });
  });

  it('resetting by restarting the servers drives the same walks as resetting with commands (the default)', async () => {
    const restarting = await createDriver({}, { reset: 'restart' });
    try {
      const a = await testConformance(redisReplication, restarting, { view, seed: 1, walks: 3 });
      const b = await testConformance(redisReplication, driver, { view, seed: 1, walks: 3 });
      expect([a.status, b.status]).toEqual(['ok', 'ok']);
      expect(a.coverage).toEqual(b.coverage);
      expect(a.steps).toBe(24);
    } finally {
      await restarting.close();
    }
  });

  it('the log recorded from that run (walk 1) is explained by the faithful spec, not by the optimistic one', () => {
    const log: ObservedLog = {
      initial: events[0]!.observed,
      events: events.slice(1).map((e) => ({ action: e.action, params: e.params, observed: e.observed })),
    };
    expect(log.events.map((e) => e.action)).toEqual(['write', 'disconnect', 'bigWrite', 'write', 'reconnect', 'promote', 'follow', 'promote']);
    expect(validateLog(redisReplication, log, { view }).status).toBe('ok');
    const optimistic = validateLog(redisReplication, log, { view, constants: { variant: 'optimistic' } });
    expect(optimistic.status === 'mismatch' && optimistic.matched).toBe(4);
    // A doctored copy: the replica claims it stayed connected through the big write.
    const doctored = JSON.parse(JSON.stringify(log)) as ObservedLog;
    (doctored.events[2]!.observed as RedisNodeView[])[1]!.link = 'up';
    const r = validateLog(redisReplication, doctored, { view });
    expect(r.status === 'mismatch' && [r.matched, r.event?.action]).toEqual([2, 'bigWrite']);
  });

  it('optimistic (a partial resync is always possible) diverges; shrunk to 3 steps: disconnect, big write, reconnect', async () => {
    const r = await testConformance(redisReplication, driver, { view, constants: { variant: 'optimistic' }, seed: 1, walks: 20, walkLength: 8 });
    expect(r.status).toBe('divergence');
    if (r.status !== 'divergence') return;
    const d = r.divergence;
    expect(d.kind).toBe('state');
    expect(d.steps).toEqual([
      { action: 'disconnect', params: 1 },
      { action: 'bigWrite', params: 0 },
      { action: 'reconnect', params: 1 },
    ]);
    expect(d.field).toBe('[0].fullSyncs');
    expect([d.expectedValue, d.observedValue]).toEqual([0, 1]);
    expect(d.message).toBe('after disconnect(1) → bigWrite(0) → reconnect(1): [0].fullSyncs is 1 on the system, the spec says 0');
    expect(d.found).toEqual({ kind: 'walk', index: 1, seed: 1, length: 5 });
    expect(d.shrinkRuns).toBe(7);
    expect(r.behaviours).toBe(2);
    // The shrunk behaviour reproduces on its own.
    const again = await testConformance(redisReplication, driver, { view, constants: { variant: 'optimistic' }, behaviours: [d.steps], shrink: false });
    expect(again.status === 'divergence' && again.divergence.field).toBe('[0].fullSyncs');
  });

  it('optimistic, with all paths to depth 2 first: the shortest divergence, 2 steps: promote, then follow the old master', async () => {
    const r = await testConformance(redisReplication, driver, { view, constants: { variant: 'optimistic' }, depth: 2, walks: 0 });
    expect(r.status).toBe('divergence');
    if (r.status !== 'divergence') return;
    // The promoted server took a new replication id, which its old master never knew: a full sync, not a partial one.
    expect(r.divergence.steps).toEqual([
      { action: 'promote', params: 1 },
      { action: 'follow', params: 1 },
    ]);
    expect([r.divergence.field, r.divergence.expectedValue, r.divergence.observedValue]).toEqual(['[0].fullSyncs', 0, 1]);
    expect([r.divergence.found, r.divergence.shrinkRuns, r.behaviours]).toEqual([{ kind: 'path', index: 29, seed: 0, length: 2 }, 0, 30]);
  });
});
