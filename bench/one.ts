// Runs one check and prints distinct, generated, seconds, states/s (used by bench/run.mjs and for profiling).
import { check } from '../src/index.ts';
const [file, ...pairs] = process.argv.slice(2);
const mod = await import(new URL(`../${file}`, import.meta.url).href);
const spec = mod.default;
const constants = Object.fromEntries(pairs.map((p) => { const [k, v] = p.split('='); return [k, JSON.parse(v!)]; }));
const workers = Number(process.env.WORKERS ?? 1);
// Safety only (invariants), as SPIN's -DSAFETY run: temporal properties would record the state graph.
let searchStart = performance.now();
const t0 = searchStart;
// MAX_STATES: stop early (the start of a search: how long the first levels take).
const maxStates = process.env.MAX_STATES ? Number(process.env.MAX_STATES) : undefined;
const r = await check(spec, { constants, workers, properties: [], maxStates, onEvent: (e) => void (e.type === 'start' && (searchStart = performance.now())) });
// seconds: the whole check (worker start-up included); searchSeconds: from the moment every worker was ready.
const searchSeconds = (performance.now() - searchStart) / 1000;
console.log(
  JSON.stringify({
    status: r.status,
    distinct: r.stats.distinct,
    generated: r.stats.generated,
    depth: r.stats.depth,
    seconds: (performance.now() - t0) / 1000,
    searchSeconds,
    statesPerSecond: r.stats.distinct / searchSeconds,
    bytesPerState: r.stats.bytesPerState,
    workers: r.stats.workers,
  }),
);
