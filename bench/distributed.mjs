#!/usr/bin/env node
// The distributed search on one machine (docs/distributed.md): bytes sent per distinct state and throughput with
// 1, 2 and 3 node processes against a local one-thread check. Starts its own redis-server on a loopback port
// (BENCH_PORT, default 17030) and the node processes, runs each model once on all nodes to warm them up, then each configuration BENCH_RUNS times (default 1),
// prints a Markdown table of medians, and stops everything. Not part of the test suite.
//
//   node bench/distributed.mjs                 # Peterson n=5 and two-phase commit rms=6
//   BENCH_MODELS=peterson:6 node bench/distributed.mjs
//   BENCH_NODES=1,2 BENCH_WORKERS=1,2 node bench/distributed.mjs   # each node on 1, then 2 worker threads
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.BENCH_PORT ?? 17030);
const url = `redis://127.0.0.1:${port}`;
const runs = Number(process.env.BENCH_RUNS ?? 1);
const counts = (process.env.BENCH_NODES ?? '1,2,3').split(',').map(Number);
// Worker threads per node (check --cluster --workers): 1 is the node's own thread.
const threads = (process.env.BENCH_WORKERS ?? '1').split(',').map(Number);
const MODELS = {
  peterson: (n) => ({ name: `Peterson n=${n}`, args: ['specs/bench/peterson.ts', '--const', `n=${n}`, '--skip-property', 'starvationFree'] }),
  twophase: (n) => ({ name: `two-phase commit rms=${n}`, args: ['specs/two-phase-commit.ts', '--const', `rms=${n}`] }),
  gossip: (n) => ({ name: `gossip maxEpoch=${n} bagSize=4`, args: ['specs/bench/gossip.ts', '--const', `maxEpoch=${n}`, '--const', 'bagSize=4'] }),
};
const models = (process.env.BENCH_MODELS ?? 'peterson:5,twophase:6').split(',').map((m) => {
  const [kind, n] = m.split(':');
  return MODELS[kind](Number(n));
});

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function start(cmd, args, ready) {
  const proc = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} not ready: ${out}`)), 60_000);
    const onData = (c) => {
      out += c;
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
  });
}

function check(args) {
  const r = spawnSync(process.execPath, ['bin/interleave.mjs', 'check', ...args, '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`check ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(path.join(os.tmpdir(), 'interleave-bench-dist-'));
const redis = await start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], /Ready to accept/);
const nodes = [];
try {
  for (let i = 0; i < Math.max(...counts); i++) nodes.push(await start(process.execPath, ['bin/interleave.mjs', 'node', '--cluster', url, '--name', `bench${i}`], /node ready/));
  console.log(`| model | run | distinct | generated | seconds | states/s | bytes sent / distinct state |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|`);
  for (const m of models) {
    // Warm-up: each node loads the spec (its module, compiled by tsx) at its first search.
    // (A node keeps its worker threads for the next search of the same spec: warm them up too.)
    for (const w of threads) check([...m.args, '--cluster', url, '--nodes', String(Math.max(...counts)), '--workers', String(w)]);
    const rows = [['local, 1 thread', () => check([...m.args, '--workers', '1'])]];
    for (const n of counts) {
      for (const w of threads) {
        const label = `${n} node${n > 1 ? 's' : ''}${threads.length > 1 || w > 1 ? ` × ${w} thread${w > 1 ? 's' : ''}` : ''}`;
        rows.push([label, () => check([...m.args, '--cluster', url, '--nodes', String(n), '--workers', String(w)])]);
      }
    }
    for (const [label, run] of rows) {
      const results = Array.from({ length: runs }, run);
      const r = results[0];
      const secs = median(results.map((x) => x.stats.seconds));
      const bytes = r.cluster ? (r.cluster.bytesSent / r.stats.distinct).toFixed(1) : '–';
      console.log(`| ${m.name} | ${label} | ${r.stats.distinct.toLocaleString('en-US')} | ${r.stats.generated.toLocaleString('en-US')} | ${secs.toFixed(2)} | ${Math.round(r.stats.distinct / secs).toLocaleString('en-US')} | ${bytes} |`);
    }
  }
} finally {
  for (const n of nodes) n.kill('SIGTERM');
  redis.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
