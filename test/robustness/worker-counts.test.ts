/**
 * Issue 16, item 7: with a violation, the distinct and generated counts were those of however far each worker had
 * got when the level ended (gossip buggy: 1,523 distinct with 1 worker, 674 with 2; `generated` varied from run to
 * run). Now every number of workers reports the counts at which one thread stops: the first violation in
 * breadth-first order, counting the successors generated up to it.
 */
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/index.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { wideLevels } from '../fixtures/hostile/wide-levels.ts';

function counts(r: CheckResult) {
  return {
    status: r.status,
    property: r.status === 'violation' ? r.violation.property : null,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    depth: r.stats.depth,
    length: r.status === 'violation' ? r.trace.steps.length - 1 : null,
    last: r.status === 'violation' ? r.trace.steps.at(-1)!.state : null,
  };
}

describe('counts at a violation do not depend on the number of workers', () => {
  it('gossip buggy (maxEpoch 2, bag 4): 1,523 distinct, 4,248 generated, with 1 worker and with 2 (674 before)', async () => {
    const constants = { variant: 'buggy', maxEpoch: 2, bagSize: 4 };
    const expected = { status: 'violation', property: 'noReplicaLoop', distinct: 1523, generated: 4248, depth: 5, length: 5 };
    const one = await check(gossip, { constants, workers: 1 });
    expect(counts(one)).toMatchObject(expected);
    const two = await check(gossip, { constants, workers: 2 });
    expect(two.stats.workers).toBe(2);
    expect(counts(two)).toEqual(counts(one));
  });

  it.each([
    ['invariant', 'notBad', 651, 2176, 15],
    ['assertion', 'notBad', 757, 2572, 16],
  ] as const)('a level shared by 2 workers racing past its first violation (%s): the counts of one thread', async (kind, property, distinct, generated, length) => {
    const one = await check(wideLevels, { constants: { kind }, workers: 1 });
    expect(counts(one)).toMatchObject({ status: 'violation', property, distinct, generated, depth: 15, length, last: { a: 11, b: 4, c: 0 } });
    const two = await check(wideLevels, { constants: { kind }, workers: 2 });
    expect(two.stats.workers).toBe(2);
    expect(counts(two)).toEqual(counts(one));
  });
});
