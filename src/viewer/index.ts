/** The trace viewer: a self-contained HTML page for a trace, with a message sequence chart. Pure: returns strings. */
export { renderViewerHtml, scriptJson, escapeHtml, VIEWER_MAIN } from './html.ts';
export { VIEWER_CSS, VIEWER_CORE_JS, VIEWER_JS } from './client.ts';
export { sequenceChart, canonicalKey, type SequenceChart, type SequenceChartOptions, type ChartMessage } from './chart.ts';
