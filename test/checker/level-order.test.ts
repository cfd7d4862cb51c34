/**
 * Breadth-first order decides what ends a level. One level of 30 states, with a broken invariant, a throwing effect,
 * a failed assertion or a deadlock at chosen states: one thread meets them in rank order, stops at the first error
 * or deadlock, and after a violation one step deeper only scans the rest of the level for a deadlock (so a later
 * effect that throws is never run). Two workers expand the level's states in any order, each learning of the
 * others' violations only later: they must give the same verdict and counterexample (level.ts: levelOutcome).
 * Before that function, an error anywhere in the level beat a violation at a smaller rank, and which one was
 * reported depended on timing ("bad=1, boom=30" gave the error of fan(30) in some runs).
 */
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/index.ts';
import { levelOrder } from '../fixtures/level-order.ts';

type Where = { width?: number; bad?: number; boom?: number; fail?: number; stuck?: number };
type Expected = { verdict: string; steps?: string; distinct: number; generated: number; depth: number };

const boomAfter = (k: number) => `error: spec 'level-order': action 'boom' threw Error: boom, after fan(${k})`;

const cases: [Where, Expected][] = [
  [{}, { verdict: 'ok', distinct: 91, generated: 91, depth: 3 }],
  [{ bad: 9 }, { verdict: 'small', steps: 'init fan(9) bad', distinct: 40, generated: 40, depth: 2 }],
  [{ boom: 9 }, { verdict: boomAfter(9), distinct: 39, generated: 39, depth: 1 }],
  [{ fail: 9 }, { verdict: 'noFail', steps: 'init fan(9) fail', distinct: 39, generated: 39, depth: 1 }],
  [{ stuck: 9 }, { verdict: 'deadlock', steps: 'init fan(9)', distinct: 39, generated: 39, depth: 1 }],
  // Two troubles in one level: the earlier one wins.
  [{ bad: 9, boom: 12 }, { verdict: 'small', steps: 'init fan(9) bad', distinct: 40, generated: 40, depth: 2 }],
  [{ bad: 12, boom: 9 }, { verdict: boomAfter(9), distinct: 39, generated: 39, depth: 1 }],
  [{ fail: 9, boom: 12 }, { verdict: 'noFail', steps: 'init fan(9) fail', distinct: 39, generated: 39, depth: 1 }],
  [{ boom: 9, fail: 12 }, { verdict: boomAfter(9), distinct: 39, generated: 39, depth: 1 }],
  [{ bad: 9, fail: 12 }, { verdict: 'small', steps: 'init fan(9) bad', distinct: 40, generated: 40, depth: 2 }],
  [{ fail: 9, bad: 12 }, { verdict: 'noFail', steps: 'init fan(9) fail', distinct: 39, generated: 39, depth: 1 }],
  [{ stuck: 9, bad: 12 }, { verdict: 'deadlock', steps: 'init fan(9)', distinct: 39, generated: 39, depth: 1 }],
  // A deadlock after a violation one step deeper is a shorter counterexample: the rest of the level is scanned.
  [{ bad: 9, stuck: 12 }, { verdict: 'deadlock', steps: 'init fan(12)', distinct: 40, generated: 40, depth: 2 }],
  [{ stuck: 30, fail: 29 }, { verdict: 'deadlock', steps: 'init fan(30)', distinct: 59, generated: 59, depth: 1 }],
  [{ bad: 30, boom: 29 }, { verdict: boomAfter(29), distinct: 59, generated: 59, depth: 1 }],
  // An effect that throws after a violation in the level is never run (one thread scans only for deadlocks).
  [{ bad: 1, boom: 30 }, { verdict: 'small', steps: 'init fan(1) bad', distinct: 32, generated: 32, depth: 2 }],
  [{ boom: 2, bad: 1 }, { verdict: 'small', steps: 'init fan(1) bad', distinct: 32, generated: 32, depth: 2 }],
  // An error after a violation does not end the level on workers: a deadlock after it still can (workers only
  // scan the states after an error, as one thread does after the violation).
  [{ bad: 3, boom: 9, stuck: 12 }, { verdict: 'deadlock', steps: 'init fan(12)', distinct: 34, generated: 34, depth: 2 }],
  [{ boom: 9, stuck: 12 }, { verdict: boomAfter(9), distinct: 39, generated: 39, depth: 1 }],
  [{ stuck: 9, boom: 12 }, { verdict: 'deadlock', steps: 'init fan(9)', distinct: 39, generated: 39, depth: 1 }],
  // 27 states: a violation found in the level is reported before any state of the next is looked at (the depth
  // says so).
  [{ width: 27, fail: 25 }, { verdict: 'noFail', steps: 'init fan(25) fail', distinct: 52, generated: 52, depth: 1 }],
  [{ width: 27, bad: 26, boom: 27 }, { verdict: 'small', steps: 'init fan(26) bad', distinct: 54, generated: 54, depth: 2 }],
  [{ width: 27, stuck: 27, fail: 24 }, { verdict: 'deadlock', steps: 'init fan(27)', distinct: 51, generated: 51, depth: 1 }],
  [{ width: 27, boom: 27 }, { verdict: boomAfter(27), distinct: 54, generated: 54, depth: 1 }],
];

function verdictOf(r: CheckResult): string {
  if (r.status === 'violation') return r.violation.property;
  if (r.status === 'error') return `error: ${r.error.message}`;
  return r.status;
}

function stepsOf(r: CheckResult): string | undefined {
  if (r.status !== 'violation') return undefined;
  return r.trace.steps.map((s) => s.action + (s.params === null ? '' : `(${String(s.params)})`)).join(' ');
}

describe('breadth-first order decides within a level', () => {
  for (const [where, expected] of cases) {
    const name = Object.entries(where).map(([k, v]) => `${k}=${v}`).join(', ') || 'nothing';
    it(`${name}: one worker`, async () => {
      const r = await check(levelOrder, { constants: where });
      expect({ verdict: verdictOf(r), steps: stepsOf(r), distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth }).toEqual(expected);
    });
    // The violating state is slow, so that the other worker expands the states after it first. At a violation the
    // counts and depth are one thread's too; at an error, those of the levels the workers finished (docs/robustness.md).
    it(`${name}: two workers`, async () => {
      const r = await check(levelOrder, { constants: { ...where, slow: true }, workers: 2 });
      if (r.status === 'error') expect({ verdict: verdictOf(r), steps: stepsOf(r) }).toEqual({ verdict: expected.verdict, steps: expected.steps });
      else expect({ verdict: verdictOf(r), steps: stepsOf(r), distinct: r.stats.distinct, generated: r.stats.generated, depth: r.stats.depth }).toEqual(expected);
    });
  }
});
