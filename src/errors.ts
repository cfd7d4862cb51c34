/**
 * The one catalogue of error codes. Every error interleave reports carries one of these codes; the README's
 * Troubleshooting section is generated from the same table (`ERROR_CATALOGUE`), so the two never drift apart.
 *
 * `bad-input` errors are the user's to fix (exit code 2); `internal` errors are ours (exit code 4).
 */
import { formatCount } from './format-count.ts';

export const ERROR_CATALOGUE = {
  // -- the spec as written --------------------------------------------------------------------------------
  SPEC_INVALID: { kind: 'bad-input', meaning: 'The value passed to defineSpec is malformed.', fix: 'Read the message: it names the field; see the README tutorial for the shape of a spec.' },
  SPEC_DUPLICATE_NAME: { kind: 'bad-input', meaning: 'Two actions, invariants or properties share a name.', fix: 'Rename one: names are keys in results, flags and traces.' },
  SPEC_INIT_INVALID: { kind: 'bad-input', meaning: 'An initial state does not match the state schema, or init returned no state.', fix: 'Fix init (the message names the field path).' },
  SPEC_ACTION_THREW: { kind: 'bad-input', meaning: 'An action (its params, guard or effect) threw an exception.', fix: 'The message names the action, its parameters and the path of steps that led there; use assert() for expected failures.' },
  SPEC_INVARIANT_THREW: { kind: 'bad-input', meaning: 'An invariant or property predicate threw an exception.', fix: 'The message names the predicate and the path to the state.' },
  SPEC_BAD_PARAMS: { kind: 'bad-input', meaning: 'An action\'s parameter domain is not an array, or is not finite plain data.', fix: 'params must return an array of plain values (numbers, strings, booleans, plain objects/arrays of them).' },
  SPEC_BAD_SUCCESSOR: { kind: 'bad-input', meaning: 'An effect returned something that is not a state of the schema.', fix: 'The message names the action and the field path; an effect must return the whole next state (use guard to disable an action).' },
  SPEC_BAD_GUARD: { kind: 'bad-input', meaning: 'A guard returned something other than true or false (a number, undefined, a Promise from an async guard).', fix: 'Return a boolean: compare explicitly (s.queue.length > 0, not s.queue.length); guards must be synchronous.' },
  SPEC_BAD_SYMMETRY: { kind: 'bad-input', meaning: 'The declared symmetry does not hold: a permutation changes an invariant\'s verdict, or the successors of a permuted state are not the permuted successors.', fix: 'The message names the permutation and the state; fix symmetry.apply, or drop the symmetry (results under a wrong symmetry are unsound).' },
  SPEC_UNFINGERPRINTABLE: { kind: 'bad-input', meaning: 'A state holds a value that has no canonical form (a function, NaN, a cycle, a class instance).', fix: 'Keep states plain data: numbers, booleans, strings, plain objects and arrays, Set and Map.' },
  SPEC_MUTATED_STATE: { kind: 'bad-input', meaning: 'An action or predicate modified the state it was given (always detected in strict mode; by sampling otherwise).', fix: 'Return a new object instead: {...s, field: value}; copy arrays before changing them.' },
  SPEC_NONDETERMINISTIC: { kind: 'bad-input', meaning: 'Replaying a recorded path gave a different result: the spec is not a function of its inputs.', fix: 'Usual causes: Math.random or Date in an action, iterating a Map/Set whose order changes, mutating the input state, or state kept outside the spec.' },
  SPEC_NOT_FOUND: { kind: 'bad-input', meaning: 'The file exports no spec, or no spec of the requested name.', fix: 'Export the value of defineSpec(...); pick one with --spec NAME (the message lists the known names).' },
  SPEC_LOAD_FAILED: { kind: 'bad-input', meaning: 'The spec file could not be loaded (syntax error, missing import).', fix: 'The message shows the file, line and column.' },
  SPEC_CHECK_ON_IMPORT: { kind: 'bad-input', meaning: 'A module that interleave imports (a spec file, or the spec\'s module in a search worker) calls check() when imported.', fix: 'Keep specs in modules that only define and export them; call check() from a separate script or test that imports the spec.' },
  UNKNOWN_PROPERTY: { kind: 'bad-input', meaning: 'An --invariant or --property name is not declared by the spec.', fix: 'The message lists the declared names.' },
  CONSTANT_INVALID: { kind: 'bad-input', meaning: 'A constant failed its schema (from --const or from the API).', fix: 'The message names the constant and what the schema expects.' },
  // -- the command line and files ---------------------------------------------------------------------------
  CLI_USAGE: { kind: 'bad-input', meaning: 'The command line is malformed: unknown command or flag, missing or bad value.', fix: 'Run interleave --help, or interleave COMMAND --help.' },
  FILE_NOT_FOUND: { kind: 'bad-input', meaning: 'A file or folder named on the command line does not exist.', fix: 'Check the path.' },
  FILE_EXISTS: { kind: 'bad-input', meaning: 'interleave init would overwrite a file that exists (it never does; it writes nothing).', fix: 'Run it in a new or empty folder (interleave init DIR), or move the listed files away.' },
  TRACE_INVALID: { kind: 'bad-input', meaning: 'A trace file is not valid JSON, has the wrong version, does not match the trace format, or is over the 64 MiB limit.', fix: 'The message names the step and field; see docs/trace-format.md.' },
  TRACE_SPEC_NOT_TRUSTED: { kind: 'bad-input', meaning: 'replay would have to import the spec file a trace names, which runs its code; it does so only for a file you name.', fix: 'Pass --spec-file FILE (or --trust-trace-spec for a relative spec path inside the trace\'s folder); see docs/robustness.md.' },
  OUTPUT_WRITE_FAILED: { kind: 'bad-input', meaning: 'An output file (--trace-out, --out) or standard output could not be written (no such folder, permission denied, disk full).', fix: 'Check the path and free space; a check prints its verdict before this error.' },
  ITF_INVALID: { kind: 'bad-input', meaning: 'An ITF file is malformed or uses an unknown tag.', fix: 'The message names the state index and the field path.' },
  CHECKPOINT_INVALID: { kind: 'bad-input', meaning: 'A checkpoint folder is missing, corrupt or belongs to another spec or options.', fix: 'Resume with the same spec file, spec name, constants and options, or start afresh.' },
  CHECKPOINT_WRITE_FAILED: { kind: 'bad-input', meaning: 'A checkpoint could not be written (folder not writable, disk full).', fix: 'Check the --checkpoint folder and free space; the previous checkpoint in it is still intact.' },
  // -- conformance (docs/conformance.md) ------------------------------------------------------------------
  DRIVER_NOT_FOUND: { kind: 'bad-input', meaning: 'The module given to interleave conform does not export a driver (createDriver) and a spec.', fix: 'Export spec, createDriver(constants) and optionally view; see docs/conformance.md.' },
  DRIVER_FAILED: { kind: 'bad-input', meaning: 'The conformance driver\'s reset or observe, or the view, threw or timed out, so no comparison could be made.', fix: 'The message quotes the driver\'s error; check that the real system is reachable (a failing step is a divergence, not this error).' },
  LOG_INVALID: { kind: 'bad-input', meaning: 'A recorded log (or a behaviour given to run) is malformed, or names a step the spec does not allow.', fix: 'The message names the event and field; see docs/conformance.md for the log format.' },
  // -- distributed searches (docs/distributed.md) -----------------------------------------------------------
  CLUSTER_NO_CLIENT: { kind: 'bad-input', meaning: 'A distributed command (--cluster, interleave node) needs the Valkey/Redis client ioredis, which is not installed.', fix: 'Install it next to interleave: npm install ioredis.' },
  CLUSTER_UNREACHABLE: { kind: 'bad-input', meaning: 'The Valkey/Redis server named by --cluster cannot be reached.', fix: 'Check the redis://HOST:PORT address and that the server runs and is reachable from this host.' },
  CLUSTER_UNSUPPORTED: { kind: 'bad-input', meaning: 'An option that a distributed search does not support was given with --cluster (the message lists them).', fix: 'Run without those options, or on one machine.' },
  CLUSTER_SPEC_MISMATCH: { kind: 'bad-input', meaning: 'A node loaded a spec that differs from the coordinator\'s (other actions, invariants, constants, state layout or behaviour); the message names the node.', fix: 'Give every node the same spec file (same path, same contents) and restart the check.' },
  CLUSTER_NODES_MISSING: { kind: 'bad-input', meaning: 'Fewer node processes than --nodes took the search in time; the result is incomplete (exit 3).', fix: "Start more nodes with 'interleave node --cluster URL', or ask for fewer with --nodes." },
  CLUSTER_NODE_LOST: { kind: 'bad-input', meaning: 'A node died, was stopped or stopped beating its heartbeat during a distributed search; the result is incomplete (exit 3).', fix: 'Look at that node (the message names it), then run the check again.' },
  CLUSTER_TRANSPORT_LOST: { kind: 'bad-input', meaning: 'The Valkey/Redis server went away, restarted or lost the search\'s data during a distributed search; the result is incomplete (exit 3).', fix: 'Check the server (it must keep its data for the run: no restart, no failover without replicas), then run the check again.' },
  // -- ours ----------------------------------------------------------------------------------------------------
  INTERNAL: { kind: 'internal', meaning: 'A bug in interleave.', fix: 'Please report it with the command and the spec (rerun with --debug for the stack).' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Structured details attached to an error: which spec, action, parameters, step, field. */
export interface ErrorDetails {
  spec?: string;
  action?: string;
  params?: unknown;
  predicate?: string;
  step?: number;
  field?: string;
  file?: string;
  line?: number;
  column?: number;
  known?: readonly string[];
  /** The path of actions that led to the state where the error happened (action names with parameters). */
  path?: readonly string[];
  [key: string]: unknown;
}

/** The one error type interleave throws or returns. `code` is from ERROR_CATALOGUE. */
export class InterleaveError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(elide(message), options);
    this.name = 'InterleaveError';
    this.code = code;
    this.details = details;
  }
  get kind(): 'bad-input' | 'internal' {
    return ERROR_CATALOGUE[this.code].kind;
  }
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isInterleaveError(e: unknown): e is InterleaveError {
  if (e instanceof InterleaveError) return true;
  // A look-alike (an error from another realm, or one a spec threw) counts only with a code of the catalogue.
  if (typeof e !== 'object' || e === null || (e as { name?: unknown }).name !== 'InterleaveError') return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, code);
}

/** Renders any thrown value as one line (for messages that quote a user's exception). */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return String(e);
  } catch {
    return '(unprintable value)';
  }
}

/** The longest error message kept whole (characters); longer ones are elided in the middle (see `elide`). */
export const MAX_MESSAGE_LENGTH = 2000;

/**
 * Cuts a long text to about `max` characters, keeping its start and its end: `start … [12,345 characters elided] … end`.
 * Every InterleaveError message goes through it, so a message quoting a huge state or value stays readable.
 */
export function elide(text: string, max = MAX_MESSAGE_LENGTH): string {
  if (typeof text !== 'string' || text.length <= max) return text;
  const head = Math.ceil(max * 0.6);
  const tail = Math.floor(max * 0.3);
  return `${text.slice(0, head)} … [${formatCount(text.length - head - tail)} characters elided] … ${text.slice(text.length - tail)}`;
}
