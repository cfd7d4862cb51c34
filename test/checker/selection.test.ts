/**
 * Issue 17 item 2: assertions are properties like the others (declared, listed, selected, named when checked),
 * and one resolver turns names of any kind into what a run checks (src/checker/spec/selection.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assert, check, defineSpec, z } from '../../src/index.ts';
import { resolveSelection } from '../../src/checker/spec/index.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';

const root = path.resolve(import.meta.dirname, '../..');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/interleave.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A counter to 3 that asserts `small` (x < 2) on its way, with an invariant and a temporal property. */
const counter = (declare: boolean, name = 'small') =>
  defineSpec({
    name: 'assert-counter',
    state: z.object({ x: z.number().int().min(0).max(3) }),
    init: () => ({ x: 0 }),
    actions: {
      inc: {
        guard: (s) => s.x < 3,
        effect: (s) => {
          assert(s.x < 2, name, `x = ${s.x}`);
          return { x: s.x + 1 };
        },
        fairness: 'weak',
      },
      reset: { guard: (s) => s.x === 3, effect: () => ({ x: 0 }) },
    },
    invariants: { inRange: (s) => s.x <= 3 },
    ...(declare ? { assertions: { small: 'the counter stays below 2 when it is incremented' } } : {}),
    properties: ({ eventually }) => ({ reachesOne: eventually((s) => s.x === 1) }),
  });

describe('resolveSelection: each name goes to its kind', () => {
  const spec = counter(true);
  it('follows the table of docs/properties.md', () => {
    expect(resolveSelection(spec, {})).toEqual({ invariants: ['inRange'], assertions: ['small'], properties: ['reachesOne'], reachable: [] });
    expect(resolveSelection(spec, { properties: [] })).toEqual({ invariants: ['inRange'], assertions: ['small'], properties: [], reachable: [] });
    expect(resolveSelection(spec, { properties: ['inRange'] })).toEqual({ invariants: ['inRange'], assertions: ['small'], properties: [], reachable: [] });
    expect(resolveSelection(spec, { invariants: ['reachesOne'] })).toEqual({ invariants: [], assertions: ['small'], properties: ['reachesOne'], reachable: [] });
    expect(resolveSelection(spec, { invariants: [], assertions: [], properties: ['small'] })).toEqual({ invariants: [], assertions: ['small'], properties: [], reachable: [] });
    expect(resolveSelection(spec, { skip: ['small', 'reachesOne'] })).toEqual({ invariants: ['inRange'], assertions: [], properties: [], reachable: [] });
    expect(resolveSelection(counter(false), {})).toEqual({ invariants: ['inRange'], assertions: null, properties: ['reachesOne'], reachable: [] });
  });
  it("a `reachable` predicate is a kind of its own: named in any list, skipped, or restricted by --property", async () => {
    const { reachGrid } = await import('../fixtures/reachability/grid.ts');
    expect(resolveSelection(reachGrid, { properties: ['corner'] })).toEqual({ invariants: ['inBounds'], assertions: null, properties: [], reachable: ['corner'] });
    expect(resolveSelection(reachGrid, { skip: ['overflow'] }).reachable).toEqual(['corner', 'diagonal', 'origin']);
    expect(resolveSelection(reachGrid, { invariants: ['inBounds'], assertions: [], properties: [], reachable: [] }).reachable).toEqual([]);
    expect(() => resolveSelection(reachGrid, { reachable: ['cornr'] })).toThrow(/known: inBounds, overflowRecovers, startFinishes, corner, diagonal, overflow, origin/);
  });
  it('an unknown name is UNKNOWN_PROPERTY listing every kind', () => {
    expect(() => resolveSelection(spec, { skip: ['smal'] })).toThrow(/has no invariant, assertion or property 'smal' \(known: inRange, small, reachesOne\)/);
  });
});

