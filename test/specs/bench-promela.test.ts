import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { benchModels } from '../../bench/models.mjs';
import { compilePan, runPan } from '../../bench/measure.mjs';
import { bfsParTwin, failoverPromela, gossipPromela, petersonPromela, twoPhasePromela } from '../../bench/promela.mjs';
import { failover } from '../../specs/bench/failover.ts';
import { twoPhaseCommit } from '../../specs/two-phase-commit.ts';

// The bench's Promela twins (bench/promela.mjs) explore the same state space as the specs: SPIN's "states stored"
// and "transitions" equal interleave's distinct and generated counts. Needs SPIN and gcc (`apt-get install spin`).
const haveSpin = spawnSync('spin', ['-V']).status === 0 && spawnSync('gcc', ['--version']).status === 0;
const dir = haveSpin ? mkdtempSync(path.join(os.tmpdir(), 'interleave-promela-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Compiles and runs `source` as bench/run.mjs does (safety, no partial-order reduction), unoptimised: the counts
 * do not depend on gcc's -O, and -O0 compiles several times faster. `bfsPar`: as bench/cores.mjs does, SPIN's
 * parallel breadth-first search on two cores (a small table and memory limit: these models are small). */
function spin(name: string, source: string, bfsPar = false): { stored: number; transitions: number; errors: number } {
  const cwd = path.join(dir, name);
  execFileSync('mkdir', ['-p', cwd]);
  writeFileSync(path.join(cwd, 'model.pml'), source);
  execFileSync('spin', ['-a', 'model.pml'], { cwd, stdio: 'pipe' });
  execFileSync('gcc', ['-O0', '-w', '-DSAFETY', '-DNOREDUCE', ...(bfsPar ? ['-DBFS_PAR', '-DMEMLIM=1024'] : []), '-o', 'pan', 'pan.c'], { cwd, stdio: 'pipe' });
  const out = execFileSync(path.join(cwd, 'pan'), ['-m100000', ...(bfsPar ? ['-u2', '-w20'] : [])], { cwd, encoding: 'utf8' });
  const num = (re: RegExp) => Number((re.exec(out) ?? [])[1]);
  return { stored: num(/(\d+) states, stored/), transitions: num(/(\d+) transitions/), errors: num(/errors: (\d+)/) };
}

// `npm run bench` writes the default-size models into bench/promela/: the committed files are exactly what it
// writes, so a bench run leaves the tree clean (and a reader of the .pml files reads what was measured).
it('the committed bench/promela/*.pml are what bench/promela.mjs generates at the default sizes', () => {
  const committed = (f: string) => readFileSync(path.join(import.meta.dirname, '../../bench/promela', f), 'utf8');
  // What the bench scripts take their models from (bench/models.mjs).
  const models = benchModels('default');
  expect(models.map((m) => m.key)).toEqual(['peterson', 'gossip', 'two-phase', 'failover']);
  for (const m of models) expect(committed(m.file), m.file).toBe(m.promela);
  expect(committed('peterson.pml')).toBe(petersonPromela(6));
  expect(committed('gossip.pml')).toBe(gossipPromela({ maxEpoch: 2, bagSize: 4, variant: 'fixed' }));
  expect(committed('two-phase-commit.pml')).toBe(twoPhasePromela(7));
  expect(committed('failover.pml')).toBe(failoverPromela({ nodes: 4, maxEpoch: 2, capacity: 1 }));
});

describe.skipIf(!haveSpin)('Promela twins give the same counts as SPIN', () => {
  const sizes = [
    { nodes: 3, maxEpoch: 2, capacity: 1 },
    { nodes: 3, maxEpoch: 2, capacity: 2 },
    { nodes: 4, maxEpoch: 1, capacity: 1 },
  ];
  for (const c of sizes) {
    it(`failover nodes=${c.nodes} maxEpoch=${c.maxEpoch} capacity=${c.capacity}`, async () => {
      const r = await check(failover, { constants: c, properties: [] });
      const s = spin(`failover-${c.nodes}-${c.maxEpoch}-${c.capacity}`, failoverPromela(c));
      expect(r.status).toBe('ok');
      expect(s).toEqual({ stored: r.stats.distinct, transitions: r.stats.generated, errors: 0 });
    });
  }
  it('two-phase commit rms=5', async () => {
    const r = await check(twoPhaseCommit, { constants: { rms: 5 }, properties: [] });
    const s = spin('two-phase-commit-5', twoPhasePromela(5));
    expect(s).toEqual({ stored: r.stats.distinct, transitions: r.stats.generated, errors: 0 });
    expect(s.stored).toBe(8832);
  });
  // SPIN's parallel breadth-first search stores the states inside an `atomic` sequence, so bench/cores.mjs gives
  // it the twin whose actions are `d_step`s: the same counts as the depth-first search and as interleave.
  it('the BFS_PAR twins (d_step) give the same counts under SPIN\'s parallel search', async () => {
    const tpc = spin('two-phase-commit-5-bfs', bfsParTwin(twoPhasePromela(5)), true);
    expect(tpc).toEqual({ stored: 8832, transitions: 58146, errors: 0 });
    const c = { nodes: 3, maxEpoch: 2, capacity: 1 };
    const r = await check(failover, { constants: c, properties: [] });
    expect(spin('failover-3-2-1-bfs', bfsParTwin(failoverPromela(c)), true)).toEqual({ stored: r.stats.distinct, transitions: r.stats.generated, errors: 0 });
    // Peterson's plain twin under BFS_PAR would not: the intermediate states of its atomic sequences count too.
    const peterson = spin('peterson-3', petersonPromela(3));
    expect(spin('peterson-3-bfs', bfsParTwin(petersonPromela(3)), true)).toEqual(peterson);
    expect(spin('peterson-3-bfs-atomic', petersonPromela(3), true).stored).toBeGreaterThan(peterson.stored);
  });
  // Each model's depth limit (bench/models.mjs: spinDepth) lets SPIN's depth-first search finish; one that cuts it
  // short is an error in bench/measure.mjs, not a smaller count. Peterson is the deepest model: 31,704 at n=5.
  it("the quick Peterson's depth limit lets SPIN finish, and a smaller one is an error", () => {
    const m = benchModels('quick').find((x) => x.key === 'peterson')!;
    const pan = compilePan(path.join(dir, 'peterson-quick-depth'), m.file, m.promela);
    expect(runPan(pan, [`-m${m.spinDepth}`]).distinct).toBe(88560);
    expect(() => runPan(pan, ['-m30000'])).toThrow(/the depth limit cut the search short \(raise the model's spinDepth/);
  });
});
