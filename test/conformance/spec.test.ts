import { describe, it } from 'vitest';
import { expectHolds } from 'interleave/testing';
import { redisReplication } from '../../specs/redis-replication.ts';

// The Redis replication spec is also an ordinary spec: its invariants hold under both variants (the checker
// cannot tell them apart; only the real servers can: redis.test.ts). Counts pinned with the folder-run bounds.
describe('redis-replication as a spec', () => {
  const small = { maxWrites: 2, maxPromotions: 1, maxSyncs: 2 };
  it('faithful: invariants hold, 648 distinct states, depth 8', async () => {
    await expectHolds(redisReplication, { constants: { ...small, variant: 'faithful' }, deadlock: false, distinct: 648, depth: 8 });
  });
  it('optimistic: invariants hold, 1,092 distinct states, depth 8', async () => {
    await expectHolds(redisReplication, { constants: { ...small, variant: 'optimistic' }, deadlock: false, distinct: 1092, depth: 8 });
  });
});
