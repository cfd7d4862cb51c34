// Growing the seen-set from 2^21 to 2^22 slots (the last growth of a Peterson n=6 search): the serial copy
// (one thread, as the single-threaded engine does) against the parallel search's copy by two workers
// (shared-table.ts: rehashPart), each into a fresh table. Run: npx tsx bench/rehash.ts
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { copySlots, insertSlots } from '../src/checker/state/seen-set.ts';
import { rehashPart } from '../src/checker/state/shared-table.ts';

interface Job {
  old: SharedArrayBuffer;
  table: SharedArrayBuffer;
  part: number;
  parts: number;
}

if (!isMainThread) {
  parentPort!.on('message', (m: Job) => parentPort!.postMessage(rehashPart(new Int32Array(m.old), new Int32Array(m.table), m.part, m.parts)));
} else {
  const cap = 1 << 22;
  const old = new Int32Array(new SharedArrayBuffer((cap / 2) * 12));
  const entries = new Int32Array(Math.ceil(cap * 0.3) * 3);
  let x = 1;
  for (let j = 0; j < entries.length; j += 3) {
    entries[j] = x = (Math.imul(x, 1103515245) + 12345) | 0;
    entries[j + 1] = x = (Math.imul(x, 1103515245) + 12345) | 0;
    entries[j + 2] = -j / 3 - 2;
  }
  insertSlots(entries, old);
  // The workers load this file through tsx, as the search's workers load theirs (src/checker/search/worker-entry.mjs).
  const boot = `(async () => { (await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register(); await import(${JSON.stringify(import.meta.url)}); })()`;
  const workers = [0, 1].map(() => new Worker(boot, { eval: true }));
  const ask = (w: Worker, job: Job) =>
    new Promise<Int32Array>((resolve) => {
      w.once('message', resolve);
      w.postMessage(job);
    });
  const serial: number[] = [];
  const parallel: number[] = [];
  for (let r = 0; r < 7; r++) {
    let t = new Int32Array(new SharedArrayBuffer(cap * 12));
    let t0 = performance.now();
    copySlots(old, t);
    serial.push(performance.now() - t0);
    t = new Int32Array(new SharedArrayBuffer(cap * 12));
    t0 = performance.now();
    const deferred = await Promise.all(workers.map((w, part) => ask(w, { old: old.buffer as SharedArrayBuffer, table: t.buffer as SharedArrayBuffer, part, parts: 2 })));
    for (const d of deferred) insertSlots(d, t);
    parallel.push(performance.now() - t0);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1);
  console.log(`copy of ${Math.ceil(cap * 0.3).toLocaleString('en-US')} entries into a fresh table of 2^22 slots (48 MiB), median of 7 (the first runs include compilation):`);
  console.log(`  one thread (copySlots): ${median(serial)} ms   [${serial.map((v) => v.toFixed(0)).join(' ')}]`);
  console.log(`  two workers (rehashPart, message round trip included): ${median(parallel)} ms   [${parallel.map((v) => v.toFixed(0)).join(' ')}]`);
  await Promise.all(workers.map((w) => w.terminate()));
}
