/**
 * Liveness checking on the complete state graph, under weak and strong fairness of action groups.
 * The algorithm and its limits are documented in docs/liveness.md. In short, for each property instance:
 *
 * 1. It is reduced to "find a fair behaviour that, after entering an entry state, stays in trap states forever":
 *    - `eventually(p)`:        entry = initial states where ¬p, trap = ¬p;
 *    - `leadsTo(p, q)`:        entry = states where p ∧ ¬q,     trap = ¬q;
 *    - `alwaysEventually(p)`:  entry = states where ¬p,         trap = ¬p.
 * 2. Trap states reachable from an entry state through trap states are split into strongly connected
 *    components (iterative Tarjan). Every state may stutter (TLA+ semantics), so a single state is a candidate.
 * 3. A component is fair (Emerson–Lei): for each weak group enabled in every state of it, some edge of the group
 *    lies inside it; for each strong group enabled in some state of it, some edge of the group lies inside it —
 *    otherwise the states where that group is enabled are removed and the rest is split again.
 *    "Enabled" and "taken" count only steps that change the state (TLA+'s ⟨A⟩_vars).
 * 4. A fair component gives a lasso: the shortest stem to an entry state and on to the component, then a cycle
 *    inside it through one edge of each group that must be taken and one state where each weak group that is
 *    not always enabled is disabled (an empty cycle means: stutter there forever).
 */
import { InterleaveError, describeThrown } from '../errors.ts';
import type { Spec, SpecAction, TemporalProperty } from '../model/index.ts';
import { StateGraph, groupEdges } from './state-graph.ts';

/** One property instance (a `forEach` is unrolled into one instance per element). */
export interface PropertyInstance<S = any, C = any> {
  /** The declared property name. */
  property: string;
  /** `i = 0` for a quantified instance; empty otherwise. */
  binding: string;
  kind: 'eventually' | 'leadsTo' | 'alwaysEventually';
  /** Predicate indices in the graph's bits: p, and q for leadsTo (-1 otherwise). */
  p: number;
  q: number;
  pred: { p: (s: S, c: C) => boolean; q: ((s: S, c: C) => boolean) | null };
}

/** Unrolls properties (and nested `forEach`) into instances, appending their predicates to `predicates`. */
export function expandProperties<S, C>(
  props: readonly { name: string; property: TemporalProperty<S, C> }[],
  constants: C,
  predicates: ((s: S, c: C) => boolean)[],
): PropertyInstance<S, C>[] {
  const out: PropertyInstance<S, C>[] = [];
  const visit = (name: string, prop: TemporalProperty<S, C>, bindings: string[]) => {
    if (prop.kind === 'forEach') {
      // A spec mistake here is SPEC_INVALID naming the property, not an internal error.
      let domain: unknown;
      try {
        domain = prop.domain(constants);
      } catch (e) {
        throw new InterleaveError('SPEC_INVALID', `property '${name}': the forEach domain threw ${describeThrown(e)}`, { predicate: name }, { cause: e });
      }
      if (!Array.isArray(domain)) throw new InterleaveError('SPEC_INVALID', `property '${name}': the forEach domain is ${domain === null ? 'null' : typeof domain}, expected an array`, { predicate: name });
      for (const x of domain) {
        let body: TemporalProperty<S, C>;
        try {
          body = prop.body(x, constants);
        } catch (e) {
          throw new InterleaveError('SPEC_INVALID', `property '${name}': the forEach body threw ${describeThrown(e)} (for element ${formatBinding(x)})`, { predicate: name }, { cause: e });
        }
        if (typeof body !== 'object' || body === null || !['eventually', 'leadsTo', 'alwaysEventually', 'forEach'].includes((body as { kind?: string }).kind ?? '')) {
          throw new InterleaveError('SPEC_INVALID', `property '${name}': the forEach body returned ${body === null ? 'null' : typeof body} (for element ${formatBinding(x)}), expected a property built with eventually(), leadsTo(), alwaysEventually() or forEach()`, { predicate: name });
        }
        visit(name, body, [...bindings, formatBinding(x)]);
      }
      return;
    }
    const p = predicates.push(prop.p) - 1;
    const q = prop.kind === 'leadsTo' ? predicates.push(prop.q) - 1 : -1;
    out.push({
      property: name,
      binding: bindings.length === 0 ? '' : bindings.length === 1 ? `i = ${bindings[0]}` : `(${bindings.join(', ')})`,
      kind: prop.kind,
      p,
      q,
      pred: { p: prop.p, q: prop.kind === 'leadsTo' ? prop.q : null },
    });
  };
  for (const { name, property } of props) visit(name, property, []);
  return out;
}

