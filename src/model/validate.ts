import { InterleaveError } from '../errors.ts';

/**
 * Checks of a spec definition as a value (what `tsc` would catch, for users who do not run it, and what it cannot:
 * a constant default that breaks its own schema). `defineSpec` calls these; each failure is one coded line naming
 * the key (docs/spec-identity.md, "Validation").
 */

/**
 * Every key `defineSpec` knows, per object of the definition. The one list: a key missing here is reported as
 * unknown (with a "did you mean"), so a new key of the spec format is added here first.
 */
export const SPEC_KEYS = {
  /** The definition passed to defineSpec. */
  spec: ['name', 'description', 'constants', 'state', 'init', 'actions', 'invariants', 'assertions', 'terminal', 'reachable', 'properties', 'symmetry', 'view', 'views', 'explain', 'expected'],
  /** One action. */
  action: ['params', 'guard', 'effect', 'fairness', 'process', 'doc', 'urgent'],
  /** `symmetry`. */
  symmetry: ['size', 'permutations', 'apply'],
  /** `view`. */
  view: ['processes', 'messages'],
  /** One entry of `expected`. */
  expectation: ['name', 'constants', 'status', 'property', 'length', 'options'],
  /** `expected[].options`: the check options a configuration may set. */
  expectationOptions: ['deadlock', 'maxDepth', 'invariants', 'properties'],
} as const satisfies Record<string, readonly string[]>;

export type SpecKeyGroup = keyof typeof SPEC_KEYS;

function fail(spec: string, message: string, field?: string): never {
  throw new InterleaveError('SPEC_INVALID', `spec '${spec}': ${message}`, { spec, ...(field !== undefined ? { field } : {}) });
}

/** The known word closest to `word` (edit distance at most 2, or one is a prefix of the other), if any. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const k of known) {
    const kl = k.toLowerCase();
    let d = editDistance(w, kl);
    if (d > 2 && w.length >= 4 && (kl.startsWith(w) || w.startsWith(kl))) d = 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return bestD <= 2 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Throws SPEC_INVALID for the first key of `value` that `group` does not know, with a "did you mean". */
export function checkKeys(spec: string, value: object, group: SpecKeyGroup, where: string): void {
  const known: readonly string[] = SPEC_KEYS[group];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    const at = where ? `${where}.${key}` : key;
    fail(spec, `unknown key '${at}'${near ? ` (did you mean '${near}'?)` : ''}; known: ${known.join(', ')}`, at);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The types of the optional top-level hooks that defineSpec does not check itself. */
export function checkTopLevel(spec: string, d: Record<string, unknown>): void {
  checkKeys(spec, d, 'spec', '');
  if (d.description !== undefined && typeof d.description !== 'string') fail(spec, "'description' must be a string", 'description');
  if (typeof d.actions !== 'function' && !isPlainObject(d.actions)) fail(spec, "'actions' must be an object of named actions (or a function of the action kit returning one)", 'actions');
  if (d.invariants !== undefined && !isPlainObject(d.invariants)) fail(spec, "'invariants' must be an object of named predicates", 'invariants');
  if (d.properties !== undefined && typeof d.properties !== 'function' && !isPlainObject(d.properties)) {
    fail(spec, "'properties' must be an object of named temporal properties (or a function of the property kit returning one)", 'properties');
  }
  if (d.reachable !== undefined && !isPlainObject(d.reachable)) fail(spec, "'reachable' must be an object of named predicates ({ name: (state, constants) => boolean })", 'reachable');
  if (d.symmetry !== undefined) {
    if (!isPlainObject(d.symmetry)) fail(spec, "'symmetry' must be an object with 'apply' and 'size' (or 'permutations')", 'symmetry');
    checkKeys(spec, d.symmetry, 'symmetry', 'symmetry');
  }
  if (d.view !== undefined) {
    if (!isPlainObject(d.view)) fail(spec, "'view' must be an object with optional 'processes' and 'messages' functions", 'view');
    checkKeys(spec, d.view, 'view', 'view');
    for (const k of SPEC_KEYS.view) {
      if (d.view[k] !== undefined && typeof d.view[k] !== 'function') fail(spec, `'view.${k}' must be a function`, `view.${k}`);
    }
  }
  if (d.expected !== undefined && !Array.isArray(d.expected)) fail(spec, "'expected' must be an array of expectations ({ status: 'ok' | 'violation', ... })", 'expected');
}

/** An action's keys and the types of its optional fields. */
export function checkAction(spec: string, actionName: string, a: Record<string, unknown>): void {
  checkKeys(spec, a, 'action', `actions.${actionName}`);
  if (a.doc !== undefined && typeof a.doc !== 'string') fail(spec, `action '${actionName}': 'doc' must be a string`, `actions.${actionName}.doc`);
  if (a.urgent !== undefined && typeof a.urgent !== 'boolean') fail(spec, `action '${actionName}': 'urgent' must be true or false`, `actions.${actionName}.urgent`);
}

interface ShapeField {
  _zod?: { def?: { type?: string; defaultValue?: unknown; innerType?: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } } } } };
}

