/**
 * The viewer in a real browser: Debian's chromium driven by playwright-core, pages opened from file:// with every
 * non-file request blocked. Screenshots go to test-output/ (gitignored).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, isSpec, type Spec } from 'interleave';
import { chartOptionsFromSpec } from '../../src/cli/commands/view.ts';
import { readTrace, traceFileOf, type TraceFile } from '../../src/trace/index.ts';
import { renderViewerHtml, sequenceChart, type SequenceChart } from '../../src/viewer/index.ts';
import { gossip, gossipBuggyTrace } from '../helpers/traces.ts';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'test-output/viewer');

let browser: Browser;

interface Opened {
  page: Page;
  errors: string[];
  blocked: string[];
}

async function open(name: string, trace: TraceFile, chart?: SequenceChart, hash = ''): Promise<Opened> {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.html`);
  writeFileSync(file, renderViewerHtml(trace, chart));
  const page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
  const errors: string[] = [];
  const blocked: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href + hash);
  await page.waitForFunction(() => (window as any).__interleaveViewer !== undefined);
  return { page, errors, blocked };
}

const currentStep = (page: Page) => page.evaluate(() => (window as any).__interleaveViewer.step() as number);
const changedVars = (page: Page) => page.$$eval('#tree > .changed, #tree > .added, #tree > .removed', (els) => els.map((e) => e.getAttribute('data-var')));
const leaves = (page: Page, cls: string) => page.$$eval(`#tree .leaf.${cls}, #tree details.${cls}`, (els) => els.map((e) => e.getAttribute('data-path')));

// Skipped only outside CI: CI installs chromium (.ci/run), and there a missing browser must fail, not skip.
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('viewer in chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('steps through the stale-gossip counterexample: highlighted changes, arrows, deep links', async () => {
    const t = await gossipBuggyTrace();
    const { page, errors, blocked } = await open('gossip-buggy', t, sequenceChart(t, chartOptionsFromSpec(gossip, t)));
    expect(await currentStep(page)).toBe(0);
    expect(await page.$$eval('#steps li', (els) => els.map((e) => e.textContent))).toEqual([
      '0init',
      '1send(from: 1, to: 0)@node1',
      '2failover(1)@node1',
      '3send(from: 1, to: 0)@node1',
      '4deliver(from: 1, to: 0, replicaOf: 1, epoch: 1)@node0',
      '5deliver(from: 1, to: 0, replicaOf: 0, epoch: 0)@node0',
    ]);
    // The chart: two arrows node1 → node0, sent at 1 and 3, delivered at 5 and 4 (the stale one overtaken).
    const arrows = await page.$$eval('path.msg', (els) => els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to'), e.getAttribute('data-sent'), e.getAttribute('data-ended'), e.getAttribute('class')]));
    expect(arrows).toEqual([
      ['node1', 'node0', '1', '5', 'msg delivered'],
      ['node1', 'node0', '3', '4', 'msg delivered'],
    ]);
    expect(await page.$$eval('svg .proc', (els) => els.map((e) => e.textContent))).toEqual(['node0', 'node1', 'node2']);

    await page.keyboard.press('ArrowDown');
    expect(await currentStep(page)).toBe(1);
    expect(await changedVars(page)).toEqual(['net']);
    await page.keyboard.press('j');
    expect(await changedVars(page)).toEqual(['R', 'E']);
    expect(await page.$$eval('#tree .leaf.changed', (els) => els.map((e) => e.getAttribute('data-path')))).toEqual(['R[1][0]', 'R[1][1]', 'E[1][0]', 'E[1][1]']);
    expect(await page.textContent('[data-path="R[1][0]"]')).toBe('[0]: 1was 0');
    await page.keyboard.press('j');
    expect(await changedVars(page)).toEqual(['net']);
    expect(await leaves(page, 'added')).toEqual(['net[1]']);
    await page.keyboard.press('ArrowRight');
    expect(await currentStep(page)).toBe(4);
    expect(await leaves(page, 'removed')).toEqual(['net(was [1])']);
    await page.waitForFunction(() => location.hash === '#step=4');
    // The arrow delivered at this step is highlighted.
    expect(await page.$$eval('path.msg.active', (els) => els.map((e) => e.getAttribute('data-sent')))).toEqual(['3']);
    expect(await page.getAttribute('svg .cur-row', 'y')).toBe(String(34 + 4 * 22));
    await page.screenshot({ path: path.join(root, 'test-output/viewer-gossip-step4.png') });
    await page.keyboard.press('k');
    expect(await currentStep(page)).toBe(3);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    expect(await currentStep(page)).toBe(1);

    // Filter by variable name.
    await page.fill('#filter', 'ne');
    expect(await page.$$eval('#tree > :not(.hidden)', (els) => els.map((e) => e.getAttribute('data-var')))).toEqual(['net']);
    await page.fill('#filter', '');
    // Keys typed in the filter do not step.
    await page.focus('#filter');
    await page.keyboard.press('j');
    expect(await currentStep(page)).toBe(1);

    // Deep links: the hash is read on hashchange and on load.
    await page.evaluate(() => (location.hash = '#step=5'));
    await page.waitForFunction(() => (window as any).__interleaveViewer.step() === 5);
    expect(await page.$eval('#steps li.current', (e) => e.getAttribute('data-step'))).toBe('5');
    await page.close();
    const linked = await open('gossip-buggy', t, undefined, '#step=2');
    expect(await currentStep(linked.page)).toBe(2);
    await linked.page.close();
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });

  it('marks the loop of a lasso (a Quint ITF trace with loop=1)', async () => {
    const { trace } = readTrace(
      JSON.stringify({
        vars: ['x'],
        loop: 1,
        states: [0, 1, 2].map((x, i) => ({ '#meta': { index: i }, 'mbt::actionTaken': i ? 'tick' : 'init', x: { '#bigint': String(x) } })),
      }),
    );
    const { page, errors } = await open('lasso', trace);
    expect(await page.$$eval('#steps li.loop-start', (els) => els.map((e) => e.getAttribute('data-step')))).toEqual(['1']);
    expect(await page.$$eval('#steps li.in-loop', (els) => els.length)).toBe(2);
    expect(await page.textContent('#length')).toContain('loops back to step 1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows strings with <script> and HTML as text and runs nothing', async () => {
    const evil = '<script>window.__pwned=1</script>';
    const img = '<img src=x onerror="window.__pwned=2">';
    const t: TraceFile = {
      version: 1,
      spec: { name: `<b>spec</b>${evil}` },
      constants: { c: img },
      seed: 0,
      property: `</script>${evil}`,
      message: img,
      steps: [
        { action: 'init', params: null, state: { text: 'plain', [img]: 1, list: [{ from: evil, to: img, body: evil }] } },
        { action: `say${evil}`, params: { what: img }, state: { text: evil, [img]: 2, list: [] } },
      ],
    };
    const { page, errors, blocked } = await open('xss', t);
    await page.keyboard.press('j');
    await page.waitForTimeout(50);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    expect(await page.$$eval('body script', (els) => els.length)).toBe(3);
    expect(await page.textContent('[data-path="text"]')).toBe(`text: ${JSON.stringify(evil)}was "plain"`);
    expect(await page.textContent('#spec-name')).toBe(`<b>spec</b>${evil}`);
    expect(await page.textContent('#steps li[data-step="1"]')).toContain(`say${evil}`);
    expect(await page.title()).toContain('<b>spec</b>');
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it('opens a 1,000-step trace and steps through it without lag', async () => {
    const steps = Array.from({ length: 1000 }, (_, i) => ({
      action: i === 0 ? 'init' : i % 3 === 0 ? 'deliver' : 'send',
      params: i === 0 ? null : { from: i % 4, to: (i + 1) % 4, seq: i },
      state: {
        clock: i,
        nodes: Array.from({ length: 4 }, (_, n) => ({ id: n, term: Math.floor((i + n) / 7), log: Array.from({ length: (i + n) % 6 }, (_, k) => k) })),
        net: Array.from({ length: i % 5 }, (_, k) => ({ from: k % 4, to: (k + 1) % 4, seq: i - k })),
      },
    }));
    const t: TraceFile = { version: 1, spec: { name: 'synthetic' }, constants: {}, seed: 0, property: 'x', steps };
    const started = performance.now();
    const { page, errors } = await open('synthetic-1000', t);
    const opened = performance.now() - started;
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) await page.keyboard.press('j');
    expect(await currentStep(page)).toBe(50);
    const stepping = performance.now() - t0;
    await page.keyboard.press('End');
    expect(await currentStep(page)).toBe(999);
    const inPage = await page.evaluate(() => {
      const v = (window as any).__interleaveViewer;
      const s = performance.now();
      for (let i = 0; i < 200; i++) v.go(i);
      return (performance.now() - s) / 200;
    });
    console.log(`viewer, 1000 steps: open ${opened.toFixed(0)} ms; 50 key presses ${stepping.toFixed(0)} ms (${(stepping / 50).toFixed(1)} ms each, round trip); in-page step ${inPage.toFixed(2)} ms`);
    await page.screenshot({ path: path.join(root, 'test-output/viewer-1000.png') });
    // Generous sanity bounds only: benchmarks are not tests.
    expect(opened).toBeLessThan(15_000);
    expect(stepping).toBeLessThan(15_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws each receiver of a multicast as its own arrow, on every bundled spec whose counterexample multicasts', async () => {
    const files = readdirSync(path.join(root, 'specs'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(root, 'specs', f));
    files.push(...readdirSync(path.join(root, 'specs/bench')).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, 'specs/bench', f)));
    const multicasting: string[] = [];
    const arrows: Record<string, number> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const spec of [...new Set(Object.values(mod).filter(isSpec))] as Spec[]) {
        for (const exp of spec.expected.filter((e) => e.status === 'violation')) {
          const r = await check(spec, { constants: exp.constants, deadlock: exp.options?.deadlock, maxDepth: exp.options?.maxDepth });
          const t = traceFileOf(r, path.relative(root, file));
          if (!t) continue;
          const chart = sequenceChart(t, chartOptionsFromSpec(spec, t));
          // A multicast: one step sends to two or more receivers.
          const steps = [...new Set(chart.messages.map((m) => m.sent))].filter((k) => new Set(chart.messages.filter((m) => m.sent === k).map((m) => m.to)).size > 1);
          if (steps.length === 0) continue;
          const name = `${spec.name} ${exp.name ?? JSON.stringify(exp.constants ?? {})}`;
          multicasting.push(name);
          const { page, errors } = await open(`multicast-${spec.name}-${multicasting.length}`, t, chart);
          const drawn = await page.$$eval('path.msg', (els) => els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to'), e.getAttribute('data-sent'), e.getAttribute('data-ended')]));
          expect(drawn, name).toEqual(chart.messages.map((m) => [m.from, m.to, String(m.sent), m.ended === null ? '' : String(m.ended)]));
          // One label per arrow, the message's own.
          expect(await page.$$eval('text.msg-label', (els) => els.map((e) => e.textContent)), name).toEqual(chart.messages.map((m) => m.label));
          arrows[name] = drawn.length;
          for (const k of steps) {
            const receivers = chart.messages.filter((m) => m.sent === k).map((m) => m.to).sort();
            expect(drawn.filter((d) => d[2] === String(k)).map((d) => d[1]).sort(), `${name} step ${k}`).toEqual(receivers);
          }
          expect(errors).toEqual([]);
          await page.close();
        }
      }
    }
    // The flagship stale-gossip bug (FIFO and bag): B's failover PONG goes to A and N under one id.
    expect(multicasting).toEqual(expect.arrayContaining(['cluster-stale-gossip buggy', 'cluster-stale-gossip buggy bag']));
    // 4 arrows each: B's stale PING to N, the failover header to N and to A (one id, two messages), A's PING to N.
    expect(arrows).toMatchObject({ 'cluster-stale-gossip buggy': 4, 'cluster-stale-gossip buggy bag': 4 });
    const r = await check(clusterStaleGossip, { constants: { variant: 'buggy' }, deadlock: false });
    const t = traceFileOf(r, 'specs/cluster-stale-gossip.ts')!;
    const { page, errors } = await open('stale-gossip-multicast', t, sequenceChart(t, chartOptionsFromSpec(clusterStaleGossip, t)));
    expect(await page.$$eval('path.msg', (els) => els.map((e) => [e.getAttribute('data-from'), e.getAttribute('data-to'), e.getAttribute('data-sent'), e.getAttribute('data-ended'), e.getAttribute('class')]))).toEqual([
      ['B', 'N', '1', '6', 'msg delivered'],
      ['B', 'N', '2', '', 'msg undelivered'],
      ['B', 'A', '2', '3', 'msg delivered'],
      ['A', 'N', '4', '5', 'msg delivered'],
    ]);
    expect(await page.$$eval('text.msg-label', (els) => els.map((e) => e.textContent))).toEqual(['B replica of A e1', 'B primary e2', 'B primary e2', 'A replica of B e2']);
    expect(await page.$$eval('path.msg title', (els) => els.map((e) => e.textContent))).toEqual([
      'B replica of A e1  (B → N, sent at step 1, delivered at step 6)',
      'B primary e2  (B → N, sent at step 2, still in flight)',
      'B primary e2  (B → A, sent at step 2, delivered at step 3)',
      'A replica of B e2  (A → N, sent at step 4, delivered at step 5)',
    ]);
    expect(await page.textContent('#chart-head')).toContain('messages: 4 (3 delivered, 0 dropped, 1 in flight at the end)');
    // The state tree aligns arrays as the terminal does (the one diff, src/trace/diff.ts, inlined in the page):
    // step 4 is a push onto link 1 (not a removed link 2 and an added link 1), step 6 a pop of the head of link 0.
    const at = async (k: number) => {
      await page.evaluate((k) => (window as any).__interleaveViewer.go(k), k);
      await page.waitForFunction((k) => (window as any).__interleaveViewer.step() === k, k);
      return { added: await leaves(page, 'added'), removed: await leaves(page, 'removed'), changed: await leaves(page, 'changed') };
    };
    expect(await at(4)).toMatchObject({ added: ['net.channels[1][0]'], removed: [] });
    expect(await at(6)).toMatchObject({ added: [], removed: ['net.channels[0](was [0])'] });
    expect(await page.$eval('[data-path="net.channels[0][0]"]', (e) => e.classList.contains('changed') || e.classList.contains('added'))).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('marks the step where an assertion fails with its message, not "no change"', async () => {
    const r = await check(slotStatsFailover);
    const t = traceFileOf(r, 'specs/slot-stats-failover.ts')!;
    expect(t.kind).toBe('assertion');
    const { page, errors } = await open('assertion-step', t);
    await page.evaluate(() => (window as any).__interleaveViewer.go(2));
    await page.waitForFunction(() => (window as any).__interleaveViewer.step() === 2);
    expect(await page.textContent('#state-changes')).toBe(`✗ assertion 'noNegativeSlotBytes' fails in this step: ${t.message} (the step does not complete)`);
    expect(await page.$eval('#state-changes', (e) => e.classList.contains('failing'))).toBe(true);
    await page.evaluate(() => (window as any).__interleaveViewer.go(1));
    await page.waitForFunction(() => (window as any).__interleaveViewer.step() === 1);
    expect(await page.textContent('#state-changes')).toBe('changed: role');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens every bundled spec's counterexample and steps through it", async () => {
    const files = readdirSync(path.join(root, 'specs'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(root, 'specs', f));
    files.push(path.join(root, 'specs/bench/gossip.ts'));
    let opened = 0;
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const specs = [...new Set(Object.values(mod).filter(isSpec))] as Spec[];
      for (const spec of specs) {
        const exp = spec.expected.find((e) => e.status === 'violation');
        if (!exp) continue;
        const r = await check(spec, { constants: exp.constants, deadlock: exp.options?.deadlock, maxDepth: exp.options?.maxDepth });
        const t = traceFileOf(r, path.relative(root, file));
        expect(t, `${spec.name}: expected a counterexample`).not.toBeNull();
        const chart = sequenceChart(t!, chartOptionsFromSpec(spec, t!));
        const { page, errors } = await open(`spec-${spec.name}`, t!, chart);
        expect(await page.$$eval('path.msg', (els) => els.length)).toBe(chart.messages.length);
        for (let i = 1; i < t!.steps.length; i++) {
          await page.keyboard.press('j');
          expect(await currentStep(page)).toBe(i);
          const prev = t!.steps[i - 1]!.state;
          const cur = t!.steps[i]!.state;
          const expected = [...new Set([...Object.keys(cur), ...Object.keys(prev)])].filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(cur[k]));
          expect(await changedVars(page), `${spec.name} step ${i}`).toEqual(expected);
        }
        await page.screenshot({ path: path.join(root, `test-output/viewer-${spec.name}.png`) });
        expect(errors).toEqual([]);
        await page.close();
        opened++;
      }
    }
    expect(opened).toBeGreaterThanOrEqual(2);
  });
});
