// The bench models at each size, with their Promela twins (bench/promela.mjs): one list for every bench script
// (bench/run.mjs, bench/before-after.mjs, bench/cores.mjs), so that each measures the same models at the same sizes.
import { failoverPromela, gossipPromela, petersonPromela, twoPhasePromela } from './promela.mjs';


/**
 * The models at one size: 'quick' (seconds), 'default' (what `npm run bench` measures; its Promela files are
 * committed in bench/promela/) or 'large' (minutes a round on 2 cores). Each model: `key`, `name` (for tables),
 * `spec` (the spec file), `constants`, `args` (the constants as bench/one.ts takes them: `name=JSON`), `promela`
 * (the twin's source), `file` (its name in bench/promela/) and `spinDepth` (pan's -m for its depth-first search).
 */
export function benchModels(size) {
  if (!['quick', 'default', 'large'].includes(size)) throw new Error(`no bench size '${size}' (quick, default, large)`);
  const pick = (quick, normal, large) => ({ quick, default: normal, large })[size];
  const n = pick(5, 6, 7);
  const gossip = { maxEpoch: pick(2, 2, 3), bagSize: pick(3, 4, 4) };
  const rms = pick(5, 7, 8);
  const failover = pick({ nodes: 3, maxEpoch: 3, capacity: 1 }, { nodes: 4, maxEpoch: 2, capacity: 1 }, { nodes: 3, maxEpoch: 5, capacity: 1 });
  // SPIN's depth-first search goes this deep at most (pan's -m). pan allocates and faults in its whole stack, about
  // 47 bytes a level, before it starts: -m100000000 costs ~17 s on this project's machine. The depths SPIN 6.5.2
  // reached (quick / default / large): Peterson 31,704 / 532,360 / 10,177,015; gossip 1,018 / 2,372 / 2,623;
  // failover 158 / 186 / 222; two-phase commit 16 / 22 / 25. The limits are about four times those, and at least
  // 10,000. A limit too small is an error (bench/measure.mjs: runPan), never a smaller count.
  const petersonDepth = pick(130_000, 2_200_000, 41_000_000);
  const models = [
    { key: 'peterson', name: `peterson n=${n}`, spec: 'specs/bench/peterson.ts', constants: { n }, promela: petersonPromela(n), file: 'peterson.pml', spinDepth: petersonDepth },
    {
      key: 'gossip',
      name: `gossip fixed maxEpoch=${gossip.maxEpoch} bagSize=${gossip.bagSize}`,
      spec: 'specs/bench/gossip.ts',
      constants: { variant: 'fixed', ...gossip },
      promela: gossipPromela({ ...gossip, variant: 'fixed' }),
      file: 'gossip.pml',
      spinDepth: 10_000,
    },
    // The bundled spec as written (records, a set of messages): the kind of spec users write.
    { key: 'two-phase', name: `two-phase commit rms=${rms}`, spec: 'specs/two-phase-commit.ts', constants: { rms }, promela: twoPhasePromela(rms), file: 'two-phase-commit.pml', spinDepth: 10_000 },
    // Records per node and FIFO links of message records (specs/bench/failover.ts): the other realistic model.
    {
      key: 'failover',
      name: `failover nodes=${failover.nodes} maxEpoch=${failover.maxEpoch} capacity=${failover.capacity}`,
      spec: 'specs/bench/failover.ts',
      constants: failover,
      promela: failoverPromela(failover),
      file: 'failover.pml',
      spinDepth: 10_000,
    },
  ];
  return models.map((m) => ({ ...m, args: Object.entries(m.constants).map(([k, v]) => `${k}=${JSON.stringify(v)}`) }));
}

/** The models' keys, for BENCH_ONLY and the scripts' arguments. */
export const modelKeys = benchModels('quick').map((m) => m.key);

/**
 * The models named in `wanted` (all when it is empty), or throws naming an unknown one. `wanted`: keys, from
 * BENCH_ONLY or a script's arguments.
 */
export function selectModels(size, wanted) {
  const unknown = wanted.filter((w) => !modelKeys.includes(w));
  if (unknown.length) throw new Error(`no model named ${unknown.join(', ')} (the models: ${modelKeys.join(', ')})`);
  const all = benchModels(size);
  return wanted.length ? all.filter((m) => wanted.includes(m.key)) : all;
}
