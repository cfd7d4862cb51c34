/**
 * State-graph export: explore a spec's whole state space (up to a size limit) into a graphology
 * `MultiDirectedGraph`, and serialize it as DOT (Graphviz), GEXF (Gephi) or graphology's JSON.
 *
 * Nodes are keyed by the checker's state id (`"0"` is the first initial state) with attributes `state` (plain
 * JSON), `label` (one compact line), `initial`, `violating` (names of the invariants that fail there) and
 * `deadlock`. Edges carry `action`, `params` and `label` (`deliver(from: 1)`); several actions between the
 * same two states give several edges, and steps that leave the state unchanged give self-loops.
 */
import { MultiDirectedGraph } from 'graphology';
import { check, formatStep, SpecRuntime, StateGraph, type CheckOptions, type CheckResult } from '../checker/index.ts';
import type { Spec } from '../model/index.ts';
import { formatValue } from '../report/text.ts';
import { toJson } from '../trace/format.ts';

export interface NodeAttributes {
  state: unknown;
  label: string;
  initial: boolean;
  violating: string[];
  deadlock: boolean;
}

export interface EdgeAttributes {
  action: string;
  params: unknown;
  label: string;
}

export type StateGraphExport = MultiDirectedGraph<NodeAttributes, EdgeAttributes, { spec: string; constants: Record<string, unknown> }>;

export interface ExploreGraphOptions {
  constants?: Record<string, unknown>;
  /** The largest graph built, in states (default 10,000). A larger state space gives `complete: false`. */
  maxStates?: number;
  /** Reduce by the spec's symmetry (nodes are then representatives). Default false. */
  symmetry?: boolean;
}

export interface ExploredGraph {
  /** False when the state space has more than `maxStates` states (or the run failed): `graph` is then partial. */
  complete: boolean;
  graph: StateGraphExport;
  /** The exploration's result (invariants are not checked while exploring; `violating` flags show them). */
  result: CheckResult;
}

export const DEFAULT_GRAPH_MAX_STATES = 10_000;

/** Explores the reachable states and returns them as a graphology graph. */
export async function exploreGraph<S, C>(spec: Spec<S, C>, options: ExploreGraphOptions = {}): Promise<ExploredGraph> {
  const maxStates = options.maxStates ?? DEFAULT_GRAPH_MAX_STATES;
  const rt = new SpecRuntime(spec, { constants: options.constants });
  const g = new StateGraph<S, C>(spec.actions, rt.constants, [], true);
  const checkOptions: CheckOptions = {
    constants: options.constants,
    invariants: [],
    properties: [],
    deadlock: false,
    maxStates,
    symmetry: options.symmetry ?? false,
    observer: g,
  };
  const result = (await check(spec, checkOptions)) as CheckResult;
  const graph: StateGraphExport = new MultiDirectedGraph({ allowSelfLoops: true });
  graph.replaceAttributes({ spec: spec.name, constants: toJson(rt.constants) as Record<string, unknown> });
  const initial = new Set(g.initial);
  const kept = g.kept!;
  const outDegree = new Int32Array(g.states);
  for (let e = 0; e < g.edges; e++) outDegree[g.from[e]!]!++;
  for (let id = 0; id < g.states; id++) {
    const s = kept[id];
    if (s === undefined) continue;
    const violating: string[] = [];
    for (const inv of spec.invariants) {
      let ok = false;
      try {
        ok = inv.test(s, rt.constants) === true;
      } catch {
        ok = false;
      }
      if (!ok) violating.push(inv.name);
    }
    const state = toJson(s);
    graph.addNode(String(id), { state, label: formatValue(state), initial: initial.has(id), violating, deadlock: outDegree[id] === 0 && !rt.isTerminal(s, () => []) });
  }
  for (let e = 0; e < g.edges; e++) {
    const from = String(g.from[e]!);
    const to = String(g.to[e]!);
    if (!graph.hasNode(from) || !graph.hasNode(to)) continue;
    const action = spec.actions[g.actionOf(e)]!;
    const params = action.params === null ? null : toJson(g.params![e]);
    graph.addEdgeWithKey(String(e), from, to, { action: action.name, params, label: formatStep(action.name, params) });
  }
  return { complete: result.status === 'ok', graph, result };
}

