/**
 * The explorer page: the viewer's panes (VIEWER_MAIN) and its client core (served as /viewer.js), plus the
 * explorer's own code (/explorer.js) for the enabled actions, the initial-state choice, back and save. No inline
 * script or style: the Content-Security-Policy allows scripts and styles from the server itself only, and
 * requests to it only. The page sends the server indices (initial state, action, parameter), never code.
 */
import { escapeHtml, VIEWER_MAIN } from '../viewer/index.ts';

export const EXPLORER_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The page for one spec (the name only goes into the title, escaped; everything else comes from /api). */
export function renderExplorerHtml(specName: string): string {
  const main = VIEWER_MAIN.replace('<ol id="steps"></ol>', '<ol id="steps"></ol><div id="actions" aria-label="enabled actions"></div>');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="interleave explore">
<title>explore: ${escapeHtml(specName)} — interleave</title>
<link rel="stylesheet" href="/viewer.css">
</head>
<body data-busy="1">
<header>
  <h1 id="spec-name"></h1><span id="constants" class="meta"></span>
  <span id="violation" class="violation"></span>
  <span id="length" class="meta"></span>
  <span class="toolbar"><label id="init-box" class="hidden">initial state <select id="init"></select></label>
    <button id="back" type="button" title="drop the last step">⟵ back</button>
    <button id="save" type="button" title="download the path as a trace file (replay it with interleave replay)">save trace</button></span>
  <span id="status" class="meta"></span>
  <span class="help">click an action to take it · ↑/↓: step · click a step to jump</span>
</header>
${main}
<script src="/viewer.js"></script>
<script src="/explorer.js"></script>
</body>
</html>
`;
}

export const EXPLORER_CSS = `
#actions { border-top: 1px solid var(--line); padding: 6px 8px 40px; }
#actions .actions-head { font-weight: bold; margin-bottom: 4px; }
#actions .action { margin: 4px 0; }
#actions .action-name { color: var(--act); font-weight: bold; }
#actions button.take { display: block; width: 100%; text-align: left; font: inherit; margin: 2px 0; padding: 2px 6px; border: 1px solid var(--line); background: #fff; cursor: pointer; border-radius: 3px; }
#actions button.take:hover { background: var(--cur); }
#actions button.take.leads-to-violation { border-color: var(--rem-b); }
#actions button.take .outcome { color: var(--rem-b); margin-left: 6px; }
#actions button.take .stutter { color: var(--dim); margin-left: 6px; }
#actions .disabled { color: var(--dim); margin-top: 6px; }
#actions .deadlock { color: var(--rem-b); font-weight: bold; }
#status.error { color: var(--rem-b); }
.toolbar button, .toolbar select { font: inherit; }
`;

export const EXPLORER_JS = String.raw`
(function () {
  'use strict';
  var V = interleaveView;
  var el = V.el, byId = V.byId;
  var spec = null, path = { init: 0, steps: [] }, cursor = 0, busy = 1, enabledSeq = 0, lastTrace = null;
  var view = V.create({ hash: false, title: 'explore: ', onStep: function (i) { cursor = i; loadEnabled(); } });

  function setBusy(d) {
    busy += d;
    document.body.setAttribute('data-busy', String(busy));
  }
  function status(text, isError) {
    var s = byId('status');
    s.textContent = text || '';
    s.classList.toggle('error', !!isError);
  }
  function request(method, url, body) {
    setBusy(1);
    var init = { method: method, headers: { 'Content-Type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    return fetch(url, init).then(function (r) {
      return r.text().then(function (text) {
        var j = JSON.parse(text);
        if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
        return j;
      });
    }).then(function (j) { setBusy(-1); return j; }, function (e) { setBusy(-1); status(String(e.message || e), true); throw e; });
  }
  function prefix(i) { return { init: path.init, steps: path.steps.slice(0, i) }; }

  function show(at) {
    return request('POST', '/api/path', path).then(function (v) {
      status('');
      lastTrace = v.trace;
      view.load(v.trace, v.chart, at, { failing: v.failing });
    });
  }
  function loadEnabled() {
    var seq = ++enabledSeq;
    var at = cursor;
    request('POST', '/api/enabled', prefix(at)).then(function (r) {
      if (seq === enabledSeq) renderActions(r.enabled, at, r.terminal);
    }, function () {});
  }
  function take(a, p) {
    path.steps = path.steps.slice(0, cursor).concat([[a, p]]);
    show(path.steps.length);
  }
  function back() {
    if (!path.steps.length) return;
    path.steps = path.steps.slice(0, path.steps.length - 1);
    show(path.steps.length);
  }

  function label(name, params) { return name + V.formatAction({ params: params }); }
  function renderActions(list, at, terminal) {
    var box = byId('actions');
    box.textContent = '';
    box.appendChild(el('div', 'actions-head', 'enabled at step ' + at + (at < path.steps.length ? ' (taking one replaces the steps after it)' : '')));
    var disabled = [], any = false;
    list.forEach(function (a) {
      if (!a.params.length) { disabled.push(a.name + (a.error ? ' (' + a.error + ')' : a.preemptedBy ? ' (pre-empted by urgent ' + a.preemptedBy + ')' : '')); return; }
      any = true;
      var div = el('div', 'action');
      div.setAttribute('data-action', a.name);
      if (a.doc) div.title = a.doc;
      a.params.forEach(function (p) {
        var b = el('button', 'take');
        b.type = 'button';
        b.setAttribute('data-action', String(a.action));
        b.setAttribute('data-param', String(p.index));
        b.setAttribute('data-label', label(a.name, p.params));
        b.appendChild(el('span', 'action-name', a.name));
        b.appendChild(document.createTextNode(V.formatAction({ params: p.params })));
        if (p.outcome === 'assertion') { b.classList.add('leads-to-violation'); b.appendChild(el('span', 'outcome', '\u2717 assertion ' + p.property)); }
        else if (p.outcome === 'error') b.appendChild(el('span', 'outcome', 'throws: ' + p.message));
        else if (p.failing && p.failing.length) { b.classList.add('leads-to-violation'); b.appendChild(el('span', 'outcome', '\u2192 \u2717 ' + p.failing.join(', '))); }
        if (p.stutter) b.appendChild(el('span', 'stutter', '(no change)'));
        if (p.outcome === 'error') b.disabled = true;
        div.appendChild(b);
      });
      box.appendChild(div);
    });
    if (!any) box.appendChild(el('div', 'deadlock', at === path.steps.length && lastIsAssertion() ? 'the last step failed an assertion: nothing follows' : terminal ? 'end state: no action is enabled, and the spec declares this state terminal' : 'deadlock: no action is enabled'));
    if (disabled.length) box.appendChild(el('div', 'disabled', 'disabled here: ' + disabled.join(', ')));
  }
  function lastIsAssertion() { return !!lastTrace && lastTrace.kind === 'assertion'; }

  byId('actions').addEventListener('click', function (e) {
    var t = e.target;
    while (t && t !== this && !(t.tagName === 'BUTTON' && t.hasAttribute('data-action'))) t = t.parentNode;
    if (!t || t === this || t.disabled || busy) return;
    take(Number(t.getAttribute('data-action')), Number(t.getAttribute('data-param')));
  });
  byId('back').addEventListener('click', back);
  byId('init').addEventListener('change', function (e) {
    path = { init: Number(e.target.value), steps: [] };
    show(0);
  });
  byId('save').addEventListener('click', function () {
    setBusy(1);
    fetch('/api/trace', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(path) }).then(function (r) {
      if (!r.ok) return r.json().then(function (j) { throw new Error(j.error); });
      return r.blob().then(function (b) {
        var a = el('a');
        a.href = URL.createObjectURL(b);
        a.download = spec.name.replace(/[^A-Za-z0-9_.-]/g, '_') + '-explored.json';
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        status('saved ' + a.download + ' (' + path.steps.length + ' steps)');
      });
    }).then(function () { setBusy(-1); }, function (e) { setBusy(-1); status(String(e.message || e), true); });
  });

  request('GET', '/api/spec').then(function (s) {
    spec = s;
    path = { init: s.start.init, steps: s.start.steps.slice() };
    if (s.initial.length > 1) {
      byId('init-box').classList.remove('hidden');
      var sel = byId('init');
      s.initial.forEach(function (st, i) {
        var o = el('option', null, '#' + i + ' ' + V.fmt(st).slice(0, 80));
        o.value = String(i);
        sel.appendChild(o);
      });
      sel.value = String(path.init);
    }
    return show(path.steps.length);
  }).then(function () { setBusy(-1); }, function () { setBusy(-1); });

  window.__interleaveExplorer = {
    step: view.step,
    length: view.length,
    path: function () { return JSON.parse(JSON.stringify(path)); },
    go: view.go,
    busy: function () { return busy; }
  };
})();
`;
