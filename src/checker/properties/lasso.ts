/**
 * The counterexample of a violated cyclic temporal property: a lasso (a stem from an initial state, then a fair
 * loop), shortest in the sense docs/liveness.md "Shortest lassos" defines: the shortest stem, then, among the
 * states a shortest stem can end at, the shortest fair loop back to one of them. Given the fair components that
 * liveness.ts finds (Emerson–Lei), this file only searches paths.
 */
import type { StateGraph } from './state-graph.ts';

/**
 * A fair strongly connected set, and what a cycle inside it must do to be fair: for each weak group enabled
 * somewhere in it, take an edge of the group or pass a state where it is disabled (WF); for each strong group
 * enabled somewhere in it, take an edge of the group or pass no state where it is enabled (SF). Emerson–Lei
 * guarantees each can be met: a weak group enabled everywhere, and every strong group, has an edge inside.
 */
export interface FairComponent {
  nodes: number[];
  weak: number[];
  strong: number[];
  groups: string[];
}

/**
 * Shortest stems: breadth-first search over (state, phase) pairs (index 2·state + phase) from the initial
 * states. Phase 0 is before an entry state (any edge); an entry state switches to phase 1 at no cost; phase 1
 * follows trap states only. `dist[2v + 1]` is the length of the shortest stem that ends at `v` (-1: none).
 */
function stemSearch(g: StateGraph<any, any>, entry: Uint8Array, trap: Uint8Array): { dist: Int32Array; prev: Int32Array; via: Int32Array } {
  const size = 2 * g.states;
  const dist = new Int32Array(size).fill(-1);
  const prev = new Int32Array(size).fill(-1);
  const via = new Int32Array(size).fill(-1);
  const queue = new Int32Array(size);
  let tail = 0;
  const reach = (x: number, d: number, from: number, e: number) => {
    dist[x] = d;
    prev[x] = from;
    via[x] = e;
    queue[tail++] = x;
    if ((x & 1) === 0 && entry[x >> 1] && dist[x + 1] === -1) {
      dist[x + 1] = d;
      prev[x + 1] = x;
      queue[tail++] = x + 1;
    }
  };
  for (const v of g.initial) if (dist[2 * v] === -1) reach(2 * v, 0, -1, -1);
  for (let h = 0; h < tail; h++) {
    const x = queue[h]!;
    const v = x >> 1;
    const phase = x & 1;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const e = g.outEdges[k]!;
      const w = g.to[e]!;
      if (phase === 1 && !trap[w]) continue;
      const y = 2 * w + phase;
      if (dist[y] === -1) reach(y, dist[x]! + 1, x, e);
    }
  }
  return { dist, prev, via };
}

/** Above this many (state, requirements met) pairs one cycle search is greedy instead of exact. */
export const EXACT_LOOP_LIMIT = 1 << 22;
/** The (state, requirements met) pairs all cycle searches of one lasso may visit, over its candidate starts. */
export const LOOP_SEARCH_BUDGET = 1 << 23;

/** A lasso as state ids (stem then cycle; ids[ids.length-1] === ids[loop]) and the edges between them. */
export interface LassoPath {
  ids: number[];
  /** Edge index used for each step (edges[k] leads from ids[k] to ids[k+1]). */
  edges: number[];
  loop: number;
  /** The fairness groups of the loop's component, for the message. */
  groups: string[];
  /** No lasso with a stem this short has a shorter loop (false: the loop search was greedy or cut short). */
  loopShortest: boolean;
}

