/**
 * A search worker: expands its share of each breadth-first level against the shared seen-set (level.ts) and
 * answers the coordinator's messages (parallel.ts). It loads the spec from the module URL and export name the
 * coordinator resolved, and checks that it is the same spec (identity.ts) before the first level; see
 * docs/spec-identity.md.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InterleaveError, describeThrown, isInterleaveError } from '../../errors.ts';
import { isSpec } from '../../model/index.ts';
import { importModule as importUserModule } from '../../module-loader.ts';
import { identityDifference, specIdentity, type SpecIdentity } from '../spec/index.ts';
import { LevelExpander, type ExpandReply, type LevelTables, type LevelTask } from './level.ts';
import { StateBatchExpander, type StateBatch } from './state-batch.ts';
import { checkOnImportMessage, displayFile, guardWorkerThread, refusedChecks } from '../spec/index.ts';
import { CapacityError } from '../state/index.ts';
import { rehashPart } from '../state/index.ts';
import { SpecRuntime } from '../spec/index.ts';
import { exportOf, type SpecLocation } from '../spec/index.ts';

export interface WorkerInit {
  /** Where the spec is: the module URL and export the coordinator resolved (spec-location.ts). */
  location: SpecLocation;
  /** Whether a `module` message follows (set by the pool): the spec compiled for the workers (src/spec-bundle.ts), or null. */
  bundled: boolean;
  specName: string;
  /** The coordinator's identity of the spec with these constants; the worker's must be equal. */
  identity: SpecIdentity;
  index: number;
  workers: number;
  constants: Record<string, unknown>;
  invariants: string[];
  /** The `reachable` predicates checked. */
  reachable: string[];
  /** The assertions checked (null: all). */
  assertions: string[] | null;
  deadlock: boolean;
  strict: boolean;
  forceDynamicCodec: boolean;
  /** The control words (shared-table.ts: CTL_*). */
  ctl: SharedArrayBuffer;
}

export type ToWorker =
  | { type: 'level'; task: LevelTask; tables: LevelTables }
  | { type: 'resume'; tables: LevelTables }
  | { type: 'rehash'; old: SharedArrayBuffer; table: SharedArrayBuffer; part: number; parts: number }
  /** A distributed node's states to expand (state-batch.ts); answered with `{ type: 'states', out, notes }`. */
  | { type: 'states'; batch: StateBatch }
  /** The spec bundled for the workers (a `data:` URL), or null: load the file itself. Sent first, when `bundled`. */
  | { type: 'module'; url: string | null };


const port = parentPort!;
const init = workerData as WorkerInit;
let expander: LevelExpander | null = null;
let runtime: SpecRuntime | null = null;
let batches: StateBatchExpander | null = null;
let loading = true;

// No check() ever runs in a search worker: one called by the user's module (at import or later) throws at once.
guardWorkerThread(init.location.url);

function fail(e: unknown): void {
  const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `worker: ${describeThrown(e)}`);
  port.postMessage({ type: 'fatal', error: { code: err.code, message: err.message, details: err.details } });
}

/** A failure while loading the spec: the coordinator searches on one thread and shows this message. */
function loadFailure(message: string): InterleaveError {
  return new InterleaveError('SPEC_LOAD_FAILED', message, { file: displayFile(init.location.url), worker: true });
}

// A promise the user's module left rejected (a check() it started without awaiting, say) must not end the thread
// silently: while loading it is a load failure, later an error of the search.
process.on('unhandledRejection', (e) => {
  if (isInterleaveError(e) && e.code === 'SPEC_CHECK_ON_IMPORT') fail(loadFailure(checkOnImportMessage(init.location.url, true)));
  else fail(loading ? loadFailure(`a search worker could not load ${displayFile(init.location.url)}: ${describeThrown(e).split('\n')[0]}`) : e);
});

