/**
 * The viewer page: one self-contained HTML string (inline CSS and JS, no external URL, no fetch), so it opens
 * from file:// with no server and no network. The trace and the chart travel as JSON in
 * `<script type="application/json">` elements with `<`, `>`, `&` and the JS line separators escaped, so no string
 * in a trace can close the element; the page's own code renders every string with textContent. A
 * Content-Security-Policy forbids every network request and any script but the page's own inline code.
 */
import type { TraceFile } from '../trace/index.ts';
import type { SequenceChart } from './chart.ts';
import { sequenceChart } from './chart.ts';
import { VIEWER_CSS, VIEWER_JS } from './client.ts';

/** JSON safe to place inside a `<script type="application/json">` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Escapes text for an HTML text node or attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The page's panes (steps, explanation, views, state tree, chart), shared by the viewer and the explorer. */
export const VIEWER_MAIN = `<main>
  <section id="steps-pane" aria-label="steps"><ol id="steps"></ol></section>
  <section id="state-pane" aria-label="state">
    <div id="state-head"><div id="state-title" class="title"></div><div id="state-changes" class="changes"></div>
      <input id="filter" type="search" placeholder="filter variables by name" autocomplete="off" spellcheck="false"></div>
    <div id="explain" class="hidden"></div>
    <div id="views" class="hidden"></div>
    <div id="tree"></div>
  </section>
  <section id="chart-pane" aria-label="message sequence chart"><div id="chart-head"></div><div id="chart"></div></section>
</main>`;

/** The viewer page for a trace (the chart defaults to the heuristic one computed from the states). */
export function renderViewerHtml(trace: TraceFile, chart: SequenceChart = sequenceChart(trace)): string {
  const title = `${trace.spec.name}${trace.property ? `: ${trace.property}` : ''} — interleave`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="interleave view">
<title>${escapeHtml(title)}</title>
<style>${VIEWER_CSS}</style>
</head>
<body>
<header>
  <h1 id="spec-name"></h1><span id="constants" class="meta"></span>
  <span id="violation" class="violation"></span>
  <span id="length" class="meta"></span>
  <span class="help">↑/↓ or j/k: step · Home/End · / filter</span>
</header>
${VIEWER_MAIN}
<script type="application/json" id="trace-data">${scriptJson(trace)}</script>
<script type="application/json" id="chart-data">${scriptJson(chart)}</script>
<script>${VIEWER_JS}</script>
</body>
</html>
`;
}