/** The lasso through the fair components (at least one) of a property instance's entry and trap states. */
export function lasso(g: StateGraph<any, any>, entry: Uint8Array, trap: Uint8Array, fair: FairComponent[], accept: Uint8Array | null): LassoPath {
  const n = g.states;
  const owner = new Int32Array(n).fill(-1);
  fair.forEach((c, i) => {
    for (const v of c.nodes) owner[v] = i;
  });
  // Every fair cycle lies inside a fair component, so the shortest stem ends at the nearest component state.
  const { dist, prev, via } = stemSearch(g, entry, trap);
  let stemLength = Infinity;
  for (let v = 0; v < n; v++) if (owner[v]! >= 0 && dist[2 * v + 1]! >= 0 && dist[2 * v + 1]! < stemLength) stemLength = dist[2 * v + 1]!;
  const candidates: number[] = [];
  for (let v = 0; v < n; v++) if (owner[v]! >= 0 && dist[2 * v + 1] === stemLength) candidates.push(v);
  // Among the states a shortest stem can end at, the one with the shortest fair loop (ties: the lowest id).
  const searches = new Map<number, CycleSearch>();
  const local = new Int32Array(n);
  let best: { start: number; cycle: number[] } | null = null;
  let loopShortest = true;
  let budget = LOOP_SEARCH_BUDGET;
  for (const start of candidates) {
    if (budget <= 0) {
      loopShortest = false; // candidates left unexamined
      break;
    }
    const ci = owner[start]!;
    let search = searches.get(ci);
    if (!search) searches.set(ci, (search = new CycleSearch(g, withMask(n, fair[ci]!), accept, EXACT_LOOP_LIMIT, local)));
    const found = search.from(start, best ? best.cycle.length - 1 : Infinity);
    budget -= found.visited;
    if (found.cycle && (!best || found.cycle.length < best.cycle.length)) best = { start, cycle: found.cycle };
    if (!found.exact) {
      loopShortest = false; // greedy: short, not guaranteed shortest
      break;
    }
    if (best!.cycle.length === 0) break;
  }
  const start = best!.start;
  const edges: number[] = [];
  for (let x = 2 * start + 1; prev[x] !== -1; x = prev[x]!) if (via[x]! >= 0) edges.push(via[x]!);
  edges.reverse();
  const loop = edges.length;
  edges.push(...best!.cycle);
  const ids = [edges.length ? g.from[edges[0]!]! : start];
  for (const e of edges) ids.push(g.to[e]!);
  return { ids, edges, loop, groups: fair[owner[start]!]!.groups, loopShortest };
}

type CycleComponent = Pick<FairComponent, 'nodes' | 'weak' | 'strong'> & { mask: Uint8Array };

function withMask(n: number, c: FairComponent): CycleComponent {
  const mask = new Uint8Array(n);
  for (const v of c.nodes) mask[v] = 1;
  return { ...c, mask };
}

/**
 * The shortest fair cycle inside `c` from `start` back to it (docs/liveness.md "Shortest lassos"): for each weak
 * group, an edge of it or a state where it is disabled; for each strong group, an edge of it or no state where it
 * is enabled; with `accept`, an accepting state. Empty when `start` alone meets them (stuttering there is fair).
 * Exact, by breadth-first search over (state, requirements met), while that product has at most `exactLimit`
 * pairs; `null` when no such cycle has at most `maxLength` edges. Beyond the limit: greedy (`exact: false`).
 */
export function fairCycle(
  g: StateGraph<any, any>,
  c: CycleComponent,
  start: number,
  accept: Uint8Array | null,
  exactLimit = EXACT_LOOP_LIMIT,
  maxLength = Infinity,
): { cycle: number[] | null; exact: boolean; visited: number } {
  return new CycleSearch(g, c, accept, exactLimit).from(start, maxLength);
}

/** The groups with a state-changing edge out of `v` (enabled there). */
function enabledGroups(g: StateGraph<any, any>, v: number): Set<number> {
  const out = new Set<number>();
  for (let j = g.outStart[v]!; j < g.outStart[v + 1]!; j++) {
    const e = g.outEdges[j]!;
    if (g.to[e] !== v && g.group[e]! >= 0) out.add(g.group[e]!);
  }
  return out;
}

