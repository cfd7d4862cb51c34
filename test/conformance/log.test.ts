import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLog, validateLog, type ObservedLog } from 'interleave/testing';
import { redisReplication, redisView } from '../../specs/redis-replication.ts';

// A log recorded from two real redis-server 7.0 processes (walk 1 of the conformance run with seed 1; see the
// file's "recorded" field). It needs no server: this is trace validation of a recorded log against the spec.
const recorded = parseLog(JSON.parse(readFileSync(new URL('./fixtures/redis-replication.log.json', import.meta.url), 'utf8')));
const view = (s: Parameters<typeof redisView>[0]) => redisView(s);
const copy = (): ObservedLog => JSON.parse(JSON.stringify(recorded)) as ObservedLog;

describe('validateLog on a log recorded from real Redis', () => {
  it('the faithful spec explains all 8 events, with the behaviour that matches', () => {
    const r = validateLog(redisReplication, recorded, { view });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.events).toBe(8);
    expect(r.behaviour.map((s) => `${s.action}(${String(s.params)})`)).toEqual(['write(0)', 'disconnect(1)', 'bigWrite(0)', 'write(0)', 'reconnect(1)', 'promote(1)', 'follow(0)', 'promote(0)']);
    expect(r.states).toBe(9);
  });

  it('the optimistic variant cannot explain the full sync after the backlog was overrun (event 4)', () => {
    const r = validateLog(redisReplication, recorded, { view, constants: { variant: 'optimistic' } });
    expect(r.status).toBe('mismatch');
    if (r.status !== 'mismatch') return;
    expect(r.matched).toBe(4);
    expect(r.event?.action).toBe('reconnect');
    expect(r.candidates).toBe(1);
    expect(r.message).toBe('event 4 (reconnect(1)): no enabled step matches the observation; for example reconnect(1) leads to a state where [0].fullSyncs is 0 in the spec, the log says 1');
    expect(r.behaviour.map((s) => s.action)).toEqual(['write', 'disconnect', 'bigWrite', 'write']);
  });

  it('a doctored copy (the full sync turned into a partial one) is rejected at event 4 with the field', () => {
    const log = copy();
    const ev = log.events[4]! as { observed: { fullSyncs: number; partialSyncs: number }[] };
    ev.observed[0]!.fullSyncs = 0;
    ev.observed[0]!.partialSyncs = 1;
    const r = validateLog(redisReplication, log, { view });
    expect(r.status).toBe('mismatch');
    if (r.status !== 'mismatch') return;
    expect(r.matched).toBe(4);
    expect(r.message).toContain('[0].fullSyncs is 1 in the spec, the log says 0');
  });

  it('a doctored copy without the disconnect is rejected at the big write (the replica would have received it)', () => {
    const log = copy();
    (log.events as unknown[]).splice(1, 1);
    const r = validateLog(redisReplication, log, { view });
    expect(r.status).toBe('mismatch');
    if (r.status !== 'mismatch') return;
    expect(r.matched).toBe(1);
    expect(r.event?.action).toBe('bigWrite');
    expect(r.message).toContain('[1].link is "up" in the spec, the log says "down"');
  });

  it('... but explained when disconnect is declared silent (unlogged): the search supplies it', () => {
    const log = copy();
    (log.events as unknown[]).splice(1, 1);
    const r = validateLog(redisReplication, log, { view, silent: ['disconnect'] });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(r.behaviour.map((s) => s.action)).toEqual(['write', 'disconnect', 'bigWrite', 'write', 'reconnect', 'promote', 'follow', 'promote']);
  });

  it('unobserved parts are nondeterministic: without parameters and with only the sync counters, the log still matches', () => {
    const log: ObservedLog = {
      events: recorded.events.map((e) => ({ action: e.action, observed: (e.observed as { fullSyncs: number }[]).map((n) => ({ fullSyncs: n.fullSyncs })) })),
    };
    const r = validateLog(redisReplication, log, { view });
    expect(r.status).toBe('ok');
    // Without parameters or data, several spec states stay consistent with the log at some positions.
    expect(r.states).toBeGreaterThan(9);
  });

  it('an event the spec has no action for is bad input (LOG_INVALID), and so is a malformed log', () => {
    expect(() => validateLog(redisReplication, { events: [{ action: 'flushall' }] }, { view })).toThrow(/event 0: spec 'redis-replication' has no action 'flushall'/);
    expect(() => parseLog({ events: [{ params: 1 }] })).toThrow(/event 0: "action" must be a non-empty string/);
    expect(() => parseLog([])).toThrow(/a log must be an object/);
  });

  it('an initial observation that no initial state shows is a mismatch before event 0', () => {
    const r = validateLog(redisReplication, { initial: [{ role: 'replica' }, {}], events: [] }, { view });
    expect(r.status).toBe('mismatch');
    if (r.status !== 'mismatch') return;
    expect(r.matched).toBe(-1);
    expect(r.message).toContain("[0].role is \"master\" in the spec, the log says \"replica\"");
  });

  it("the log in docs/conformance.md is explained (partial observations, a missing parameter)", () => {
    const log = parseLog({
      constants: { variant: 'faithful' },
      initial: [{ role: 'master' }, { role: 'replica', link: 'up' }],
      events: [
        { action: 'write', params: 0, observed: [{ data: 1 }, { data: 1 }] },
        { action: 'disconnect', params: 1 },
        { action: 'reconnect', observed: [{ fullSyncs: 0, partialSyncs: 1 }, {}] },
      ],
    });
    const r = validateLog(redisReplication, log, { view });
    expect(r.status === 'ok' && r.behaviour.map((s) => `${s.action}(${String(s.params)})`)).toEqual(['write(0)', 'disconnect(1)', 'reconnect(1)']);
  });
});
