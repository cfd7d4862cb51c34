/**
 * No import circles anywhere in src/ (docs/architecture.md): a module's imports, followed transitively, never
 * lead back to it. Type-only imports count too: a circle of types is still a circle in the design. The walker
 * reads `import … from`, `export … from`, side-effect `import '…'` and dynamic `import('…')` with relative
 * specifiers; package imports are leaves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './import-graph.ts';

const src = path.resolve(import.meta.dirname, '../../src');

describe('the import graph of src/', () => {
  it('has no circles', () => {
    const graph = importGraph(src);
    expect(graph.size).toBeGreaterThan(50);
    const cycles = importCycles(graph).map((c) => c.map((f) => path.relative(src, f)).join(' → '));
    expect(cycles).toEqual([]);
  });
  it('finds a circle when there is one (the walker is not blind)', () => {
    const graph = importGraph(src);
    // Close a circle on the real graph: the core of the search imported back from a file it imports.
    const core = path.join(src, 'checker/search/expand.ts');
    const dep = [...graph.get(core)!].find((f) => f.includes('/checker/'))!;
    expect(dep).toBeDefined();
    graph.get(dep)!.add(core);
    const cycles = importCycles(graph);
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles.some((c) => c.includes(core) && c.includes(dep))).toBe(true);
  });
  it('reads every kind of import', () => {
    const text = readFileSync(path.join(src, 'checker/search/worker-entry.mjs'), 'utf8');
    expect(text).toMatch(/import\('\.\/worker/);
    const graph = importGraph(src);
    expect([...graph.get(path.join(src, 'checker/search/worker-entry.mjs'))!].map((f) => path.basename(f))).toContain('worker.ts');
    expect(readdirSync(src).length).toBeGreaterThan(0);
  });
});
