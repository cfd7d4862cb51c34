/**
 * The message sequence chart of a trace: processes (lifelines) and messages (arrows from the step that sent
 * them to the step that delivered them). Computed once, in TypeScript, before the page is written. Pure.
 *
 * Sources, best first:
 * 1. the spec's `view.messages(state)` hook: a message is identified by (id, sender, receiver) and the step that
 *    sent it: one that appears at step k and is gone at step j is an arrow k → j (dropped when step j's action is
 *    named like /drop|lose/i); still there at the end: undelivered. A multicast of one id to two receivers is
 *    two arrows;
 * 2. a heuristic over the states: any array of records that carry sender/receiver fields (`from`/`to`,
 *    `src`/`dst`, `sender`/`receiver`, `source`/`target`), or any array of records under a name like `net`,
 *    `msgs`, `channels`, `inbox`, `queue`, is a message container; the multiset difference between
 *    consecutive steps gives sends (new elements) and deliveries (elements gone). Where a message carries no
 *    sender or receiver, the process of the step's action (`SpecAction.process`) stands in.
 */
import type { ViewMessage } from '../model/index.ts';
import { compareValues, tagOf } from '../trace/index.ts';
import type { TraceFile } from '../trace/index.ts';

export interface ChartMessage {
  /** Stable id within the chart. */
  id: string;
  from: string;
  to: string;
  label: string;
  /** The step that sent it (0: already in flight in the initial state). */
  sent: number;
  /** The step that delivered or dropped it; null while in flight at the end. */
  ended: number | null;
  status: 'delivered' | 'dropped' | 'undelivered';
  /** Where it was found: the hook, or the state path of its container (`net`, `net.channels[1]`). */
  channel: string;
}

export interface SequenceChart {
  /** The lifelines, left to right. */
  processes: string[];
  messages: ChartMessage[];
  /** The process that took each step (null where unknown, and for the initial state). */
  actors: (string | null)[];
  source: 'hooks' | 'heuristic' | 'none';
}

export interface SequenceChartOptions {
  /** The spec's process names (`view.processes(constants)`). */
  processes?: readonly string[];
  /** The spec's `view.messages` hook applied to a trace state (the state as the trace holds it). */
  messages?: (state: Record<string, unknown>, step: number) => readonly ViewMessage[];
  /** The process of each step's action (`SpecAction.process`), index-aligned with the steps. */
  actors?: readonly (string | null)[];
}

const DROP = /drop|lose|loss/i;
const ENDPOINTS: readonly (readonly [string, string])[] = [
  ['from', 'to'],
  ['src', 'dst'],
  ['sender', 'receiver'],
  ['source', 'target'],
  ['src', 'dest'],
];
const CONTAINER_NAME = /(^|[.\]_])(net|network|msgs?|messages?|mail|chan|channels?|inbox|outbox|inflight|inFlight|queue|wire|bag|pending)/i;

/** Computes the chart of a trace (see the file comment for where messages come from). */
export function sequenceChart(trace: Pick<TraceFile, 'steps'>, options: SequenceChartOptions = {}): SequenceChart {
  const actors = trace.steps.map((_, i) => (i === 0 ? null : (options.actors?.[i] ?? null)));
  const names = new Names(options.processes ?? []);
  let messages: ChartMessage[];
  let source: SequenceChart['source'];
  if (options.messages) {
    messages = fromHooks(trace, options.messages, actors, names);
    source = 'hooks';
  } else {
    messages = fromHeuristic(trace, actors, names);
    source = messages.length > 0 ? 'heuristic' : 'none';
  }
  for (const a of actors) if (a !== null) names.add(a);
  return { processes: names.list, messages, actors, source };
}

/** Process names: given ones first, then any new name in order of appearance; numbers resolve to names. */
class Names {
  readonly list: string[];
  private readonly given: number;
  constructor(given: readonly string[]) {
    this.list = [...new Set(given)];
    this.given = this.list.length;
  }
  add(name: string): string {
    if (!this.list.includes(name)) this.list.push(name);
    return name;
  }
  /** A sender/receiver value as a process name: `1` → `node1` when the spec names processes that way. */
  resolve(v: unknown): string {
    const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : shortLabel(v);
    if (this.list.includes(text)) return text;
    if (typeof v === 'number' && this.given > 0) {
      const suffix = this.list.slice(0, this.given).filter((p) => new RegExp(`(^|\\D)${v}$`).test(p));
      if (suffix.length === 1) return suffix[0]!;
      if (Number.isInteger(v) && v >= 0 && v < this.given) return this.list[v]!;
    }
    return this.add(text);
  }
}

/**
 * Messages from the `view.messages` hook. A message is identified by its id, sender and receiver (a multicast
 * sends one header with one id to several receivers: one arrow each) and by the step that sent it: it is sent at
 * the step where one more copy of that identity is present than before, and delivered (or dropped) at the step
 * where one fewer is (oldest first, so duplicates count as separate messages).
 */
