// How this machine scales two threads: pure computation, random memory access over 64 MiB, allocation.
// The search is partly memory-bound (seen-set probes, frontier and outbox traffic), so the memory line bounds
// what --workers 2 can gain here. Run: node bench/scaling.mjs
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
function cpu(n) { let h = 0; for (let i = 0; i < n; i++) h = Math.imul(h ^ i, 0x9e3779b1) + 1 | 0; return h; }
function mem(n, size) { const a = new Int32Array(size); let h = 1, s = 0; for (let i = 0; i < n; i++) { h = Math.imul(h, 0x9e3779b1) + 12345 | 0; s += a[(h >>> 3) % size]; a[(h >>> 5) % size] = i; } return s; }
function alloc(n) { let keep = 0; for (let i = 0; i < n; i++) { const o = { a: [i, i + 1, i + 2], b: [i, i], c: { x: i } }; keep += o.a[1] + o.c.x; } return keep; }
const tasks = { cpu: () => cpu(4e8), mem: () => mem(3e7, 1 << 24), alloc: () => alloc(3e7) };
if (!isMainThread) { const t = performance.now(); tasks[workerData](); parentPort.postMessage(performance.now() - t); }
else {
  for (const kind of Object.keys(tasks)) {
    const slowest = [];
    for (const n of [1, 2]) {
      const t = performance.now();
      const times = await Promise.all(Array.from({ length: n }, () => new Promise((res) => { const w = new Worker(new URL(import.meta.url), { workerData: kind }); w.on('message', res); })));
      slowest[n] = Math.max(...times);
      console.log(kind, n, 'threads: each', times.map((x) => (x / 1000).toFixed(2)).join(' '), 'wall', ((performance.now() - t) / 1000).toFixed(2));
    }
    // Two threads do twice the work: their speed-up over one is 2 × time(1) / time(slower of 2), thread start-up
    // excluded (2.00 = perfect).
    console.log(kind, 'speed-up of 2 threads:', ((2 * slowest[1]) / slowest[2]).toFixed(2) + '×');
  }
}
