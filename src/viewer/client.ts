/**
 * The viewer's browser code, as text (no build step, no modules, no network). `VIEWER_CORE_JS` defines
 * `interleaveView.create(options)`: a view over the page's fixed elements (steps, state tree, views, explanation,
 * chart) that `load(trace, chart, step, extra)` fills; it builds everything with DOM calls and `textContent`
 * (never innerHTML), so no string in a trace can become markup. The static viewer (`VIEWER_JS`, inlined in the
 * page) loads the trace and chart from `<script type="application/json">` elements once; the explorer
 * (src/explorer/) serves the same core and loads each path the server computes.
 *
 * Written as plain ES2019 in a string: no backticks and no template placeholders inside, but for the source of
 * `valueKey` and `alignSequences` (src/trace/diff.ts), inlined so that the page diffs arrays as the terminal does.
 */
import { alignSequences, SEQUENCE_DIFF_LIMIT, valueKey } from '../trace/diff.ts';

export const VIEWER_CSS = `
:root { --bg:#fff; --fg:#1d1f21; --dim:#6a737d; --line:#e1e4e8; --cur:#fff5c2; --chg:#fff1b8; --chg-b:#d4a017; --add:#dcffe4; --add-b:#22863a; --rem:#ffe3e3; --rem-b:#cb2431; --act:#0366d6; --loop:#8a3ffc; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; background: var(--bg); color: var(--fg); font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
header { padding: 8px 12px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; }
header h1 { font-size: 15px; margin: 0; }
header .violation { color: var(--rem-b); font-weight: bold; }
header .meta { color: var(--dim); }
main { display: grid; grid-template-columns: minmax(220px, 300px) minmax(300px, 1fr) minmax(260px, 42%); height: calc(100% - 42px); }
main > section { overflow: auto; border-right: 1px solid var(--line); min-height: 0; }
#steps { list-style: none; margin: 0; padding: 0; }
#steps li { padding: 2px 8px; cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-left: 3px solid transparent; }
#steps li:hover { background: #f6f8fa; }
#steps li.current { background: var(--cur); border-left-color: var(--chg-b); }
#steps li .idx { color: var(--dim); display: inline-block; min-width: 3.5em; }
#steps li .act { color: var(--act); font-weight: bold; }
#steps li .params { color: var(--fg); }
#steps li .actor { color: var(--dim); margin-left: 6px; }
#steps li.in-loop { border-left-color: var(--loop); }
#steps li.loop-start::after { content: " \\27F2 loop starts"; color: var(--loop); font-weight: bold; }
#state-head { position: sticky; top: 0; background: var(--bg); padding: 6px 10px; border-bottom: 1px solid var(--line); z-index: 1; }
#state-head .title { font-weight: bold; }
#state-head .changes { color: var(--dim); }
#state-head .changes.failing { color: var(--rem-b); font-weight: 600; }
#filter { width: 100%; margin-top: 4px; font: inherit; padding: 2px 4px; }
#tree { padding: 6px 10px 40px; }
.node, .leaf { margin-left: 14px; }
#tree > .node, #tree > .leaf { margin-left: 0; }
.leaf { padding: 0 2px; white-space: pre-wrap; word-break: break-all; }
summary { cursor: pointer; white-space: nowrap; }
.k { color: #6f42c1; }
.summary-type { color: var(--dim); }
.changed > summary, .leaf.changed { background: var(--chg); box-shadow: inset 2px 0 var(--chg-b); }
.added > summary, .leaf.added { background: var(--add); box-shadow: inset 2px 0 var(--add-b); }
.removed > summary, .leaf.removed { background: var(--rem); box-shadow: inset 2px 0 var(--rem-b); text-decoration: line-through; }
.was { color: var(--dim); margin-left: 8px; }
.hidden { display: none !important; }
#chart-wrap { position: relative; }
#chart-head { position: sticky; top: 0; background: var(--bg); padding: 6px 10px; border-bottom: 1px solid var(--line); z-index: 1; }
#chart-head .none { color: var(--dim); }
svg text { font: 11px ui-monospace, monospace; fill: var(--fg); }
svg .proc { font-weight: bold; }
svg .lifeline { stroke: #c8ccd1; stroke-dasharray: 3 3; }
svg .rowlabel { fill: var(--dim); }
svg .cur-row { fill: var(--cur); }
svg .actor-dot { fill: var(--act); }
svg .msg { stroke: #444; stroke-width: 1.3; fill: none; }
svg .msg.undelivered { stroke-dasharray: 5 3; stroke: #888; }
svg .msg.dropped { stroke: var(--rem-b); }
svg .msg.active { stroke: var(--chg-b); stroke-width: 2.6; }
svg .drop-mark { fill: var(--rem-b); font-weight: bold; }
svg .pending-mark { fill: #888; }
svg .msg-label { fill: var(--dim); font-size: 10px; }
svg .loop { stroke: var(--loop); fill: none; stroke-width: 2; }
svg .loop-label { fill: var(--loop); font-weight: bold; }
#steps li.fails .idx::after { content: " \\2717"; color: var(--rem-b); font-weight: bold; }
#steps li .why { color: var(--rem-b); margin-left: 6px; }
#steps li.explains { box-shadow: inset -3px 0 var(--rem-b); }
.explained > summary, .leaf.explained { outline: 2px solid var(--rem-b); outline-offset: -1px; }
#explain { padding: 6px 10px; border-bottom: 1px solid var(--line); background: #fff8f8; }
#explain .why-head { font-weight: bold; color: var(--rem-b); }
#explain .why-note { color: var(--fg); }
#explain .meta { color: var(--dim); }
#explain ul { margin: 2px 0 0; padding-left: 18px; }
#explain a { color: var(--act); cursor: pointer; text-decoration: underline; }
#views { padding: 4px 10px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
#views .view-head { color: var(--dim); }
#views .view.changed { background: var(--chg); }
.help { color: var(--dim); }
@media (max-width: 900px) { main { grid-template-columns: 1fr; height: auto; } main > section { max-height: 60vh; } }
`;