function formatBinding(x: unknown): string {
  try {
    return typeof x === 'string' ? x : JSON.stringify(x);
  } catch {
    return String(x);
  }
}

export type LivenessVerdict =
  | { holds: true; vacuous: boolean }
  | {
      holds: false;
      /** State ids of the lasso: stem then cycle; ids[ids.length-1] === ids[loop]. */
      ids: number[];
      /** Edge index used for each step (edges[k] leads from ids[k] to ids[k+1]). */
      edges: number[];
      loop: number;
      /** The fairness groups the cycle must satisfy, for the message. */
      groups: string[];
    };

/** Checks one property instance on a finished graph. */
export function checkInstance(g: StateGraph<any, any>, inst: PropertyInstance): LivenessVerdict {
  const n = g.states;
  const P = g.bits[inst.p]!;
  const Q = inst.q >= 0 ? g.bits[inst.q]! : null;
  const trap = new Uint8Array(n);
  const entry = new Uint8Array(n);
  let anyPremise = false;
  for (let v = 0; v < n; v++) {
    if (inst.kind === 'leadsTo') {
      trap[v] = Q![v] ? 0 : 1;
      if (P[v]) anyPremise = true;
      entry[v] = P[v] && !Q![v] ? 1 : 0;
    } else {
      trap[v] = P[v] ? 0 : 1;
      if (inst.kind === 'alwaysEventually') entry[v] = trap[v]!;
    }
  }
  if (inst.kind === 'eventually') for (const v of g.initial) if (trap[v]) entry[v] = 1;

  // Trap states reachable from an entry state through trap states.
  const live = new Uint8Array(n);
  const stack: number[] = [];
  for (let v = 0; v < n; v++) if (entry[v]) ((live[v] = 1), stack.push(v));
  while (stack.length) {
    const v = stack.pop()!;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const w = g.to[g.outEdges[k]!]!;
      if (trap[w] && !live[w]) ((live[w] = 1), stack.push(w));
    }
  }

  const fair = findFairComponent(g, live);
  if (fair === null) return { holds: true, vacuous: inst.kind === 'leadsTo' && !anyPremise };
  return lasso(g, entry, trap, fair);
}

// ---------------------------------------------------------------------------------------------------------------

