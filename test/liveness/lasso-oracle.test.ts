/**
 * The lasso search against a brute-force oracle on random small specs. The oracle knows nothing of components or
 * Emerson–Lei: for every state u it computes the shortest stem ending at u (through an entry state, then trap
 * states) and the shortest loop from u back to u that stays in trap states and is fair by the definitions
 * (docs/liveness.md "Fairness"), searching over (state, states visited, groups taken) and judging the sets at the
 * end. The property is violated iff some u has both; the expected lasso is the least (stem, loop) pair. The
 * checker must agree on the verdict and on both lengths, with BFS and DFS, and its loop must pass the same
 * fairness test.
 */
import { describe, expect, it } from 'vitest';
import { check, defineSpec, z } from 'interleave';

type Fair = 'none' | 'weak' | 'strong';
type Kind = 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways' | 'leadsToAlways';

interface Case {
  K: number;
  inits: number[];
  /** table[action][state]: the target states (a target equal to the state is a stutter). */
  table: number[][][];
  fairness: Fair[];
  process: string[];
  kind: Kind;
  P: boolean[];
  Q: boolean[];
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCase(rand: () => number): Case {
  const K = 5;
  const nActions = 3;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const table = Array.from({ length: nActions }, () =>
    Array.from({ length: K }, () => [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => Math.floor(rand() * K)))].sort()),
  );
  const kinds: Kind[] = ['eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways', 'leadsToAlways'];
  return {
    K,
    inits: rand() < 0.7 ? [0] : [0, K - 1],
    table,
    fairness: Array.from({ length: nActions }, () => pick<Fair>(['none', 'weak', 'weak', 'strong'])),
    process: Array.from({ length: nActions }, () => pick(['P0', 'P1', 'P2'])),
    kind: pick(kinds),
    P: Array.from({ length: K }, () => rand() < 0.4),
    Q: Array.from({ length: K }, () => rand() < 0.4),
  };
}

function specOf(c: Case) {
  const actions: Record<string, unknown> = {};
  c.table.forEach((byState, i) => {
    actions[`a${i}`] = {
      params: (s: { x: number }) => byState[s.x]!,
      effect: (_s: { x: number }, _c: unknown, to: number) => ({ x: to }),
      fairness: c.fairness[i],
      process: c.process[i],
    };
  });
  const p = (s: { x: number }) => c.P[s.x]!;
  const q = (s: { x: number }) => c.Q[s.x]!;
  return defineSpec({
    name: 'random',
    state: z.object({ x: z.number().int().min(0).max(c.K - 1) }),
    init: () => c.inits.map((x) => ({ x })),
    actions: actions as never,
    properties: (k) => ({
      prop: c.kind === 'leadsTo' ? k.leadsTo(p, q) : c.kind === 'leadsToAlways' ? k.leadsToAlways(p, q) : k[c.kind](p),
    }),
  });
}

interface Edge {
  from: number;
  to: number;
  group: number;
}

