/** The explorer: step through a spec by hand in the browser (`interleave explore`); see docs/explorer.md. */
export { ExplorerSession, BadPath, MAX_PATH, type ExplorePath, type EnabledAction, type EnabledStep, type PathView } from './session.ts';
export { startExplorer, parsePath, MAX_BODY, type ExplorerServer } from './server.ts';
export { renderExplorerHtml, EXPLORER_CSP } from './page.ts';
