/**
 * Guards that cannot see their parameter. Specs often guard a parameterised action on the state alone:
 * `params: (_s, c) => ids(c.rms), guard: (s) => s.msgs.some((m) => m.type === 'Abort')`. Such a guard gives the
 * same answer for every parameter (hooks are deterministic: the same state and constants give the same result),
 * yet it ran once per parameter, for every state: on two-phase commit with 8 RMs, 16 of its calls per state where
 * 2 suffice (docs/performance.md, "Guards that do not read the parameter").
 *
 * So the compiled successor function calls such a guard for the first parameter only: when it is false, no
 * parameter is enabled; when it is true, every one is. A guard qualifies when its source declares at most two
 * plain parameters (no default value, no rest, no destructuring: each could reach the third argument) and never
 * names `arguments` or `eval`. Anything else (a bound or native function, a comment in the parameter list, a
 * wrapper taking `...args`) is called once per parameter, as before: the test may miss a guard that qualifies,
 * never take one that reads its parameter.
 */
const IDENT = '[A-Za-z_$][\\w$]*';
/** `(` at most two identifiers `)`, an optional trailing comma. */
const LIST = `\\(\\s*(?:${IDENT}(?:\\s*,\\s*${IDENT})?\\s*,?)?\\s*\\)`;
/** `s => …`, `(s, c) => …`, `async (s) => …` (the source of an arrow function starts with its parameters). */
const ARROW = new RegExp(`^(?:async\\s*)?(?:${IDENT}|${LIST})\\s*=>`);
/** `function (s) {…}`, `function named(s, c) {…}`, and a method `guard(s) {…}`. */
const FUNCTION = new RegExp(`^(?:async\\s+)?(?:function\\b\\s*(?:${IDENT})?|${IDENT})\\s*${LIST}\\s*\\{`);

/** Whether `fn` provably never reads its third argument (the parameter), by the rules above. */
export function readsNoParam(fn: (...args: never[]) => unknown): boolean {
  if (fn.length > 2) return false;
  let source: string;
  try {
    source = Function.prototype.toString.call(fn);
  } catch {
    return false;
  }
  if (source.includes('[native code]') || /\b(?:arguments|eval)\b/.test(source)) return false;
  return ARROW.test(source) || FUNCTION.test(source);
}
