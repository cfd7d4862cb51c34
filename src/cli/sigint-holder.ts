import { Worker } from 'node:worker_threads';

/**
 * Receiving SIGINT while the search on the main thread runs the spec's code through `vm` with `breakOnSigint`
 * (src/checker/search/breakable.ts). Node cannot do both with `process.on('SIGINT')`: around every such call it
 * removes the process's SIGINT listeners (which restores the default action) and adds them back afterwards, so a
 * SIGINT that arrives in either instant ends the process with no result. With 250 ms slices that was rare, yet it
 * happened (a CI run's SIGINT test got exit code null), and with short calls it killed one run in four.
 *
 * Node's SIGINT watchdog is process-wide and counted: while one `breakOnSigint` call is running anywhere, its
 * signal handler stays installed and every SIGINT is delivered to each running call. So a helper thread makes one
 * such call that waits (`Atomics.wait`) for as long as the search runs: from the moment it holds, every SIGINT
 * either ends the spec's code on the main thread (breakable.ts reports it) or ends the helper's wait (the helper
 * tells the main thread, `onSigint`), and none is lost or fatal. There must then be no `process.on('SIGINT')`
 * listener: removing the last one would reset the handler to the default action. `release` ends the wait; once no
 * call is running, Node installs the default action again (a second SIGINT ends the process at once, as intended).
 */
export class SigintHolder {
  private released = false;

  private constructor(private readonly seq: number) {}

  /**
   * Makes the helper thread hold the watchdog (starting the thread the first time: about 30 ms; later holds cost one
   * message) and resolves once it does (SIGINT is then handled); rejects if the thread cannot start. `onSigint` is
   * called (on the main thread's event loop) when a SIGINT ended the helper's wait.
   */
  static async start(onSigint: () => void): Promise<SigintHolder> {
    const t = thread();
    const holder = new SigintHolder(++t.seq);
    await new Promise<void>((resolve, reject) => {
      t.listener = (m: HelperMessage) => {
        if (m.seq !== holder.seq) return; // a message about an earlier hold
        if (m.type === 'holding') resolve();
        else if (m.type === 'sigint' && !holder.released) onSigint();
      };
      t.failed = reject;
      Atomics.store(t.flag, 0, holder.seq); // the helper waits while the flag holds its hold's number
      t.worker.ref(); // the process must wait for the answer
      t.worker.postMessage(holder.seq);
    }).finally(() => t.worker.unref());
    t.failed = null;
    return holder;
  }

  /** Ends the helper's wait (the thread stays, idle, for the next hold; it does not keep the process alive). */
  release(): void {
    if (this.released) return;
    this.released = true;
    const t = current;
    if (!t || t.seq !== this.seq) return;
    Atomics.store(t.flag, 0, 0);
    Atomics.notify(t.flag, 0);
  }
}

interface HelperMessage {
  seq: number;
  type: 'holding' | 'sigint' | 'released';
}

interface Helper {
  worker: Worker;
  flag: Int32Array;
  seq: number;
  listener: (m: HelperMessage) => void;
  failed: ((e: unknown) => void) | null;
}

let current: Helper | null = null;

/** The helper thread, started on first use (again after it failed). */
function thread(): Helper {
  if (current) return current;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(HELPER, { eval: true, workerData: flag, stdout: false, stderr: false });
  const t: Helper = { worker, flag, seq: 0, listener: () => {}, failed: null };
  worker.on('message', (m: HelperMessage) => t.listener(m));
  const fail = (e: unknown) => {
    if (current === t) current = null;
    t.failed?.(e instanceof Error ? e : new Error('the SIGINT helper thread ended'));
  };
  worker.once('error', fail);
  worker.once('exit', fail);
  current = t;
  return t;
}

/**
 * The helper thread: plain JavaScript (it runs from a string, with no loader). For each hold (a message with its
 * number) it makes one breakable call that says `holding` from inside, then waits until released or a SIGINT.
 * The flag holds the number of the hold in force (0: none), so a release that comes before the wait begins counts.
 */
const HELPER = `
const { parentPort, workerData: flag } = require('node:worker_threads');
const vm = require('node:vm');
let seq = 0;
globalThis.interleaveHold = () => {
  parentPort.postMessage({ seq, type: 'holding' });
  // Released (the flag no longer holds this hold's number) even if that happened before the wait began.
  while (Atomics.load(flag, 0) === seq) Atomics.wait(flag, 0, seq);
};
parentPort.on('message', (n) => {
  seq = n;
  try {
    vm.runInThisContext('interleaveHold()', { breakOnSigint: true });
    parentPort.postMessage({ seq, type: 'released' });
  } catch (e) {
    if (e && e.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') parentPort.postMessage({ seq, type: 'sigint' });
    else throw e;
  }
});
`;
