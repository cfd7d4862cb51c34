import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { InterleaveError, describeThrown, isInterleaveError } from '../errors.ts';
import type { Spec } from '../model/index.ts';
import { SpecRuntime, identityDifference, specIdentity } from '../checker/spec/index.ts';
import { startStateWorkers, type WorkerPool } from '../checker/search/index.ts';
import { HEARTBEAT_MS, JOBS, coordKey, ctlKey, heartbeatKey, type Job, type ToCoordinator, type ToNode } from './protocol.ts';
import { Participant, SearchAborted } from './participant.ts';
import { Transport } from './transport.ts';

export interface NodeOptions {
  /** redis://HOST:PORT of a Valkey/Redis server or any node of a Redis Cluster. */
  url: string;
  /** How this node is named in messages (default: host:pid). */
  name?: string;
  /** Loads the spec named `specName` from this node's copy of `file`. */
  load(file: string, specName: string): Promise<Spec>;
  /** Stops serving (the search being run, if any, ends for everyone with CLUSTER_NODE_LOST). */
  signal?: AbortSignal;
  /** One line about what the node does (a search taken, finished, refused). */
  log?(line: string): void;
  /** Called once the node waits for work (tests wait for it). */
  onReady?(): void;
  /**
   * Worker threads that expand this node's states (default 1: its own thread); a search that names its own count
   * (`check --cluster --workers N`) uses that. Counts and counterexamples do not depend on it.
   */
  workers?: number;
}

/**
 * A node of distributed searches (`interleave node`): waits for a search on the JOBS list, takes part in it
 * (participant.ts), and waits for the next, until stopped. It beats a heartbeat the whole time, so that a
 * coordinator notices within HEARTBEAT_MS when it dies.
 */
export async function serveNode(options: NodeOptions): Promise<void> {
  const t = await Transport.connect(options.url);
  const id = randomBytes(8).toString('hex');
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const log = options.log ?? (() => {});
  const stopping = () => options.signal?.aborted === true;
  let lost: unknown = null;
  const beatOnce = () =>
    t.put(heartbeatKey(id), name, HEARTBEAT_MS).catch((e) => {
      lost = e;
    });
  await t.put(heartbeatKey(id), name, HEARTBEAT_MS);
  const beat = setInterval(beatOnce, HEARTBEAT_MS / 5);
  const warm: WarmPool = { pool: null, key: '' };
  try {
    options.onReady?.();
    while (!stopping()) {
      if (lost !== null) throw lost;
      const r = await t.wait([JOBS]);
      if (r === null) continue;
      const job = JSON.parse(r.value.toString()) as Job;
      await serveJob(t, job, id, name, options, log, stopping, warm);
    }
  } finally {
    await warm.pool?.terminate();
    clearInterval(beat);
    await t.del(heartbeatKey(id)).catch(() => {});
    await t.close();
  }
}

/**
 * The worker threads of the last search that ended normally, kept for the next search of the same spec (identity,
 * selection and thread count): starting them costs seconds (each loads the spec), so a node serving a series of
 * searches pays it once.
 */
interface WarmPool {
  pool: WorkerPool | null;
  key: string;
}

