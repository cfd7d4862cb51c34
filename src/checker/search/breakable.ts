import vm from 'node:vm';

/**
 * Running a spec's code so that SIGINT and the time limit can stop it in the middle (docs/robustness.md, "Signals
 * and time limits"). On one thread the search runs the spec's actions on the main thread, where a signal handler
 * or a timer can only run between two expansions: an expansion that takes 20 s (or never returns) made SIGINT and
 * `--time-limit` wait for it. A call made here runs through `vm` with `breakOnSigint` (while the CLI stops
 * searches on SIGINT) and a `timeout` (the time left, when there is a time limit): V8 then ends the call where it
 * is, even inside a loop of the spec's, and `runBreakable` says why instead of returning.
 *
 * Such a call costs about 0.2 ms (Node starts a watchdog for it), so the search makes few of them: one per slice
 * of about 250 ms of expansions on one thread (engine.ts), one for rebuilding a counterexample, one for the
 * identity probe of a parallel search (parallel.ts).
 */

let sigint = false;
let onSigint: (() => void) | null = null;

/**
 * While on, breakable calls end on SIGINT (the CLI turns it on while its signal handlers are installed).
 * `interrupted` is called when one did: V8 took that SIGINT, so the process's handler never sees it.
 */
export function breakOnSigint(on: boolean, interrupted: (() => void) | null = null): void {
  sigint = on;
  onSigint = on ? interrupted : null;
}

/** Whether a breakable call can end on SIGINT now. */
export function breaksOnSigint(): boolean {
  return sigint;
}

/** Why a breakable call did not return. */
export class Broken {
  constructor(readonly reason: 'interrupted' | 'timeLimit') {}
}

const BODY = Symbol.for('interleave.breakable');
const script = new vm.Script(`globalThis[Symbol.for('interleave.breakable')]()`, { filename: 'interleave-breakable' });

/**
 * Runs `body`; returns its value, or Broken when SIGINT (if `breakOnSigint` is on) or `timeoutMs` (if finite)
 * ended it first. Whatever `body` was changing is left half done: the caller must only report and stop.
 */
export function runBreakable<T>(body: () => T, timeoutMs = Infinity): T | Broken {
  const g = globalThis as unknown as Record<symbol, unknown>;
  const previous = g[BODY];
  g[BODY] = body;
  const options: vm.RunningScriptOptions = {};
  if (sigint) options.breakOnSigint = true;
  if (Number.isFinite(timeoutMs)) options.timeout = Math.max(1, Math.ceil(timeoutMs));
  try {
    return script.runInThisContext(options) as T;
  } catch (e) {
    const code = (e as { code?: unknown })?.code;
    if (code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
      onSigint?.();
      return new Broken('interrupted');
    }
    if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return new Broken('timeLimit');
    throw e;
  } finally {
    g[BODY] = previous;
  }
}