describe('assertions as properties', () => {
  it('a declared assertion fails the run as before (shortest: 3 actions, the last one failing)', async () => {
    const r = await check(counter(true), { workers: 1 });
    expect(r.status === 'violation' && r.violation).toMatchObject({ kind: 'assertion', property: 'small' });
    if (r.status === 'violation') expect(r.trace.steps.length - 1).toBe(3);
  });

  for (const workers of [1, 2]) {
    it(`deselected, its failing step is dropped, the run says so, and the count is pinned (workers: ${workers})`, async () => {
      const r = await check(counter(true), { skipProperties: ['small'], properties: [], workers });
      expect(r.status).toBe('ok');
      expect(r.stats).toMatchObject({ distinct: 3, depth: 2 });
      expect(r.options.assertions).toEqual([]);
      expect(r.warnings?.join('\n')).toContain("assertion 'small' not checked: a step where it fails is dropped");
    });
  }

  it("check()'s `properties` may name an invariant: it checks that invariant (the user's guess now works)", async () => {
    const r = await check(counter(true), { properties: ['inRange'], workers: 1 });
    expect(r.options).toMatchObject({ invariants: ['inRange'], properties: [], assertions: ['small'] });
    expect(r.status === 'violation' && r.violation.property).toBe('small');
  });

  it('an assert whose name the spec does not declare is SPEC_INVALID naming it and the declared ones', async () => {
    const r = await check(counter(true, 'smal'), { workers: 1 });
    expect(r.status === 'error' && r.error.code).toBe('SPEC_INVALID');
    if (r.status === 'error') expect(r.error.message).toContain("an effect failed assertion 'smal', which the spec's `assertions` does not declare (declared: small)");
  });

  it('undeclared assertions behave as before: always checked, and not selectable', async () => {
    const r = await check(counter(false), { properties: [], workers: 1 });
    expect(r.status === 'violation' && r.violation.property).toBe('small');
    expect(r.options.assertions).toBeNull();
    const bad = await check(counter(false), { skipProperties: ['small'] });
    expect(bad.status === 'error' && bad.error.code).toBe('UNKNOWN_PROPERTY');
  });

  it('defineSpec refuses a non-string description and a name shared with an invariant', () => {
    const base = { name: 'x', state: z.object({ x: z.number() }), init: () => ({ x: 0 }), actions: { a: { effect: (s: { x: number }) => s } } };
    expect(() => defineSpec({ ...base, assertions: { a1: 3 as unknown as string } })).toThrow(/assertion 'a1' must be described by a string/);
    expect(() => defineSpec({ ...base, invariants: { p: () => true }, assertions: { p: 'dup' } })).toThrow(/the name 'p' is used twice/);
  });
});

describe('the CLI', () => {
  it('list shows declared assertions; --skip-property and --property select them; a passing run names them', () => {
    expect(cli('list', 'specs/slot-stats-failover.ts').out).toContain('assertions: noNegativeSlotBytes');
    const fixed = cli('check', 'specs/slot-stats-failover.ts', '--const', 'variant=fixed', '--workers', '1');
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('checked: slotBytesAccounted, assertions noNegativeSlotBytes, deadlock');
    const skipped = cli('check', 'specs/slot-stats-failover.ts', '--skip-property', 'noNegativeSlotBytes', '--workers', '1');
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('28 distinct states');
    expect(skipped.out).toContain("assertion 'noNegativeSlotBytes' not checked");
    const only = cli('check', 'specs/slot-stats-failover.ts', '--property', 'noNegativeSlotBytes', '--workers', '1');
    expect(only.code).toBe(1);
    expect(only.out).toContain("(property 'noNegativeSlotBytes')");
    const typo = cli('check', 'specs/slot-stats-failover.ts', '--skip-property', 'noNegative');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain("error UNKNOWN_PROPERTY: spec 'slot-stats-failover' has no invariant, assertion or property 'noNegative'");
  });
});

it('slot-stats-failover keeps its pinned verdicts with the assertion declared', async () => {
  const r = await check(slotStatsFailover, { workers: 1 });
  expect(r.status === 'violation' && r.violation.property).toBe('noNegativeSlotBytes');
});
