/**
 * The seam between the expansion core and where successors go (src/checker/search/expand.ts, docs/architecture.md):
 * a search over two "machines" that own the states by one bit of their fingerprint, written against
 * `SuccessorTable` alone. A successor owned by the other machine is sent (`SENT`) and inserted by its owner, which
 * checks its invariants on arrival (`Expander.invariantOf`). It finds exactly the states, and generates exactly
 * the successors, of the one-thread search: the distributed search needs nothing more from the core.
 */
import { describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { peterson } from '../../specs/bench/peterson.ts';
import { dieHard } from '../../specs/die-hard.ts';
import { Expander, KNOWN, META, ROUTED, SENT, type SuccessorTable } from '../../src/checker/search/index.ts';
import { SpecRuntime } from '../../src/checker/spec/index.ts';
import { FP, SeenSet } from '../../src/checker/state/index.ts';

interface Message {
  hi: number;
  lo: number;
  words: Int32Array;
}

class Machine implements SuccessorTable {
  readonly seen = new SeenSet(1 << 10);
  readonly queue: Int32Array[] = [];
  readonly inbox: Message[] = [];
  readonly x: Expander;
  peers: Machine[] = [];
  broken: string | null = null;
  constructor(
    readonly rt: SpecRuntime,
    readonly index: number,
  ) {
    const n = rt.actions.length;
    this.x = new Expander(rt, { enabled: new Float64Array(n), taken: new Float64Array(n) });
  }
  owner(lo: number): number {
    return lo & 1;
  }
  words(k: number): Int32Array {
    const m = k * META;
    return this.x.out.buf.slice(this.x.meta[m + 4]!, this.x.meta[m + 4]! + this.x.meta[m + 5]!);
  }
  touch(): number {
    return 0;
  }
  has(hi: number, lo: number): boolean {
    return this.seen.find(hi, lo) >= 0;
  }
  insert(hi: number, lo: number, parent: number, label: number, k: number): number {
    const owner = this.owner(lo);
    if (owner !== this.index) {
      this.peers[owner]!.inbox.push({ hi, lo, words: this.words(k) });
      return SENT;
    }
    const id = this.seen.insert(hi, lo, parent, label);
    return id >= 0 ? id : KNOWN;
  }
  keep(_id: number, _depth: number, k: number): void {
    this.queue.push(this.words(k));
  }
  /** Inserts what the other machine sent; a new state's invariants are checked here, by its owner. */
  receive(): void {
    for (const m of this.inbox.splice(0)) {
      if (this.seen.insert(m.hi, m.lo, -1, -1) < 0) continue;
      const bad = this.x.invariantOf(m.words, 0, m.words.length);
      if (bad !== null) this.broken ??= bad.name;
      else this.queue.push(m.words);
    }
  }
  /** Expands what it holds; returns whether it had anything. */
  step(): boolean {
    const w = this.queue.shift();
    if (w === undefined) return false;
    const s = this.x.load(w, 0, w.length);
    this.x.expand(s, w, 0);
    const routed = this.x.route(this, -1, 0);
    if (routed !== ROUTED) this.broken ??= this.x.broken!.name;
    return true;
  }
}

function distributed(rt: SpecRuntime): { distinct: number; generated: number; broken: string | null } {
  const machines = [new Machine(rt, 0), new Machine(rt, 1)];
  for (const m of machines) m.peers = machines;
  const inits = rt.initialStates();
  for (const s of inits) {
    const len = rt.encode(s);
    machines[FP[1]! & 1]!.inbox.push({ hi: FP[0]!, lo: FP[1]!, words: rt.scratch.buf.slice(0, len) });
  }
  for (let busy = true; busy; ) {
    busy = false;
    for (const m of machines) m.receive();
    for (const m of machines) while (m.step()) busy = true;
    busy ||= machines.some((m) => m.inbox.length > 0);
  }
  return {
    distinct: machines.reduce((n, m) => n + m.seen.size, 0),
    generated: inits.length + machines.reduce((n, m) => n + m.x.generated, 0),
    broken: machines.map((m) => m.broken).find((b) => b !== null) ?? null,
  };
}

describe('the SuccessorTable seam', () => {
  it('two owners partitioned by fingerprint find the states and successors of one thread (Peterson n=3)', async () => {
    const one = await check(peterson, { constants: { n: 3 }, properties: [] });
    const two = distributed(new SpecRuntime(peterson, { constants: { n: 3 } }));
    expect([one.stats.distinct, one.stats.generated]).toEqual([288, 652]);
    expect(two).toEqual({ distinct: 288, generated: 652, broken: null });
  });
  it('an invariant broken in a state owned by the other machine is found by its owner (die hard)', async () => {
    const one = await check(dieHard, {});
    expect(one.status).toBe('violation');
    const two = distributed(new SpecRuntime(dieHard));
    expect(two.broken).toBe(one.status === 'violation' ? one.violation.property : null);
  });
});
