/**
 * The viewer explains a violation, in chromium: for every bundled spec that expects a violation, the trace is
 * written the way `check --trace-out` writes it (with its explanation and views), the page opens at the last step,
 * and the fields the predicate read are highlighted in the state tree, with the steps where each last changed
 * marked in the list. die-hard and stale gossip are pinned field by field.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, isSpec, type Spec } from 'interleave';
import { resolveConstants } from '../../src/checker/index.ts';
import { annotateForTrace, traceFileOf, type TraceFile } from '../../src/trace/index.ts';
import { renderViewerHtml, sequenceChart, type SequenceChart } from '../../src/viewer/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '../..');
const outDir = path.join(root, 'test-output/viewer-explain');

let browser: Browser;

async function counterexample(spec: Spec, file: string): Promise<TraceFile | null> {
  const exp = spec.expected.find((e) => e.status === 'violation');
  if (!exp) return null;
  const r = await check(spec, { constants: exp.constants, deadlock: exp.options?.deadlock, maxDepth: exp.options?.maxDepth, invariants: exp.options?.invariants, properties: exp.options?.properties });
  const t = traceFileOf(r, path.relative(root, file));
  expect(t, `${spec.name}: a counterexample`).not.toBeNull();
  expect(t!.property).toBe(exp.property);
  return annotateForTrace(t!, spec, r as never);
}

async function open(name: string, trace: TraceFile, chart: SequenceChart): Promise<{ page: Page; errors: string[] }> {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${name}.html`);
  writeFileSync(file, renderViewerHtml(trace, chart));
  const page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href + `#step=${trace.steps.length - 1}`);
  await page.waitForFunction(() => (window as any).__interleaveViewer !== undefined);
  return { page, errors };
}

const attr = (page: Page, selector: string, name: string) => page.$$eval(selector, (els, a) => els.map((e) => e.getAttribute(a)), name);

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('viewer explanation in chromium', () => {
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

  it('finds fields under keys that are not identifiers, and shows markup in an explanation as text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const t: TraceFile = {
      version: 1,
      spec: { name: 'keys' },
      constants: {},
      seed: 0,
      property: 'termsAgree',
      kind: 'invariant',
      message: evil,
      steps: [
        { action: 'init', params: null, state: { nodes: { 'node-1': { term: 1 }, n2: { term: 1 } }, 'odd key': [0] } },
        { action: 'bump', params: null, state: { nodes: { 'node-1': { term: 2 }, n2: { term: 1 } }, 'odd key': [0] } },
      ],
      explanation: {
        property: 'termsAgree',
        kind: 'invariant',
        message: evil,
        step: 1,
        source: 'hook',
        note: evil,
        fields: [
          { path: 'nodes["node-1"].term', value: 2, changedAt: 1 },
          { path: 'nodes.n2.term', value: 1, changedAt: 0 },
          { path: '["odd key"][0]', value: 0, changedAt: 0 },
        ],
      },
    };
    const { page, errors } = await open('keys', t, sequenceChart(t));
    expect(await attr(page, '#tree .explained', 'data-path')).toEqual(['nodes["node-1"].term', 'nodes.n2.term', '["odd key"][0]']);
    expect(await page.textContent('#explain .why-note')).toBe(evil);
    expect(await page.textContent('#explain .meta')).toBe('fields the spec’s explain hook names:');
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('highlights the fields each bundled violation read, and the steps where they last changed', async () => {
    const files = readdirSync(path.join(root, 'specs'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(root, 'specs', f));
    const seen: Record<string, { kind?: string; fields: string[]; steps: string[] }> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const spec of [...new Set(Object.values(mod).filter(isSpec))] as Spec[]) {
        const t = await counterexample(spec, file);
        if (!t) continue;
        // The chart from the spec's own hooks (processes and messages), as `view` draws it.
        const c = resolveConstants(spec, t.constants);
        const messages = spec.view.messages;
        const chart = sequenceChart(t, { processes: spec.view.processes?.(c), messages: messages ? (s) => messages(s, c) : undefined });
        const { page, errors } = await open(spec.name, t, chart);
        const e = t.explanation;
        if (t.kind === 'invariant' || t.kind === 'assertion') {
          expect(e, `${spec.name}: an explanation`).toBeDefined();
          expect(e!.property).toBe(t.property);
          expect(e!.step).toBe(t.steps.length - 1);
          expect(e!.fields.length, `${spec.name}: it read some field`).toBeGreaterThan(0);
          // Each field's value is the one in the failing state, and its step is where it last changed.
          expect(await page.isVisible('#explain')).toBe(true);
          expect(await page.textContent('#explain .why-head')).toContain(`${t.kind} ’${t.property}’ fails at step ${e!.step}`);
          expect(await attr(page, '#explain li', 'data-field')).toEqual(e!.fields.map((f) => f.path));
          // Highlighted in the tree: exactly the fields read (their ancestors are opened so they are shown).
          expect((await attr(page, '#tree .explained', 'data-path')).sort(), spec.name).toEqual(e!.fields.map((f) => f.path).sort());
          const changed = [...new Set(e!.fields.map((f) => f.changedAt).filter((k) => k > 0))].sort((a, b) => a - b).map(String);
          expect(await attr(page, '#steps li.explains', 'data-step')).toEqual(changed);
          // A field's link jumps to the step where it last changed.
          const first = e!.fields[0]!;
          await page.click(`#explain li[data-field="${first.path.replace(/"/g, '\\"')}"] a`);
          await page.waitForFunction((k) => (window as any).__interleaveViewer.step() === k, first.changedAt);
        } else {
          // Temporal properties and deadlocks have no predicate to explain: no panel.
          expect(e).toBeUndefined();
          expect(await page.isVisible('#explain')).toBe(false);
        }
        seen[`${spec.name}/${t.property}`] = { kind: t.kind, fields: (e?.fields ?? []).map((f) => `${f.path}@${f.changedAt}`), steps: await attr(page, '#steps li.explains', 'data-step') as string[] };
        if (spec.name === 'cluster-stale-gossip') {
          await page.evaluate(() => (window as any).__interleaveViewer.go(6));
          await page.waitForFunction(() => (window as any).__interleaveViewer.step() === 6);
          expect(await page.textContent('#views [data-view="replicaChains"]')).toBe('replicaChains = {observer: "A→B B→A", nodes: "A→B B→·"}');
          await page.screenshot({ path: path.join(root, 'test-output/viewer-explain-stale-gossip.png') });
        }
        expect(errors).toEqual([]);
        await page.close();
      }
    }
    // Pinned: the water jug (the big jug read, filled at step 6) and the stale gossip loop (N's view of A and B).
    expect(seen['die-hard/bigNotFour']).toEqual({ kind: 'invariant', fields: ['big@6'], steps: ['6'] });
    expect(seen['cluster-stale-gossip/noReplicaLoop']).toEqual({ kind: 'invariant', fields: ['view[0].replicaof@5', 'view[1].replicaof@6'], steps: ['5', '6'] });
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(5);
    console.log(JSON.stringify(seen));
  });
});
