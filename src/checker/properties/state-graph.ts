import type { SpecAction } from '../../model/index.ts';

/**
 * Receives what the exploration loop discovers: each distinct state once (with its seen-set id) and every
 * transition (duplicates included). The engine calls it only when someone asked for the graph (liveness
 * checking, graph export), so plain safety runs pay nothing.
 */
export interface ExplorationObserver<S> {
  state(id: number, state: S, initial: boolean): void;
  edge(from: number, to: number, action: number, paramIndex: number, param: unknown): void;
}

function grow(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Groups edges by a node key (their source or their target): edge indices `order[start[v] .. start[v+1])` are
 * those whose `key[e]` is v (compressed sparse rows).
 */
export function groupEdges(
  key: Int32Array,
  edges: number,
  nodes: number,
): { start: Int32Array<ArrayBuffer>; order: Int32Array<ArrayBuffer> } {
  const start = new Int32Array(nodes + 1);
  for (let e = 0; e < edges; e++) start[key[e]! + 1]!++;
  for (let v = 0; v < nodes; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nodes);
  const order = new Int32Array(edges);
  for (let e = 0; e < edges; e++) order[fill[key[e]!]!++] = e;
  return { start, order };
}

/**
 * The explored state graph in compact form: edges as parallel Int32Arrays (from, to, label, fairness group),
 * and per state one bit per recorded predicate. `finish()` builds the out-adjacency (CSR) used by the liveness
 * analysis. Fairness groups: an action with `fairness` weak/strong belongs to the group named by its
 * `process` (a string or a function of the parameter), or, without a process, to a group of its own.
 */
export class StateGraph<S = unknown, C = unknown> implements ExplorationObserver<S> {
  from: Int32Array = new Int32Array(1024);
  to: Int32Array = new Int32Array(1024);
  label: Int32Array = new Int32Array(1024);
  group: Int32Array = new Int32Array(1024);
  edges = 0;
  states = 0;
  readonly initial: number[] = [];
  /** Group names (`p0`, `system`, `action:fillBig`) and kinds (1 weak, 2 strong). */
  readonly groupNames: string[] = [];
  readonly groupKinds: number[] = [];
  private readonly groupIds = new Map<string, number>();
  /** bits[k][id] = predicate k holds in state id. */
  readonly bits: Uint8Array[];
  /** The states themselves, when kept (graph export). */
  readonly kept: S[] | null;
  /** Per edge: the parameter, when kept (graph export). */
  readonly params: unknown[] | null;

  // CSR, after finish(): out-edges of v are edge indices outEdges[outStart[v] .. outStart[v+1]).
  outStart = new Int32Array(0);
  outEdges = new Int32Array(0);
  /** Asked before the edge arrays grow (memory-budget.ts: MemoryBudget.admit); throws CapacityError to refuse it. */
  admit: ((bytes: number, what: string) => void) | null = null;

  constructor(
    readonly actions: readonly SpecAction<S, C>[],
    readonly constants: C,
    readonly predicates: readonly ((s: S, c: C) => boolean)[] = [],
    keep = false,
  ) {
    this.bits = predicates.map(() => new Uint8Array(1024));
    this.kept = keep ? [] : null;
    this.params = keep ? [] : null;
  }

  state(id: number, s: S, initial: boolean): void {
    if (initial) this.initial.push(id);
    if (id >= this.states) this.states = id + 1;
    for (let k = 0; k < this.predicates.length; k++) {
      let b = this.bits[k]!;
      if (id >= b.length) {
        const nb = new Uint8Array(Math.max(id + 1, b.length * 2));
        nb.set(b);
        this.bits[k] = b = nb;
      }
      b[id] = this.predicates[k]!(s, this.constants) === true ? 1 : 0;
    }
    if (this.kept) this.kept[id] = s;
  }

  edge(from: number, to: number, action: number, paramIndex: number, param: unknown): void {
    const e = this.edges++;
    if (e >= this.from.length) {
      this.admit?.(4 * 4 * Math.max(e + 1, this.from.length * 2), 'the state graph (for liveness)');
      this.from = grow(this.from, e + 1);
      this.to = grow(this.to, e + 1);
      this.label = grow(this.label, e + 1);
      this.group = grow(this.group, e + 1);
    }
    this.from[e] = from;
    this.to[e] = to;
    this.label[e] = action + this.actions.length * paramIndex;
    this.group[e] = this.groupOf(action, param);
    if (this.params) this.params[e] = param;
  }

  private groupOf(a: number, param: unknown): number {
    const action = this.actions[a]!;
    if (action.fairness === 'none') return -1;
    const proc = action.process;
    const name = proc === null ? `action:${action.name}` : typeof proc === 'string' ? proc : proc(param, this.constants);
    const key = `${action.fairness}:${name}`;
    let g = this.groupIds.get(key);
    if (g === undefined) {
      g = this.groupNames.length;
      this.groupIds.set(key, g);
      this.groupNames.push(name);
      this.groupKinds.push(action.fairness === 'strong' ? 2 : 1);
    }
    return g;
  }

  /** The action index of edge e. */
  actionOf(e: number): number {
    return this.label[e]! % this.actions.length;
  }

  /** Builds the out-adjacency (edge indices grouped by source state). */
  finish(): void {
    const { start, order } = groupEdges(this.from, this.edges, this.states);
    this.outStart = start;
    this.outEdges = order;
  }
}