/**
 * Each constant's default must satisfy its own schema: zod 4 returns a default without parsing it, so
 * `z.number().min(2).default(1)` would run with 1. Checked when the spec is defined.
 */
export function checkConstantDefaults(spec: string, shape: Record<string, unknown>): void {
  for (const [key, field] of Object.entries(shape)) {
    const def = (field as ShapeField)?._zod?.def;
    if (!def || (def.type !== 'default' && def.type !== 'prefault') || !def.innerType) continue;
    let value: unknown;
    try {
      value = def.defaultValue;
    } catch (e) {
      fail(spec, `the default of constant '${key}' throws: ${e instanceof Error ? e.message : String(e)}`, `constants.${key}`);
    }
    const r = def.innerType.safeParse(value);
    if (!r.success) {
      const issue = r.error!.issues[0]!;
      const sub = issue.path.length ? ` (at ${issue.path.map(String).join('.')})` : '';
      fail(spec, `the default of constant '${key}' (${short(value)}) fails its own schema${sub}: ${issue.message}`, `constants.${key}`);
    }
  }
}

function short(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The `expected` entries: known keys, a status, a property name when given, a length, and options the check
 * accepts, naming only declared invariants and properties. `constants` keys must be declared constants.
 */
export function checkExpectations(
  spec: string,
  expected: readonly unknown[],
  declared: { invariants: readonly string[]; assertions?: readonly string[]; properties: readonly string[]; reachable?: readonly string[]; constants: readonly string[] },
): void {
  expected.forEach((e, i) => {
    const at = `expected[${i}]`;
    if (!isPlainObject(e)) fail(spec, `${at} must be an object ({ status: 'ok' | 'violation', ... })`, at);
    checkKeys(spec, e, 'expectation', at);
    if (e.status !== 'ok' && e.status !== 'violation') fail(spec, `${at}.status must be 'ok' or 'violation', got ${short(e.status)}`, `${at}.status`);
    if (e.name !== undefined && typeof e.name !== 'string') fail(spec, `${at}.name must be a string`, `${at}.name`);
    if (e.property !== undefined) {
      if (typeof e.property !== 'string') fail(spec, `${at}.property must be a string`, `${at}.property`);
      if (e.status === 'ok') fail(spec, `${at} has status 'ok' and a property '${e.property}': a property is expected only of a violation`, `${at}.property`);
    }
    if (e.length !== undefined) {
      if (!Number.isInteger(e.length) || (e.length as number) < 0) fail(spec, `${at}.length must be a whole number of steps`, `${at}.length`);
      if (e.status === 'ok') fail(spec, `${at} has status 'ok' and a length: a counterexample length is expected only of a violation`, `${at}.length`);
    }
    if (e.constants !== undefined) {
      if (!isPlainObject(e.constants)) fail(spec, `${at}.constants must be an object of constant values`, `${at}.constants`);
      for (const k of Object.keys(e.constants)) {
        if (declared.constants.includes(k)) continue;
        const near = closest(k, declared.constants);
        fail(spec, `${at}.constants.${k}: no such constant${near ? ` (did you mean '${near}'?)` : ''}${declared.constants.length ? `; known: ${declared.constants.join(', ')}` : '; the spec declares none'}`, `${at}.constants.${k}`);
      }
    }
    if (e.options !== undefined) {
      if (!isPlainObject(e.options)) fail(spec, `${at}.options must be an object of check options`, `${at}.options`);
      const o = e.options;
      checkKeys(spec, o, 'expectationOptions', `${at}.options`);
      if (o.deadlock !== undefined && typeof o.deadlock !== 'boolean') fail(spec, `${at}.options.deadlock must be true or false`, `${at}.options.deadlock`);
      if (o.maxDepth !== undefined && (!Number.isInteger(o.maxDepth) || (o.maxDepth as number) < 0)) fail(spec, `${at}.options.maxDepth must be a whole number`, `${at}.options.maxDepth`);
      const names = (key: 'invariants' | 'properties', allowed: readonly string[]) => {
        const list = o[key];
        if (list === undefined) return;
        if (!Array.isArray(list) || list.some((n) => typeof n !== 'string')) fail(spec, `${at}.options.${key} must be an array of names`, `${at}.options.${key}`);
        for (const n of list as string[]) {
          if (allowed.includes(n)) continue;
          const near = closest(n, allowed);
          fail(spec, `${at}.options.${key} names '${n}', which the spec does not declare${near ? ` (did you mean '${near}'?)` : ''}`, `${at}.options.${key}`);
        }
      };
      names('invariants', declared.invariants);
      // `properties` names any kind (the selection rule of check(): docs/properties.md).
      names('properties', [...declared.invariants, ...(declared.assertions ?? []), ...declared.properties, ...(declared.reachable ?? [])]);
    }
  });
}
