import { Worker } from 'node:worker_threads';
import { InterleaveError } from '../../errors.ts';
import { CTL_WORDS, CapacityError } from '../state/index.ts';
import { workerHeapMessage } from './memory-budget.ts';
import type { SpecBundle } from '../../spec-bundle.ts';
import type { ToWorker, WorkerInit } from './worker.ts';

/** A message from a worker (parallel.ts, worker.ts: the protocol). */
export interface Reply {
  type: string;
  [k: string]: any;
}

export class Channel {
  private waiting: { resolve: (r: Reply) => void; reject: (e: unknown) => void }[] = [];
  failure: unknown = null;
  constructor(readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      if (m.type === 'fatal') {
        const e = new InterleaveError(m.error.code, m.error.message, m.error.details);
        this.failure = e;
        for (const w of this.waiting.splice(0)) w.reject(e);
        return;
      }
      this.waiting.shift()?.resolve(m);
    });
    worker.on('error', (e) => {
      // A worker whose heap filled up is ended by Node (its resource limits): the search stops for memory.
      if ((e as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') e = new CapacityError(workerHeapMessage());
      this.failure = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    });
    worker.on('exit', (code) => {
      if (this.waiting.length) {
        const e = new InterleaveError('INTERNAL', `a search worker exited with code ${code}`);
        for (const w of this.waiting.splice(0)) w.reject(e);
      }
    });
  }
  next(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  request(msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const p = this.next();
    this.worker.postMessage(msg, transfer);
    return p;
  }
}

/** Milliseconds `terminate` waits for the workers to exit. */
const TERMINATE_WAIT_MS = 2000;

/**
 * Worker threads started ahead of a search (each has loaded the spec and built its partition): starting them
 * costs ~0.3 s, which the CLI hides behind its single-threaded first seconds (`--workers auto`). A pool serves
 * one search, for the spec and options it was started with.
 */
export class WorkerPool {
  /** The control words (shared-table.ts: CTL_*). */
  readonly ctl = new SharedArrayBuffer(CTL_WORDS * 4);
  readonly channels: Channel[] = [];
  readonly ready: Promise<unknown>;
  /**
   * `bundle`: the spec compiled for the workers (src/spec-bundle.ts), sent to each as it is made; their init says
   * `bundled` so that they wait for it.
   */
  constructor(
    readonly key: string,
    readonly workers: number,
    inits: (ctl: SharedArrayBuffer, index: number) => Omit<WorkerInit, 'bundled'>,
    bundle: Promise<SpecBundle> | null = null,
  ) {
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { ...inits(this.ctl, i), bundled: bundle !== null } satisfies WorkerInit,
        // A larger young generation than a worker's default: expansion allocates many short-lived objects, and each
        // scavenge has a fixed cost (V8 walks the isolate's object cache as roots). 96 MB against 48: 2-worker
        // Peterson n=6 30.18 -> 29.38 G instructions, faster in 4 of 6 and gossip in 5 of 6 alternating runs.
        resourceLimits: { maxYoungGenerationSizeMb: 96 },
      });
      this.channels.push(new Channel(worker));
    }
    void bundle?.then((b) => {
      for (const c of this.channels) c.worker.postMessage({ type: 'module', url: 'url' in b ? b.url : null } satisfies ToWorker);
    });
    this.ready = Promise.all(this.channels.map((c) => c.next()));
    this.ready.catch(() => undefined); // reported when the pool is used
  }
  /**
   * Ends the workers, even one in the middle of an endless loop of the spec's (V8 stops its JavaScript). Waits at
   * most TERMINATE_WAIT_MS for them to exit; a worker that has not by then (stuck outside JavaScript) no longer
   * keeps the process alive.
   */
  async terminate(): Promise<void> {
    for (const c of this.channels) c.worker.unref();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, TERMINATE_WAIT_MS)));
    await Promise.race([Promise.all(this.channels.map((c) => c.worker.terminate())), late]);
    clearTimeout(timer);
  }
}

