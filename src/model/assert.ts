const ASSERTION = Symbol.for('interleave/assertion');

/**
 * Thrown by `assert` inside an action's effect. The checker reports it as a violation of the property `name`
 * (the step that failed is the last step of the counterexample, and its state is the state before the step).
 */
export class AssertionFailure extends Error {
  readonly [ASSERTION] = true;
  readonly property: string;
  constructor(property: string, message: string) {
    super(message);
    this.name = 'AssertionFailure';
    this.property = property;
  }
}

export function isAssertionFailure(e: unknown): e is AssertionFailure {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[ASSERTION] === true;
}

/**
 * Fails the current step when `condition` is false: the way a spec models a production assertion
 * (Valkey's `serverAssert`). `property` names the violation in results, traces and `--invariant` output;
 * `message` is shown with it (for example the C expression that failed).
 */
export function assert(condition: unknown, property: string, message?: string): asserts condition {
  if (!condition) throw new AssertionFailure(property, message ?? `assertion '${property}' failed`);
}
