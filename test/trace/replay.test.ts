import { describe, expect, it } from 'vitest';
import { assert, defineSpec, z } from 'interleave';
import { replay } from '../../src/trace/index.ts';
import { traceOf } from '../helpers/traces.ts';
import { dieHard, dieHardTrace, gossip, gossipBuggyTrace, twoPhaseTrace, twoPhaseWithNoCommit } from '../helpers/traces.ts';

describe('replay', () => {
  it('reproduces die-hard, buggy gossip and two-phase commit counterexamples', async () => {
    expect(replay(dieHard, await dieHardTrace())).toEqual({ ok: true, steps: 6 });
    expect(replay(gossip, await gossipBuggyTrace())).toEqual({ ok: true, steps: 5 });
    expect(replay(twoPhaseWithNoCommit, await twoPhaseTrace())).toMatchObject({ ok: true });
  });

  it('reports the exact step and field of a tampered state', async () => {
    const t = await gossipBuggyTrace();
    (t.steps[3]!.state.net as { epoch: number }[])[1]!.epoch = 0;
    const r = replay(gossip, t);
    expect(r).toMatchObject({ ok: false, step: 3, field: 'net[1].epoch', expected: 0, actual: 1, reason: 'state-differs' });
    if (!r.ok) expect(r.message).toBe('step 3 (send(from: 1, to: 0)): field net[1].epoch is 1 on replay, the trace says 0');
  });

  it('reports a tampered matrix cell by its index path', async () => {
    const t = await gossipBuggyTrace();
    (t.steps[2]!.state.R as number[][])[1]![0] = 2;
    expect(replay(gossip, t)).toMatchObject({ ok: false, step: 2, field: 'R[1][0]', expected: 2, actual: 1 });
  });

  it('reports an unknown action, a parameter outside the domain, a false guard and a wrong initial state', async () => {
    const base = await gossipBuggyTrace();
    const unknown = structuredClone(base);
    unknown.steps[2]!.action = 'reboot';
    expect(replay(gossip, unknown)).toMatchObject({ ok: false, step: 2, field: 'action', reason: 'unknown-action' });

    const param = structuredClone(base);
    param.steps[4]!.params = { from: 2, to: 0, replicaOf: 1, epoch: 1 };
    expect(replay(gossip, param)).toMatchObject({ ok: false, step: 4, field: 'params', reason: 'param-not-in-domain' });

    const dh = await dieHardTrace();
    const init = structuredClone(dh);
    init.steps[0]!.state.big = 1;
    expect(replay(dieHard, init)).toMatchObject({ ok: false, step: 0, field: 'big', expected: 1, actual: 0, reason: 'not-initial' });
  });

  it('replays with the trace constants (the fixed variant diverges where the stale message is dropped)', async () => {
    const t = await gossipBuggyTrace();
    t.constants = { ...t.constants, variant: 'fixed' };
    expect(replay(gossip, t)).toMatchObject({ ok: false, step: 5, reason: 'state-differs' });
  });

  it('reproduces an assertion counterexample (the last step is the failing action, its state the state before)', async () => {
    const counter = defineSpec({
      name: 'counter',
      state: z.object({ n: z.number().int().min(0).max(5) }),
      init: () => ({ n: 0 }),
      actions: { inc: { effect: (s) => { assert(s.n < 2, 'belowTwo', `n is ${s.n}`); return { n: s.n + 1 }; } } },
    });
    const t = await traceOf(counter, {});
    expect(t).toMatchObject({ kind: 'assertion', property: 'belowTwo' });
    expect(t.steps.map((s) => s.state.n)).toEqual([0, 1, 2, 2]);
    expect(replay(counter, t)).toEqual({ ok: true, steps: 3, assertion: 'belowTwo' });
  });
});