function fromHooks(trace: Pick<TraceFile, 'steps'>, hook: NonNullable<SequenceChartOptions['messages']>, actors: (string | null)[], names: Names): ChartMessage[] {
  const out: ChartMessage[] = [];
  const open = new Map<string, ChartMessage[]>(); // identity → copies in flight, oldest first
  trace.steps.forEach((step, i) => {
    const present = new Map<string, { m: ViewMessage; from: string; to: string; n: number }>();
    for (const m of hook(step.state, i)) {
      const from = names.resolve(m.from);
      const to = names.resolve(m.to);
      const key = JSON.stringify([m.id, from, to]);
      const entry = present.get(key);
      if (entry) entry.n++;
      else present.set(key, { m, from, to, n: 1 });
    }
    for (const [key, list] of open) {
      const now = present.get(key)?.n ?? 0;
      while (list.length > now) {
        const msg = list.shift()!;
        msg.ended = i;
        msg.status = DROP.test(step.action) ? 'dropped' : 'delivered';
      }
      if (list.length === 0) open.delete(key);
    }
    for (const [key, { m, from, to, n }] of present) {
      const list = open.get(key) ?? [];
      for (let copy = 0; list.length < n; copy++) {
        const msg: ChartMessage = { id: `${m.id}:${from}→${to}@${i}${copy ? `#${copy}` : ''}`, from, to, label: m.label, sent: i, ended: null, status: 'undelivered', channel: 'view' };
        list.push(msg);
        out.push(msg);
      }
      open.set(key, list);
    }
  });
  void actors;
  return out;
}

interface Container {
  path: string;
  /** The container's elements at each step (undefined where the path is absent). */
  perStep: (unknown[] | undefined)[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && tagOf(v) === null;
}

function elementsOf(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (tagOf(v) === '#set') {
    const inner = (v as { '#set': unknown })['#set'];
    return Array.isArray(inner) ? inner : undefined;
  }
  return undefined;
}

function endpointsOf(e: unknown): readonly [string, string] | null {
  if (!isRecord(e)) return null;
  for (const pair of ENDPOINTS) if (pair[0] in e && pair[1] in e) return pair;
  return null;
}

/** Paths of arrays (or #set values) in a value, not descending into message-like elements. */
function collectArrays(v: unknown, path: string, out: Map<string, unknown[]>): void {
  const els = elementsOf(v);
  if (els !== undefined) {
    out.set(path, els);
    if (els.every((e) => isRecord(e))) return; // records: a container candidate; do not look inside messages
    els.forEach((e, i) => collectArrays(e, `${path}[${i}]`, out));
    return;
  }
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) collectArrays(x, path ? `${path}.${k}` : k, out);
}

function fromHeuristic(trace: Pick<TraceFile, 'steps'>, actors: (string | null)[], names: Names): ChartMessage[] {
  const n = trace.steps.length;
  const arrays = trace.steps.map((s) => {
    const m = new Map<string, unknown[]>();
    collectArrays(s.state, '', m);
    return m;
  });
  const candidates = new Set<string>();
  for (const m of arrays) for (const p of m.keys()) candidates.add(p);
  const containers: Container[] = [];
  for (const path of candidates) {
    const perStep = arrays.map((m) => m.get(path));
    const all = perStep.flatMap((x) => x ?? []);
    if (all.length === 0 || !all.every(isRecord)) continue;
    const withEndpoints = all.every((e) => endpointsOf(e) !== null);
    if (!withEndpoints && !CONTAINER_NAME.test(path)) continue;
    containers.push({ path, perStep });
  }
  const out: ChartMessage[] = [];
  let counter = 0;
  for (const c of containers) {
    const open = new Map<string, ChartMessage[]>(); // element key → messages in flight, oldest first
    const keyOf = (e: unknown) => canonicalKey(e);
    for (let i = 0; i < n; i++) {
      const cur = c.perStep[i] ?? [];
      const counts = new Map<string, { n: number; sample: unknown }>();
      for (const e of cur) {
        const k = keyOf(e);
        const entry = counts.get(k);
        if (entry) entry.n++;
        else counts.set(k, { n: 1, sample: e });
      }
      const action = trace.steps[i]!.action;
      // Ended: more in flight than now present.
      for (const [k, list] of open) {
        const now = counts.get(k)?.n ?? 0;
        while (list.length > now) {
          const msg = list.shift()!;
          msg.ended = i;
          msg.status = DROP.test(action) ? 'dropped' : 'delivered';
          if (msg.to === '?') msg.to = actors[i] !== null && actors[i] !== undefined ? names.resolve(actors[i]) : msg.to;
        }
        if (list.length === 0) open.delete(k);
      }
      // Sent: more present than in flight.
      for (const [k, { n: now, sample }] of counts) {
        const list = open.get(k) ?? [];
        while (list.length < now) {
          const ends = endpointsOf(sample);
          const rec = sample as Record<string, unknown>;
          const from = ends ? names.resolve(rec[ends[0]]) : actors[i] ? names.resolve(actors[i]) : '?';
          const to = ends ? names.resolve(rec[ends[1]]) : '?';
          list.push({ id: `m${counter++}`, from, to, label: labelOf(sample, ends), sent: i, ended: null, status: 'undelivered', channel: c.path });
          out.push(list[list.length - 1]!);
        }
        open.set(k, list);
      }
    }
  }
  out.sort((a, b) => a.sent - b.sent || (a.ended ?? Infinity) - (b.ended ?? Infinity));
  return out;
}

/** A canonical text key for an element (object keys sorted), for multiset counting. */
export function canonicalKey(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  const keys = Object.keys(v).sort((a, b) => compareValues(a, b));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

function labelOf(e: unknown, ends: readonly [string, string] | null): string {
  if (!isRecord(e)) return shortLabel(e);
  const rest = Object.entries(e).filter(([k]) => !ends || (k !== ends[0] && k !== ends[1]));
  const typeKey = rest.find(([k]) => k === 'type' || k === 'kind' || k === 'tag');
  const others = rest.filter((r) => r !== typeKey);
  const inner = others.map(([k, v]) => `${k}: ${shortLabel(v)}`).join(', ');
  const text = typeKey ? `${shortLabel(typeKey[1]).replace(/^"|"$/g, '')}${inner ? `(${inner})` : ''}` : inner;
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function shortLabel(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