/** Escapes a string for a double-quoted DOT identifier. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Graphviz DOT: initial states doubly outlined, violating states red, deadlocks dashed. */
export function toDot(graph: StateGraphExport): string {
  const lines: string[] = [];
  lines.push(`digraph ${dotString(graph.getAttribute('spec') ?? 'spec')} {`);
  lines.push('  node [shape=box, fontname="monospace", fontsize=10];');
  lines.push('  edge [fontname="monospace", fontsize=9];');
  graph.forEachNode((key, a) => {
    const attrs = [`label=${dotString(a.label)}`];
    if (a.initial) attrs.push('peripheries=2');
    if (a.violating.length) attrs.push('color=red', 'fontcolor=red', `tooltip=${dotString(`violates ${a.violating.join(', ')}`)}`);
    if (a.deadlock) attrs.push('style=dashed');
    lines.push(`  ${dotString(key)} [${attrs.join(', ')}];`);
  });
  graph.forEachEdge((_key, a, source, target) => {
    lines.push(`  ${dotString(source)} -> ${dotString(target)} [label=${dotString(a.label)}];`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Escapes text for XML content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** GEXF 1.3 (Gephi): node attributes state/initial/violating/deadlock, edge attributes action/params. */
export function toGexf(graph: StateGraphExport): string {
  const x = xmlEscape;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push('<gexf xmlns="http://gexf.net/1.3" version="1.3">');
  out.push(`  <meta><creator>interleave</creator><description>${x(`state graph of ${graph.getAttribute('spec')} ${JSON.stringify(graph.getAttribute('constants') ?? {})}`)}</description></meta>`);
  out.push('  <graph defaultedgetype="directed" mode="static">');
  out.push('    <attributes class="node">');
  out.push('      <attribute id="state" title="state" type="string"/>');
  out.push('      <attribute id="initial" title="initial" type="boolean"/>');
  out.push('      <attribute id="violating" title="violating" type="string"/>');
  out.push('      <attribute id="deadlock" title="deadlock" type="boolean"/>');
  out.push('    </attributes>');
  out.push('    <attributes class="edge">');
  out.push('      <attribute id="action" title="action" type="string"/>');
  out.push('      <attribute id="params" title="params" type="string"/>');
  out.push('    </attributes>');
  out.push('    <nodes>');
  graph.forEachNode((key, a) => {
    out.push(
      `      <node id="${x(key)}" label="${x(a.label)}"><attvalues>` +
        `<attvalue for="state" value="${x(JSON.stringify(a.state))}"/>` +
        `<attvalue for="initial" value="${a.initial}"/>` +
        `<attvalue for="violating" value="${x(a.violating.join(','))}"/>` +
        `<attvalue for="deadlock" value="${a.deadlock}"/>` +
        '</attvalues></node>',
    );
  });
  out.push('    </nodes>');
  out.push('    <edges>');
  graph.forEachEdge((key, a, source, target) => {
    out.push(
      `      <edge id="${x(key)}" source="${x(source)}" target="${x(target)}" label="${x(a.label)}"><attvalues>` +
        `<attvalue for="action" value="${x(a.action)}"/>` +
        `<attvalue for="params" value="${x(JSON.stringify(a.params))}"/>` +
        '</attvalues></edge>',
    );
  });
  out.push('    </edges>');
  out.push('  </graph>');
  out.push('</gexf>');
  return `${out.join('\n')}\n`;
}

/** graphology's serialized form (`graph.export()`), which `Graph.from(...)` reads back. */
export function toGraphJson(graph: StateGraphExport): unknown {
  return graph.export();
}

export type GraphFormat = 'dot' | 'gexf' | 'json';

export function serializeGraph(graph: StateGraphExport, format: GraphFormat): string {
  if (format === 'dot') return toDot(graph);
  if (format === 'gexf') return toGexf(graph);
  return `${JSON.stringify(toGraphJson(graph), null, 2)}\n`;
}