export const VIEWER_CORE_JS = String.raw`
var interleaveView = (function () {
  'use strict';
  var TAGS = ['#set', '#map', '#tup', '#bigint', '#unserializable'];
  var SVGNS = 'http://www.w3.org/2000/svg';

  function byId(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function tagOf(v) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    var ks = Object.keys(v);
    return ks.length === 1 && TAGS.indexOf(ks[0]) >= 0 ? ks[0] : null;
  }
  function isIdent(k) { return /^[A-Za-z_$][\w$]*$/.test(k); }
  function fmt(v) {
    if (v === null || v === undefined) return String(v);
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v !== 'object') return String(v);
    if (Array.isArray(v)) return '[' + v.map(fmt).join(', ') + ']';
    var t = tagOf(v);
    if (t === '#set') return '{' + v[t].map(fmt).join(', ') + '}';
    if (t === '#tup') return '(' + v[t].map(fmt).join(', ') + ')';
    if (t === '#map') return 'Map{' + v[t].map(function (e) { return fmt(e[0]) + ' \u21A6 ' + fmt(e[1]); }).join(', ') + '}';
    if (t === '#bigint') return String(v[t]) + 'n';
    if (t === '#unserializable') return '<' + String(v[t]) + '>';
    return '{' + Object.keys(v).map(function (k) { return (isIdent(k) ? k : JSON.stringify(k)) + ': ' + fmt(v[k]); }).join(', ') + '}';
  }
  // A record key's path, written as traces write field paths (childPath): a.b, a["not-an-identifier"].
  function keyPath(path, key) {
    if (isIdent(key)) return path ? path + '.' + key : key;
    return path + '[' + JSON.stringify(key) + ']';
  }
  function short(text, max) { return text.length > max ? text.slice(0, max - 1) + '\u2026' : text; }
  // The value keys and the array alignment of src/trace/diff.ts, inlined from its source: the tree shows what the
  // terminal prints (same lengths index by index, different lengths aligned on their longest common subsequence).
  ${valueKey.toString()}
  ${alignSequences.toString()}
  var keyOf = valueKey;
  function formatAction(s) {
    if (s.params === null || s.params === undefined) return '';
    var p = s.params;
    if (typeof p === 'object' && !Array.isArray(p) && !tagOf(p)) return '(' + fmt(p).slice(1, -1) + ')';
    return '(' + fmt(p) + ')';
  }

  // Children of a container value: [label, value] pairs; null for a leaf.
  function kindOf(v) {
    if (Array.isArray(v)) return 'array';
    var t = tagOf(v);
    if (t === '#set' || t === '#tup' || t === '#map') return t;
    if (t) return null;
    if (v !== null && typeof v === 'object') return 'record';
    return null;
  }
  function typeSummary(v) {
    var k = kindOf(v);
    if (k === 'array') return '[' + v.length + ']';
    if (k === '#set') return 'set{' + v['#set'].length + '}';
    if (k === '#tup') return 'tuple(' + v['#tup'].length + ')';
    if (k === '#map') return 'map{' + v['#map'].length + '}';
    return '{' + Object.keys(v).length + '}';
  }

  // Aligns two lists by their element keys: [prevIndex|-1, curIndex|-1] pairs.
  function align(a, b) { return alignSequences(a.map(keyOf), b.map(keyOf), ${SEQUENCE_DIFF_LIMIT}); }

  // [label, prev, cur, status] rows for the children of a container (prev may be undefined: no comparison).
  function childRows(prevV, curV, status) {
    var rows = [];
    var k = kindOf(curV !== undefined ? curV : prevV);
    var compare = status === 'changed' && prevV !== undefined && kindOf(prevV) === k;
    function single(v, st) {
      var kk = kindOf(v);
      if (kk === 'record') Object.keys(v).forEach(function (key) { rows.push([key, st === 'removed' ? v[key] : undefined, st === 'removed' ? undefined : v[key], st, true]); });
      else if (kk === '#map') v['#map'].forEach(function (e) { rows.push([fmt(e[0]), st === 'removed' ? e[1] : undefined, st === 'removed' ? undefined : e[1], st]); });
      else { var list = kk === 'array' ? v : v[kk]; list.forEach(function (x, i) { rows.push(['[' + i + ']', st === 'removed' ? x : undefined, st === 'removed' ? undefined : x, st]); }); }
    }
    if (!compare) { single(curV !== undefined ? curV : prevV, status === 'changed' ? 'same' : status); return rows; }
    if (k === 'record' || k === '#map') {
      var pm = {}, cm = {}, order = [];
      function add(map, key, val) { if (!has(map, key)) { if (!has(pm, key) && !has(cm, key)) order.push(key); } map[key] = val; }
      if (k === 'record') {
        Object.keys(prevV).forEach(function (key) { add(pm, key, prevV[key]); });
        Object.keys(curV).forEach(function (key) { add(cm, key, curV[key]); });
      } else {
        prevV['#map'].forEach(function (e) { add(pm, fmt(e[0]), e[1]); });
        curV['#map'].forEach(function (e) { add(cm, fmt(e[0]), e[1]); });
      }
      var isKey = k === 'record';
      order.forEach(function (key) {
        if (!has(cm, key)) rows.push([key, pm[key], undefined, 'removed', isKey]);
        else if (!has(pm, key)) rows.push([key, undefined, cm[key], 'added', isKey]);
        else rows.push([key, pm[key], cm[key], keyOf(pm[key]) === keyOf(cm[key]) ? 'same' : 'changed', isKey]);
      });
      return rows;
    }
    var a = k === 'array' ? prevV : prevV[k], b = k === 'array' ? curV : curV[k];
    align(a, b).forEach(function (p) {
      if (p[0] >= 0 && p[1] >= 0) rows.push(['[' + p[1] + ']', a[p[0]], b[p[1]], keyOf(a[p[0]]) === keyOf(b[p[1]]) ? 'same' : 'changed']);
      else if (p[1] >= 0) rows.push(['[' + p[1] + ']', undefined, b[p[1]], 'added']);
      else rows.push(['(was [' + p[0] + '])', a[p[0]], undefined, 'removed']);
    });
    return rows;
  }

  // One view over the page's elements; load() fills it with a trace (again and again, for the explorer).
  function create(options) {
  options = options || {};
  var trace = null, chart = null, steps = [], n = 0, cur = -1, filter = '', extra = {};
  var explained = {}, explainedAbove = {}, lastChange = {};
  var hashTimer = 0;

  function renderNode(label, prevV, curV, status, path, openTop) {
    var v = status === 'removed' ? prevV : curV;
    var k = kindOf(v);
    var mark = has(explained, path) ? ' explained' : '';
    if (k === null) {
      var leaf = el('div', 'leaf ' + status + mark);
      leaf.setAttribute('data-path', path);
      leaf.appendChild(el('span', 'k', label));
      leaf.appendChild(document.createTextNode(': ' + fmt(v)));
      if (status === 'changed') leaf.appendChild(el('span', 'was', 'was ' + fmt(prevV)));
      return leaf;
    }
    var det = el('details', 'node ' + status + mark);
    det.setAttribute('data-path', path);
    var sum = el('summary');
    sum.appendChild(el('span', 'k', label));
    var preview = fmt(v);
    sum.appendChild(document.createTextNode(': '));
    sum.appendChild(el('span', 'summary-type', preview.length <= 80 ? preview : typeSummary(v)));
    if (status === 'changed' && kindOf(prevV) === null) sum.appendChild(el('span', 'was', 'was ' + fmt(prevV)));
    det.appendChild(sum);
    var filled = false;
    function fill() {
      if (filled) return;
      filled = true;
      childRows(prevV, curV, status).forEach(function (r) {
        det.appendChild(renderNode(r[0], r[1], r[2], r[3], r[4] ? keyPath(path, r[0]) : path + (r[0].charAt(0) === '[' || r[0].charAt(0) === '(' ? r[0] : '.' + r[0]), false));
      });
    }
    if (status === 'changed' || openTop || has(explainedAbove, path)) { det.open = true; fill(); }
    else det.addEventListener('toggle', fill);
    return det;
  }

  function renderViews(i) {
    var box = byId('views');
    if (!box) return;
    box.textContent = '';
    var v = steps[i].views, pv = i > 0 ? steps[i - 1].views : null;
    if (!v || !Object.keys(v).length) { box.classList.add('hidden'); return; }
    box.classList.remove('hidden');
    box.appendChild(el('div', 'view-head', 'views (the spec\u2019s trace expressions)'));
    Object.keys(v).forEach(function (name) {
      var changed = pv && has(pv, name) && keyOf(pv[name]) !== keyOf(v[name]);
      var row = el('div', 'view' + (changed ? ' changed' : ''));
      row.setAttribute('data-view', name);
      row.appendChild(el('span', 'k', name));
      row.appendChild(document.createTextNode(' = ' + fmt(v[name])));
      box.appendChild(row);
    });
  }

  function renderState(i) {
    var tree = byId('tree');
    var state = steps[i].state;
    var prev = i > 0 ? steps[i - 1].state : null;
    var frag = document.createDocumentFragment();
    var changed = [];
    var names = Object.keys(state);
    if (prev) Object.keys(prev).forEach(function (k) { if (!has(state, k)) names.push(k); });
    names.forEach(function (name) {
      var st = 'same';
      if (prev) {
        if (!has(state, name)) st = 'removed';
        else if (!has(prev, name)) st = 'added';
        else if (keyOf(prev[name]) !== keyOf(state[name])) st = 'changed';
      }
      if (st !== 'same') changed.push(name);
      var node = renderNode(name, prev ? prev[name] : undefined, has(state, name) ? state[name] : undefined, st, keyPath('', name), i === 0);
      node.setAttribute('data-var', name);
      if (filter && name.toLowerCase().indexOf(filter) < 0) node.classList.add('hidden');
      frag.appendChild(node);
    });
    tree.textContent = '';
    tree.appendChild(frag);
    renderViews(i);
    var s = steps[i];
    var fails = extra.failing && extra.failing[i] && extra.failing[i].length ? '  \u2717 ' + extra.failing[i].join(', ') : '';
    byId('state-title').textContent = 'step ' + i + ' / ' + (n - 1) + '  ' + s.action + formatAction(s) + (chart.actors[i] ? '  @' + chart.actors[i] : '') + fails;
    // The step where an assertion fails did not complete (its state is the one before): say so, not 'no change'.
    var failing = trace.kind === 'assertion' && i === trace.steps.length - 1 && i > 0;
    byId('state-changes').textContent = i === 0 ? 'initial state' : failing ? '\u2717 assertion \'' + trace.property + '\' fails in this step' + (trace.message ? ': ' + trace.message : '') + ' (the step does not complete)' : changed.length ? 'changed: ' + changed.join(', ') : 'no change';
    byId('state-changes').classList.toggle('failing', failing);
  }

  // ---- the explanation of the violation (computed when the trace was written)
  function buildExplanation() {
    var box = byId('explain');
    explained = {}; explainedAbove = {}; lastChange = {};
    if (!box) return;
    box.textContent = '';
    var e = trace.explanation;
    if (!e) { box.classList.add('hidden'); return; }
    box.classList.remove('hidden');
    box.appendChild(el('div', 'why-head', 'why: ' + e.kind + ' \u2019' + e.property + '\u2019 fails at step ' + e.step + (e.message && e.message !== e.property ? ' \u2014 ' + e.message : '')));
    if (e.note) box.appendChild(el('div', 'why-note', e.note));
    box.appendChild(el('div', 'meta', e.source === 'hook' ? 'fields the spec\u2019s explain hook names:' : (e.kind === 'assertion' ? 'fields the failing action read:' : 'fields the predicate read:')));
    var ul = el('ul');
    e.fields.forEach(function (f) {
      explained[f.path] = true;
      // Every ancestor of the field (a, a.b, a.b[2], a["k-1"]) is opened so the field is shown.
      var re = /^[A-Za-z_$][\w$]*|\.[A-Za-z_$][\w$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g, m, p = '';
      while ((m = re.exec(f.path)) !== null && m[0].length) { p += m[0]; if (p !== f.path) explainedAbove[p] = true; }
      (lastChange[f.changedAt] = lastChange[f.changedAt] || []).push(f.path);
      var li = el('li');
      li.setAttribute('data-field', f.path);
      li.appendChild(el('span', 'k', f.path));
      li.appendChild(document.createTextNode(' = ' + fmt(f.value) + ' \u00B7 '));
      var a = el('a', null, f.changedAt === 0 ? 'initial value (step 0)' : 'last changed at step ' + f.changedAt);
      a.setAttribute('data-go', String(f.changedAt));
      li.appendChild(a);
      ul.appendChild(li);
    });
    if (!e.fields.length) ul.appendChild(el('li', 'meta', '(it read no state field)'));
    box.appendChild(ul);
  }

  // ---- step list
  var items = [];
  function buildList() {
    var ol = byId('steps');
    ol.textContent = '';
    items = [];
    var frag = document.createDocumentFragment();
    for (var i = 0; i < n; i++) {
      var s = steps[i];
      var li = el('li');
      li.setAttribute('data-step', String(i));
      li.appendChild(el('span', 'idx', String(i)));
      li.appendChild(el('span', 'act', s.action));
      li.appendChild(el('span', 'params', short(formatAction(s), 120)));
      if (chart.actors[i]) li.appendChild(el('span', 'actor', '@' + chart.actors[i]));
      li.title = s.action + formatAction(s);
      if (trace.loop !== undefined && trace.loop !== null) {
        if (i >= trace.loop) li.classList.add('in-loop');
        if (i === trace.loop) li.classList.add('loop-start');
      }
      if (extra.failing && extra.failing[i] && extra.failing[i].length) {
        li.classList.add('fails');
        li.title += '  \u2717 ' + extra.failing[i].join(', ');
      }
      if (i > 0 && lastChange[i]) {
        li.classList.add('explains');
        li.appendChild(el('span', 'why', '\u2691 ' + lastChange[i].join(', ')));
      }
      items.push(li);
      frag.appendChild(li);
    }
    ol.appendChild(frag);
  }

  // ---- sequence chart
  var ROW = 22, COL = 120, LEFT = 46, TOP = 34;
  var chartHeadHeight = -1;
  var curRow = null, arrowsBySent = {}, arrowsByEnd = {}, active = [];
  function buildChart() {
    var wrap = byId('chart');
    var head = byId('chart-head');
    wrap.textContent = '';
    head.textContent = '';
    curRow = null; arrowsBySent = {}; arrowsByEnd = {}; active = []; chartHeadHeight = -1;
    if (!chart.processes.length || (chart.source === 'none' && !chart.actors.some(function (a) { return a; }))) {
      head.appendChild(el('span', 'none', 'no messages or processes found (declare view hooks in the spec, or keep messages as records with from/to)'));
      return;
    }
    var counts = { delivered: 0, dropped: 0, undelivered: 0 };
    chart.messages.forEach(function (m) { counts[m.status]++; });
    head.textContent = 'messages: ' + chart.messages.length + ' (' + counts.delivered + ' delivered, ' + counts.dropped + ' dropped, ' + counts.undelivered + ' in flight at the end)' + (chart.source === 'heuristic' ? ' \u00B7 inferred from the state' : chart.source === 'hooks' ? ' \u00B7 from the spec\u2019s view hooks' : '');
    var P = chart.processes.length;
    var width = LEFT + P * COL + 20, height = TOP + n * ROW + 30;
    var root = svg('svg', { width: width, height: height, id: 'chart-svg', role: 'img' });
    var defs = svg('defs', {});
    [['arrow', '#444'], ['arrow-active', '#d4a017'], ['arrow-drop', '#cb2431'], ['arrow-pending', '#888']].forEach(function (d) {
      var mk = svg('marker', { id: d[0], viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
      mk.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: d[1] }));
      defs.appendChild(mk);
    });
    root.appendChild(defs);
    curRow = svg('rect', { class: 'cur-row', x: 0, y: TOP, width: width, height: ROW });
    root.appendChild(curRow);
    function x(p) { return LEFT + chart.processes.indexOf(p) * COL + COL / 2; }
    function y(i) { return TOP + i * ROW + ROW / 2; }
    chart.processes.forEach(function (p, k) {
      var cx = LEFT + k * COL + COL / 2;
      root.appendChild(svg('line', { class: 'lifeline', x1: cx, y1: TOP - 6, x2: cx, y2: height - 10 }));
      root.appendChild(svg('text', { class: 'proc', x: cx, y: 18, 'text-anchor': 'middle' }, short(p, 16)));
    });
    for (var i = 0; i < n; i++) {
      root.appendChild(svg('text', { class: 'rowlabel', x: 4, y: y(i) + 4 }, String(i)));
      var a = chart.actors[i];
      if (a) root.appendChild(svg('circle', { class: 'actor-dot', cx: x(a), cy: y(i), r: 3.5 }));
    }
    if (trace.loop !== undefined && trace.loop !== null) {
      var y1 = y(trace.loop), y2 = y(n - 1);
      root.appendChild(svg('path', { class: 'loop', d: 'M 34 ' + y2 + ' L 40 ' + y2 + ' L 40 ' + y1 + ' L 34 ' + y1, 'marker-end': 'url(#arrow)' }));
      root.appendChild(svg('text', { class: 'loop-label', x: 22, y: y1 - 6 }, '\u27F2'));
    }
    chart.messages.forEach(function (m) {
      var endRow = m.ended === null ? n - 1 + 0.8 : m.ended;
      var x1 = x(m.from), y1 = y(m.sent), y2 = y(0) + endRow * ROW;
      var x2 = m.to === '?' ? x1 + 30 : x(m.to);
      var d;
      if (x1 === x2) d = 'M ' + x1 + ' ' + y1 + ' C ' + (x1 + 40) + ' ' + y1 + ', ' + (x1 + 40) + ' ' + y2 + ', ' + x2 + ' ' + y2;
      else d = 'M ' + x1 + ' ' + y1 + ' L ' + x2 + ' ' + y2;
      var line = svg('path', { d: d, class: 'msg ' + m.status, 'data-id': m.id, 'data-from': m.from, 'data-to': m.to, 'data-sent': m.sent, 'data-ended': m.ended === null ? '' : m.ended, 'marker-end': m.status === 'dropped' ? '' : m.status === 'undelivered' ? 'url(#arrow-pending)' : 'url(#arrow)' });
      line.appendChild(svg('title', {}, m.label + '  (' + m.from + ' \u2192 ' + m.to + ', sent at step ' + m.sent + (m.ended === null ? ', still in flight' : ', ' + m.status + ' at step ' + m.ended) + ')'));
      root.appendChild(line);
      if (m.status === 'dropped') root.appendChild(svg('text', { class: 'drop-mark', x: x2 - 4, y: y2 + 4 }, '\u2715'));
      if (m.status === 'undelivered') root.appendChild(svg('text', { class: 'pending-mark', x: x2 + 4, y: y2 + 4 }, '\u2026'));
      var right = x2 >= x1;
      root.appendChild(svg('text', { class: 'msg-label', x: x1 + (right ? 6 : -6), y: y1 - 4, 'text-anchor': right ? 'start' : 'end' }, short(m.label, 28)));
      (arrowsBySent[m.sent] = arrowsBySent[m.sent] || []).push(line);
      if (m.ended !== null) (arrowsByEnd[m.ended] = arrowsByEnd[m.ended] || []).push(line);
    });
    wrap.appendChild(root);
  }
  function highlightChart(i) {
    if (!curRow) return;
    curRow.setAttribute('y', String(TOP + i * ROW));
    active.forEach(function (l) { l.classList.remove('active'); });
    active = (arrowsBySent[i] || []).concat(arrowsByEnd[i] || []);
    active.forEach(function (l) { l.classList.add('active'); });
    var pane = byId('chart-pane');
    if (chartHeadHeight < 0) chartHeadHeight = byId('chart-head').offsetHeight;
    var rowTop = TOP + i * ROW + chartHeadHeight;
    if (rowTop < pane.scrollTop + 40 || rowTop > pane.scrollTop + pane.clientHeight - 40) pane.scrollTop = Math.max(0, rowTop - pane.clientHeight / 2);
  }

  // ---- navigation
  function go(i, fromHash) {
    if (!n) return;
    if (!(i >= 0)) i = 0;
    if (i > n - 1) i = n - 1;
    i = Math.floor(i);
    if (i === cur) return;
    if (cur >= 0 && items[cur]) items[cur].classList.remove('current');
    cur = i;
    items[i].classList.add('current');
    items[i].scrollIntoView({ block: 'nearest' });
    renderState(i);
    highlightChart(i);
    if (options.onStep) options.onStep(i);
    if (!fromHash && options.hash !== false) {
      // Debounced: browsers throttle history updates when a key is held down.
      clearTimeout(hashTimer);
      hashTimer = setTimeout(function () {
        try { history.replaceState(null, '', '#step=' + cur); } catch (e) { location.hash = 'step=' + cur; }
      }, 60);
    }
  }

  function header() {
    byId('spec-name').textContent = trace.spec.name;
    var consts = Object.keys(trace.constants || {}).map(function (k) { return k + '=' + fmt(trace.constants[k]); });
    byId('constants').textContent = consts.length ? '(' + consts.join(', ') + ')' : '';
    byId('violation').textContent = trace.property ? 'violates ' + trace.property + (trace.message && trace.message !== trace.property ? ': ' + trace.message : '') : '';
    byId('length').textContent = (n - 1) + ' actions' + (trace.loop !== undefined && trace.loop !== null ? ', loops back to step ' + trace.loop : '') + (trace.shortest ? ' (shortest)' : '');
    document.title = (options.title || '') + trace.spec.name + (trace.property ? ': ' + trace.property : '') + ' \u2014 interleave';
  }

  // Shows a trace (and its chart) at step 'at'; more.failing[i]: the invariants failing at step i (explorer).
  function load(t, c, at, more) {
    trace = t; chart = c; steps = t.steps; n = steps.length; cur = -1; extra = more || {};
    header();
    buildExplanation();
    buildList();
    buildChart();
    go(at === undefined ? 0 : at, true);
  }

  byId('steps').addEventListener('click', function (e) {
    var t = e.target;
    var ol = byId('steps');
    while (t && t !== ol && !t.hasAttribute('data-step')) t = t.parentNode;
    if (t && t !== ol) go(Number(t.getAttribute('data-step')));
  });
  var explainBox = byId('explain');
  if (explainBox) explainBox.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.hasAttribute && t.hasAttribute('data-go')) go(Number(t.getAttribute('data-go')));
  });
  byId('filter').addEventListener('input', function (e) {
    filter = String(e.target.value || '').trim().toLowerCase();
    var nodes = byId('tree').children;
    for (var i = 0; i < nodes.length; i++) {
      var name = (nodes[i].getAttribute('data-var') || '').toLowerCase();
      nodes[i].classList.toggle('hidden', filter !== '' && name.indexOf(filter) < 0);
    }
  });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) { if (e.key === 'Escape') t.blur(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var k = e.key;
    if (k === 'ArrowDown' || k === 'ArrowRight' || k === 'j') go(cur + 1);
    else if (k === 'ArrowUp' || k === 'ArrowLeft' || k === 'k') go(cur - 1);
    else if (k === 'Home' || k === 'g') go(0);
    else if (k === 'End' || k === 'G') go(n - 1);
    else if (k === 'PageDown') go(cur + 10);
    else if (k === 'PageUp') go(cur - 10);
    else if (k === '/') { byId('filter').focus(); }
    else return;
    e.preventDefault();
  });
  return { load: load, go: function (i) { go(i); }, step: function () { return cur; }, length: function () { return n; } };
  }

  return { create: create, fmt: fmt, formatAction: formatAction, el: el, byId: byId, keyOf: keyOf };
})();
`;

/** The static viewer's boot code: the trace and chart come from the page's JSON elements; `#step=N` links. */
export const VIEWER_JS = VIEWER_CORE_JS + String.raw`
(function () {
  'use strict';
  function fromHash() {
    var m = /step=(\d+)/.exec(location.hash);
    return m ? Number(m[1]) : 0;
  }
  var view = interleaveView.create({});
  var trace = JSON.parse(document.getElementById('trace-data').textContent);
  var chart = JSON.parse(document.getElementById('chart-data').textContent);
  view.load(trace, chart, fromHash());
  window.addEventListener('hashchange', function () { view.go(fromHash()); });
  window.__interleaveViewer = { step: view.step, steps: trace.steps.length, go: view.go };
})();
`;
