/**
 * Regenerates docs/viewer-stale-gossip.png, the README's picture of the viewer: the stale-gossip counterexample
 * (cluster-stale-gossip, variant buggy, FIFO) at its last step, 1400×760, in Debian's chromium.
 *
 *   npx tsx scripts/readme-screenshot.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { check, traceFileOf } from '../src/index.ts';
import { chartOptionsFromSpec } from '../src/cli/commands/view.ts';
import { renderViewerHtml, sequenceChart } from '../src/viewer/index.ts';
import { clusterStaleGossip } from '../specs/cluster-stale-gossip.ts';

const root = path.resolve(import.meta.dirname, '..');
const r = await check(clusterStaleGossip, { constants: { variant: 'buggy' }, deadlock: false });
const trace = traceFileOf(r, 'specs/cluster-stale-gossip.ts');
if (!trace) throw new Error('cluster-stale-gossip buggy: no counterexample');
const html = path.join(mkdtempSync(path.join(tmpdir(), 'interleave-')), 'gossip.html');
writeFileSync(html, renderViewerHtml(trace, sequenceChart(trace, chartOptionsFromSpec(clusterStaleGossip, trace))));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 760 } });
  const last = trace.steps.length - 1;
  await page.goto(`${pathToFileURL(html).href}#step=${last}`);
  await page.waitForFunction((n) => (window as any).__interleaveViewer?.step() === n, last);
  await page.screenshot({ path: path.join(root, 'docs/viewer-stale-gossip.png') });
} finally {
  await browser.close();
}
console.log('wrote docs/viewer-stale-gossip.png');
