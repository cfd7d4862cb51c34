import { describe, expect, it } from 'vitest';
import { expectHolds } from 'interleave/testing';
import { redisReplication } from '../../specs/redis-replication.ts';

// The Redis replication spec is also an ordinary spec: its invariants hold under both variants (the checker
// cannot tell them apart; only the real servers can: redis.test.ts). Counts pinned with the folder-run bounds.
describe('redis-replication as a spec', () => {
  const small = { maxWrites: 2, maxPromotions: 1, maxSyncs: 2 };
  it('faithful: invariants hold, 648 distinct states, depth 8', async () => {
    const r = await expectHolds(redisReplication, { constants: { ...small, variant: 'faithful' }, deadlock: false, distinct: 648, depth: 8 });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(648);
    expect(r.stats.depth).toBe(8);
    expect(r.options.invariants.length).toBeGreaterThan(0);
  });
  it('optimistic: invariants hold, 1,092 distinct states, depth 8', async () => {
    const r = await expectHolds(redisReplication, { constants: { ...small, variant: 'optimistic' }, deadlock: false, distinct: 1092, depth: 8 });
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(1092);
    expect(r.stats.depth).toBe(8);
  });
  it('a wrong pinned count is refused: expectHolds names the count it found', async () => {
    await expect(expectHolds(redisReplication, { constants: { ...small, variant: 'faithful' }, deadlock: false, distinct: 647 })).rejects.toThrow(
      'redis-replication: distinct 648 instead of 647',
    );
  });
});
