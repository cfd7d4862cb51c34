/**
 * The explorer in a real browser (Debian's chromium through playwright-core): take actions, step back, jump,
 * reach the violation, save the path and replay the saved file with the CLI. die-hard runs on an in-process
 * server; stale gossip runs through `interleave explore` itself (and `--trace` to start from the saved file).
 * Every request that is not to the explorer's own address is blocked and recorded; the CSP must report nothing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExplorerSession, startExplorer } from '../../src/explorer/index.ts';
import { defineSpec, z } from 'interleave';
import { dieHard } from '../../specs/die-hard.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'test-output/explorer');
const CLI = path.join(root, 'bin/interleave.mjs');

let browser: Browser;

interface Opened {
  page: Page;
  errors: string[];
  blocked: string[];
}

async function open(url: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 820 }, acceptDownloads: true });
  const errors: string[] = [];
  const blocked: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(url) || u.startsWith('blob:')) return route.continue();
    blocked.push(u);
    return route.abort();
  });
  await page.goto(url);
  await settled(page);
  return { page, errors, blocked };
}

/** Waits until the page has no request in flight and shows the enabled actions of its current step. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const x = (window as any).__interleaveExplorer;
    return x !== undefined && x.busy() === 0 && document.querySelector('#actions .actions-head') !== null && document.querySelector('#actions .actions-head')!.textContent!.includes('step ' + x.step());
  });
}

const explorer = (page: Page) => page.evaluate(() => {
  const x = (window as any).__interleaveExplorer;
  return { step: x.step() as number, length: x.length() as number, path: x.path() as { init: number; steps: [number, number][] } };
});

/** Clicks the enabled step whose label starts with `label` and waits for the new path. */
async function take(page: Page, label: string): Promise<void> {
  const before = await explorer(page);
  const buttons = page.locator(`#actions button.take[data-label^="${label.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`);
  expect(await buttons.count(), `an enabled step labelled ${label}`).toBe(1);
  await buttons.click();
  await page.waitForFunction((n) => (window as any).__interleaveExplorer.length() === n, before.step + 2);
  await settled(page);
}

async function back(page: Page): Promise<void> {
  const before = await explorer(page);
  await page.click('#back');
  await page.waitForFunction((n) => (window as any).__interleaveExplorer.length() === n, before.length - 1);
  await settled(page);
}

const attr = (page: Page, selector: string, name: string) => page.$$eval(selector, (els, a) => els.map((e) => e.getAttribute(a)), name);

