import { InterleaveError, describeThrown } from '../../errors.ts';
import type { SpecPredicate } from '../../model/index.ts';

/**
 * Reachability properties (a spec's `reachable`: Stateright's `sometimes`, Quint's witnesses; docs/reachability.md).
 * The expansion core (search/expand.ts) tests the predicates not reached yet on every new state, where it checks
 * the invariants; the first state found for each is its hit. Breadth-first, the first hit is at the least depth.
 */

/** The first state found where a reachable predicate holds. */
export interface ReachHit {
  /** Index of the predicate in the tracker's list. */
  index: number;
  /** The state's id in the table that keeps it (one thread: the seen-set id; workers: the level entry). */
  id: number;
  /** The state it was reached from (one thread: its id; workers: its rank), and the step label; -1 for an initial state. */
  parent: number;
  label: number;
  /** Actions from an initial state. */
  depth: number;
}

export class ReachTracker<S = any, C = any> {
  /** Indices of the predicates not reached yet, in declaration order. */
  open: number[];
  /** Hits not yet taken by the driver, in the order found. */
  hits: ReachHit[] = [];

  constructor(
    readonly predicates: readonly SpecPredicate<S, C>[],
    readonly constants: C,
    readonly specName: string,
  ) {
    this.open = predicates.map((_, i) => i);
  }

  /** Tests the open predicates on a new state; each that holds is a hit and is closed. */
  test(state: S, id: number, parent: number, label: number, depth: number): void {
    const open = this.open;
    for (let j = 0; j < open.length; ) {
      const i = open[j]!;
      const p = this.predicates[i]!;
      let holds: boolean;
      try {
        holds = p.test(state, this.constants) === true;
      } catch (e) {
        throw new InterleaveError('SPEC_INVARIANT_THREW', `spec '${this.specName}': reachable '${p.name}' threw ${describeThrown(e)}`, { spec: this.specName, predicate: p.name }, { cause: e });
      }
      if (holds) {
        this.hits.push({ index: i, id, parent, label, depth });
        open.splice(j, 1);
      } else j++;
    }
  }

  /** Closes predicates reached elsewhere (by another worker, in an earlier level). */
  close(indices: readonly number[]): void {
    if (indices.length) this.open = this.open.filter((i) => !indices.includes(i));
  }

  /** The hits found since the last call. */
  take(): ReachHit[] {
    const h = this.hits;
    this.hits = [];
    return h;
  }
}

/** The earlier of two hits of one predicate in breadth-first order: the lesser depth, then the lesser parent rank. */
export function earlierHit(a: ReachHit | undefined, b: ReachHit): boolean {
  return a === undefined || b.depth < a.depth || (b.depth === a.depth && b.parent < a.parent);
}
