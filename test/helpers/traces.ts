/** Counterexample traces of the bundled specs, made with the real checker, for the trace and viewer tests. */
import { check, type CheckOptions, type Spec } from 'interleave';
import { traceFileOf, type TraceFile } from '../../src/trace/index.ts';
import { dieHard } from '../../specs/die-hard.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';

export async function traceOf(spec: Spec, options: CheckOptions, specFile?: string): Promise<TraceFile> {
  const r = await check(spec, options);
  const t = traceFileOf(r, specFile);
  if (!t) throw new Error(`${spec.name}: no counterexample (status ${r.status})`);
  return t;
}

export const dieHardTrace = () => traceOf(dieHard, {}, 'specs/die-hard.ts');
export const gossipBuggyConstants = { variant: 'buggy', maxEpoch: 2, bagSize: 4 };
export const gossipBuggyTrace = () => traceOf(gossip, { constants: gossipBuggyConstants }, 'specs/bench/gossip.ts');
/**
 * Two-phase commit holds its invariant, so the tests ask a question it answers with a trace: "can an RM commit?"
 * (the spec with one extra invariant, `noCommit`, which the shortest commit refutes).
 */
export const twoPhaseWithNoCommit: Spec = Object.freeze({
  ...twoPhaseCommit,
  invariants: [...twoPhaseCommit.invariants, { name: 'noCommit', test: (s: { rmState: string[] }) => !s.rmState.includes('committed') }],
});
export const twoPhaseTrace = () => traceOf(twoPhaseWithNoCommit, { constants: { rms: 2 }, invariants: ['noCommit'] }, 'specs/two-phase-commit.ts');

export { dieHard, gossip, twoPhaseCommit };