async function saveAndReplay(page: Page, file: string): Promise<{ trace: any; replay: ReturnType<typeof spawnSync> }> {
  mkdirSync(outDir, { recursive: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
  await download.saveAs(file);
  const trace = JSON.parse(readFileSync(file, 'utf8'));
  // replay imports only a spec file named on its command line (a trace is data): the one the explorer ran.
  const replay = spawnSync(process.execPath, [CLI, 'replay', file, '--spec-file', trace.spec.file], { encoding: 'utf8', timeout: 60_000 });
  return { trace, replay };
}

function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [CLI, 'explore', ...args, '--no-open'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`explore printed no address in 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, out: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`explore exited ${code}: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('explorer in chromium', () => {
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

  it('die-hard: take actions, step back, jump, reach the violation, save a trace that replays', async () => {
    const srv = await startExplorer(new ExplorerSession(dieHard, { specFile: path.join(root, 'specs/die-hard.ts') }));
    try {
      const { page, errors, blocked } = await open(srv.url);
      expect(await page.textContent('#spec-name')).toBe('die-hard');
      expect(await explorer(page)).toMatchObject({ step: 0, length: 1 });
      // Every action is listed; in the initial state the empty/pour ones change nothing.
      expect(await attr(page, '#actions button.take', 'data-label')).toEqual(['fillSmall', 'fillBig', 'emptySmall', 'emptyBig', 'smallToBig', 'bigToSmall']);
      expect(await page.$$eval('#actions button.take .stutter', (els) => els.length)).toBe(4);
      await take(page, 'fillBig');
      await take(page, 'bigToSmall');
      await take(page, 'fillSmall');
      expect(await page.textContent('[data-path="small"]')).toBe('small: 3');
      // A wrong turn: step back and take another action.
      await back(page);
      expect(await explorer(page)).toMatchObject({ step: 2, length: 3 });
      expect(await page.textContent('[data-path="big"]')).toBe('big: 2was 5');
      await take(page, 'emptySmall');
      await take(page, 'bigToSmall');
      await take(page, 'fillBig');
      // The next bigToSmall is marked as leading to the violation before it is taken.
      expect(await page.textContent('#actions button.take[data-label="bigToSmall"] .outcome')).toBe('→ ✗ bigNotFour');
      await take(page, 'bigToSmall');
      expect(await explorer(page)).toMatchObject({ step: 6, length: 7 });
      expect(await page.textContent('#violation')).toBe("violates bigNotFour: invariant 'bigNotFour' is violated");
      expect(await attr(page, '#steps li.fails', 'data-step')).toEqual(['6']);
      expect(await page.textContent('#state-title')).toContain('✗ bigNotFour');
      // The explanation: the predicate read `big`, last changed at step 6.
      expect(await attr(page, '#tree .explained', 'data-path')).toEqual(['big']);
      expect(await attr(page, '#steps li.explains', 'data-step')).toEqual(['6']);
      expect(await page.textContent('#explain li')).toBe('big = 4 · last changed at step 6');
      // Jump back to step 2: the enabled actions are those of step 2; taking one would replace the tail.
      await page.click('#steps li[data-step="2"]');
      await settled(page);
      expect(await explorer(page)).toMatchObject({ step: 2, length: 7 });
      expect(await page.textContent('#actions .actions-head')).toBe('enabled at step 2 (taking one replaces the steps after it)');
      await page.keyboard.press('End');
      await settled(page);
      expect((await explorer(page)).path.steps.map(([a]) => dieHard.actions[a]!.name)).toEqual(['fillBig', 'bigToSmall', 'emptySmall', 'bigToSmall', 'fillBig', 'bigToSmall']);
      const { trace, replay } = await saveAndReplay(page, path.join(outDir, 'die-hard-explored.json'));
      expect([trace.property, trace.kind, trace.steps.length, trace.explanation.fields]).toEqual(['bigNotFour', 'invariant', 7, [{ path: 'big', value: 4, changedAt: 6 }]]);
      expect(replay.stdout).toContain('reproduces: 6 steps');
      expect(replay.status).toBe(0);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
      await page.close();
    } finally {
      await srv.close();
    }
  });

  it('several initial states to choose from; strings with markup stay text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const spec = defineSpec({
      name: 'two-starts',
      state: z.object({ who: z.string(), said: z.array(z.string()) }),
      init: () => [
        { who: 'alice', said: [] },
        { who: `<script>window.__pwned=2</script>`, said: [] },
      ],
      actions: {
        say: { params: ['hi', evil], guard: (s) => s.said.length < 2, effect: (s, _c, w: string) => ({ ...s, said: [...s.said, w] }) },
      },
      invariants: { quiet: (s) => s.said.length < 2 },
    });
    const srv = await startExplorer(new ExplorerSession(spec));
    try {
      const { page, errors, blocked } = await open(srv.url);
      expect(await page.isVisible('#init-box')).toBe(true);
      expect(await page.$$eval('#init option', (els) => els.map((e) => e.textContent))).toEqual(['#0 {who: "alice", said: []}', '#1 {who: "<script>window.__pwned=2</script>", said: []}']);
      await take(page, 'say("hi")');
      await page.selectOption('#init', '1');
      await page.waitForFunction(() => (window as any).__interleaveExplorer.path().init === 1);
      await settled(page);
      expect(await explorer(page)).toMatchObject({ step: 0, length: 1 });
      expect(await page.textContent('[data-path="who"]')).toBe('who: "<script>window.__pwned=2</script>"');
      await take(page, `say(${JSON.stringify(evil)})`);
      await take(page, 'say("hi")');
      expect(await page.textContent('[data-path="said[0]"]')).toBe(`[0]: ${JSON.stringify(evil)}`);
      expect(await attr(page, '#steps li.fails', 'data-step')).toEqual(['2']);
      expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
      expect(await page.$$eval('img', (els) => els.length)).toBe(0);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
      await page.close();
    } finally {
      await srv.close();
    }
  });

  it('stale gossip through `interleave explore`: reach the replica loop, save, replay, and start again from the saved trace', async () => {
    const cli = await startCli(['specs/cluster-stale-gossip.ts']);
    let code: number | null;
    const saved = path.join(outDir, 'stale-gossip-explored.json');
    try {
      const { page, errors, blocked } = await open(cli.url);
      expect(await page.textContent('#spec-name')).toBe('cluster-stale-gossip');
      await take(page, 'clusterSendPing(1)');
      await take(page, 'clusterSendPing(0)');
      await back(page);
      await take(page, 'clusterFailoverReplaceYourPrimary');
      await take(page, 'clusterProcessPacket(link: 2,');
      await take(page, 'clusterSendPing(0)');
      await take(page, 'clusterProcessPacket(link: 1,');
      expect(await page.textContent('#actions button.take[data-label^="clusterProcessPacket(link: 0,"] .outcome')).toBe('→ ✗ noReplicaLoop');
      await take(page, 'clusterProcessPacket(link: 0,');
      expect(await explorer(page)).toMatchObject({ step: 6, length: 7 });
      expect(await attr(page, '#steps li.fails', 'data-step')).toEqual(['6']);
      expect(await attr(page, '#tree .explained', 'data-path')).toEqual(['view[0].replicaof', 'view[1].replicaof']);
      expect(await attr(page, '#steps li.explains', 'data-step')).toEqual(['5', '6']);
      // The spec's trace expression, per step.
      expect(await page.textContent('#views [data-view="replicaChains"]')).toBe('replicaChains = {observer: "A→B B→A", nodes: "A→B B→·"}');
      expect(await page.$$eval('#views .view.changed', (els) => els.length)).toBe(1);
      // The chart from the spec's hooks: lifelines A, B, N.
      expect(await page.$$eval('svg .proc', (els) => els.map((e) => e.textContent))).toEqual(['A', 'B', 'N']);
      expect(await page.$$eval('path.msg', (els) => els.length)).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: path.join(root, 'test-output/explorer-stale-gossip.png') });
      const { trace, replay } = await saveAndReplay(page, saved);
      expect([trace.property, trace.steps.length]).toEqual(['noReplicaLoop', 7]);
      expect(replay.status).toBe(0);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
      await page.close();
    } finally {
      code = await stop(cli.child);
    }
    expect(code).toBe(0);

    // --trace: the explorer starts at the saved trace's last state.
    const again = await startCli(['specs/cluster-stale-gossip.ts', '--trace', saved]);
    try {
      expect(again.out()).toContain('starting from the last state of');
      const { page, errors } = await open(again.url);
      expect(await explorer(page)).toMatchObject({ step: 6, length: 7 });
      expect(await attr(page, '#steps li.fails', 'data-step')).toEqual(['6']);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      expect(await stop(again.child)).toBe(0);
    }
  });
});
