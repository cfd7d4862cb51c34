/**
 * The explorer without a browser: the session replays paths by indices with SpecRuntime (die-hard, stale gossip,
 * an assertion spec), and the HTTP server refuses everything but its own routes, well-formed index paths, and
 * loopback Host/Origin headers.
 */
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from 'interleave';
import { ExplorerSession, startExplorer, type ExplorerServer } from '../../src/explorer/index.ts';
import { replay, traceFileOf } from '../../src/trace/index.ts';
import { clusterStaleGossip } from '../../specs/cluster-stale-gossip.ts';
import { dieHard } from '../../specs/die-hard.ts';
import { slotStatsFailover } from '../../specs/slot-stats-failover.ts';

const root = path.resolve(import.meta.dirname, '../..');
const DIE_HARD = path.join(root, 'specs/die-hard.ts');
const A = Object.fromEntries(dieHard.actions.map((a) => [a.name, a.index]));
// The shortest solution of the puzzle: fillBig, bigToSmall, emptySmall, bigToSmall, fillBig, bigToSmall.
const SOLUTION: [number, number][] = ['fillBig', 'bigToSmall', 'emptySmall', 'bigToSmall', 'fillBig', 'bigToSmall'].map((n) => [A[n]!, 0]);

describe('ExplorerSession', () => {
  it('replays die-hard by indices to the violation, explains it, and the trace replays', () => {
    const s = new ExplorerSession(dieHard, { specFile: DIE_HARD });
    expect(s.initialStates()).toEqual([{ small: 0, big: 0 }]);
    const enabled = s.enabled({ init: 0, steps: [] });
    expect(enabled.map((a) => [a.name, a.params.length, a.params[0]?.stutter ?? false])).toEqual([
      ['fillSmall', 1, false],
      ['fillBig', 1, false],
      ['emptySmall', 1, true],
      ['emptyBig', 1, true],
      ['smallToBig', 1, true],
      ['bigToSmall', 1, true],
    ]);
    // One step before the end, the last bigToSmall is marked as leading to the violation.
    const before = s.enabled({ init: 0, steps: SOLUTION.slice(0, 5) });
    expect(before.find((a) => a.name === 'bigToSmall')!.params[0]!.failing).toEqual(['bigNotFour']);
    const v = s.view({ init: 0, steps: SOLUTION });
    expect(v.trace.steps.map((x) => x.state)).toEqual([
      { small: 0, big: 0 },
      { small: 0, big: 5 },
      { small: 3, big: 2 },
      { small: 0, big: 2 },
      { small: 2, big: 0 },
      { small: 2, big: 5 },
      { small: 3, big: 4 },
    ]);
    expect(v.failing).toEqual([[], [], [], [], [], [], ['bigNotFour']]);
    expect(v.trace.property).toBe('bigNotFour');
    expect(v.trace.explanation).toEqual({ property: 'bigNotFour', kind: 'invariant', message: "invariant 'bigNotFour' is violated", step: 6, source: 'reads', fields: [{ path: 'big', value: 4, changedAt: 6 }] });
    expect(v.trace.spec.file).toBe(DIE_HARD);
    expect(replay(dieHard, v.trace)).toEqual({ ok: true, steps: 6 });
  });

  it('refuses an index out of range or a disabled step, naming the step', () => {
    const s = new ExplorerSession(clusterStaleGossip, { constants: { variant: 'buggy' } });
    expect(() => s.resolve({ init: 1, steps: [] })).toThrow('init 1 is not an initial state index (0..0)');
    expect(() => s.resolve({ init: 0, steps: [[99, 0]] })).toThrow(/step 1: action index 99 is out of range/);
    expect(() => s.resolve({ init: 0, steps: [[0, 2]] })).toThrow("step 1: parameter index 2 of 'clusterSendPing' is out of range (0..1)");
    // clusterProcessPacket has no deliveries in the initial state (the network is empty).
    const deliver = clusterStaleGossip.actions.find((a) => a.name === 'clusterProcessPacket')!.index;
    expect(() => s.resolve({ init: 0, steps: [[deliver, 0]] })).toThrow(/step 1: parameter index 0 of 'clusterProcessPacket' is out of range \(0\.\.-1\)/);
  });

  it('starts from a checked counterexample (pathOf) and keeps its views and explanation', async () => {
    const r = await check(clusterStaleGossip, { constants: { variant: 'buggy' }, deadlock: false });
    const t = traceFileOf(r)!;
    const s = new ExplorerSession(clusterStaleGossip, { constants: t.constants });
    const p = s.pathOf(t);
    expect(p.steps).toHaveLength(6);
    const v = s.view(p);
    expect(v.trace.steps.map((x) => x.state)).toEqual(t.steps.map((x) => x.state));
    expect(v.trace.explanation?.fields.map((f) => [f.path, f.value, f.changedAt])).toEqual([
      ['view[0].replicaof', 1, 5],
      ['view[1].replicaof', 0, 6],
    ]);
    expect(v.trace.steps[6]!.views).toEqual({ replicaChains: { observer: 'A→B B→A', nodes: 'A→B B→·' } });
    // The chart comes from the spec's view hooks: lifelines A, B, N; B's first PING (step 1) reaches N at step 6.
    expect(v.chart.source).toBe('hooks');
    expect(v.chart.processes).toEqual(['A', 'B', 'N']);
    expect(v.chart.messages.map((m) => [m.from, m.to, m.sent, m.ended])[0]).toEqual(['B', 'N', 1, 6]);
    expect(v.chart.actors).toEqual([null, 'B', 'B', 'A', 'A', 'N', 'N']);
    // A trace that does not replay is refused with TRACE_INVALID naming the step.
    const edited = { ...t, steps: t.steps.map((x, i) => (i === 3 ? { ...x, state: { ...x.state, sent: 99 } } : x)) };
    expect(() => s.pathOf(edited, 'bad.json')).toThrow(/bad\.json does not replay against spec 'cluster-stale-gossip': step 3/);
  });

  it('an assertion can end a path: the trace is an assertion counterexample that replays', async () => {
    const exp = slotStatsFailover.expected.find((e) => e.status === 'violation')!;
    const r = await check(slotStatsFailover, { constants: exp.constants, deadlock: exp.options?.deadlock });
    const t = traceFileOf(r)!;
    expect(t.kind).toBe('assertion');
    const s = new ExplorerSession(slotStatsFailover, { constants: t.constants });
    const p = s.pathOf(t);
    const prefix = { init: p.init, steps: p.steps.slice(0, -1) };
    const last = p.steps[p.steps.length - 1]!;
    const step = s.enabled(prefix).find((a) => a.action === last[0])!.params.find((x) => x.index === last[1])!;
    expect(step.outcome).toBe('assertion');
    expect(step.property).toBe(t.property);
    const saved = s.traceOf(p);
    expect([saved.property, saved.kind, saved.steps.length]).toEqual([t.property, 'assertion', t.steps.length]);
    expect(saved.explanation?.kind).toBe('assertion');
    expect(replay(slotStatsFailover, saved)).toMatchObject({ ok: true, assertion: t.property });
    // Nothing may follow a failed assertion.
    expect(() => s.resolve({ init: p.init, steps: [...p.steps, [0, 0]] })).toThrow(/fails assertion/);
  });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, method: string, urlPath: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: urlPath, headers: { ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

describe('explorer server', () => {
  let srv: ExplorerServer;
  beforeAll(async () => {
    srv = await startExplorer(new ExplorerSession(dieHard, { specFile: DIE_HARD }));
  });
  afterAll(async () => {
    await srv?.close();
  });

  it('listens on 127.0.0.1 only, on a free port, and serves its page with a strict CSP', async () => {
    expect(srv.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/`);
    const page = await call(srv.port, 'GET', '/');
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.body).not.toMatch(/<script>|<style>| on\w+=/);
    for (const asset of ['/viewer.js', '/explorer.js', '/viewer.css']) expect((await call(srv.port, 'GET', asset)).status).toBe(200);
  });

  it('serves no files: any other path is 404', async () => {
    for (const p of ['/specs/die-hard.ts', '/../package.json', '/%2e%2e/package.json', '/etc/passwd', '/api', '/api/spec/x', '/viewer.js/x', '/index.html']) {
      const r = await call(srv.port, 'GET', p);
      expect(r.status, p).toBe(404);
    }
    expect((await call(srv.port, 'POST', '/api/other', { body: '{}' })).status).toBe(404);
    expect((await call(srv.port, 'DELETE', '/')).status).toBe(405);
  });

  it('answers a good path and refuses bad ones with 400 (indices out of range, non-integers, bad JSON)', async () => {
    const good = await call(srv.port, 'POST', '/api/path', { body: JSON.stringify({ init: 0, steps: SOLUTION }) });
    expect(good.status).toBe(200);
    expect(JSON.parse(good.body).trace.property).toBe('bigNotFour');
    const bad: [string, string][] = [
      [JSON.stringify({ init: 0, steps: [[6, 0]] }), 'step 1: action index 6 is out of range (0..5)'],
      [JSON.stringify({ init: 0, steps: [[0, 1]] }), "step 1: parameter index 1 of 'fillSmall' is out of range (0..0)"],
      [JSON.stringify({ init: 3, steps: [] }), 'init 3 is not an initial state index (0..0)'],
      [JSON.stringify({ init: 0, steps: [[-1, 0]] }), 'step 1: action index -1 is out of range (0..5)'],
      [JSON.stringify({ init: 0, steps: [['fillBig', 0]] }), 'steps[0] must be a pair of integers [action, parameter]'],
      [JSON.stringify({ init: 0, steps: [[1.5, 0]] }), 'steps[0] must be a pair of integers [action, parameter]'],
      [JSON.stringify({ init: '0', steps: [] }), "'init' must be an integer"],
      [JSON.stringify({ init: 0, steps: 'fillBig()' }), "'steps' must be an array of [action, parameter] index pairs"],
      ['{"init": 0, "steps": [', 'the body is not JSON'],
    ];
    for (const [body, error] of bad) {
      for (const route of ['/api/path', '/api/enabled', '/api/trace']) {
        const r = await call(srv.port, 'POST', route, { body });
        expect(r.status, `${route} ${body}`).toBe(400);
        expect(JSON.parse(r.body).error).toBe(error);
      }
    }
  });

  it('bounds the body (413) and wants JSON (415)', async () => {
    const big = JSON.stringify({ init: 0, steps: [], pad: 'x'.repeat(1 << 20) });
    expect((await call(srv.port, 'POST', '/api/path', { body: big })).status).toBe(413);
    expect((await call(srv.port, 'POST', '/api/path', { body: '{"init":0,"steps":[]}', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
  });

  it('refuses a non-loopback Host (DNS rebinding) and a foreign Origin with 403', async () => {
    for (const host of ['evil.example', `evil.example:${srv.port}`, `127.0.0.1.nip.io:${srv.port}`, '127.0.0.1']) {
      const r = await call(srv.port, 'GET', '/api/spec', { headers: { Host: host } });
      expect(r.status, host).toBe(403);
    }
    expect((await call(srv.port, 'GET', '/api/spec', { headers: { Host: `localhost:${srv.port}` } })).status).toBe(200);
    const foreign = await call(srv.port, 'POST', '/api/path', { body: '{"init":0,"steps":[]}', headers: { Origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const own = await call(srv.port, 'POST', '/api/path', { body: '{"init":0,"steps":[]}', headers: { Origin: `http://127.0.0.1:${srv.port}` } });
    expect(own.status).toBe(200);
  });

  it('saves a path as a trace file (an attachment) that replays', async () => {
    const r = await call(srv.port, 'POST', '/api/trace', { body: JSON.stringify({ init: 0, steps: SOLUTION.slice(0, 3) }) });
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe('attachment; filename="die-hard-explored.json"');
    const t = JSON.parse(r.body);
    expect([t.version, t.property, t.steps.length]).toEqual([1, null, 4]);
    expect(replay(dieHard, t)).toEqual({ ok: true, steps: 3 });
  });
});
