// How this machine scales threads: pure computation, random memory access over 64 MiB, allocation.
// The search is partly memory-bound (seen-set probes, frontier and outbox traffic), so the memory line bounds
// what --workers N can gain here. Run: node bench/scaling.mjs [N ...] (thread counts to compare with one; default 2)
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
function cpu(n) { let h = 0; for (let i = 0; i < n; i++) h = Math.imul(h ^ i, 0x9e3779b1) + 1 | 0; return h; }
function mem(n, size) { const a = new Int32Array(size); let h = 1, s = 0; for (let i = 0; i < n; i++) { h = Math.imul(h, 0x9e3779b1) + 12345 | 0; s += a[(h >>> 3) % size]; a[(h >>> 5) % size] = i; } return s; }
function alloc(n) { let keep = 0; for (let i = 0; i < n; i++) { const o = { a: [i, i + 1, i + 2], b: [i, i], c: { x: i } }; keep += o.a[1] + o.c.x; } return keep; }
const tasks = { cpu: () => cpu(4e8), mem: () => mem(3e7, 1 << 24), alloc: () => alloc(3e7) };
if (!isMainThread) { const t = performance.now(); tasks[workerData](); parentPort.postMessage(performance.now() - t); }
else {
  const counts = process.argv.slice(2).map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 2)) {
    console.error('usage: node bench/scaling.mjs [N ...]   (thread counts of at least 2; default 2)');
    process.exit(2);
  }
  if (counts.length === 0) counts.push(2);
  for (const kind of Object.keys(tasks)) {
    const slowest = [];
    for (const n of [1, ...counts]) {
      const t = performance.now();
      const times = await Promise.all(Array.from({ length: n }, () => new Promise((res) => { const w = new Worker(new URL(import.meta.url), { workerData: kind }); w.on('message', res); })));
      slowest[n] = Math.max(...times);
      console.log(kind, n, n === 1 ? 'thread:' : 'threads: each', times.map((x) => (x / 1000).toFixed(2)).join(' '), 'wall', ((performance.now() - t) / 1000).toFixed(2));
    }
    // N threads do N times the work: their speed-up over one is N × time(1) / time(slowest of N), thread start-up
    // excluded (N = perfect).
    for (const n of counts) console.log(kind, `speed-up of ${n} threads:`, ((n * slowest[1]) / slowest[n]).toFixed(2) + '×');
  }
}
