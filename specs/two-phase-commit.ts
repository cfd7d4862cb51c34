/**
 * Two-phase commit, as TLA+'s TwoPhase (Lamport and Gray's "Consensus on Transaction Commit", the transaction
 * manager version): a transaction manager (TM) and `rms` resource managers (RMs); messages are a set, never
 * lost, possibly received many times. The invariant `consistent` says no RM commits while another aborts.
 *
 * Known answers (TLC, deadlock checking off since the protocol terminates): 3 RMs = 288 distinct / 1,146
 * generated states, depth 11; 5 RMs = 8,832 / 58,146, depth 17.
 */
import { defineSpec, permute, setOf, SetOf, z } from 'interleave';

const RmState = z.enum(['working', 'prepared', 'committed', 'aborted']);
const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const twoPhaseCommit = defineSpec({
  name: 'two-phase-commit',
  description: "TLA+'s TwoPhase: a transaction manager and resource managers agree to commit or abort.",
  constants: z.object({ rms: z.number().int().min(1).max(8).default(3) }),
  state: (c) => {
    const Rm = z.number().int().min(0).max(c.rms - 1);
    const Message = z.discriminatedUnion('type', [
      z.object({ type: z.literal('Prepared'), rm: Rm }),
      z.object({ type: z.literal('Commit') }),
      z.object({ type: z.literal('Abort') }),
    ]);
    return z.object({
      rmState: z.array(RmState).length(c.rms),
      tmState: z.enum(['init', 'committed', 'aborted']),
      tmPrepared: setOf(Rm, { max: c.rms }),
      msgs: setOf(Message, { max: c.rms + 2 }),
    });
  },
  init: (c) => ({ rmState: ids(c.rms).map(() => 'working' as const), tmState: 'init' as const, tmPrepared: [], msgs: [] }),
  actions: ({ action }) => ({
    TMRcvPrepared: action({
      params: (_s, c) => ids(c.rms),
      guard: (s, _c, r) => s.tmState === 'init' && s.msgs.some((m) => m.type === 'Prepared' && m.rm === r),
      effect: (s, _c, r) => ({ ...s, tmPrepared: SetOf.add(s.tmPrepared, r) }),
      process: 'TM',
    }),
    TMCommit: action({
      guard: (s, c) => s.tmState === 'init' && s.tmPrepared.length === c.rms,
      effect: (s) => ({ ...s, tmState: 'committed' as const, msgs: SetOf.add(s.msgs, { type: 'Commit' as const }) }),
      process: 'TM',
    }),
    TMAbort: action({
      guard: (s) => s.tmState === 'init',
      effect: (s) => ({ ...s, tmState: 'aborted' as const, msgs: SetOf.add(s.msgs, { type: 'Abort' as const }) }),
      process: 'TM',
    }),
    RMPrepare: action({
      params: (_s, c) => ids(c.rms),
      guard: (s, _c, r) => s.rmState[r] === 'working',
      effect: (s, _c, r) => ({ ...s, rmState: s.rmState.with(r, 'prepared'), msgs: SetOf.add(s.msgs, { type: 'Prepared' as const, rm: r }) }),
      process: (r) => `RM${r}`,
    }),
    RMChooseToAbort: action({
      params: (_s, c) => ids(c.rms),
      guard: (s, _c, r) => s.rmState[r] === 'working',
      effect: (s, _c, r) => ({ ...s, rmState: s.rmState.with(r, 'aborted') }),
      process: (r) => `RM${r}`,
    }),
    RMRcvCommitMsg: action({
      params: (_s, c) => ids(c.rms),
      guard: (s) => s.msgs.some((m) => m.type === 'Commit'),
      effect: (s, _c, r) => ({ ...s, rmState: s.rmState.with(r, 'committed') }),
      process: (r) => `RM${r}`,
    }),
    RMRcvAbortMsg: action({
      params: (_s, c) => ids(c.rms),
      guard: (s) => s.msgs.some((m) => m.type === 'Abort'),
      effect: (s, _c, r) => ({ ...s, rmState: s.rmState.with(r, 'aborted') }),
      process: (r) => `RM${r}`,
    }),
  }),
  /** Every resource manager has committed or aborted: the protocol is over (TLC runs it with deadlock checking off). */
  terminal: (s) => s.rmState.every((r) => r === 'committed' || r === 'aborted'),
  invariants: {
    consistent: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
  },
  /** The transaction can commit: `consistent` must not hold only because nothing ever commits. */
  reachable: {
    committed: (s) => s.tmState === 'committed',
  },
  /** The resource managers are interchangeable. */
  symmetry: {
    size: (c) => c.rms,
    apply: (s, perm) => ({
      ...s,
      rmState: permute(s.rmState, perm),
      tmPrepared: s.tmPrepared.map((r) => perm[r]!),
      msgs: s.msgs.map((m) => (m.type === 'Prepared' ? { type: 'Prepared' as const, rm: perm[m.rm]! } : m)),
    }),
  },
  expected: [
    { name: 'rms=3', constants: { rms: 3 }, status: 'ok' },
    { name: 'rms=5', constants: { rms: 5 }, status: 'ok' },
  ],
});

export default twoPhaseCommit;
