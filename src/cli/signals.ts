import { breakOnSigint } from '../checker/search/index.ts';
import { SigintHolder } from './sigint-holder.ts';

/**
 * SIGINT and SIGTERM during a check (docs/robustness.md, "Signals"). Handlers are installed only while a search
 * runs (`arm`), never while a spec file loads: a spec whose import never finishes (an infinite loop at import
 * time) blocks the main thread, a JavaScript handler could never run, and only the default action (end the
 * process) stops it. The first signal aborts the search (it stops at its next look at the signal, at most a
 * batch of ~20 ms or one state later, and reports `incomplete` with statistics) and removes the handlers, which
 * restores the default action: a second signal ends the process at once, even while a spec's code is running.
 * SIGINT is received through a helper thread (sigint-holder.ts: Node's own listener is not safe next to the
 * `breakOnSigint` calls that let SIGINT stop a spec's code); `process.on('SIGINT')` only where it cannot start.
 */
export class Interrupts {
  private readonly controller = new AbortController();
  private armed = false;
  private holder: SigintHolder | null = null;
  private listening = false;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // A SIGINT that ended the spec's code on the main thread also ends the helper's wait: report it once.
    if (this.controller.signal.aborted) return;
    this.disarm();
    this.report(signal);
    this.controller.abort();
  };

  /**
   * `report`: says that a signal was received. `onArm`: called when the handlers are first installed (the CLI
   * prints `debug: search started` there with --debug, an event a script can wait for before it sends a signal).
   */
  constructor(
    private readonly report: (signal: NodeJS.Signals) => void,
    private readonly onArm: () => void = () => {},
  ) {}

  /** Aborted by the first SIGINT or SIGTERM received while armed. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Installs the handlers (once the spec is loaded); does nothing after a signal was received. */
  async arm(): Promise<void> {
    if (this.armed || this.controller.signal.aborted) return;
    this.armed = true;
    process.on('SIGTERM', this.onSignal);
    try {
      const holder = await SigintHolder.start(() => this.onSignal('SIGINT'));
      if (!this.armed) holder.release(); // disarmed while it started
      else this.holder = holder;
    } catch {
      // No helper thread (none can start here): Node's listener, with its rare instants of the default action.
      if (this.armed) {
        process.on('SIGINT', this.onSignal);
        this.listening = true;
      }
    }
    if (!this.armed) return;
    // A spec's code that runs for long between two looks at the signal is then ended by SIGINT too (breakable.ts).
    breakOnSigint(true, () => this.onSignal('SIGINT'));
    this.onArm();
  }

  /** Removes the handlers: the signals' default action (end the process) applies again. */
  disarm(): void {
    if (!this.armed) return;
    this.armed = false;
    breakOnSigint(false);
    this.holder?.release();
    this.holder = null;
    if (this.listening) process.off('SIGINT', this.onSignal);
    this.listening = false;
    process.off('SIGTERM', this.onSignal);
  }
}