async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return await importUserModule(url);
  } catch (e) {
    // As the CLI's loader does (src/cli/load.ts): a .ts file Node takes for CommonJS, loaded through tsx instead.
    if ((e as { code?: unknown })?.code !== 'ERR_REQUIRE_CYCLE_MODULE') throw e;
    const { tsImport } = await import('tsx/esm/api');
    const m = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    return { ...m, ...(typeof m.default === 'object' && m.default !== null ? (m.default as Record<string, unknown>) : {}) };
  }
}

/** The `module` message (WorkerInit.bundled), once it comes. */
let bundleArrived: (url: string | null) => void = () => undefined;
const bundle = new Promise<string | null>((resolve) => (bundleArrived = resolve));

/**
 * Loads the spec: from the bundle the coordinator made when there is one (src/spec-bundle.ts), else, or when the
 * bundle does not load or gives another spec than the coordinator's, from the file. Says which it used.
 */
async function setup(): Promise<'bundle' | 'file'> {
  const url = init.bundled ? await bundle : null;
  if (url !== null) {
    try {
      await load(url);
      return 'bundle';
    } catch (e) {
      // A check() at import fails the file's load too: say so now. Anything else: the file decides.
      if (refusedChecks() > 0) throw e;
    }
  }
  await load(init.location.url);
  return 'file';
}

/** Imports the module at `url` (the spec's file or its bundle) and makes the runtime of its spec. */
async function load(url: string): Promise<void> {
  // A module that loads on the main thread may not load in a worker (it imports a test runner, say): the search
  // then runs on one thread (engine.ts), so this is SPEC_LOAD_FAILED with `worker: true`, not an internal error.
  const { exportName } = init.location;
  const file = displayFile(init.location.url);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(url);
  } catch (e) {
    if (refusedChecks() > 0 || (isInterleaveError(e) && e.code === 'SPEC_CHECK_ON_IMPORT')) throw loadFailure(checkOnImportMessage(init.location.url, true));
    throw loadFailure(`a search worker could not load ${file}: ${describeThrown(e).split('\n')[0]}`);
  }
  if (refusedChecks() > 0) throw loadFailure(checkOnImportMessage(init.location.url, true));
  const spec = exportOf(mod, exportName);
  if (!isSpec(spec)) throw loadFailure(`a search worker found no spec in the export '${exportName}' of ${file}`);
  const rt = new SpecRuntime(spec, { constants: init.constants, invariants: init.invariants, assertions: init.assertions, strict: init.strict, forceDynamicCodec: init.forceDynamicCodec });
  const diff = identityDifference(init.identity, specIdentity(rt, { hooks: false }), 'on the main thread', 'in a worker');
  if (diff !== null) throw loadFailure(`the spec a worker loads from ${file} (export '${exportName}') is not the one being checked: ${diff}`);
  runtime = rt;
  expander = new LevelExpander(rt, init.index, init.workers, init.deadlock, new Int32Array(init.ctl), init.reachable);
}

function expanded(x: LevelExpander, r: ExpandReply): void {
  port.postMessage({ type: 'expanded', ...r, bytes: x.bytes, coverage: x.cov });
}

setup().then(
  (from) => {
    loading = false;
    port.postMessage({ type: 'ready', from });
  },
  (e) => fail(e),
);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'module') return bundleArrived(msg.url);
  try {
    const x = expander!;
    switch (msg.type) {
      case 'level':
        expanded(x, x.startLevel(msg.task, msg.tables));
        break;
      case 'resume':
        expanded(x, x.resume(msg.tables));
        break;
      case 'states': {
        batches ??= new StateBatchExpander(runtime!);
        const r = batches.expandStates(msg.batch);
        port.postMessage({ type: 'states', out: r.out, notes: r.notes }, [r.out.buffer as ArrayBuffer]);
        break;
      }
      case 'rehash':
        port.postMessage({ type: 'rehashed', deferred: rehashPart(new Int32Array(msg.old), new Int32Array(msg.table), msg.part, msg.parts) });
        break;
    }
  } catch (e) {
    if (e instanceof CapacityError) port.postMessage({ type: 'memory', message: e.message });
    else fail(e);
  }
});