/** The oracle: the least (stem, loop) over all states, or null when the property holds. */
function oracle(c: Case) {
  const groupKey = c.fairness.map((f, i) => (f === 'none' ? null : `${f}:${c.process[i]}`));
  const keys = [...new Set(groupKey.filter((k): k is string => k !== null))];
  const strong = keys.map((k) => k.startsWith('strong'));
  const edges: Edge[] = [];
  c.table.forEach((byState, i) =>
    byState.forEach((targets, u) => {
      for (const t of targets) if (t !== u) edges.push({ from: u, to: t, group: groupKey[i] === null ? -1 : keys.indexOf(groupKey[i]!) });
    }),
  );
  const enabled = (u: number, g: number) => edges.some((e) => e.from === u && e.group === g);
  const { K, P, Q } = c;
  const all = Array.from({ length: K }, (_, v) => v);
  const isInit = (v: number) => c.inits.includes(v);
  const [entry, trap, accept] = {
    eventually: [all.map((v) => isInit(v) && !P[v]), all.map((v) => !P[v]), null],
    leadsTo: [all.map((v) => P[v]! && !Q[v]), all.map((v) => !Q[v]), null],
    alwaysEventually: [all.map((v) => !P[v]), all.map((v) => !P[v]), null],
    eventuallyAlways: [all.map(isInit), all.map(() => true), all.map((v) => !P[v])],
    leadsToAlways: [all.map((v) => P[v]!), all.map(() => true), all.map((v) => !Q[v])],
  }[c.kind] as [boolean[], boolean[], boolean[] | null];
  // Shortest stems: BFS over (state, phase); phase 1 after an entry state, through trap states only.
  const dist = new Map<string, number>();
  const queue: [number, number][] = [];
  const reach = (v: number, ph: number, d: number) => {
    if (dist.has(`${v},${ph}`)) return;
    dist.set(`${v},${ph}`, d);
    queue.push([v, ph]);
    if (ph === 0 && entry[v]) reach(v, 1, d);
  };
  for (const v of c.inits) reach(v, 0, 0);
  for (let h = 0; h < queue.length; h++) {
    const [v, ph] = queue[h]!;
    for (const e of edges) if (e.from === v && (ph === 0 || trap[e.to])) reach(e.to, ph, dist.get(`${v},${ph}`)! + 1);
  }
  // A loop is fair when, for each group: weak: taken or disabled at a visited state; strong: taken or enabled at no visited state.
  const fair = (visited: number[], taken: Set<number>) =>
    keys.every((_, g) => taken.has(g) || (strong[g] ? visited.every((v) => !enabled(v, g)) : visited.some((v) => !enabled(v, g))));
  const loopFrom = (u: number): number | null => {
    const ok = (vis: number, taken: number) => {
      const visited = all.filter((v) => vis & (1 << v));
      const t = new Set(keys.map((_, g) => g).filter((g) => taken & (1 << g)));
      return fair(visited, t) && (!accept || visited.some((v) => accept[v]));
    };
    if (ok(1 << u, 0)) return 0;
    const seen = new Set<string>([`${u},${1 << u},0`]);
    let level: [number, number, number][] = [[u, 1 << u, 0]];
    for (let len = 1; level.length; len++) {
      const next: [number, number, number][] = [];
      for (const [v, vis, taken] of level) {
        for (const e of edges) {
          if (e.from !== v || !trap[e.to]) continue;
          const s: [number, number, number] = [e.to, vis | (1 << e.to), e.group >= 0 ? taken | (1 << e.group) : taken];
          if (e.to === u && ok(s[1], s[2])) return len;
          const key = s.join(',');
          if (!seen.has(key)) (seen.add(key), next.push(s));
        }
      }
      level = next;
    }
    return null;
  };
  let best: { stem: number; loop: number } | null = null;
  for (const u of all) {
    const stem = dist.get(`${u},1`);
    if (stem === undefined) continue;
    const loop = loopFrom(u);
    if (loop === null) continue;
    if (!best || stem < best.stem || (stem === best.stem && loop < best.loop)) best = { stem, loop };
  }
  return { best, fair, trap, accept, keys, groupKey };
}

describe('lassos against a brute-force oracle (200 random specs of 5 states, 3 actions, mixed fairness)', () => {
  it('same verdict, same stem and loop lengths, a fair loop, with BFS and DFS', async () => {
    const rand = mulberry32(17);
    const tally = { ok: 0, violation: 0, emptyLoop: 0 };
    for (let n = 0; n < 200; n++) {
      const c = randomCase(rand);
      const spec = specOf(c);
      const o = oracle(c);
      for (const strategy of ['bfs', 'dfs'] as const) {
        const r = await check(spec, { strategy, deadlock: false });
        const where = `case ${n} (${strategy}): ${JSON.stringify(c)}`;
        if (!o.best) {
          expect(r.status, where).toBe('ok');
          if (strategy === 'bfs') tally.ok++;
          continue;
        }
        expect(r.status, where).toBe('violation');
        if (r.status !== 'violation') continue;
        expect(r.lasso, where).toEqual({ stem: o.best.stem, loop: o.best.loop, loopShortest: true });
        // The loop the checker printed passes the oracle's own fairness test and stays in trap states.
        const xs = r.trace.steps.map((s) => (s.state as { x: number }).x);
        const loopStates = xs.slice(r.trace.loop!);
        const taken = new Set<number>();
        r.trace.steps.slice(r.trace.loop! + 1).forEach((s, j) => {
          const i = Number(s.action.slice(1));
          if (o.groupKey[i] !== null && loopStates[j] !== loopStates[j + 1]) taken.add(o.keys.indexOf(o.groupKey[i]!));
        });
        expect(o.fair(loopStates, taken), where).toBe(true);
        expect(loopStates.every((v) => o.trap[v]), where).toBe(true);
        if (o.accept) expect(loopStates.some((v) => o.accept![v]), where).toBe(true);
        if (strategy === 'bfs') (tally.violation++, o.best.loop === 0 && tally.emptyLoop++);
      }
    }
    // The sample covers both verdicts and both loop shapes (pinned: the seed is fixed).
    expect(tally).toEqual({ ok: 75, violation: 125, emptyLoop: 40 });
  });
});