/** Strongly connected components of the subgraph induced by `mask` (iterative Tarjan). */
export function components(g: StateGraph<any, any>, mask: Uint8Array, nodes?: readonly number[]): number[][] {
  const n = g.states;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccStack: number[] = [];
  const callV: number[] = [];
  const callK: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  const roots = nodes ?? Array.from({ length: n }, (_, i) => i);
  for (const root of roots) {
    if (!mask[root] || index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    sccStack.push(root);
    onStack[root] = 1;
    callV.push(root);
    callK.push(g.outStart[root]!);
    while (callV.length) {
      const top = callV.length - 1;
      const v = callV[top]!;
      const k = callK[top]!;
      if (k < g.outStart[v + 1]!) {
        callK[top] = k + 1;
        const w = g.to[g.outEdges[k]!]!;
        if (!mask[w]) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callK.push(g.outStart[w]!);
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      callV.pop();
      callK.pop();
      if (callV.length) {
        const u = callV[callV.length - 1]!;
        if (low[v]! < low[u]!) low[u] = low[v]!;
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = sccStack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}

interface FairComponent {
  nodes: number[];
  mask: Uint8Array;
  /** Edges inside the component to take, and states to visit, so the cycle is fair. */
  mustTake: number[];
  mustVisit: number[];
  groups: string[];
}

/** Emerson–Lei style search for a fair strongly connected set inside `mask`. */
function findFairComponent(g: StateGraph<any, any>, mask: Uint8Array): FairComponent | null {
  const nGroups = g.groupNames.length;
  const work: number[][] = components(g, mask);
  const inC = new Uint8Array(g.states);
  const enabledCount = new Int32Array(nGroups);
  const takenEdge = new Int32Array(nGroups);
  const disabledAt = new Int32Array(nGroups);
  const stamp = new Int32Array(nGroups);
  let round = 0;
  while (work.length) {
    const comp = work.pop()!;
    for (const v of comp) inC[v] = 1;
    enabledCount.fill(0);
    takenEdge.fill(-1);
    for (const v of comp) {
      round++;
      for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
        const e = g.outEdges[k]!;
        const w = g.to[e]!;
        const grp = g.group[e]!;
        if (grp < 0 || w === v) continue; // self-loops are stuttering: they neither enable nor satisfy fairness
        if (stamp[grp] !== round) {
          stamp[grp] = round;
          enabledCount[grp]!++;
        }
        if (inC[w] && takenEdge[grp] === -1) takenEdge[grp] = e;
      }
    }
    let rejected = false;
    const strongToRemove: number[] = [];
    for (let grp = 0; grp < nGroups; grp++) {
      if (enabledCount[grp] === 0 || takenEdge[grp] !== -1) continue;
      if (g.groupKinds[grp] === 1 && enabledCount[grp] === comp.length) rejected = true;
      if (g.groupKinds[grp] === 2) strongToRemove.push(grp);
    }
    if (!rejected && strongToRemove.length) {
      // Remove the states where an unsatisfiable strong group is enabled, and split the rest again.
      const bad = new Set(strongToRemove);
      const sub = new Uint8Array(g.states);
      const rest: number[] = [];
      for (const v of comp) {
        let enabledBad = false;
        for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
          const e = g.outEdges[k]!;
          if (g.to[e] !== v && bad.has(g.group[e]!)) {
            enabledBad = true;
            break;
          }
        }
        if (!enabledBad) ((sub[v] = 1), rest.push(v));
      }
      for (const v of comp) inC[v] = 0;
      if (rest.length) work.push(...components(g, sub, rest));
      continue;
    }
    if (rejected) {
      for (const v of comp) inC[v] = 0;
      continue;
    }
    // Fair. Collect what the cycle must include.
    const mustTake: number[] = [];
    const mustVisit: number[] = [];
    const groups: string[] = [];
    disabledAt.fill(-1);
    for (let grp = 0; grp < nGroups; grp++) {
      if (enabledCount[grp] === 0) continue;
      groups.push(`${g.groupKinds[grp] === 2 ? 'SF' : 'WF'}(${g.groupNames[grp]})`);
      if (g.groupKinds[grp] === 1 && enabledCount[grp]! < comp.length) {
        // Visit a state where the weak group is disabled.
        for (const v of comp) {
          let en = false;
          for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
            const e = g.outEdges[k]!;
            if (g.group[e] === grp && g.to[e] !== v) {
              en = true;
              break;
            }
          }
          if (!en) {
            mustVisit.push(v);
            break;
          }
        }
      } else {
        mustTake.push(takenEdge[grp]!);
      }
    }
    const m = new Uint8Array(g.states);
    for (const v of comp) m[v] = 1;
    return { nodes: comp, mask: m, mustTake, mustVisit, groups };
  }
  return null;
}

/** Shortest path inside `mask` from `from` to any state with target[v] (edges returned in order). */
function bfsPath(g: StateGraph<any, any>, mask: Uint8Array, from: number, isTarget: (v: number) => boolean): number[] | null {
  if (isTarget(from)) return [];
  const prevEdge = new Map<number, number>();
  const queue = [from];
  prevEdge.set(from, -1);
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const e = g.outEdges[k]!;
      const w = g.to[e]!;
      if (!mask[w] || prevEdge.has(w)) continue;
      prevEdge.set(w, e);
      if (isTarget(w)) {
        const path: number[] = [];
        let x = w;
        while (x !== from) {
          const pe = prevEdge.get(x)!;
          path.push(pe);
          x = g.from[pe]!;
        }
        return path.reverse();
      }
      queue.push(w);
    }
  }
  return null;
}