/**
 * Fair cycles inside one component, from any start: what depends only on the component (requirement bits per
 * state and per group, the search arrays) is computed once, so trying every end of a shortest stem costs only
 * the searches themselves.
 */
class CycleSearch {
  private readonly exact: boolean;
  /** Bits: one per weak group (taken, or seen disabled); two per strong group (taken; seen enabled); accepting. */
  private readonly M: number = 0;
  private readonly must: number = 0;
  private readonly takenBits: number = 0;
  /** Per group: its bit when an edge of it is taken (0: none). */
  private readonly edgeBit: Int32Array;
  /** Per state of the graph: its index in the component (components are disjoint, so searches share it). */
  private readonly local: Int32Array;
  private stateBits = new Int32Array(0);
  private prev = new Int32Array(0);
  private via = new Int32Array(0);
  private queue = new Int32Array(0);

  constructor(
    private readonly g: StateGraph<any, any>,
    private readonly c: CycleComponent,
    private readonly accept: Uint8Array | null,
    exactLimit = EXACT_LOOP_LIMIT,
    local = new Int32Array(g.states),
  ) {
    this.local = local;
    this.edgeBit = new Int32Array(g.groupNames.length);
    const nWeak = c.weak.length;
    const k = nWeak + 2 * c.strong.length + (accept ? 1 : 0);
    this.exact = k <= 24 && c.nodes.length * 2 ** k <= exactLimit;
    if (!this.exact) return;
    this.M = 1 << k;
    c.weak.forEach((grp, i) => (this.edgeBit[grp] = 1 << i));
    c.strong.forEach((grp, j) => (this.edgeBit[grp] = 1 << (nWeak + 2 * j)));
    let takenBits = 0;
    c.strong.forEach((_, j) => (takenBits |= 1 << (nWeak + 2 * j)));
    this.takenBits = takenBits;
    const acceptBit = accept ? 1 << (k - 1) : 0;
    this.must = (1 << nWeak) - 1 + acceptBit;
    c.nodes.forEach((v, i) => (local[v] = i));
    this.stateBits = new Int32Array(c.nodes.length);
    c.nodes.forEach((v, i) => {
      const en = enabledGroups(g, v);
      let bits = 0;
      c.weak.forEach((grp, j) => {
        if (!en.has(grp)) bits |= 1 << j;
      });
      c.strong.forEach((grp, j) => {
        if (en.has(grp)) bits |= 1 << (nWeak + 2 * j + 1);
      });
      if (accept && accept[v]) bits |= acceptBit;
      this.stateBits[i] = bits;
    });
  }

  /** Met: every weak group and the accepting state; every strong group seen enabled was also taken. */
  private ok(m: number): boolean {
    return (m & this.must) === this.must && (m & (this.takenBits << 1) & ~((m & this.takenBits) << 1)) === 0;
  }

  from(start: number, maxLength: number): { cycle: number[] | null; exact: boolean; visited: number } {
    if (!this.exact) return { cycle: greedyCycle(this.g, this.c, start, this.accept), exact: false, visited: this.c.nodes.length };
    const { g, c, M, stateBits } = this;
    const s0 = this.local[start]!;
    const m0 = stateBits[s0]!;
    if (this.ok(m0)) return { cycle: [], exact: true, visited: 1 };
    if (this.prev.length === 0) {
      const size = c.nodes.length * M;
      this.prev = new Int32Array(size).fill(-1);
      this.via = new Int32Array(size);
      this.queue = new Int32Array(size);
    }
    const { prev, via, queue } = this;
    const first = s0 * M + m0;
    prev[first] = first;
    let tail = 0;
    queue[tail++] = first;
    let levelEnd = tail;
    let depth = 0;
    let cycle: number[] | null = null;
    search: for (let h = 0; h < tail; h++) {
      if (h === levelEnd) ((levelEnd = tail), depth++);
      if (depth + 1 > maxLength) break;
      const x = queue[h]!;
      const v = c.nodes[(x / M) | 0]!;
      const m = x % M;
      for (let j = g.outStart[v]!; j < g.outStart[v + 1]!; j++) {
        const e = g.outEdges[j]!;
        const w = g.to[e]!;
        if (!c.mask[w] || w === v) continue;
        const lw = this.local[w]!;
        const grp = g.group[e]!;
        const m2 = m | (grp >= 0 ? this.edgeBit[grp]! : 0) | stateBits[lw]!;
        const y = lw * M + m2;
        if (prev[y] !== -1) continue;
        prev[y] = x;
        via[y] = e;
        queue[tail++] = y;
        if (lw === s0 && this.ok(m2)) {
          cycle = [];
          for (let z = y; z !== first; z = prev[z]!) cycle.push(via[z]!);
          cycle.reverse();
          break search;
        }
      }
    }
    for (let i = 0; i < tail; i++) prev[queue[i]!] = -1; // ready for the next start
    if (cycle === null && maxLength === Infinity) throw new Error('liveness: no fair cycle in a fair component (internal)');
    return { cycle, exact: true, visited: tail };
  }
}

