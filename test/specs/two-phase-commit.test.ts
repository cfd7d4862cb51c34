import { describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { expectHolds } from 'interleave/testing';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';

// TLC's published figures for TLA+'s TwoPhase with deadlock checking off. TLC prints the depth counting
// states (the initial state is depth 1); interleave counts actions, so TLC's 11 and 17 are our 10 and 16.
describe('two-phase-commit (TLA+ TwoPhase)', () => {
  it('3 RMs: 288 distinct / 1,146 generated, depth 11 in TLC terms; consistent holds', async () => {
    const r = await expectHolds(twoPhaseCommit, { constants: { rms: 3 }, deadlock: false, distinct: 288, generated: 1146, depth: 10 });
    expect(r.stats.depth + 1).toBe(11);
    expect(r.codec).toBe('packed');
    // The README's `--witness committed`: the commit is reached, at the end of 3 prepares and 3 receipts.
    expect(r.reachable).toEqual([{ name: 'committed', reached: true, depth: 7 }]);
  });
  it('the witness of committed: 7 actions, all RMs prepared and received before TMCommit', async () => {
    const r = await check(twoPhaseCommit, { constants: { rms: 3 }, deadlock: false, witness: 'committed' });
    expect(r.status).toBe('ok');
    const steps = (r as { witness?: { trace: { steps: { action: string }[] } } }).witness?.trace.steps.map((s) => s.action);
    expect(steps).toEqual(['init', 'RMPrepare', 'TMRcvPrepared', 'RMPrepare', 'TMRcvPrepared', 'RMPrepare', 'TMRcvPrepared', 'TMCommit']);
  });
  it('5 RMs: 8,832 distinct / 58,146 generated, depth 17 in TLC terms', async () => {
    const r = await expectHolds(twoPhaseCommit, { constants: { rms: 5 }, deadlock: false, distinct: 8832, generated: 58146, depth: 16 });
    expect(r.stats.depth + 1).toBe(17);
  });
  it('the dynamic codec gives the same counts as the packed one', async () => {
    await expectHolds(twoPhaseCommit, { constants: { rms: 3 }, deadlock: false, distinct: 288, generated: 1146, forceDynamicCodec: true });
  });
  it('deadlock checking on gives the same answer: receiving a decision stays enabled (a self-loop) forever', async () => {
    await expectHolds(twoPhaseCommit, { constants: { rms: 3 }, distinct: 288, generated: 1146 });
  });
});