function lasso(g: StateGraph<any, any>, entry: Uint8Array, trap: Uint8Array, c: FairComponent): LivenessVerdict {
  const n = g.states;
  // Distances to the component through trap states (backward BFS over reversed edges).
  const { start: inStart, order: inEdges } = groupEdges(g.to, g.edges, n);
  const distT = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (const v of c.nodes) ((distT[v] = 0), queue.push(v));
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h]!;
    for (let k = inStart[v]!; k < inStart[v + 1]!; k++) {
      const u = g.from[inEdges[k]!]!;
      if (trap[u] && distT[u] === -1) ((distT[u] = distT[v]! + 1), queue.push(u));
    }
  }
  // Distances from the initial states (forward BFS over all edges), with parent edges.
  const distI = new Int32Array(n).fill(-1);
  const parentI = new Int32Array(n).fill(-1);
  const q2: number[] = [];
  for (const v of g.initial) if (distI[v] === -1) ((distI[v] = 0), q2.push(v));
  for (let h = 0; h < q2.length; h++) {
    const v = q2[h]!;
    for (let k = g.outStart[v]!; k < g.outStart[v + 1]!; k++) {
      const e = g.outEdges[k]!;
      const w = g.to[e]!;
      if (distI[w] === -1) ((distI[w] = distI[v]! + 1), (parentI[w] = e), q2.push(w));
    }
  }
  // The entry state on the shortest stem.
  let best = -1;
  let bestLen = Infinity;
  for (let v = 0; v < n; v++) {
    if (!entry[v] || distT[v]! < 0 || distI[v]! < 0) continue;
    const len = distI[v]! + distT[v]!;
    if (len < bestLen) ((bestLen = len), (best = v));
  }
  const edges: number[] = [];
  for (let x = best; parentI[x] !== -1; x = g.from[parentI[x]!]!) edges.push(parentI[x]!);
  edges.reverse();
  const trapMask = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (trap[v] && distT[v]! >= 0) trapMask[v] = 1;
  const toComp = bfsPath(g, trapMask, best, (v) => c.mask[v] === 1)!;
  edges.push(...toComp);
  const start = toComp.length ? g.to[toComp[toComp.length - 1]!]! : best;
  const loop = edges.length;
  // The cycle: through every required state and edge, back to the start.
  let cur = start;
  const goTo = (target: (v: number) => boolean) => {
    const p = bfsPath(g, c.mask, cur, target)!;
    edges.push(...p);
    if (p.length) cur = g.to[p[p.length - 1]!]!;
  };
  for (const v of c.mustVisit) goTo((x) => x === v);
  for (const e of c.mustTake) {
    const u = g.from[e]!;
    goTo((x) => x === u);
    edges.push(e);
    cur = g.to[e]!;
  }
  goTo((x) => x === start);
  const ids = [edges.length ? g.from[edges[0]!]! : best];
  for (const e of edges) ids.push(g.to[e]!);
  return { holds: false, ids, edges, loop, groups: c.groups };
}

// ---------------------------------------------------------------------------------------------------------------

/** The selected temporal properties of a run, their predicates, and the graph the exploration fills. */
export class LivenessRun<S = any, C = any> {
  readonly graph: StateGraph<S, C>;
  readonly instances: PropertyInstance<S, C>[];

  constructor(spec: Spec<S, C>, actions: readonly SpecAction<S, C>[], constants: C, names: readonly string[], keepStates = false) {
    const selected = names.map((name) => {
      const p = spec.properties.find((x) => x.name === name);
      if (!p) {
        const known = spec.properties.map((x) => x.name);
        throw new InterleaveError('UNKNOWN_PROPERTY', `spec '${spec.name}' has no temporal property '${name}' (known: ${known.length ? known.join(', ') : 'none'})`, {
          spec: spec.name,
          known,
        });
      }
      return p;
    });
    const predicates: ((s: S, c: C) => boolean)[] = [];
    this.instances = expandProperties(selected, constants, predicates);
    const guarded = predicates.map((f, k) => {
      const inst = this.instances.find((i) => i.p === k || i.q === k)!;
      return (s: S, c: C) => {
        try {
          return f(s, c);
        } catch (e) {
          throw new InterleaveError('SPEC_INVARIANT_THREW', `property '${inst.property}'${inst.binding ? ` (${inst.binding})` : ''}: a predicate threw ${describeThrown(e)}`, {
            spec: spec.name,
            predicate: inst.property,
          }, { cause: e });
        }
      };
    });
    this.graph = new StateGraph(actions, constants, guarded, keepStates);
  }

  /** After a complete exploration: the first violated instance (in declaration order), and vacuous ones. */
  run(): { violated: { instance: PropertyInstance<S, C>; verdict: Extract<LivenessVerdict, { holds: false }> } | null; vacuous: string[] } {
    this.graph.finish();
    const vacuous: string[] = [];
    for (const instance of this.instances) {
      const verdict = checkInstance(this.graph, instance);
      if (!verdict.holds) return { violated: { instance, verdict }, vacuous };
      if (verdict.vacuous) vacuous.push(`'${instance.property}'${instance.binding ? ` (${instance.binding})` : ''}`);
    }
    return { violated: null, vacuous };
  }
}

/** One line saying what a lasso shows. */
export function describeLasso(instance: PropertyInstance, loop: number, length: number, groups: readonly string[]): string {
  const what =
    instance.kind === 'eventually'
      ? 'the predicate never holds'
      : instance.kind === 'leadsTo'
        ? 'the premise holds and the conclusion then never does'
        : 'from some point on the predicate never holds again';
  const fair = groups.length ? `fair to ${groups.join(', ')}` : 'no fair action is enabled';
  const cycle = loop === length ? `stutters forever at step ${loop}` : `repeats steps ${loop}–${length} forever`;
  return `property '${instance.property}'${instance.binding ? ` (${instance.binding})` : ''} is violated: ${what}; the behaviour ${cycle} (${fair})`;
}