/**
 * Greedy: from the current state, go to the nearest edge or state that meets a requirement not met yet, until all
 * are met; then back to the start. Strong groups are always taken (never avoided). Requirements are kept as flags
 * (any number of them).
 */
function greedyCycle(g: StateGraph<any, any>, c: CycleComponent, start: number, accept: Uint8Array | null): number[] {
  const needWeak = new Set(c.weak);
  const needStrong = new Set(c.strong);
  let needAccept = accept !== null;
  const metAt = (w: number) => {
    if (needAccept && accept![w]) needAccept = false;
    if (needWeak.size) {
      const en = enabledGroups(g, w);
      for (const grp of [...needWeak]) if (!en.has(grp)) needWeak.delete(grp);
    }
  };
  const metBy = (e: number) => {
    if (g.to[e] !== g.from[e]) (needWeak.delete(g.group[e]!), needStrong.delete(g.group[e]!));
    metAt(g.to[e]!);
  };
  const gains = (e: number, w: number) => {
    if (g.to[e] !== g.from[e] && (needWeak.has(g.group[e]!) || needStrong.has(g.group[e]!))) return true;
    if (needAccept && accept![w]) return true;
    if (needWeak.size) {
      const en = enabledGroups(g, w);
      for (const grp of needWeak) if (!en.has(grp)) return true;
    }
    return false;
  };
  const unmet = () => needWeak.size > 0 || needStrong.size > 0 || needAccept;
  metAt(start);
  // Stuttering at `start` is fair when it meets the weak and accepting requirements and no strong group is enabled.
  if (!needWeak.size && !needAccept && c.strong.every((grp) => !enabledGroups(g, start).has(grp))) return [];
  const path: number[] = [];
  let cur = start;
  const walk = (done: (e: number, w: number) => boolean) => {
    const prevEdge = new Map<number, number>([[cur, -1]]);
    const q = [cur];
    for (let h = 0; h < q.length; h++) {
      const v = q[h]!;
      for (let j = g.outStart[v]!; j < g.outStart[v + 1]!; j++) {
        const e = g.outEdges[j]!;
        const w = g.to[e]!;
        if (!c.mask[w] || w === v) continue;
        if (done(e, w)) {
          const seg = [e];
          for (let x = v; x !== cur; x = g.from[prevEdge.get(x)!]!) seg.push(prevEdge.get(x)!);
          seg.reverse();
          for (const s of seg) metBy(s);
          path.push(...seg);
          cur = w;
          return;
        }
        if (prevEdge.has(w)) continue;
        prevEdge.set(w, e);
        q.push(w);
      }
    }
    throw new Error('liveness: no fair cycle in a fair component (internal)');
  };
  while (unmet()) walk(gains);
  if (cur !== start) walk((_e, w) => w === start);
  return path;
}
