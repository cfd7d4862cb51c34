/**
 * A search worker: owns one partition of the state space (see partition.ts) and answers the coordinator's
 * messages (parallel.ts). It loads the spec from its module URL, as the main thread did.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import { isSpec, type Spec } from '../model/index.ts';
import { WordBuffer } from './codec.ts';
import { Partition } from './partition.ts';
import { CapacityError } from './seen-set.ts';
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
  stop: SharedArrayBuffer;
  /** This worker's share of the memory limit for its seen-set. */
  maxBytes: number;
}

export type ToWorker =
  | { type: 'start' }
  | { type: 'expand'; depth: number }
  | { type: 'step'; depth: number; probeOnly: boolean; inboxes: { buf: ArrayBuffer; len: number }[] }
  | { type: 'parent'; gid: number }
  | { type: 'find'; hi: number; lo: number };

const port = parentPort!;
const init = workerData as WorkerInit;
let part: Partition | null = null;

function fail(e: unknown): void {
  const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `worker: ${describeThrown(e)}`);
  port.postMessage({ type: 'fatal', error: { code: err.code, message: err.message, details: err.details } });
}

async function setup(): Promise<void> {
  const mod = (await import(init.sourceUrl)) as Record<string, unknown>;
  const spec = Object.values(mod).find((v): v is Spec => isSpec(v) && v.name === init.specName);
  if (!spec) throw new InterleaveError('INTERNAL', `worker: ${init.sourceUrl} has no spec '${init.specName}'`);
  const rt = new SpecRuntime(spec, { constants: init.constants, invariants: init.invariants, strict: init.strict, forceDynamicCodec: init.forceDynamicCodec });
  part = new Partition(rt, init.index, init.workers, init.deadlock, new Int32Array(init.stop));
  part.seen.maxBytes = init.maxBytes;
}

/** Expands the current level and sends the outboxes for the other partitions (transferred, not copied). */
function expandAndReply(p: Partition, depth: number): void {
  const r = p.expand(depth);
  let produced = 0;
  for (const o of p.outboxes) produced += o.len;
  const outboxes = p.outboxes.map((o, i) => (i === p.index ? { buf: null, len: 0 } : { buf: o.buf.buffer as ArrayBuffer, len: o.len }));
  const transfer = outboxes.filter((o) => o.buf !== null).map((o) => o.buf as ArrayBuffer);
  port.postMessage({ type: 'expanded', ...r, outboxes, produced, ...status(p) }, transfer);
  // Transferred buffers are detached: give the partition fresh outboxes.
  p.outboxes = p.outboxes.map((o, i) => (i === p.index ? o : new WordBuffer(Math.max(1024, o.len))));
}

function status(p: Partition) {
  return { distinct: p.seen.size, generated: p.generated, frontier: p.frontierSize, bytes: p.bytes };
}

setup().then(
  () => port.postMessage({ type: 'ready' }),
  (e) => fail(e),
);

port.on('message', (msg: ToWorker) => {
  try {
    const p = part!;
    switch (msg.type) {
      case 'start': {
        const violation = p.initialize();
        port.postMessage({ type: 'started', violation, ...status(p) });
        break;
      }
      case 'expand':
        expandAndReply(p, msg.depth);
        break;
      case 'step': {
        // Insert what the last level produced (own outbox + what the others sent), then expand the new level:
        // one barrier per level.
        const r = p.insert(
          msg.inboxes.map((b) => ({ buf: new Int32Array(b.buf), len: b.len })),
          msg.depth,
          msg.probeOnly,
        );
        if (msg.probeOnly) {
          port.postMessage({ type: 'expanded', violation: null, error: null, aborted: false, beyondLimit: r.beyondLimit, outboxes: [], produced: 0, ...status(p) });
          break;
        }
        p.swap();
        expandAndReply(p, msg.depth);
        break;
      }
      case 'parent': {
        const local = Math.floor(msg.gid / p.workers);
        port.postMessage({ type: 'parent', parent: p.seen.parents[local], label: p.seen.labels[local] });
        break;
      }
      case 'find': {
        const local = p.seen.find(msg.hi, msg.lo);
        port.postMessage({ type: 'found', gid: local < 0 ? -1 : p.gid(local) });
        break;
      }
    }
  } catch (e) {
    if (e instanceof CapacityError) port.postMessage({ type: 'memory', message: e.message });
    else fail(e);
  }
});
