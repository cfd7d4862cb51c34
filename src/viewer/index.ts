/** The trace viewer: a self-contained HTML page for a trace, with a message sequence chart. Pure: returns strings. */
export { renderViewerHtml, scriptJson, escapeHtml } from './html.ts';
export { sequenceChart, canonicalKey, type SequenceChart, type SequenceChartOptions, type ChartMessage } from './chart.ts';