async function serveJob(t: Transport, job: Job, id: string, name: string, options: NodeOptions, log: (l: string) => void, stopping: () => boolean, warm: WarmPool): Promise<void> {
  const send = (m: ToCoordinator) => t.push(coordKey(job.search), JSON.stringify(m));
  // A search whose coordinator is gone (it gave up waiting for nodes) is dropped.
  if (!(await t.exists(heartbeatKey(job.search)))) return;
  let rt: SpecRuntime;
  let spec: Spec;
  try {
    spec = await options.load(job.file, job.specName);
    // The identity first (it covers every declared name): a different spec is a mismatch, not an unknown name.
    const diff = identityDifference(job.identity, specIdentity(new SpecRuntime(spec, { constants: job.constants }), { hooks: false }), 'on the coordinator', `on node ${name}`);
    if (diff !== null) throw new InterleaveError('CLUSTER_SPEC_MISMATCH', `its spec is not the coordinator's (${diff}); give every node the same spec file`, { node: name });
    rt = new SpecRuntime(spec, { constants: job.constants, invariants: job.invariants, assertions: job.assertions, strict: job.strict });
  } catch (e) {
    const err = isInterleaveError(e) ? e : new InterleaveError('SPEC_LOAD_FAILED', describeThrown(e));
    log(`refused search ${job.search}: ${err.code}: ${err.message}`);
    await send({ t: 'refused', i: job.index, node: name, code: err.code, message: err.message });
    return;
  }
  // Worker threads load the spec too, before the node joins; a pool that cannot start leaves this thread to it.
  const workers = job.workers === 'auto' ? os.availableParallelism() : (job.workers ?? options.workers ?? 1);
  const key = JSON.stringify([job.file, job.specName, job.identity, job.constants, job.invariants, job.assertions, job.strict, workers]);
  let pool: WorkerPool | null = null;
  // A search on this thread leaves the warm threads for the next; one on other threads replaces them.
  if (workers > 1 && warm.pool !== null) {
    if (warm.key !== key || warm.pool.channels.some((c) => c.failure !== null)) await warm.pool.terminate();
    else pool = warm.pool;
    warm.pool = null;
  }
  if (workers > 1 && pool === null) {
    try {
      pool = startStateWorkers(spec, rt, workers, job.strict);
      if (pool === null) log(`search ${job.search}: the spec's module is not known to start worker threads; expanding on one thread`);
      await pool?.ready;
    } catch (e) {
      log(`search ${job.search}: no worker threads (${describeThrown(e).split('\n')[0]}); expanding on one thread`);
      await pool?.terminate();
      pool = null;
    }
  }
  let finished = false;
  await send({ t: 'joined', i: job.index, node: name, id, threads: pool?.workers ?? 1 });
  log(`took part ${job.index + 1} of ${job.nodes} of search ${job.search} (${job.specName}${pool ? `, ${pool.workers} worker threads` : ''})`);
  try {
    // Waits for the go (every node joined) or an abort.
    for (;;) {
      if (stopping()) throw new SearchAborted('this node was stopped');
      const r = await t.wait([ctlKey(job.search, job.index)]);
      if (r === null) {
        if (!(await t.exists(heartbeatKey(job.search)))) throw new SearchAborted('the coordinator is gone');
        continue;
      }
      const m = JSON.parse(r.value.toString()) as ToNode;
      if (m.t === 'go') break;
      if (m.t === 'abort' || m.t === 'end') throw new SearchAborted(m.t === 'abort' ? m.why : 'the search ended');
    }
    const p = new Participant(rt, t, job.search, job.index, job.nodes, job.deadlock, job.search, stopping, pool);
    await p.run();
    finished = true;
    log(`search ${job.search} done`);
  } catch (e) {
    if (e instanceof SearchAborted) {
      log(`search ${job.search} ended early: ${e.message}`);
      if (stopping()) await send({ t: 'failed', i: job.index, node: name, code: 'CLUSTER_NODE_LOST', message: 'the node was stopped' }).catch(() => {});
      return;
    }
    const err = isInterleaveError(e) ? e : new InterleaveError('INTERNAL', `node ${name}: ${describeThrown(e)}`);
    log(`search ${job.search} failed: ${err.code}: ${err.message}`);
    await send({ t: 'failed', i: job.index, node: name, code: err.code === 'CLUSTER_TRANSPORT_LOST' ? err.code : 'CLUSTER_NODE_LOST', message: `${err.code}: ${err.message}` }).catch(() => {});
    if (err.code === 'CLUSTER_TRANSPORT_LOST') throw err;
  } finally {
    // After an error or an abort a worker may still be busy (or stuck in the spec's code): only a clean end keeps them.
    if (finished && pool !== null) Object.assign(warm, { pool, key });
    else await pool?.terminate();
  }
}
