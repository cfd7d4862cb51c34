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
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private released = false;

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  /**
   * Starts the helper thread and resolves once it holds the watchdog (SIGINT is then handled); rejects if the thread
   * cannot start. `onSigint` is called (on the main thread's event loop) when a SIGINT ended the helper's wait.
   */
  static async start(onSigint: () => void): Promise<SigintHolder> {
    const holder = new SigintHolder(new Worker(HELPER, { eval: true, workerData: null, stdout: false, stderr: false }));
    holder.worker.postMessage(holder.flag);
    await new Promise<void>((resolve, reject) => {
      holder.worker.on('message', (m: unknown) => {
        if (m === 'holding') resolve();
        else if (m === 'sigint' && !holder.released) onSigint();
      });
      holder.worker.once('error', reject);
      holder.worker.once('exit', () => reject(new Error('the SIGINT helper thread ended before it held the signal')));
    });
    holder.worker.unref();
    return holder;
  }

  /** Ends the helper's wait and the thread. */
  release(): void {
    if (this.released) return;
    this.released = true;
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
    void this.worker.terminate();
  }
}

/** The helper thread: plain JavaScript (it runs from a string, with no loader); `holding` is sent from inside the call. */
const HELPER = `
const { parentPort } = require('node:worker_threads');
const vm = require('node:vm');
parentPort.once('message', (flag) => {
  globalThis.interleaveHold = () => { parentPort.postMessage('holding'); Atomics.wait(flag, 0, 0); };
  try {
    vm.runInThisContext('interleaveHold()', { breakOnSigint: true });
  } catch (e) {
    if (e && e.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') parentPort.postMessage('sigint');
    else throw e;
  }
});
`;
