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

  it('faithful: 20 random walks of up to 8 steps (seed 1) and all 25 paths of 2 steps conform', async () => {
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
    // 20 walks and the 25 paths of 2 steps (enumerated with the checker's successor function).
    const rt = new SpecRuntime(redisReplication);
    expect(allPaths(rt, rt.initialStates()[0]!, 2)).toHaveLength(25);
    expect(r.behaviours).toBe(45);
    expect(r.steps).toBe(210);
    expect(r.coverage).toEqual({ write: 47, bigWrite: 43, killLink: 26, disconnect: 26, reconnect: 9, promote: 36, follow: 23 });
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

  it('optimistic also misdescribes a promoted replica that follows its old master again (PSYNC with a new replication id)', async () => {
    const steps = [
      { action: 'promote', params: 1 },
      { action: 'follow', params: 1 },
    ];
    const r = await testConformance(redisReplication, driver, { view, constants: { variant: 'optimistic' }, behaviours: [steps] });
    expect(r.status === 'divergence' && [r.divergence.field, r.divergence.steps.length]).toEqual(['[0].fullSyncs', 2]);
    const faithful = await testConformance(redisReplication, driver, { view, behaviours: [steps] });
    expect(faithful.status).toBe('ok');
  });
});
