/**
 * A search worker: expands its share of each breadth-first level against the shared seen-set (level.ts) and
 * answers the coordinator's messages (parallel.ts). It loads the spec from its module URL, as the main thread did.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import { isSpec, type Spec } from '../model/index.ts';
import { importModule } from '../module-loader.ts';
import { LevelExpander, type ExpandReply, type LevelTables, type LevelTask } from './level.ts';
import { CapacityError } from './seen-set.ts';
import { rehashPart } from './shared-table.ts';
import { SpecRuntime } from './runtime.ts';

export interface WorkerInit {
  sourceUrl: string;
  specName: string;
  index: number;
  workers: number;
  constants: Record<string, unknown>;
  invariants: string[];
  deadlock: boolean;
  strict: boolean;
  forceDynamicCodec: boolean;
  /** The control words (shared-table.ts: CTL_*). */
  ctl: SharedArrayBuffer;
}

export type ToWorker =
  | { type: 'level'; task: LevelTask; tables: LevelTables }
  | { type: 'resume'; tables: LevelTables }
  | { type: 'rehash'; old: SharedArrayBuffer; table: SharedArrayBuffer; part: number; parts: number };


const port = parentPort!;
const init = workerData as WorkerInit;
let expander: LevelExpander | null = null;

function fail(e: unknown): void {
  const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `worker: ${describeThrown(e)}`);
  port.postMessage({ type: 'fatal', error: { code: err.code, message: err.message, details: err.details } });
}

async function setup(): Promise<void> {
  // A module that loads on the main thread may not load in a worker (it imports a test runner, say): the search
  // then runs on one thread (engine.ts), so this is SPEC_LOAD_FAILED with `worker: true`, not an internal error.
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(init.sourceUrl);
  } catch (e) {
    throw new InterleaveError('SPEC_LOAD_FAILED', `a search worker could not load ${init.sourceUrl}: ${describeThrown(e).split('\n')[0]}`, { file: init.sourceUrl, worker: true });
  }
  const spec = Object.values(mod).find((v): v is Spec => isSpec(v) && v.name === init.specName);
  if (!spec) throw new InterleaveError('SPEC_LOAD_FAILED', `a search worker found no spec '${init.specName}' in ${init.sourceUrl}`, { file: init.sourceUrl, worker: true });
  const rt = new SpecRuntime(spec, { constants: init.constants, invariants: init.invariants, strict: init.strict, forceDynamicCodec: init.forceDynamicCodec });
  expander = new LevelExpander(rt, init.index, init.workers, init.deadlock, new Int32Array(init.ctl));
}

function expanded(x: LevelExpander, r: ExpandReply): void {
  port.postMessage({ type: 'expanded', ...r, bytes: x.bytes, coverage: x.cov });
}

setup().then(
  () => port.postMessage({ type: 'ready' }),
  (e) => fail(e),
);

port.on('message', (msg: ToWorker) => {
  try {
    const x = expander!;
    switch (msg.type) {
      case 'level':
        expanded(x, x.startLevel(msg.task, msg.tables));
        break;
      case 'resume':
        expanded(x, x.resume(msg.tables));
        break;
      case 'rehash':
        port.postMessage({ type: 'rehashed', deferred: rehashPart(new Int32Array(msg.old), new Int32Array(msg.table), msg.part, msg.parts) });
        break;
    }
  } catch (e) {
    if (e instanceof CapacityError) port.postMessage({ type: 'memory', message: e.message });
    else fail(e);
  }
});
