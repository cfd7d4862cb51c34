import { check } from './src/index.ts';
import peterson from './specs/bench/peterson.ts';
const full = await check(peterson, { constants: { n: 4 } });
console.log('full', full.status, full.stats.distinct);
let snap: any;
const first = await check(peterson, { constants: { n: 4 }, timeLimit: 1e-9, checkpoint: { everySeconds: 3600, save: (s: any) => { snap = structuredClone(s); } } });
console.log('first', first.status, snap?.seen.size, snap?.frontier.length);
const resumed = await check(peterson, { constants: { n: 4 }, resume: snap });
console.log('resumed', resumed.status, resumed.stats.distinct);
