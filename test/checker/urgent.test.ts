/**
 * Issue 17 item 8: urgent actions (docs/urgent-actions.md). In a state where an urgent action is enabled only
 * urgent actions are taken: on one thread, with workers, depth-first, in simulation, in replay, in the explorer and
 * for liveness. The fixture is the stale-PING election shape: urgency removes the violation that needs a schedule
 * the timing rules out, and keeps the one a lossy network really allows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, defineSpec, replay, SpecRuntime, traceFileOf, z, type Spec } from '../../src/index.ts';
import { chromium, type Page } from 'playwright-core';
import { BadPath, ExplorerSession, startExplorer } from '../../src/explorer/index.ts';
import { testConformance } from '../../src/testing/index.ts';
import { election, electionUntimed, starvation, starvationUntimed } from '../fixtures/urgent/election.ts';
import { compiled } from '../helpers/compiled.ts';

const root = path.resolve(import.meta.dirname, '../..');
const steps = (r: Awaited<ReturnType<typeof check>>) => (r.status === 'violation' ? r.trace.steps.map((s) => (s.params === null ? s.action : `${s.action}(${String(s.params)})`)) : []);

describe('urgent actions: the state graph', () => {
  for (const workers of [1, 2]) {
    it(`urgency removes the violation that needs a late delivery, and keeps the lossy one (workers: ${workers})`, async () => {
      const untimed = await check(electionUntimed, { workers });
      expect(untimed.status).toBe('violation');
      expect(untimed.status === 'violation' && untimed.violation.property).toBe('onePrimary');
      // C elects while B's announcement waits in its link.
      expect(steps(untimed)).toEqual(['init', 'failA', 'elect(0)', 'elect(1)']);
      expect(untimed.stats.distinct).toBe(5);

      const urgent = await check(election, { workers });
      expect(urgent.status).toBe('ok');
      expect(urgent.stats).toMatchObject({ distinct: 6, depth: 3 });

      const lossy = await check(election, { constants: { lossy: true }, workers });
      expect(lossy.status === 'violation' && lossy.violation.property).toBe('onePrimary');
      expect(steps(lossy)).toEqual(['init', 'failA', 'elect(0)', 'drop(1)', 'elect(1)']);
      expect(lossy.stats.distinct).toBe(9);
    });
  }

  it('pre-empted steps are absent from the whole graph: 6 states with urgency, 10 without (no invariant checked)', async () => {
    const counts = async (spec: typeof election, lossy: boolean) => {
      const r = await check(spec, { constants: { lossy }, invariants: [] });
      expect(r.status).toBe('ok');
      return [r.stats.distinct, r.stats.depth, r.stats.generated];
    };
    expect(await counts(election, false)).toEqual([6, 3, 6]);
    expect(await counts(electionUntimed, false)).toEqual([10, 5, 12]);
    expect(await counts(election, true)).toEqual([11, 5, 14]);
    expect(await counts(electionUntimed, true)).toEqual([12, 5, 20]);
  });

  it('urgency is the hand guard "no urgent action is enabled" on every other action, written once', async () => {
    const byHand = handGuarded(election);
    expect(byHand.actions.some((a) => a.urgent)).toBe(false);
    for (const lossy of [false, true]) {
      for (const invariants of [undefined, []]) {
        const a = await check(election, { constants: { lossy }, invariants, workers: 1 });
        const b = await check(byHand, { constants: { lossy }, invariants, workers: 1 });
        expect([b.status, b.stats.distinct, b.stats.generated, b.stats.depth, steps(b)]).toEqual([a.status, a.stats.distinct, a.stats.generated, a.stats.depth, steps(a)]);
      }
    }
  });

  it('depth-first reaches the same verdicts', async () => {
    expect((await check(election, { strategy: 'dfs' })).status).toBe('ok');
    const lossy = await check(election, { constants: { lossy: true }, strategy: 'dfs' });
    expect(lossy.status === 'violation' && lossy.violation.property).toBe('onePrimary');
  });

  it('the urgency probe is compiled in only for a spec with urgent actions', () => {
    expect(String(compiled(new SpecRuntime(election)).successors)).toContain('probe:');
    expect(String(compiled(new SpecRuntime(electionUntimed)).successors)).not.toContain('probe');
  });

  it('a random simulation takes only urgent steps where one is enabled', async () => {
    const urgent = await check(election, { strategy: 'random', seed: 3, runs: 200 });
    expect(urgent.status).toBe('incomplete');
    const untimed = await check(electionUntimed, { strategy: 'random', seed: 3, runs: 200 });
    expect(untimed.status === 'violation' && untimed.violation.property).toBe('onePrimary');
    expect(steps(untimed)).toEqual(['init', 'failA', 'elect(0)', 'elect(1)']);
  });

  it("'urgent' must be a boolean (SPEC_INVALID naming the action)", () => {
    const bad = () =>
      defineSpec({
        name: 'bad-urgent',
        state: z.object({ x: z.number() }),
        init: () => ({ x: 0 }),
        actions: { go: { effect: (s) => s, urgent: 'yes' as unknown as boolean } },
      });
    expect(bad).toThrow(/action 'go': 'urgent' must be true or false/);
    expect(election.actions.map((a) => a.urgent)).toEqual([false, false, true, true]);
  });
});

describe('urgent actions: steps a user supplies', () => {
  it('replay rejects a trace that takes a non-urgent step while an urgent one is enabled, naming both', async () => {
    const untimed = await check(electionUntimed);
    const trace = traceFileOf(untimed)!;
    expect(replay(electionUntimed, trace)).toMatchObject({ ok: true, steps: 3 });
    const r = replay(election, trace);
    expect(r).toMatchObject({ ok: false, step: 3, reason: 'preempted', field: 'action', expected: 'elect', actual: 'deliver' });
    if (!r.ok) expect(r.message).toMatch(/step 3: elect\(.*1\) is pre-empted: the urgent step deliver\(.*1\) is enabled in this state/);
  });

  it('the explorer shows a pre-empted action as disabled, with the urgent step, and refuses a path through it', () => {
    const session = new ExplorerSession(election);
    const [failA, elect, deliver] = [0, 1, 2];
    const after = { init: 0, steps: [[failA, 0], [elect, 0]] as [number, number][] };
    const here = session.enabled(after);
    expect(here.find((a) => a.name === 'elect')).toMatchObject({ params: [], preemptedBy: expect.stringMatching(/^deliver\(.*1\)$/) });
    expect(here.find((a) => a.name === 'deliver')!.params.map((p) => p.index)).toEqual([1]);
    // Only an action whose guard holds is pre-empted; failA (A is down) and drop (not lossy) are merely disabled.
    for (const name of ['failA', 'drop']) expect(here.find((a) => a.name === name)).toEqual(expect.objectContaining({ params: [] }));
    expect(here.filter((a) => a.preemptedBy !== undefined).map((a) => a.name)).toEqual(['elect']);
    expect(() => session.resolve({ init: 0, steps: [...after.steps, [elect, 1]] })).toThrow(BadPath);
    expect(() => session.resolve({ init: 0, steps: [...after.steps, [elect, 1]] })).toThrow(/step 3: elect\(.*1\) is pre-empted by the urgent step deliver\(.*1\)/);
    expect(session.resolve({ init: 0, steps: [...after.steps, [deliver, 1]] }).steps).toHaveLength(4);
  });

  it('a counterexample whose step an urgent action would pre-empt on replay is never printed (SPEC_NONDETERMINISTIC)', async () => {
    // The urgent guard reads a variable outside the spec, which the invariant sets when it fails: by the time the
    // counterexample is rebuilt and verified, `alarm` is enabled in every state and pre-empts `inc`.
    let tripped = false;
    const flaky = defineSpec({
      name: 'flaky-urgency',
      state: z.object({ x: z.number().int().min(0).max(2) }),
      init: () => ({ x: 0 }),
      actions: {
        inc: { guard: (s) => s.x < 2, effect: (s) => ({ x: s.x + 1 }) },
        alarm: { guard: () => tripped, effect: (s) => s, urgent: true },
      },
      invariants: { small: (s) => (s.x === 2 ? ((tripped = true), false) : true) },
    });
    const r = await check(flaky, { workers: 1 });
    expect(r.status === 'error' && r.error.code).toBe('SPEC_NONDETERMINISTIC');
    if (r.status === 'error') expect(r.error.message).toContain('does not replay at step 1 (inc): the urgent step alarm is enabled there and pre-empts it');
  });

  it('a conformance behaviour that takes a pre-empted step is LOG_INVALID, naming the urgent step', async () => {
    const nothing = { reset: async () => {}, step: async () => {}, observe: async () => 0 };
    const behaviour = [{ action: 'failA', params: null }, { action: 'elect', params: 0 }, { action: 'elect', params: 1 }];
    const untimed = await testConformance(electionUntimed, nothing, { view: () => 0, behaviours: [behaviour] });
    expect(untimed.status).toBe('ok');
    const r = await testConformance(election, nothing, { view: () => 0, behaviours: [behaviour] });
    expect(r.status === 'error' && r.error.code).toBe('LOG_INVALID');
    if (r.status === 'error') expect(r.error.message).toMatch(/step 3: elect\(.*1\) is not enabled in the spec \(pre-empted: the urgent step deliver\(.*1\) is enabled there\)/);
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))('the explorer page lists a pre-empted action under "disabled here", with the urgent step', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const srv = await startExplorer(new ExplorerSession(election));
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(srv.url);
      const settled = (n: number) => page.waitForFunction((k) => { const x = (window as any).__interleaveExplorer; return x !== undefined && x.busy() === 0 && x.length() === k && document.querySelector('#actions .actions-head')?.textContent?.includes('step ' + x.step()); }, n);
      const take = async (p: Page, label: string, n: number) => {
        await p.locator(`#actions button.take[data-label^="${label}"]`).click();
        await settled(n);
      };
      await settled(1);
      await take(page, 'failA', 2);
      await take(page, 'elect(0)', 3);
      expect(await page.$$eval('#actions button.take', (els) => els.map((e) => e.getAttribute('data-label')))).toEqual(['deliver(1)']);
      expect(await page.textContent('#actions .disabled')).toBe('disabled here: failA, elect (pre-empted by urgent deliver(1)), drop');
      expect(errors).toEqual([]);
    } finally {
      await srv.close();
      await browser.close();
    }
  });

  it('`list` marks urgent actions', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/interleave.mjs'), 'list', 'test/fixtures/urgent/election.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('actions:   failA, elect(…), deliver(…) [urgent], drop(…) [urgent]');
    expect(r.stdout).toContain('actions:   failA, elect(…), deliver(…), drop(…)\n');
  });
});

describe('urgent actions and fairness', () => {
  it('a weakly fair action pre-empted in every state is never enabled: eventually fails with the lasso tick, tick', async () => {
    const fair = await check(starvationUntimed);
    expect(fair.status).toBe('ok');
    expect(fair.stats.distinct).toBe(4);
    const starved = await check(starvation);
    expect(starved.status).toBe('violation');
    if (starved.status !== 'violation') return;
    expect(starved.violation.property).toBe('workDone');
    expect(starved.stats.distinct).toBe(2);
    expect(starved.trace.steps.map((s) => s.action)).toEqual(['init', 'tick', 'tick']);
    // Coverage counts a pre-empted action as not enabled there, and says so.
    expect(starved.coverage?.urgent).toEqual(['tick']);
    expect(starved.warnings).toContain("action 'work' was never enabled (or only where an urgent action pre-empted it)");
    expect(fair.coverage?.urgent).toBeUndefined();
  });
});

/** The same spec with no urgent action: each non-urgent guard also requires that no urgent action be enabled. */
function handGuarded(spec: Spec): Spec {
  const urgentEnabled = (s: unknown, c: unknown) =>
    spec.actions.some((u) => u.urgent && (u.params === null ? [undefined] : u.params(s, c)).some((p) => u.guard === null || u.guard(s, c, p)));
  return defineSpec({
    name: `${spec.name}-by-hand`,
    constants: spec.constants as unknown as z.ZodObject<z.ZodRawShape>,
    state: (c) => spec.stateSchema(c) as unknown as z.ZodObject<z.ZodRawShape>,
    init: spec.init,
    actions: Object.fromEntries(
      spec.actions.map((a) => [
        a.name,
        { ...(a.params === null ? {} : { params: a.params }), guard: (s: any, c: any, p: unknown) => (a.guard === null || a.guard(s, c, p)) && (a.urgent || !urgentEnabled(s, c)), effect: a.effect },
      ]),
    ),
    invariants: Object.fromEntries(spec.invariants.map((i) => [i.name, i.test])),
    ...(spec.terminal === null ? {} : { terminal: spec.terminal }),
  });
}
