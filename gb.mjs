// src/index.ts
import { z as z7 } from "zod";

// src/model/spec.ts
import { z } from "zod";

// src/errors.ts
var ERROR_CATALOGUE = {
  // -- the spec as written --------------------------------------------------------------------------------
  SPEC_INVALID: { kind: "bad-input", meaning: "The value passed to defineSpec is malformed.", fix: "Read the message: it names the field; see the README tutorial for the shape of a spec." },
  SPEC_DUPLICATE_NAME: { kind: "bad-input", meaning: "Two actions, invariants or properties share a name.", fix: "Rename one: names are keys in results, flags and traces." },
  SPEC_INIT_INVALID: { kind: "bad-input", meaning: "An initial state does not match the state schema, or init returned no state.", fix: "Fix init (the message names the field path)." },
  SPEC_ACTION_THREW: { kind: "bad-input", meaning: "An action (its params, guard or effect) threw an exception.", fix: "The message names the action, its parameters and the path of steps that led there; use assert() for expected failures." },
  SPEC_INVARIANT_THREW: { kind: "bad-input", meaning: "An invariant or property predicate threw an exception.", fix: "The message names the predicate and the path to the state." },
  SPEC_BAD_PARAMS: { kind: "bad-input", meaning: "An action's parameter domain is not an array, or is not finite plain data.", fix: "params must return an array of plain values (numbers, strings, booleans, plain objects/arrays of them)." },
  SPEC_BAD_SUCCESSOR: { kind: "bad-input", meaning: "An effect returned something that is not a state of the schema.", fix: "The message names the action and the field path; an effect must return the whole next state (use guard to disable an action)." },
  SPEC_UNFINGERPRINTABLE: { kind: "bad-input", meaning: "A state holds a value that has no canonical form (a function, NaN, a cycle, a class instance).", fix: "Keep states plain data: numbers, booleans, strings, plain objects and arrays, Set and Map." },
  SPEC_MUTATED_STATE: { kind: "bad-input", meaning: "An action or predicate modified the state it was given (always detected in strict mode; by sampling otherwise).", fix: "Return a new object instead: {...s, field: value}; copy arrays before changing them." },
  SPEC_NONDETERMINISTIC: { kind: "bad-input", meaning: "Replaying a recorded path gave a different result: the spec is not a function of its inputs.", fix: "Usual causes: Math.random or Date in an action, iterating a Map/Set whose order changes, mutating the input state, or state kept outside the spec." },
  SPEC_NOT_FOUND: { kind: "bad-input", meaning: "The file exports no spec, or no spec of the requested name.", fix: "Export the value of defineSpec(...); pick one with --spec NAME (the message lists the known names)." },
  SPEC_LOAD_FAILED: { kind: "bad-input", meaning: "The spec file could not be loaded (syntax error, missing import).", fix: "The message shows the file, line and column." },
  UNKNOWN_PROPERTY: { kind: "bad-input", meaning: "An --invariant or --property name is not declared by the spec.", fix: "The message lists the declared names." },
  CONSTANT_INVALID: { kind: "bad-input", meaning: "A constant failed its schema (from --const or from the API).", fix: "The message names the constant and what the schema expects." },
  // -- the command line and files ---------------------------------------------------------------------------
  CLI_USAGE: { kind: "bad-input", meaning: "The command line is malformed: unknown command or flag, missing or bad value.", fix: "Run interleave --help, or interleave COMMAND --help." },
  FILE_NOT_FOUND: { kind: "bad-input", meaning: "A file or folder named on the command line does not exist.", fix: "Check the path." },
  TRACE_INVALID: { kind: "bad-input", meaning: "A trace file is not valid JSON, has the wrong version, or does not match the trace format.", fix: "The message names the step and field; see docs/trace-format.md." },
  ITF_INVALID: { kind: "bad-input", meaning: "An ITF file is malformed or uses an unknown tag.", fix: "The message names the state index and the field path." },
  CHECKPOINT_INVALID: { kind: "bad-input", meaning: "A checkpoint folder is missing, corrupt or belongs to another spec or options.", fix: "Resume with the same spec file, spec name, constants and options, or start afresh." },
  CHECKPOINT_WRITE_FAILED: { kind: "bad-input", meaning: "A checkpoint could not be written (folder not writable, disk full).", fix: "Check the --checkpoint folder and free space; the previous checkpoint in it is still intact." },
  // -- ours ----------------------------------------------------------------------------------------------------
  INTERNAL: { kind: "internal", meaning: "A bug in interleave.", fix: "Please report it with the command and the spec (rerun with --debug for the stack)." }
};
var InterleaveError = class extends Error {
  code;
  details;
  constructor(code, message, details = {}, options) {
    super(message, options);
    this.name = "InterleaveError";
    this.code = code;
    this.details = details;
  }
  get kind() {
    return ERROR_CATALOGUE[this.code].kind;
  }
  toJSON() {
    return { code: this.code, message: this.message, details: this.details };
  }
};
function isInterleaveError(e) {
  return e instanceof InterleaveError || typeof e === "object" && e !== null && e.name === "InterleaveError" && typeof e.code === "string";
}
function describeThrown(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return String(e);
  } catch {
    return "(unprintable value)";
  }
}

// src/model/spec.ts
var NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
var kit = { action: (d) => d };
function fail(spec, message, code = "SPEC_INVALID") {
  throw new InterleaveError(code, `spec '${spec}': ${message}`, { spec });
}
function defineSpec(definition) {
  const d = definition;
  if (typeof d !== "object" || d === null) throw new InterleaveError("SPEC_INVALID", "defineSpec expects an object");
  const name = d.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new InterleaveError("SPEC_INVALID", `defineSpec: 'name' must be an identifier-like string, got ${JSON.stringify(name)}`);
  }
  const constants = d.constants ?? z.object({});
  if (!(constants instanceof z.ZodObject)) fail(name, "'constants' must be a zod object schema (z.object({...}))");
  if (!(d.state instanceof z.ZodObject) && typeof d.state !== "function") {
    fail(name, "'state' must be a zod object schema (z.object({...})) or a function of the constants returning one");
  }
  const stateDef = d.state;
  const stateSchema = (c) => {
    const schema = typeof stateDef === "function" ? stateDef(c) : stateDef;
    if (!(schema instanceof z.ZodObject)) fail(name, "'state' must return a zod object schema (z.object({...}))");
    return schema;
  };
  if (typeof d.init !== "function") fail(name, "'init' must be a function of the constants returning the initial state(s)");
  const rawActions = typeof d.actions === "function" ? d.actions(kit) : d.actions;
  if (typeof rawActions !== "object" || rawActions === null) fail(name, "'actions' must be an object of named actions");
  const actions = [];
  for (const [actionName, a] of Object.entries(rawActions)) {
    if (!NAME.test(actionName)) fail(name, `action name ${JSON.stringify(actionName)} is not an identifier`);
    if (typeof a !== "object" || a === null || typeof a.effect !== "function") {
      fail(name, `action '${actionName}' must be an object with an 'effect' function (and optional 'params', 'guard')`);
    }
    let params = null;
    if (Array.isArray(a.params)) {
      if (a.params.length === 0) fail(name, `action '${actionName}' has an empty parameter domain (params: []), so it can never run`, "SPEC_BAD_PARAMS");
      const fixed = Object.freeze([...a.params]);
      params = () => fixed;
    } else if (typeof a.params === "function") {
      params = a.params;
    } else if (a.params !== void 0) {
      fail(name, `action '${actionName}': 'params' must be an array or a function returning an array`);
    }
    if (a.guard !== void 0 && typeof a.guard !== "function") fail(name, `action '${actionName}': 'guard' must be a function`);
    const fairness = a.fairness ?? "none";
    if (fairness !== "none" && fairness !== "weak" && fairness !== "strong") {
      fail(name, `action '${actionName}': 'fairness' must be 'none', 'weak' or 'strong'`);
    }
    if (a.process !== void 0 && typeof a.process !== "string" && typeof a.process !== "function") {
      fail(name, `action '${actionName}': 'process' must be a string or a function of the parameter`);
    }
    actions.push(
      Object.freeze({
        name: actionName,
        index: actions.length,
        params,
        guard: a.guard ?? null,
        effect: a.effect,
        fairness,
        process: a.process ?? null,
        doc: a.doc
      })
    );
  }
  if (actions.length === 0) fail(name, "a spec needs at least one action");
  const seen = new Set(actions.map((a) => a.name));
  const invariants = [];
  for (const [n, test] of Object.entries(d.invariants ?? {})) {
    if (!NAME.test(n)) fail(name, `invariant name ${JSON.stringify(n)} is not an identifier`);
    if (typeof test !== "function") fail(name, `invariant '${n}' must be a function (state, constants) => boolean`);
    if (seen.has(n)) fail(name, `the name '${n}' is used twice (actions, invariants and properties share one namespace)`, "SPEC_DUPLICATE_NAME");
    seen.add(n);
    invariants.push(Object.freeze({ name: n, test }));
  }
  const properties = [];
  const rawProperties = typeof d.properties === "function" ? d.properties(propertyKit) : d.properties ?? {};
  for (const [n, property] of Object.entries(rawProperties)) {
    if (!NAME.test(n)) fail(name, `property name ${JSON.stringify(n)} is not an identifier`);
    if (typeof property !== "object" || property === null || !["eventually", "leadsTo", "alwaysEventually", "forEach"].includes(property.kind)) {
      fail(name, `property '${n}' must be built with eventually(), leadsTo(), alwaysEventually() or forEach()`);
    }
    if (seen.has(n)) fail(name, `the name '${n}' is used twice (actions, invariants and properties share one namespace)`, "SPEC_DUPLICATE_NAME");
    seen.add(n);
    properties.push(Object.freeze({ name: n, property }));
  }
  if (d.symmetry !== void 0 && (typeof d.symmetry.permutations !== "function" && typeof d.symmetry.size !== "function" || typeof d.symmetry.apply !== "function")) {
    fail(name, "'symmetry' must have an 'apply' function and a 'size' (or 'permutations') function of the constants");
  }
  for (const e of d.expected ?? []) {
    if (e.status !== "ok" && e.status !== "violation") fail(name, "each 'expected' entry needs status 'ok' or 'violation'");
  }
  return Object.freeze({
    kind: "interleave/spec",
    name,
    description: d.description,
    constants,
    stateSchema,
    init: d.init,
    actions: Object.freeze(actions),
    invariants: Object.freeze(invariants),
    properties: Object.freeze(properties),
    symmetry: d.symmetry,
    view: Object.freeze({ ...d.view ?? {} }),
    expected: Object.freeze([...d.expected ?? []]),
    sourceUrl: callerUrl()
  });
}
function callerUrl() {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = /(file:\/\/[^\s)]+?|\/[^\s():]+?\.[cm]?[tj]s):\d+:\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const where = m[1];
    if (/[\\/]src[\\/]model[\\/]spec\.ts$/.test(where)) continue;
    return where.startsWith("file://") ? where : `file://${where}`;
  }
  return void 0;
}
function eventually(p) {
  return { kind: "eventually", p };
}
function leadsTo(p, q2) {
  return { kind: "leadsTo", p, q: q2 };
}
function alwaysEventually(p) {
  return { kind: "alwaysEventually", p };
}
function forEach(domain, body) {
  const fixed = Array.isArray(domain) ? Object.freeze([...domain]) : null;
  return { kind: "forEach", domain: fixed ? () => fixed : domain, body };
}
var propertyKit = {
  eventually,
  leadsTo,
  alwaysEventually,
  forEach: (domain, body) => forEach(domain, body)
};

// src/model/assert.ts
var ASSERTION = /* @__PURE__ */ Symbol.for("interleave/assertion");
var AssertionFailure = class extends Error {
  [ASSERTION] = true;
  property;
  constructor(property, message) {
    super(message);
    this.name = "AssertionFailure";
    this.property = property;
  }
};
function isAssertionFailure(e) {
  return typeof e === "object" && e !== null && e[ASSERTION] === true;
}

// src/model/collections.ts
import { z as z2 } from "zod";
var collectionKinds = z2.registry();
function bag(element, options) {
  const schema = z2.array(element).max(options.max);
  collectionKinds.add(schema, { interleaveCollection: "bag" });
  return schema;
}
function collectionKind(schema) {
  return collectionKinds.get(schema)?.interleaveCollection;
}
var Bag = {
  add(xs, x) {
    return [...xs, x];
  },
  /** Removes one copy of the first element equal to `x` (deep equality on plain data). */
  remove(xs, x) {
    let i = xs.indexOf(x);
    if (i < 0) i = xs.findIndex((y) => deepEqual(y, x));
    const out = xs.slice();
    if (i >= 0) out.splice(i, 1);
    return out;
  },
  /** The distinct elements, in first-seen order (a finite domain for "deliver any message"). */
  distinct(xs) {
    const out = [];
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      let dup = false;
      for (let j = 0; j < out.length; j++) {
        if (deepEqual(x, out[j])) {
          dup = true;
          break;
        }
      }
      if (!dup) out.push(x);
    }
    return out;
  },
  count(xs, x) {
    let n = 0;
    for (const y of xs) if (deepEqual(x, y)) n++;
    return n;
  }
};
function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let na = 0;
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(a, k)) continue;
    na++;
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
  }
  let nb = 0;
  for (const k in b) if (Object.prototype.hasOwnProperty.call(b, k)) nb++;
  return na === nb;
}

// src/checker/seen-set.ts
var MAX_LOAD = 0.6;
var MAX_TYPED_LENGTH = 2 ** 32;
var MAX_STATES = 2 ** 31 - 2;
var CapacityError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "CapacityError";
  }
};
var SeenSet = class {
  table;
  mask;
  size = 0;
  parents;
  labels;
  /** Growing past this many bytes throws CapacityError instead (default: no limit but the platform's). */
  maxBytes = Infinity;
  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap * 3);
    this.mask = cap - 1;
    this.parents = new Int32Array(1024);
    this.labels = new Int32Array(1024);
  }
  get capacity() {
    return this.mask + 1;
  }
  /** Bytes held by the table and the per-state arrays. */
  get bytes() {
    return this.table.byteLength + this.parents.byteLength + this.labels.byteLength;
  }
  /**
   * Inserts a fingerprint. Returns the new id (>= 0) when it was not there, or -1-id of the existing state.
   */
  insert(hi, lo, parent, label) {
    if (this.size + 1 > this.capacity * MAX_LOAD) this.grow();
    const t = this.table;
    let i = (lo ^ Math.imul(hi, 2654435761)) & this.mask;
    for (; ; ) {
      const j = i * 3;
      const id1 = t[j + 2];
      if (id1 === 0) {
        const id = this.size++;
        t[j] = hi;
        t[j + 1] = lo;
        t[j + 2] = id + 1;
        if (id >= this.parents.length) this.growArrays();
        this.parents[id] = parent;
        this.labels[id] = label;
        return id;
      }
      if (t[j] === hi && t[j + 1] === lo) return -id1;
      i = i + 1 & this.mask;
    }
  }
  /** Reads the first slot a fingerprint probes (to bring it into cache before a batch of inserts). */
  peek(hi, lo) {
    return this.table[((lo ^ Math.imul(hi, 2654435761)) & this.mask) * 3 + 2];
  }
  /** The id of a fingerprint, or -1. */
  find(hi, lo) {
    const t = this.table;
    let i = (lo ^ Math.imul(hi, 2654435761)) & this.mask;
    for (; ; ) {
      const j = i * 3;
      const id1 = t[j + 2];
      if (id1 === 0) return -1;
      if (t[j] === hi && t[j + 1] === lo) return id1 - 1;
      i = i + 1 & this.mask;
    }
  }
  grow() {
    const old = this.table;
    const cap = this.capacity * (this.capacity < 1 << 20 ? 4 : 2);
    if (cap * 3 > MAX_TYPED_LENGTH || this.size >= MAX_STATES) {
      throw new CapacityError(`the seen-set cannot hold more than ${Math.floor(this.capacity * MAX_LOAD).toLocaleString("en-US")} states`);
    }
    if (this.bytes + cap * 12 > this.maxBytes) {
      throw new CapacityError(`growing the seen-set to ${Math.round(cap * 12 / 2 ** 20)} MiB would pass the memory limit`);
    }
    const t = allocate(cap * 3);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 3) {
      const id1 = old[j + 2];
      if (id1 === 0) continue;
      const hi = old[j];
      const lo = old[j + 1];
      let i = (lo ^ Math.imul(hi, 2654435761)) & mask;
      while (t[i * 3 + 2] !== 0) i = i + 1 & mask;
      t[i * 3] = hi;
      t[i * 3 + 1] = lo;
      t[i * 3 + 2] = id1;
    }
    this.table = t;
    this.mask = mask;
  }
  growArrays() {
    const n = Math.min(Math.ceil(this.parents.length * 1.5), MAX_STATES + 1);
    if (this.bytes + n * 8 > this.maxBytes) throw new CapacityError("growing the parent table would pass the memory limit");
    const p = allocate(n);
    p.set(this.parents);
    this.parents = p;
    const l = allocate(n);
    l.set(this.labels);
    this.labels = l;
  }
  /** Views of the arrays (valid until the next insert), for a checkpoint. */
  snapshot() {
    return { table: this.table, parents: this.parents.subarray(0, this.size), labels: this.labels.subarray(0, this.size), size: this.size, mask: this.mask };
  }
  /** Replaces the contents with a snapshot's (copies the arrays; validate the snapshot first). */
  restore(snap) {
    this.table = snap.table.slice();
    this.mask = snap.mask;
    this.size = snap.size;
    const n = Math.max(1024, Math.ceil(snap.size * 1.5));
    this.parents = new Int32Array(n);
    this.parents.set(snap.parents.subarray(0, snap.size));
    this.labels = new Int32Array(n);
    this.labels.set(snap.labels.subarray(0, snap.size));
  }
  /** The ids from an initial state to `id`, inclusive. */
  pathTo(id) {
    const path = [];
    let cur = id;
    for (; ; ) {
      path.push(cur);
      const p = this.parents[cur];
      if (p < 0) break;
      cur = p;
    }
    return path.reverse();
  }
};
function allocate(n) {
  try {
    return new Int32Array(n);
  } catch (e) {
    throw new CapacityError(`cannot allocate ${Math.round(n * 4 / 2 ** 20)} MiB for the seen-set (${e instanceof Error ? e.message : String(e)})`);
  }
}
var FP = new Int32Array(2);
function fingerprint(b, off, len) {
  let h1 = 1013904242 ^ len;
  let h2 = 2600822924 ^ Math.imul(len, 2246822507);
  for (let i = off, end = off + len; i < end; i++) {
    let k = b[i];
    k = Math.imul(k, 3432918353);
    k = k << 15 | k >>> 17;
    k = Math.imul(k, 461845907);
    h1 ^= k;
    h1 = h1 << 13 | h1 >>> 19;
    h1 = Math.imul(h1, 5) + 3864292196 | 0;
    let m = b[i] ^ 1540483477;
    m = Math.imul(m, 739982445);
    m = m << 17 | m >>> 15;
    h2 = Math.imul(h2 ^ m, 695872825);
    h2 = h2 << 11 | h2 >>> 21;
    h2 = h2 + 2246822519 | 0;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 2246822507);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 3266489909);
  h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 15;
  h2 = Math.imul(h2, 739982445);
  h2 ^= h2 >>> 12;
  h2 = Math.imul(h2, 695872825);
  h2 ^= h2 >>> 15;
  h2 ^= h1 >>> 7;
  FP[0] = h1;
  FP[1] = h2;
}

// src/checker/plan.ts
var defOf = (s) => s._zod.def;
function checksOf(def) {
  return (def.checks ?? []).map((c) => c._zod.def);
}
function planOf(schema) {
  const kind = collectionKind(schema);
  const def = defOf(schema);
  if (kind !== void 0 && def.type === "array") {
    return { t: "coll", kind, el: planOf(def.element), max: lengthBounds(def).max, js: "array" };
  }
  switch (def.type) {
    case "boolean":
      return { t: "bool" };
    case "number": {
      let lo = -Infinity;
      let hi = Infinity;
      let int = false;
      if (typeof def.format === "string" && /int/.test(def.format)) int = true;
      for (const c of checksOf(def)) {
        if (c.check === "number_format" && /int/.test(c.format)) int = true;
        if (c.check === "greater_than") lo = Math.max(lo, c.inclusive ? c.value : int ? c.value + 1 : c.value);
        if (c.check === "less_than") hi = Math.min(hi, c.inclusive ? c.value : int ? c.value - 1 : c.value);
      }
      if (int && Number.isFinite(lo) && Number.isFinite(hi)) {
        lo = Math.ceil(lo);
        hi = Math.floor(hi);
        return { t: "int", lo, hi };
      }
      return { t: "num", int };
    }
    case "int":
      return { t: "num", int: true };
    case "enum":
      return { t: "enum", values: Object.values(def.entries) };
    case "literal":
      return { t: "enum", values: def.values };
    case "null":
      return { t: "enum", values: [null] };
    case "undefined":
      return { t: "enum", values: [void 0] };
    case "string":
      return { t: "str" };
    case "object": {
      const shape = def.shape;
      const keys = Object.keys(shape);
      const optional = keys.map((k) => defOf(shape[k]).type === "optional");
      return { t: "object", keys, fields: keys.map((k) => planOf(shape[k])), optional };
    }
    case "tuple":
      if (def.rest) return { t: "any" };
      return { t: "tuple", items: def.items.map(planOf) };
    case "array": {
      const { min, max } = lengthBounds(def);
      return { t: "array", el: planOf(def.element), min, max };
    }
    case "set":
      return { t: "coll", kind: "set", el: planOf(def.valueType), max: sizeBound(def), js: "Set" };
    case "map":
      return { t: "map", key: planOf(def.keyType), value: planOf(def.valueType) };
    case "record": {
      const key = planOf(def.keyType);
      const keys = key.t === "enum" && key.values.every((v) => typeof v === "string") ? key.values : null;
      return { t: "record", keys, key, value: planOf(def.valueType) };
    }
    case "optional":
      return { t: "opt", inner: planOf(def.innerType), none: void 0 };
    case "nullable":
      return { t: "opt", inner: planOf(def.innerType), none: null };
    case "default":
    case "prefault":
    case "readonly":
    case "catch":
    case "nonoptional":
      return planOf(def.innerType);
    case "pipe":
      return planOf(def.out ?? def.in);
    case "union":
      return planUnion(def);
    default:
      return { t: "any" };
  }
}
function planUnion(def) {
  const options = def.options.map(planOf);
  if (options.every((o) => o.t === "enum")) {
    return { t: "enum", values: options.flatMap((o) => o.values) };
  }
  const disc = def.discriminator ?? guessDiscriminator(options);
  if (disc !== void 0) {
    const tags = [];
    for (const o of options) {
      if (o.t !== "object") return { t: "any" };
      const i = o.keys.indexOf(disc);
      const f = o.fields[i];
      if (i < 0 || f === void 0 || f.t !== "enum" || f.values.length !== 1) return { t: "any" };
      tags.push(f.values[0]);
    }
    if (new Set(tags).size === tags.length) return { t: "union", disc, tags, options };
  }
  return { t: "any" };
}
function guessDiscriminator(options) {
  const first = options[0];
  if (first === void 0 || first.t !== "object") return void 0;
  for (let i = 0; i < first.keys.length; i++) {
    const key = first.keys[i];
    if (options.every((o) => o.t === "object" && o.fields[o.keys.indexOf(key)]?.t === "enum")) return key;
  }
  return void 0;
}
function lengthBounds(def) {
  let min = 0;
  let max = null;
  for (const c of checksOf(def)) {
    if (c.check === "length_equals") {
      min = c.length;
      max = c.length;
    }
    if (c.check === "min_length") min = Math.max(min, c.minimum);
    if (c.check === "max_length") max = max === null ? c.maximum : Math.min(max, c.maximum);
  }
  return { min, max };
}
function sizeBound(def) {
  let max = null;
  for (const c of checksOf(def)) if (c.check === "max_size") max = max === null ? c.maximum : Math.min(max, c.maximum);
  return max;
}
function bitsFor(n) {
  let bits = 0;
  while (2 ** bits < n) bits++;
  return bits;
}
function packedBits(plan) {
  switch (plan.t) {
    case "bool":
      return 1;
    case "int": {
      const span = plan.hi - plan.lo;
      return span >= 0 && span < 2 ** 31 ? bitsFor(span + 1) : null;
    }
    case "enum":
      return bitsFor(plan.values.length);
    case "object":
    case "tuple": {
      let total = 0;
      for (const f of plan.t === "object" ? plan.fields : plan.items) {
        const b = packedBits(f);
        if (b === null) return null;
        total += b;
      }
      return total;
    }
    case "array": {
      if (plan.max === null) return null;
      const b = packedBits(plan.el);
      return b === null ? null : bitsFor(plan.max + 1) + b * plan.max;
    }
    case "coll": {
      if (plan.max === null) return null;
      const b = packedBits(plan.el);
      return b === null || b > 31 ? null : bitsFor(plan.max + 1) + b * plan.max;
    }
    case "opt": {
      const b = packedBits(plan.inner);
      return b === null ? null : b + 1;
    }
    case "union": {
      let total = bitsFor(plan.tags.length);
      for (const o of plan.options) {
        const b = packedBits(o);
        if (b === null) return null;
        total += b;
      }
      return total;
    }
    case "record": {
      if (plan.keys === null) return null;
      const b = packedBits(plan.value);
      return b === null ? null : b * plan.keys.length;
    }
    default:
      return null;
  }
}

// src/checker/codec.ts
var WordBuffer = class {
  buf;
  len = 0;
  constructor(capacity = 1024) {
    this.buf = new Int32Array(capacity);
  }
  ensure(extra) {
    const need = this.len + extra;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      let next;
      try {
        next = new Int32Array(cap);
      } catch (e) {
        throw new CapacityError(`cannot allocate ${Math.round(cap * 4 / 2 ** 20)} MiB (${e instanceof Error ? e.message : String(e)})`);
      }
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    return this.buf;
  }
};
var CodecError = class extends InterleaveError {
};
function bad(path, value, expected) {
  throw new CodecError("SPEC_BAD_SUCCESSOR", `field '${path || "(state)"}' is ${show(value)}, expected ${expected}`, { field: path || "(state)" });
}
function unfingerprintable(path, value, why) {
  throw new CodecError("SPEC_UNFINGERPRINTABLE", `field '${path || "(state)"}' holds ${show(value)}: ${why}`, { field: path || "(state)" });
}
function show(v) {
  if (v === void 0) return "undefined";
  if (typeof v === "function") return "a function";
  if (typeof v === "number" || typeof v === "boolean" || v === null) return String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}\u2026` : v);
  if (typeof v === "bigint") return `${v}n`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v instanceof Set) return `a Set of size ${v.size}`;
  if (v instanceof Map) return `a Map of size ${v.size}`;
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return `an instance of ${proto?.constructor?.name ?? "a class"}`;
  return "an object";
}
var MAX_PACKED_WORDS = 256;
function compileCodec(schema, options = {}) {
  const plan = planOf(schema);
  const bits = packedBits(plan);
  if (!options.forceDynamic && bits !== null && bits <= MAX_PACKED_WORDS * 24) {
    const packed = compilePacked(plan);
    if (packed.words <= MAX_PACKED_WORDS) return packed;
  }
  return dynamicCodec(plan);
}
var PackedGen = class {
  constructor(limitWords = Infinity) {
    this.limitWords = limitWords;
  }
  limitWords;
  enc = [];
  dec = [];
  consts = [];
  /** `const Bk=K[i];` lines run once when the functions are created, so hot code calls known closures. */
  prelude = [];
  word = 0;
  shift = 0;
  n = 0;
  v(prefix = "v") {
    return `${prefix}${this.n++}`;
  }
  c(value) {
    this.consts.push(value);
    return `K[${this.consts.length - 1}]`;
  }
  /** A constant bound to a local of the generated module (cheaper and inlinable in hot code). */
  bind(value) {
    const name = `B${this.consts.length}`;
    this.prelude.push(`const ${name}=${this.c(value)};`);
    return name;
  }
  alloc(bits) {
    if (bits === 0) return { word: this.word, shift: this.shift, bits };
    if (this.shift + bits > 32) {
      this.word++;
      this.shift = 0;
    }
    if (this.word >= this.limitWords) throw new Error("packed layout too large");
    const slot = { word: this.word, shift: this.shift, bits };
    this.shift += bits;
    return slot;
  }
  get words() {
    return this.shift === 0 ? this.word : this.word + 1;
  }
  /** Emits code storing the non-negative integer expression `code` into a fresh slot; returns the slot. */
  put(code, bits) {
    const s = this.alloc(bits);
    if (bits > 0) this.enc.push(s.shift === 0 ? `w${s.word}|=${code};` : `w${s.word}|=(${code})<<${s.shift};`);
    return s;
  }
  /** Decode expression of a slot; the decoder has loaded word k into local `wk`. */
  get(s) {
    if (s.bits === 0) return "0";
    const mask = s.bits >= 31 ? 2147483647 : (1 << s.bits) - 1;
    if (s.shift + s.bits === 32) return `(w${s.word}>>>${s.shift})`;
    return s.shift === 0 ? `(w${s.word}&${mask})` : `((w${s.word}>>>${s.shift})&${mask})`;
  }
  /** `let w0=0,...` for the encoder; `const w0=b[o],...` for the decoder. */
  wordLocals(kind, words) {
    if (words === 0) return "";
    const parts = Array.from({ length: words }, (_, k) => kind === "enc" ? `w${k}=0` : `w${k}=b[o+${k}]`);
    return `${kind === "enc" ? "let" : "const"} ${parts.join(",")};`;
  }
};
var q = JSON.stringify;
function emit(g, plan, val, path) {
  const out = g.v("d");
  switch (plan.t) {
    case "bool": {
      const s = g.put(`(${val}===true?1:${val}===false?0:F(${q(path)},${val},'a boolean'))`, 1);
      g.dec.push(`const ${out}=${g.get(s)}===1;`);
      return out;
    }
    case "int": {
      const span = plan.hi - plan.lo;
      const t = g.v("t");
      g.enc.push(plan.lo === 0 ? `const ${t}=${val};` : `const ${t}=${val}-(${plan.lo});`);
      g.enc.push(`if(typeof ${val}!=='number'||(${t}>>>0)!==${t}||${t}>${span})F(${q(path)},${val},'an integer in ${plan.lo}..${plan.hi}');`);
      const s = g.put(t, bitsFor(span + 1));
      g.dec.push(plan.lo === 0 ? `const ${out}=${g.get(s)};` : `const ${out}=${g.get(s)}+(${plan.lo});`);
      return out;
    }
    case "enum": {
      const bits = bitsFor(plan.values.length);
      const expected = `one of ${plan.values.map((x) => x === void 0 ? "undefined" : q(x)).join(", ")}`;
      let code;
      if (plan.values.length <= 12) {
        code = plan.values.map((x, i) => `${val}===${x === void 0 ? "undefined" : q(x)}?${i}:`).join("") + `F(${q(path)},${val},${q(expected)})`;
      } else {
        const m = g.bind(new Map(plan.values.map((x, i) => [x, i])));
        code = `(${m}.get(${val})??F(${q(path)},${val},${q(expected)}))`;
      }
      const t = g.v("t");
      g.enc.push(`const ${t}=${code};`);
      const s = g.put(t, bits);
      const values = g.bind(plan.values);
      g.dec.push(`const ${out}=${bits === 0 ? `${values}[0]` : `${values}[${g.get(s)}]`};`);
      return out;
    }
    case "object": {
      g.enc.push(`if(${val}===null||typeof ${val}!=='object')F(${q(path)},${val},'an object');`);
      const parts = [];
      plan.keys.forEach((key, i) => {
        const fv = g.v();
        g.enc.push(`const ${fv}=${val}[${q(key)}];`);
        const dv = emit(g, plan.fields[i], fv, path ? `${path}.${key}` : key);
        parts.push(plan.optional[i] ? `...(${dv}===undefined?{}:{${q(key)}:${dv}})` : `${q(key)}:${dv}`);
      });
      g.dec.push(`const ${out}={${parts.join(",")}};`);
      return out;
    }
    case "record": {
      const keys = plan.keys;
      g.enc.push(`if(${val}===null||typeof ${val}!=='object')F(${q(path)},${val},'an object');`);
      const parts = [];
      for (const key of keys) {
        const fv = g.v();
        g.enc.push(`const ${fv}=${val}[${q(key)}];`);
        const dv = emit(g, plan.value, fv, path ? `${path}.${key}` : key);
        parts.push(`${q(key)}:${dv}`);
      }
      g.dec.push(`const ${out}={${parts.join(",")}};`);
      return out;
    }
    case "tuple": {
      g.enc.push(`if(!Array.isArray(${val})||${val}.length!==${plan.items.length})F(${q(path)},${val},'a tuple of length ${plan.items.length}');`);
      const parts = plan.items.map((item, i) => {
        const fv = g.v();
        g.enc.push(`const ${fv}=${val}[${i}];`);
        return emit(g, item, fv, `${path}[${i}]`);
      });
      g.dec.push(`const ${out}=[${parts.join(",")}];`);
      return out;
    }
    case "array": {
      const max = plan.max;
      const fixed = plan.min === max;
      if (fixed) {
        g.enc.push(`if(!Array.isArray(${val})||${val}.length!==${max})F(${q(path)},${val},'an array of length ${max}');`);
        const parts = [];
        for (let i = 0; i < max; i++) {
          const fv = g.v();
          g.enc.push(`const ${fv}=${val}[${i}];`);
          parts.push(emit(g, plan.el, fv, `${path}[${i}]`));
        }
        g.dec.push(`const ${out}=[${parts.join(",")}];`);
        return out;
      }
      g.enc.push(
        `if(!Array.isArray(${val})||${val}.length>${max}||${val}.length<${plan.min})F(${q(path)},${val},'an array of length ${plan.min}..${max}');`
      );
      const n = g.v("n");
      g.enc.push(`const ${n}=${val}.length;`);
      const s = g.put(n, bitsFor(max + 1));
      const dn = g.v("n");
      g.dec.push(`const ${dn}=${g.get(s)};`, `const ${out}=[];`);
      for (let i = 0; i < max; i++) {
        g.enc.push(`if(${n}>${i}){`);
        g.dec.push(`if(${dn}>${i}){`);
        const fv = g.v();
        g.enc.push(`const ${fv}=${val}[${i}];`);
        const dv = emit(g, plan.el, fv, `${path}[${i}]`);
        g.enc.push("}");
        g.dec.push(`${out}.push(${dv});}`);
      }
      return out;
    }
    case "coll": {
      const max = plan.max;
      const el = compileElement(plan.el, `${path}[]`);
      const encEl = g.bind(el.enc);
      const decEl = g.bind(el.dec);
      const scratch = g.bind(new Int32Array(max));
      const n = g.v("n");
      if (plan.js === "Set") {
        g.enc.push(`if(!(${val} instanceof Set)||${val}.size>${max})F(${q(path)},${val},'a Set of at most ${max} elements');`);
        g.enc.push(`let ${n}=0;for(const x of ${val})${scratch}[${n}++]=${encEl}(x);`);
      } else {
        g.enc.push(`if(!Array.isArray(${val})||${val}.length>${max})F(${q(path)},${val},'an array of at most ${max} elements');`);
        g.enc.push(`let ${n}=${val}.length;for(let i=0;i<${n};i++)${scratch}[i]=${encEl}(${val}[i]);`);
      }
      g.enc.push(`${n}=S(${scratch},${n},${plan.kind === "set"});`);
      const s = g.put(n, bitsFor(max + 1));
      const dn = g.v("n");
      g.dec.push(`const ${dn}=${g.get(s)};`, `const ${out}=[];`);
      for (let i = 0; i < max; i++) {
        const slot = g.alloc(el.bits);
        if (el.bits > 0) {
          g.enc.push(`if(${n}>${i})w${slot.word}|=${slot.shift === 0 ? `${scratch}[${i}]` : `${scratch}[${i}]<<${slot.shift}`};`);
        }
        g.dec.push(`if(${dn}>${i})${out}.push(${decEl}(${g.get(slot)}));`);
      }
      if (plan.js === "Set") {
        const set = g.v("d");
        g.dec.push(`const ${set}=new Set(${out});`);
        return set;
      }
      return out;
    }
    case "opt": {
      const none = plan.none === null ? "null" : "undefined";
      const p = g.v("p");
      g.enc.push(`const ${p}=${val}===${none}?0:1;`);
      if (plan.none === void 0) g.enc.push(`if(${val}===null)F(${q(path)},null,'a value or undefined');`);
      const s = g.put(p, 1);
      g.enc.push(`if(${p}===1){`);
      const dp = g.v("p");
      g.dec.push(`const ${dp}=${g.get(s)};`, `let ${out}=${none};`, `if(${dp}===1){`);
      const dv = emit(g, plan.inner, val, path);
      g.enc.push("}");
      g.dec.push(`${out}=${dv};}`);
      return out;
    }
    case "union": {
      const tagVar = g.v("t");
      const tagExpr = plan.tags.map((x, i) => `${val}[${q(plan.disc)}]===${x === void 0 ? "undefined" : q(x)}?${i}:`).join("") + `F(${q(`${path}.${plan.disc}`)},${val}[${q(plan.disc)}],'a known variant')`;
      g.enc.push(`if(${val}===null||typeof ${val}!=='object')F(${q(path)},${val},'an object');`);
      g.enc.push(`const ${tagVar}=${tagExpr};`);
      const s = g.put(tagVar, bitsFor(plan.tags.length));
      const dt = g.v("t");
      g.dec.push(`const ${dt}=${g.get(s)};`, `let ${out};`);
      plan.options.forEach((option, i) => {
        g.enc.push(`if(${tagVar}===${i}){`);
        g.dec.push(`if(${dt}===${i}){`);
        const dv = emit(g, option, val, path);
        g.enc.push("}");
        g.dec.push(`${out}=${dv};}`);
      });
      return out;
    }
    default:
      throw new Error(`no packed form for ${plan.t}`);
  }
}
function sortCodes(a, n, dedupe) {
  for (let i = 1; i < n; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
  if (!dedupe || n < 2) return n;
  let k = 1;
  for (let i = 1; i < n; i++) if (a[i] !== a[k - 1]) a[k++] = a[i];
  for (let i = k; i < n; i++) a[i] = 0;
  return k;
}
var MEMO_BITS = 12;
function freezeDeep(v) {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    if (v instanceof Set || v instanceof Map) return v;
    for (const k of Object.keys(v)) freezeDeep(v[k]);
    Object.freeze(v);
  }
  return v;
}
function compileElement(plan, path) {
  const g = new PackedGen(1);
  const dv = emit(g, plan, "v", path);
  const bits = packedBits(plan);
  if (g.words > 1 || bits > 31) throw new Error("element too large");
  const enc = new Function("K", "F", "S", `${g.prelude.join("")}return function(v){let w0=0;${g.enc.join("\n")}return w0;};`)(g.consts, bad, sortCodes);
  const decode = new Function("K", `${g.prelude.join("")}return function(c){const w0=c;${g.dec.join("\n")}return ${dv};};`)(g.consts);
  if (bits > MEMO_BITS) return { bits, enc, dec: decode };
  const memo = new Array(2 ** bits);
  const dec = (c) => memo[c] ?? (memo[c] = freezeDeep(decode(c)));
  return { bits, enc, dec };
}
function compilePacked(plan) {
  const g = new PackedGen();
  const dv = emit(g, plan, "s", "");
  const words = Math.max(1, g.words);
  const store = Array.from({ length: words }, (_, i) => `b[o+${i}]=w${i};`).join("");
  const encode = new Function(
    "K",
    "F",
    "S",
    `${g.prelude.join("")}return function encode(s,out){${g.wordLocals("enc", words)}${g.enc.join("\n")}const b=out.ensure(${words}),o=out.len;${store}return ${words};};`
  )(g.consts, bad, sortCodes);
  const decode = new Function("K", `${g.prelude.join("")}return function decode(b,o){${g.wordLocals("dec", words)}${g.dec.join("\n")}return ${dv};};`)(g.consts);
  return { mode: "packed", words, encode, decode };
}
var f64 = new Float64Array(1);
var f64w = new Int32Array(f64.buffer);
var Reader = class {
  constructor(b, i) {
    this.b = b;
    this.i = i;
  }
  b;
  i;
  next() {
    return this.b[this.i++];
  }
};
function dynamicCodec(plan) {
  return {
    mode: "dynamic",
    words: -1,
    encode(state, out) {
      const start = out.len;
      encodeDyn(plan, state, out, "", 0);
      const n = out.len - start;
      out.len = start;
      return n;
    },
    decode(buf, offset) {
      return decodeDyn(plan, new Reader(buf, offset));
    }
  };
}
function push(out, w) {
  const b = out.ensure(1);
  b[out.len++] = w;
}
function pushNumber(out, v, path) {
  if (Number.isNaN(v)) unfingerprintable(path, v, "NaN has no canonical form (NaN !== NaN)");
  if ((v | 0) === v && !Object.is(v, -0)) {
    push(out, 0);
    push(out, v);
  } else {
    f64[0] = v === 0 ? 0 : v;
    push(out, 1);
    push(out, f64w[0]);
    push(out, f64w[1]);
  }
}
function readNumber(r2) {
  if (r2.next() === 0) return r2.next();
  f64w[0] = r2.next();
  f64w[1] = r2.next();
  return f64[0];
}
function pushString(out, s) {
  push(out, s.length);
  for (let i = 0; i < s.length; i += 2) push(out, s.charCodeAt(i) | (i + 1 < s.length ? s.charCodeAt(i + 1) : 0) << 16);
}
function readString(r2) {
  const n = r2.next();
  let s = "";
  for (let i = 0; i < n; i += 2) {
    const w = r2.next();
    s += String.fromCharCode(w & 65535);
    if (i + 1 < n) s += String.fromCharCode(w >>> 16);
  }
  return s;
}
function compareWords(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}
function pushSorted(out, items, dedupe) {
  items.sort(compareWords);
  const kept = dedupe ? items.filter((x, i) => i === 0 || compareWords(items[i - 1], x) !== 0) : items;
  push(out, kept.length);
  for (const x of kept) {
    const b = out.ensure(x.length);
    b.set(x, out.len);
    out.len += x.length;
  }
}
function encodeAlone(plan, v, path, depth) {
  const tmp = new WordBuffer(16);
  encodeDyn(plan, v, tmp, path, depth);
  return tmp.buf.slice(0, tmp.len);
}
var MAX_DEPTH = 200;
function isPlainObject(v) {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
function encodeDyn(plan, v, out, path, depth) {
  if (depth > MAX_DEPTH) unfingerprintable(path.length > 80 ? `${path.slice(0, 80)}\u2026` : path, v, `the value is nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  switch (plan.t) {
    case "bool":
      if (typeof v !== "boolean") bad(path, v, "a boolean");
      return push(out, v ? 1 : 0);
    case "int":
      if (typeof v !== "number" || !Number.isInteger(v) || v < plan.lo || v > plan.hi) bad(path, v, `an integer in ${plan.lo}..${plan.hi}`);
      return pushNumber(out, v, path);
    case "num":
      if (typeof v !== "number") bad(path, v, plan.int ? "an integer" : "a number");
      if (plan.int && !Number.isInteger(v)) bad(path, v, "an integer");
      return pushNumber(out, v, path);
    case "str":
      if (typeof v !== "string") bad(path, v, "a string");
      return pushString(out, v);
    case "enum": {
      const i = plan.values.indexOf(v);
      if (i < 0) bad(path, v, `one of ${plan.values.map((x) => x === void 0 ? "undefined" : q(x)).join(", ")}`);
      return push(out, i);
    }
    case "object":
      if (typeof v !== "object" || v === null) bad(path, v, "an object");
      plan.keys.forEach((k, i) => encodeDyn(plan.fields[i], v[k], out, path ? `${path}.${k}` : k, depth + 1));
      return;
    case "tuple":
      if (!Array.isArray(v) || v.length !== plan.items.length) bad(path, v, `a tuple of length ${plan.items.length}`);
      plan.items.forEach((p, i) => encodeDyn(p, v[i], out, `${path}[${i}]`, depth + 1));
      return;
    case "array":
      if (!Array.isArray(v) || v.length < plan.min || plan.max !== null && v.length > plan.max) {
        bad(path, v, `an array of length ${plan.min}..${plan.max ?? "\u221E"}`);
      }
      push(out, v.length);
      for (let i = 0; i < v.length; i++) encodeDyn(plan.el, v[i], out, `${path}[${i}]`, depth + 1);
      return;
    case "coll": {
      const items = plan.js === "Set" ? v instanceof Set ? [...v] : bad(path, v, "a Set") : Array.isArray(v) ? v : bad(path, v, "an array");
      if (plan.max !== null && items.length > plan.max) bad(path, v, `at most ${plan.max} elements`);
      return pushSorted(
        out,
        items.map((x) => encodeAlone(plan.el, x, `${path}[]`, depth + 1)),
        plan.kind === "set"
      );
    }
    case "opt":
      if (v === plan.none) return push(out, 0);
      if (v === null || v === void 0) bad(path, v, plan.none === null ? "a value or null" : "a value or undefined");
      push(out, 1);
      return encodeDyn(plan.inner, v, out, path, depth);
    case "union": {
      if (typeof v !== "object" || v === null) bad(path, v, "an object");
      const i = plan.tags.indexOf(v[plan.disc]);
      if (i < 0) bad(`${path}.${plan.disc}`, v[plan.disc], "a known variant");
      push(out, i);
      return encodeDyn(plan.options[i], v, out, path, depth);
    }
    case "record": {
      if (!isPlainObject(v)) bad(path, v, "a plain object");
      const keys = Object.keys(v).sort();
      push(out, keys.length);
      for (const k of keys) {
        encodeDyn(plan.key, k, out, path, depth + 1);
        encodeDyn(plan.value, v[k], out, `${path}.${k}`, depth + 1);
      }
      return;
    }
    case "map": {
      if (!(v instanceof Map)) bad(path, v, "a Map");
      const entries = [...v].map(([k, x]) => {
        const tmp = new WordBuffer(16);
        encodeDyn(plan.key, k, tmp, `${path}<key>`, depth + 1);
        encodeDyn(plan.value, x, tmp, `${path}[${String(k)}]`, depth + 1);
        return tmp.buf.slice(0, tmp.len);
      });
      return pushSorted(out, entries, false);
    }
    case "any":
      return encodeAny(v, out, path, depth);
  }
}
function encodeAny(v, out, path, depth) {
  if (depth > MAX_DEPTH) unfingerprintable(path.length > 80 ? `${path.slice(0, 80)}\u2026` : path, v, `the value is nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  if (v === void 0) return push(out, 0);
  if (v === null) return push(out, 1);
  if (v === false) return push(out, 2);
  if (v === true) return push(out, 3);
  if (typeof v === "number") {
    push(out, 4);
    return pushNumber(out, v, path);
  }
  if (typeof v === "string") {
    push(out, 5);
    return pushString(out, v);
  }
  if (Array.isArray(v)) {
    push(out, 6);
    push(out, v.length);
    for (let i = 0; i < v.length; i++) encodeAny(v[i], out, `${path}[${i}]`, depth + 1);
    return;
  }
  if (v instanceof Set) {
    push(out, 7);
    return pushSorted(
      out,
      [...v].map((x) => {
        const tmp = new WordBuffer(16);
        encodeAny(x, tmp, `${path}[]`, depth + 1);
        return tmp.buf.slice(0, tmp.len);
      }),
      true
    );
  }
  if (v instanceof Map) {
    push(out, 8);
    return pushSorted(
      out,
      [...v].map(([k, x]) => {
        const tmp = new WordBuffer(16);
        encodeAny(k, tmp, `${path}<key>`, depth + 1);
        encodeAny(x, tmp, `${path}[${String(k)}]`, depth + 1);
        return tmp.buf.slice(0, tmp.len);
      }),
      false
    );
  }
  if (typeof v === "bigint") {
    push(out, 10);
    return pushString(out, v.toString());
  }
  if (isPlainObject(v)) {
    push(out, 9);
    const keys = Object.keys(v).sort();
    push(out, keys.length);
    for (const k of keys) {
      pushString(out, k);
      encodeAny(v[k], out, `${path}.${k}`, depth + 1);
    }
    return;
  }
  if (typeof v === "function") unfingerprintable(path, v, "functions cannot be part of a state");
  if (typeof v === "symbol") unfingerprintable(path, v, "symbols cannot be part of a state");
  unfingerprintable(path, v, "class instances cannot be part of a state (use plain objects)");
}
function decodeAny(r2) {
  switch (r2.next()) {
    case 0:
      return void 0;
    case 1:
      return null;
    case 2:
      return false;
    case 3:
      return true;
    case 4:
      return readNumber(r2);
    case 5:
      return readString(r2);
    case 6: {
      const n = r2.next();
      const a = [];
      for (let i = 0; i < n; i++) a.push(decodeAny(r2));
      return a;
    }
    case 7: {
      const n = r2.next();
      const s = /* @__PURE__ */ new Set();
      for (let i = 0; i < n; i++) s.add(decodeAny(r2));
      return s;
    }
    case 8: {
      const n = r2.next();
      const m = /* @__PURE__ */ new Map();
      for (let i = 0; i < n; i++) {
        const k = decodeAny(r2);
        m.set(k, decodeAny(r2));
      }
      return m;
    }
    case 9: {
      const n = r2.next();
      const o = {};
      for (let i = 0; i < n; i++) {
        const k = readString(r2);
        o[k] = decodeAny(r2);
      }
      return o;
    }
    case 10:
      return BigInt(readString(r2));
    default:
      throw new InterleaveError("INTERNAL", "corrupt dynamic encoding");
  }
}
function decodeDyn(plan, r2) {
  switch (plan.t) {
    case "bool":
      return r2.next() === 1;
    case "int":
    case "num":
      return readNumber(r2);
    case "str":
      return readString(r2);
    case "enum":
      return plan.values[r2.next()];
    case "object": {
      const o = {};
      plan.keys.forEach((k, i) => {
        const x = decodeDyn(plan.fields[i], r2);
        if (!(plan.optional[i] && x === void 0)) o[k] = x;
      });
      return o;
    }
    case "tuple":
      return plan.items.map((p) => decodeDyn(p, r2));
    case "array": {
      const n = r2.next();
      const a = [];
      for (let i = 0; i < n; i++) a.push(decodeDyn(plan.el, r2));
      return a;
    }
    case "coll": {
      const n = r2.next();
      const a = [];
      for (let i = 0; i < n; i++) a.push(decodeDyn(plan.el, r2));
      return plan.js === "Set" ? new Set(a) : a;
    }
    case "opt":
      return r2.next() === 0 ? plan.none : decodeDyn(plan.inner, r2);
    case "union":
      return decodeDyn(plan.options[r2.next()], r2);
    case "record": {
      const n = r2.next();
      const o = {};
      for (let i = 0; i < n; i++) {
        const k = decodeDyn(plan.key, r2);
        o[k] = decodeDyn(plan.value, r2);
      }
      return o;
    }
    case "map": {
      const n = r2.next();
      const m = /* @__PURE__ */ new Map();
      for (let i = 0; i < n; i++) {
        const k = decodeDyn(plan.key, r2);
        m.set(k, decodeDyn(plan.value, r2));
      }
      return m;
    }
    case "any":
      return decodeAny(r2);
  }
}

// src/checker/checkpoint.ts
function searchKey(input) {
  const o = input.options;
  const text = stableJson({
    spec: input.spec,
    constants: input.constants,
    strategy: o.strategy,
    invariants: input.invariants,
    deadlock: o.deadlock,
    maxDepth: o.maxDepth,
    actions: input.actions,
    codec: input.codec,
    seed: input.seed
  });
  const words = new Int32Array(Math.ceil(text.length / 2) + 1);
  for (let i = 0; i < text.length; i++) words[i >> 1] |= text.charCodeAt(i) << (i & 1) * 16;
  fingerprint(words, 0, words.length);
  return `${(FP[0] >>> 0).toString(16).padStart(8, "0")}${(FP[1] >>> 0).toString(16).padStart(8, "0")}`;
}
function stableJson(value) {
  return JSON.stringify(
    value,
    (_k, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v
  );
}
function validateSnapshot(snap, key, describe, actionCount) {
  const bad2 = (why) => {
    throw new InterleaveError("CHECKPOINT_INVALID", `checkpoint is not usable: ${why}`, { spec: snap?.spec });
  };
  if (!snap || snap.version !== 1) bad2(`unknown snapshot version ${String(snap?.version)}`);
  if (snap.key !== key) {
    throw new InterleaveError(
      "CHECKPOINT_INVALID",
      `checkpoint belongs to another search (spec '${snap.spec}', constants ${stableJson(snap.constants)}); this run is ${describe}. Resume with the same spec, constants and options, or start afresh`,
      { spec: snap.spec }
    );
  }
  const { table, parents, labels, size, mask } = snap.seen;
  if (!(table instanceof Int32Array) || !(parents instanceof Int32Array) || !(labels instanceof Int32Array) || !(snap.frontier instanceof Int32Array)) bad2("arrays missing");
  if (!Number.isInteger(mask) || mask < 0 || (mask + 1 & mask) !== 0 || table.length !== (mask + 1) * 3) bad2("seen-set table size does not match its mask");
  if (!Number.isInteger(size) || size < 0 || size > mask + 1 || parents.length < size || labels.length < size) bad2("seen-set arrays are shorter than its size");
  let used = 0;
  for (let j = 2; j < table.length; j += 3) {
    const id1 = table[j];
    if (id1 === 0) continue;
    used++;
    if (id1 < 0 || id1 > size) bad2("seen-set table holds an id out of range");
  }
  if (used !== size) bad2(`seen-set table holds ${used} states, expected ${size}`);
  for (let i = 0; i < size; i++) {
    const p = parents[i];
    if (p >= i || p < 0 && labels[i] !== -1) bad2(`state ${i} has an impossible parent`);
    if (p >= 0 && (labels[i] < 0 || labels[i] % actionCount >= actionCount)) bad2(`state ${i} has an impossible step label`);
  }
  const f = snap.frontier;
  for (let i = 0; i < f.length; ) {
    if (i + 3 > f.length) bad2("frontier record is truncated");
    const id = f[i];
    const len = f[i + 2];
    if (id < 0 || id >= size || f[i + 1] < 0 || len < 0 || i + 3 + len > f.length) bad2(`frontier record at word ${i} is corrupt`);
    i += 3 + len;
  }
  if (!Number.isSafeInteger(snap.generated) || snap.generated < size) bad2("generated count is smaller than the distinct count");
  if (!Number.isInteger(snap.depth) || snap.depth < 0 || !(snap.seconds >= 0)) bad2("depth or seconds out of range");
}

// src/checker/constants.ts
function resolveConstants(spec, raw = {}) {
  const known = Object.keys(spec.constants.shape ?? {});
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) {
      throw new InterleaveError(
        "CONSTANT_INVALID",
        `spec '${spec.name}' has no constant '${k}'${known.length ? ` (known: ${known.join(", ")})` : " (it declares none)"}`,
        { spec: spec.name, field: k, known }
      );
    }
  }
  const parsed = spec.constants.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".") || "(constants)";
    throw new InterleaveError("CONSTANT_INVALID", `spec '${spec.name}': constant '${field}': ${issue.message}`, {
      spec: spec.name,
      field,
      value: raw[String(issue.path[0])]
    });
  }
  return Object.freeze(parsed.data);
}
function formatPath(path) {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(state)";
}

// src/checker/runtime.ts
var UNIT = Object.freeze([null]);
function formatStep(action, params) {
  if (params === null || params === void 0) return action;
  let text;
  try {
    text = JSON.stringify(params, (_k, v) => v instanceof Set ? [...v] : v instanceof Map ? Object.fromEntries(v) : v);
  } catch {
    text = String(params);
  }
  return `${action}(${text})`;
}
var SpecRuntime = class {
  spec;
  constants;
  codec;
  schema;
  actions;
  invariants;
  scratch = new WordBuffer(256);
  strict;
  constructor(spec, options = {}) {
    this.spec = spec;
    this.constants = resolveConstants(spec, options.constants);
    this.strict = options.strict ?? false;
    this.schema = spec.stateSchema(this.constants);
    try {
      this.codec = compileCodec(this.schema, { forceDynamic: options.forceDynamicCodec });
    } catch (e) {
      if (isInterleaveError(e)) throw e;
      throw new InterleaveError("INTERNAL", `cannot compile a codec for spec '${spec.name}': ${describeThrown(e)}`, { spec: spec.name }, { cause: e });
    }
    this.actions = spec.actions;
    if (options.invariants !== void 0) {
      const known = spec.invariants.map((i) => i.name);
      const picked = [];
      for (const name of options.invariants) {
        const inv = spec.invariants.find((i) => i.name === name);
        if (!inv) {
          throw new InterleaveError(
            "UNKNOWN_PROPERTY",
            `spec '${spec.name}' has no invariant '${name}' (known: ${known.length ? known.join(", ") : "none"})`,
            { spec: spec.name, known }
          );
        }
        if (!picked.includes(inv)) picked.push(inv);
      }
      this.invariants = picked;
    } else {
      this.invariants = spec.invariants;
    }
  }
  /** The initial states, validated against the schema and put in canonical form. */
  initialStates() {
    let raw;
    try {
      raw = this.spec.init(this.constants);
    } catch (e) {
      throw new InterleaveError("SPEC_INIT_INVALID", `spec '${this.spec.name}': init threw ${describeThrown(e)}`, { spec: this.spec.name }, { cause: e });
    }
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length === 0) throw new InterleaveError("SPEC_INIT_INVALID", `spec '${this.spec.name}': init returned no state`, { spec: this.spec.name });
    return list.map((s, i) => {
      const parsed = this.schema.safeParse(s);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = formatPath(issue.path);
        throw new InterleaveError(
          "SPEC_INIT_INVALID",
          `spec '${this.spec.name}': initial state ${list.length > 1 ? `#${i} ` : ""}field '${field}': ${issue.message}`,
          { spec: this.spec.name, field }
        );
      }
      return this.canonical(parsed.data);
    });
  }
  /** Encodes a state into the scratch buffer (at 0) and returns its length; fingerprint left in FP. */
  encode(state) {
    this.scratch.len = 0;
    const len = this.codec.encode(state, this.scratch);
    fingerprint(this.scratch.buf, 0, len);
    return len;
  }
  /** The state in canonical form (bags and sets in canonical order, optional fields normalised). */
  canonical(state) {
    const len = this.encode(state);
    const out = this.codec.decode(this.scratch.buf, 0, len);
    return this.strict ? deepFreeze(out) : out;
  }
  /** The parameter domain of an action in a state (a one-element domain for actions without parameters). */
  domain(action, state) {
    if (action.params === null) return UNIT;
    const d = action.params(state, this.constants);
    if (!Array.isArray(d)) {
      throw new InterleaveError("SPEC_BAD_PARAMS", `action '${action.name}': params returned ${d === null ? "null" : typeof d}, expected an array`, {
        spec: this.spec.name,
        action: action.name
      });
    }
    return d;
  }
  /** Runs one step. Returns the next state; throws AssertionFailure or an error describing the action. */
  step(action, state, param) {
    const next = action.effect(state, this.constants, action.params === null ? void 0 : param);
    if (typeof next !== "object" || next === null) {
      throw new InterleaveError(
        "SPEC_BAD_SUCCESSOR",
        `action '${formatStep(action.name, param)}' returned ${next === null ? "null" : typeof next}, expected the next state (use guard to disable an action)`,
        { spec: this.spec.name, action: action.name, params: param }
      );
    }
    return next;
  }
  enabled(action, state, param) {
    return action.guard === null || action.guard(state, this.constants, action.params === null ? void 0 : param) === true;
  }
  /** Validates a successor against the zod schema (strict mode and replay); throws SPEC_BAD_SUCCESSOR. */
  validate(state, action, param) {
    const parsed = this.schema.safeParse(state);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = formatPath(issue.path);
      throw new InterleaveError("SPEC_BAD_SUCCESSOR", `action '${formatStep(action, param)}' produced a state whose field '${field}' is invalid: ${issue.message}`, {
        spec: this.spec.name,
        action,
        params: param,
        field
      });
    }
  }
  /** The first invariant (among those selected) that fails in `state`, or null. */
  failingInvariant(state) {
    const invs = this.invariants;
    for (let i = 0; i < invs.length; i++) {
      const inv = invs[i];
      let ok;
      try {
        ok = inv.test(state, this.constants);
      } catch (e) {
        throw new InterleaveError("SPEC_INVARIANT_THREW", `${this.named(`invariant '${inv.name}'`)} threw ${describeThrown(e)}`, { spec: this.spec.name, predicate: inv.name }, { cause: e });
      }
      if (ok !== true) return inv;
    }
    return null;
  }
  /** Splits a label into action and parameter index. */
  label(action, paramIndex) {
    return action + this.actions.length * paramIndex;
  }
  /**
   * Rebuilds a trace from an initial state and a list of labels, checking at each step that the state reached
   * has the fingerprint the search recorded (`expect`, optional). A mismatch is SPEC_NONDETERMINISTIC.
   */
  replayLabels(initial, labels, expect) {
    const steps = [{ action: "init", params: null, state: initial }];
    let state = initial;
    const n = this.actions.length;
    labels.forEach((label, k) => {
      const action = this.actions[label % n];
      const pi = Math.floor(label / n);
      const where = `step ${k + 1} (${action.name})`;
      const dom = this.domain(action, state);
      if (pi >= dom.length) {
        throw nondeterministic(this.spec.name, k + 1, `${where}: the parameter domain shrank on replay (it had more than ${dom.length} elements during the search)`, action.name);
      }
      const param = action.params === null ? null : dom[pi];
      if (!this.enabled(action, state, param)) {
        throw nondeterministic(this.spec.name, k + 1, `${where}: the guard of '${formatStep(action.name, param)}' was false on replay but true during the search`, action.name);
      }
      const before = state;
      state = this.canonical(this.step(action, state, param));
      if (expect && !expect(k + 1, FP[0], FP[1])) {
        let field = "";
        try {
          const copy = this.codec.decode(this.scratch.buf, 0, this.encode(before));
          const again = this.canonical(this.step(action, copy, param));
          const changed = firstDifference(before, copy);
          const d = firstDifference(state, again);
          if (changed) field = `; it modifies the state it was given (field '${changed.field}' changed from ${changed.left} to ${changed.right}): return a new state instead, and run with --strict to catch this where it happens`;
          else if (d) field = `; evaluated twice on the same state, field '${d.field}' was ${d.left} then ${d.right}`;
          else field = "; evaluated twice on replay it agrees with itself, so it depends on something that changed since the search (a variable outside the spec?)";
        } catch {
        }
        throw nondeterministic(this.spec.name, k + 1, `${where}: '${formatStep(action.name, param)}' produced a different state on replay than during the search${field}`, action.name);
      }
      steps.push({ action: action.name, params: param ?? null, state });
    });
    return { steps };
  }
  /** Describes an action failure as an error with the path that led there. */
  actionError(e, action, param, path) {
    const at = formatStep(action.name, param);
    const via = path.length ? `, after ${path.join(" \u2192 ")}` : ", in an initial state";
    if (isInterleaveError(e) && e.code === "SPEC_INVARIANT_THREW") {
      return new InterleaveError(e.code, `${this.named(e.message)}, in the state reached by ${[...path, at].join(" \u2192 ")}`, { ...e.details, spec: this.spec.name, path: [...path, at] }, { cause: e });
    }
    if (isInterleaveError(e)) {
      const details = { ...e.details, spec: this.spec.name, action: action.name, params: param, path };
      const msg = e.message.startsWith("action ") ? e.message : `action '${at}': ${e.message}`;
      return new InterleaveError(e.code, `${this.named(msg)}${via}`, details, { cause: e });
    }
    if (e instanceof TypeError && /read.only|not extensible|Cannot assign|Cannot add property|Cannot delete/i.test(e.message)) {
      const field = /property '([^']*)'/.exec(e.message)?.[1];
      return new InterleaveError("SPEC_MUTATED_STATE", `${this.named(`action '${at}'`)} modified the state it was given (${e.message}; strict mode freezes states)${via}`, { spec: this.spec.name, action: action.name, params: param, path, ...field ? { field } : {} }, { cause: e });
    }
    return new InterleaveError("SPEC_ACTION_THREW", `${this.named(`action '${at}'`)} threw ${describeThrown(e)}${via}`, { spec: this.spec.name, action: action.name, params: param, path }, { cause: e });
  }
  /** Prefixes a message with the spec's name (once). */
  named(message) {
    return message.startsWith("spec ") ? message : `spec '${this.spec.name}': ${message}`;
  }
};
function nondeterministic(spec, step, message, action) {
  const field = /field '([^']*)'/.exec(message)?.[1];
  return new InterleaveError(
    "SPEC_NONDETERMINISTIC",
    `spec '${spec}' is not deterministic: ${message}. Usual causes: Math.random or Date in an action, iterating a Map/Set in changing order, mutating the input state, or state kept outside the spec.`,
    { spec, step, ...action ? { action } : {}, ...field ? { field } : {} }
  );
}
function deepFreeze(value) {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const [k, v] of value) deepFreeze(k), deepFreeze(v);
    else if (value instanceof Set) for (const v of value) deepFreeze(v);
    else for (const k of Object.keys(value)) deepFreeze(value[k]);
  }
  return value;
}

// src/checker/diagnose.ts
function show2(v) {
  if (typeof v === "function") return "a function";
  if (v instanceof Set) return `Set(${v.size})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === void 0) return String(v);
  try {
    const t = JSON.stringify(v);
    return t === void 0 ? String(v) : t.length > 60 ? `${t.slice(0, 60)}\u2026` : t;
  } catch {
    return Object.prototype.toString.call(v);
  }
}
function firstDifference(a, b, path = "") {
  const here = () => ({ field: path || "(state)", left: show2(a), right: show2(b) });
  if (Object.is(a, b)) return null;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return here();
  if (Array.isArray(a) !== Array.isArray(b) || a instanceof Map !== b instanceof Map || a instanceof Set !== b instanceof Set) return here();
  if (Array.isArray(a)) {
    const bb = b;
    if (a.length !== bb.length) return { field: `${path || "(state)"}.length`, left: String(a.length), right: String(bb.length) };
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], bb[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a instanceof Set) {
    const bs = b;
    if (a.size !== bs.size) return { field: `${path || "(state)"}.size`, left: String(a.size), right: String(bs.size) };
    const x = [...a];
    const y = [...bs];
    for (let i = 0; i < x.length; i++) {
      const d = firstDifference(x[i], y[i], `${path}{${i}}`);
      if (d) return here();
    }
    return null;
  }
  if (a instanceof Map) {
    const bm = b;
    if (a.size !== bm.size) return { field: `${path || "(state)"}.size`, left: String(a.size), right: String(bm.size) };
    for (const [k, v] of a) {
      if (!bm.has(k)) return { field: `${path}.get(${show2(k)})`, left: show2(v), right: "absent" };
      const d = firstDifference(v, bm.get(k), `${path}.get(${show2(k)})`);
      if (d) return d;
    }
    return null;
  }
  const keys = /* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return null;
}
function mutationError(rt, words, path) {
  const via = path.length ? `, after ${path.join(" \u2192 ")}` : ", in an initial state";
  const pristine = rt.codec.decode(words, 0, words.length);
  for (const action of rt.actions) {
    let dom;
    try {
      dom = rt.domain(action, rt.codec.decode(words, 0, words.length));
    } catch {
      continue;
    }
    for (let pi = 0; pi < dom.length; pi++) {
      const copy = rt.codec.decode(words, 0, words.length);
      const param = action.params === null ? null : dom[pi];
      try {
        if (rt.enabled(action, copy, param)) action.effect(copy, rt.constants, action.params === null ? void 0 : param);
      } catch {
      }
      const d = firstDifference(pristine, copy);
      if (d) {
        return new InterleaveError(
          "SPEC_MUTATED_STATE",
          `${rt.named(`action '${formatStep(action.name, param)}'`)} modified the state it was given: field '${d.field}' changed from ${d.left} to ${d.right}${via}`,
          { spec: rt.spec.name, action: action.name, params: param, field: d.field, path }
        );
      }
    }
  }
  return new InterleaveError("SPEC_MUTATED_STATE", `${rt.named("a step")} modified the state it was given (its encoding changed while its successors were computed)${via}`, {
    spec: rt.spec.name,
    path
  });
}

// src/checker/frontier.ts
function restoreFrontier(f, records) {
  for (let p = 0; p < records.length; ) {
    const len = records[p + 2];
    f.push(records[p], records[p + 1], records.subarray(p + 3, p + 3 + len), len);
    p += 3 + len;
  }
}
var QueueFrontier = class {
  q = new WordBuffer(1 << 12);
  head = 0;
  count = 0;
  get buf() {
    return this.q.buf;
  }
  get bytes() {
    return this.q.buf.byteLength;
  }
  push(id, depth, words, len, offset = 0) {
    const q2 = this.q;
    if (q2.len + len + 3 > q2.buf.length && this.head > q2.buf.length / 2) {
      q2.buf.copyWithin(0, this.head, q2.len);
      q2.len -= this.head;
      this.head = 0;
    }
    const b = q2.ensure(len + 3);
    const p = q2.len;
    b[p] = id;
    b[p + 1] = depth;
    b[p + 2] = len;
    for (let i = 0; i < len; i++) b[p + 3 + i] = words[offset + i];
    q2.len = p + 3 + len;
    this.count++;
  }
  snapshot() {
    return this.q.buf.slice(this.head, this.q.len);
  }
  take() {
    if (this.head >= this.q.len) return -1;
    const at = this.head;
    this.head = at + 3 + this.q.buf[at + 2];
    this.count--;
    return at;
  }
  size() {
    return this.count;
  }
};
var StackFrontier = class {
  q = new WordBuffer(1 << 12);
  count = 0;
  get buf() {
    return this.q.buf;
  }
  get bytes() {
    return this.q.buf.byteLength;
  }
  push(id, depth, words, len, offset = 0) {
    const q2 = this.q;
    const b = q2.ensure(len + 4);
    const p = q2.len;
    b[p] = id;
    b[p + 1] = depth;
    b[p + 2] = len;
    for (let i = 0; i < len; i++) b[p + 3 + i] = words[offset + i];
    b[p + 3 + len] = p;
    q2.len = p + 4 + len;
    this.count++;
  }
  snapshot() {
    const out = new WordBuffer(Math.max(16, this.q.len));
    const b = this.q.buf;
    for (let p = 0; p < this.q.len; ) {
      const len = b[p + 2];
      const o = out.ensure(len + 3);
      o.set(b.subarray(p, p + 3 + len), out.len);
      out.len += len + 3;
      p += len + 4;
    }
    return out.buf.slice(0, out.len);
  }
  take() {
    const q2 = this.q;
    if (q2.len === 0) return -1;
    const at = q2.buf[q2.len - 1];
    q2.len = at;
    this.count--;
    return at;
  }
  size() {
    return this.count;
  }
};
function frontierFor(strategy) {
  return strategy === "dfs" ? new StackFrontier() : new QueueFrontier();
}

// src/checker/symmetry.ts
function allPermutations(n) {
  if (!Number.isInteger(n) || n < 0 || n > 8) {
    throw new InterleaveError("SPEC_INVALID", `symmetry: size must be an integer from 0 to 8 (8! = 40,320 permutations), got ${n}`);
  }
  const out = [];
  const cur = [];
  const used = new Array(n).fill(false);
  const rec = () => {
    if (cur.length === n) {
      out.push([...cur]);
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      cur.push(i);
      rec();
      cur.pop();
      used[i] = false;
    }
  };
  rec();
  return out;
}
function permutationsOf(symmetry, constants) {
  const perms = symmetry.permutations ? symmetry.permutations(constants).map((p) => [...p]) : allPermutations(symmetry.size(constants));
  return perms.filter((p) => !p.every((v, i) => v === i));
}
var SymmetryReducer = class {
  constructor(symmetry, codec, constants) {
    this.symmetry = symmetry;
    this.codec = codec;
    this.constants = constants;
    this.perms = permutationsOf(symmetry, constants);
  }
  symmetry;
  codec;
  constants;
  perms;
  tmp = new WordBuffer(256);
  /** Permutations (identity included) that map the last state encoded to itself. */
  fixed = 1;
  /** The group's order (identity included). */
  get order() {
    return this.perms.length + 1;
  }
  /** The size of the last encoded state's symmetry class. */
  orbitSize() {
    return this.order / this.fixed;
  }
  /** Writes the representative's words at out[0..len) and returns len (out.len is left at 0). */
  encode(state, out) {
    out.len = 0;
    const len0 = this.codec.encode(state, out);
    let best = len0;
    let fixed = 1;
    const tmp = this.tmp;
    const perms = this.perms;
    tmp.len = 0;
    const id = tmp.ensure(len0 * 2 + 16);
    for (let i = 0; i < len0; i++) id[i] = out.buf[i];
    for (let k = 0; k < perms.length; k++) {
      let image;
      try {
        image = this.symmetry.apply(state, perms[k], this.constants);
      } catch (e) {
        throw new InterleaveError("SPEC_ACTION_THREW", `symmetry.apply threw ${describeThrown(e)} for permutation [${perms[k].join(", ")}]`, {}, { cause: e });
      }
      tmp.len = len0;
      const len = this.codec.encode(image, tmp);
      const b = tmp.buf;
      if (len === len0) {
        let same = true;
        for (let i = 0; i < len; i++) {
          if (b[len0 + i] !== b[i]) {
            same = false;
            break;
          }
        }
        if (same) {
          fixed++;
          continue;
        }
      }
      let cmp = len - best;
      if (cmp === 0) {
        const o = out.buf;
        for (let i = 0; i < len; i++) {
          const d = b[len0 + i] - o[i];
          if (d !== 0) {
            cmp = d;
            break;
          }
        }
      }
      if (cmp < 0) {
        const o = out.ensure(len);
        for (let i = 0; i < len; i++) o[i] = b[len0 + i];
        best = len;
      }
    }
    out.len = 0;
    this.fixed = fixed;
    return best;
  }
};

// src/checker/coverage.ts
var CoverageCounters = class {
  constructor(actions) {
    this.actions = actions;
    this.enabled = new Float64Array(actions.length);
    this.taken = new Float64Array(actions.length);
    this.fresh = new Float64Array(actions.length);
  }
  actions;
  enabled;
  taken;
  fresh;
  report(vacuous = []) {
    const actions = this.actions.map((a, i) => ({ action: a.name, enabled: this.enabled[i], taken: this.taken[i], newStates: this.fresh[i] }));
    return { actions, neverEnabled: actions.filter((a) => a.enabled === 0).map((a) => a.action), vacuous };
  }
};
function coverageWarnings(c) {
  const out = [];
  for (const a of c.neverEnabled) out.push(`action '${a}' was never enabled`);
  for (const p of c.vacuous) out.push(`property ${p} holds vacuously: its premise never held`);
  return out;
}

// src/checker/state-graph.ts
function grow(a, need) {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
var StateGraph = class {
  constructor(actions, constants, predicates = [], keep = false) {
    this.actions = actions;
    this.constants = constants;
    this.predicates = predicates;
    this.bits = predicates.map(() => new Uint8Array(1024));
    this.kept = keep ? [] : null;
    this.params = keep ? [] : null;
  }
  actions;
  constants;
  predicates;
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  label = new Int32Array(1024);
  group = new Int32Array(1024);
  edges = 0;
  states = 0;
  initial = [];
  /** Group names (`p0`, `system`, `action:fillBig`) and kinds (1 weak, 2 strong). */
  groupNames = [];
  groupKinds = [];
  groupIds = /* @__PURE__ */ new Map();
  /** bits[k][id] = predicate k holds in state id. */
  bits;
  /** The states themselves, when kept (graph export). */
  kept;
  /** Per edge: the parameter, when kept (graph export). */
  params;
  // CSR, after finish(): out-edges of v are edge indices outEdges[outStart[v] .. outStart[v+1]).
  outStart = new Int32Array(0);
  outEdges = new Int32Array(0);
  state(id, s, initial) {
    if (initial) this.initial.push(id);
    if (id >= this.states) this.states = id + 1;
    for (let k = 0; k < this.predicates.length; k++) {
      let b = this.bits[k];
      if (id >= b.length) {
        const nb = new Uint8Array(Math.max(id + 1, b.length * 2));
        nb.set(b);
        this.bits[k] = b = nb;
      }
      b[id] = this.predicates[k](s, this.constants) === true ? 1 : 0;
    }
    if (this.kept) this.kept[id] = s;
  }
  edge(from, to, action, paramIndex, param) {
    const e = this.edges++;
    if (e >= this.from.length) {
      this.from = grow(this.from, e + 1);
      this.to = grow(this.to, e + 1);
      this.label = grow(this.label, e + 1);
      this.group = grow(this.group, e + 1);
    }
    this.from[e] = from;
    this.to[e] = to;
    this.label[e] = action + this.actions.length * paramIndex;
    this.group[e] = this.groupOf(action, param);
    if (this.params) this.params[e] = param;
  }
  groupOf(a, param) {
    const action = this.actions[a];
    if (action.fairness === "none") return -1;
    const proc = action.process;
    const name = proc === null ? `action:${action.name}` : typeof proc === "string" ? proc : proc(param, this.constants);
    const key = `${action.fairness}:${name}`;
    let g = this.groupIds.get(key);
    if (g === void 0) {
      g = this.groupNames.length;
      this.groupIds.set(key, g);
      this.groupNames.push(name);
      this.groupKinds.push(action.fairness === "strong" ? 2 : 1);
    }
    return g;
  }
  /** The action index of edge e. */
  actionOf(e) {
    return this.label[e] % this.actions.length;
  }
  /** Builds the out-adjacency (edge indices grouped by source state). */
  finish() {
    const n = this.states;
    const start = new Int32Array(n + 1);
    for (let e = 0; e < this.edges; e++) start[this.from[e] + 1]++;
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    const fill = start.slice(0, n);
    const out = new Int32Array(this.edges);
    for (let e = 0; e < this.edges; e++) out[fill[this.from[e]]++] = e;
    this.outStart = start;
    this.outEdges = out;
  }
};

// src/checker/liveness.ts
function expandProperties(props, constants, predicates) {
  const out = [];
  const visit = (name, prop, bindings) => {
    if (prop.kind === "forEach") {
      for (const x of prop.domain(constants)) visit(name, prop.body(x, constants), [...bindings, formatBinding(x)]);
      return;
    }
    const p = predicates.push(prop.p) - 1;
    const q2 = prop.kind === "leadsTo" ? predicates.push(prop.q) - 1 : -1;
    out.push({
      property: name,
      binding: bindings.length === 0 ? "" : bindings.length === 1 ? `i = ${bindings[0]}` : `(${bindings.join(", ")})`,
      kind: prop.kind,
      p,
      q: q2,
      pred: { p: prop.p, q: prop.kind === "leadsTo" ? prop.q : null }
    });
  };
  for (const { name, property } of props) visit(name, property, []);
  return out;
}
function formatBinding(x) {
  try {
    return typeof x === "string" ? x : JSON.stringify(x);
  } catch {
    return String(x);
  }
}
function checkInstance(g, inst) {
  const n = g.states;
  const P = g.bits[inst.p];
  const Q = inst.q >= 0 ? g.bits[inst.q] : null;
  const trap = new Uint8Array(n);
  const entry = new Uint8Array(n);
  let anyPremise = false;
  for (let v = 0; v < n; v++) {
    if (inst.kind === "leadsTo") {
      trap[v] = Q[v] ? 0 : 1;
      if (P[v]) anyPremise = true;
      entry[v] = P[v] && !Q[v] ? 1 : 0;
    } else {
      trap[v] = P[v] ? 0 : 1;
      if (inst.kind === "alwaysEventually") entry[v] = trap[v];
    }
  }
  if (inst.kind === "eventually") {
    for (const v of g.initial) if (trap[v]) entry[v] = 1;
  }
  const live = new Uint8Array(n);
  const stack = [];
  for (let v = 0; v < n; v++) if (entry[v]) live[v] = 1, stack.push(v);
  while (stack.length) {
    const v = stack.pop();
    for (let k = g.outStart[v]; k < g.outStart[v + 1]; k++) {
      const w = g.to[g.outEdges[k]];
      if (trap[w] && !live[w]) live[w] = 1, stack.push(w);
    }
  }
  const fair = findFairComponent(g, live);
  if (fair === null) return { holds: true, vacuous: inst.kind === "leadsTo" && !anyPremise };
  return lasso(g, entry, trap, fair);
}
function components(g, mask, nodes) {
  const n = g.states;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const sccStack = [];
  const callV = [];
  const callK = [];
  const out = [];
  let counter = 0;
  const roots = nodes ?? Array.from({ length: n }, (_, i) => i);
  for (const root of roots) {
    if (!mask[root] || index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    sccStack.push(root);
    onStack[root] = 1;
    callV.push(root);
    callK.push(g.outStart[root]);
    while (callV.length) {
      const top = callV.length - 1;
      const v = callV[top];
      const k = callK[top];
      if (k < g.outStart[v + 1]) {
        callK[top] = k + 1;
        const w = g.to[g.outEdges[k]];
        if (!mask[w]) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callK.push(g.outStart[w]);
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      callV.pop();
      callK.pop();
      if (callV.length) {
        const u = callV[callV.length - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] === index[v]) {
        const comp = [];
        let w;
        do {
          w = sccStack.pop();
          onStack[w] = 0;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}
function findFairComponent(g, mask) {
  const nGroups = g.groupNames.length;
  const work = components(g, mask);
  const inC = new Uint8Array(g.states);
  const enabledCount = new Int32Array(nGroups);
  const takenEdge = new Int32Array(nGroups);
  const disabledAt = new Int32Array(nGroups);
  const stamp = new Int32Array(nGroups);
  let round = 0;
  while (work.length) {
    const comp = work.pop();
    for (const v of comp) inC[v] = 1;
    enabledCount.fill(0);
    takenEdge.fill(-1);
    for (const v of comp) {
      round++;
      for (let k = g.outStart[v]; k < g.outStart[v + 1]; k++) {
        const e = g.outEdges[k];
        const w = g.to[e];
        const grp = g.group[e];
        if (grp < 0 || w === v) continue;
        if (stamp[grp] !== round) {
          stamp[grp] = round;
          enabledCount[grp]++;
        }
        if (inC[w] && takenEdge[grp] === -1) takenEdge[grp] = e;
      }
    }
    let rejected = false;
    const strongToRemove = [];
    for (let grp = 0; grp < nGroups; grp++) {
      if (enabledCount[grp] === 0 || takenEdge[grp] !== -1) continue;
      if (g.groupKinds[grp] === 1 && enabledCount[grp] === comp.length) rejected = true;
      if (g.groupKinds[grp] === 2) strongToRemove.push(grp);
    }
    if (!rejected && strongToRemove.length) {
      const bad2 = new Set(strongToRemove);
      const sub = new Uint8Array(g.states);
      const rest = [];
      for (const v of comp) {
        let enabledBad = false;
        for (let k = g.outStart[v]; k < g.outStart[v + 1]; k++) {
          const e = g.outEdges[k];
          if (g.to[e] !== v && bad2.has(g.group[e])) {
            enabledBad = true;
            break;
          }
        }
        if (!enabledBad) sub[v] = 1, rest.push(v);
      }
      for (const v of comp) inC[v] = 0;
      if (rest.length) work.push(...components(g, sub, rest));
      continue;
    }
    if (rejected) {
      for (const v of comp) inC[v] = 0;
      continue;
    }
    const mustTake = [];
    const mustVisit = [];
    const groups = [];
    disabledAt.fill(-1);
    for (let grp = 0; grp < nGroups; grp++) {
      if (enabledCount[grp] === 0) continue;
      groups.push(`${g.groupKinds[grp] === 2 ? "SF" : "WF"}(${g.groupNames[grp]})`);
      if (g.groupKinds[grp] === 1 && enabledCount[grp] < comp.length) {
        for (const v of comp) {
          let en = false;
          for (let k = g.outStart[v]; k < g.outStart[v + 1]; k++) {
            const e = g.outEdges[k];
            if (g.group[e] === grp && g.to[e] !== v) {
              en = true;
              break;
            }
          }
          if (!en) {
            mustVisit.push(v);
            break;
          }
        }
      } else {
        mustTake.push(takenEdge[grp]);
      }
    }
    const m = new Uint8Array(g.states);
    for (const v of comp) m[v] = 1;
    return { nodes: comp, mask: m, mustTake, mustVisit, groups };
  }
  return null;
}
function bfsPath(g, mask, from, isTarget) {
  if (isTarget(from)) return [];
  const prevEdge = /* @__PURE__ */ new Map();
  const queue = [from];
  prevEdge.set(from, -1);
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h];
    for (let k = g.outStart[v]; k < g.outStart[v + 1]; k++) {
      const e = g.outEdges[k];
      const w = g.to[e];
      if (!mask[w] || prevEdge.has(w)) continue;
      prevEdge.set(w, e);
      if (isTarget(w)) {
        const path = [];
        let x = w;
        while (x !== from) {
          const pe = prevEdge.get(x);
          path.push(pe);
          x = g.from[pe];
        }
        return path.reverse();
      }
      queue.push(w);
    }
  }
  return null;
}
function lasso(g, entry, trap, c) {
  const n = g.states;
  const inStart = new Int32Array(n + 1);
  for (let e = 0; e < g.edges; e++) inStart[g.to[e] + 1]++;
  for (let v = 0; v < n; v++) inStart[v + 1] += inStart[v];
  const fill = inStart.slice(0, n);
  const inEdges = new Int32Array(g.edges);
  for (let e = 0; e < g.edges; e++) inEdges[fill[g.to[e]]++] = e;
  const distT = new Int32Array(n).fill(-1);
  const queue = [];
  for (const v of c.nodes) distT[v] = 0, queue.push(v);
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h];
    for (let k = inStart[v]; k < inStart[v + 1]; k++) {
      const u = g.from[inEdges[k]];
      if (trap[u] && distT[u] === -1) distT[u] = distT[v] + 1, queue.push(u);
    }
  }
  const distI = new Int32Array(n).fill(-1);
  const parentI = new Int32Array(n).fill(-1);
  const q2 = [];
  for (const v of g.initial) if (distI[v] === -1) distI[v] = 0, q2.push(v);
  for (let h = 0; h < q2.length; h++) {
    const v = q2[h];
    for (let k = g.outStart[v]; k < g.outStart[v + 1]; k++) {
      const e = g.outEdges[k];
      const w = g.to[e];
      if (distI[w] === -1) distI[w] = distI[v] + 1, parentI[w] = e, q2.push(w);
    }
  }
  let best = -1;
  let bestLen = Infinity;
  for (let v = 0; v < n; v++) {
    if (!entry[v] || distT[v] < 0 || distI[v] < 0) continue;
    const len = distI[v] + distT[v];
    if (len < bestLen) bestLen = len, best = v;
  }
  const edges = [];
  for (let x = best; parentI[x] !== -1; x = g.from[parentI[x]]) edges.push(parentI[x]);
  edges.reverse();
  const trapMask = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (trap[v] && distT[v] >= 0) trapMask[v] = 1;
  const toComp = bfsPath(g, trapMask, best, (v) => c.mask[v] === 1);
  edges.push(...toComp);
  const start = toComp.length ? g.to[toComp[toComp.length - 1]] : best;
  const loop = edges.length;
  let cur = start;
  const goTo = (target) => {
    const p = bfsPath(g, c.mask, cur, target);
    edges.push(...p);
    if (p.length) cur = g.to[p[p.length - 1]];
  };
  for (const v of c.mustVisit) goTo((x) => x === v);
  for (const e of c.mustTake) {
    const u = g.from[e];
    goTo((x) => x === u);
    edges.push(e);
    cur = g.to[e];
  }
  goTo((x) => x === start);
  const ids = [edges.length ? g.from[edges[0]] : best];
  for (const e of edges) ids.push(g.to[e]);
  return { holds: false, ids, edges, loop, groups: c.groups };
}
var LivenessRun = class {
  graph;
  instances;
  constructor(spec, actions, constants, names, keepStates = false) {
    const selected = names.map((name) => {
      const p = spec.properties.find((x) => x.name === name);
      if (!p) {
        const known = spec.properties.map((x) => x.name);
        throw new InterleaveError("UNKNOWN_PROPERTY", `spec '${spec.name}' has no temporal property '${name}' (known: ${known.length ? known.join(", ") : "none"})`, {
          spec: spec.name,
          known
        });
      }
      return p;
    });
    const predicates = [];
    this.instances = expandProperties(selected, constants, predicates);
    const guarded = predicates.map((f, k) => {
      const inst = this.instances.find((i) => i.p === k || i.q === k);
      return (s, c) => {
        try {
          return f(s, c);
        } catch (e) {
          throw new InterleaveError("SPEC_INVARIANT_THREW", `property '${inst.property}'${inst.binding ? ` (${inst.binding})` : ""}: a predicate threw ${describeThrown(e)}`, {
            spec: spec.name,
            predicate: inst.property
          }, { cause: e });
        }
      };
    });
    this.graph = new StateGraph(actions, constants, guarded, keepStates);
  }
  /** After a complete exploration: the first violated instance (in declaration order), and vacuous ones. */
  run() {
    this.graph.finish();
    const vacuous = [];
    for (const instance of this.instances) {
      const verdict = checkInstance(this.graph, instance);
      if (!verdict.holds) return { violated: { instance, verdict }, vacuous };
      if (verdict.vacuous) vacuous.push(`'${instance.property}'${instance.binding ? ` (${instance.binding})` : ""}`);
    }
    return { violated: null, vacuous };
  }
};
function describeLasso(instance, loop, length, groups) {
  const what = instance.kind === "eventually" ? "the predicate never holds" : instance.kind === "leadsTo" ? "the premise holds and the conclusion then never does" : "from some point on the predicate never holds again";
  const fair = groups.length ? `fair to ${groups.join(", ")}` : "no fair action is enabled";
  const cycle = loop === length ? `stutters forever at step ${loop}` : `repeats steps ${loop}\u2013${length} forever`;
  return `property '${instance.property}'${instance.binding ? ` (${instance.binding})` : ""} is violated: ${what}; the behaviour ${cycle} (${fair})`;
}

// src/checker/random.ts
function mix32(x) {
  x = x + 2654435769 | 0;
  x = Math.imul(x ^ x >>> 16, 2246822507);
  x = Math.imul(x ^ x >>> 13, 3266489909);
  return (x ^ x >>> 16) >>> 0;
}
function walkSeed(seed, k) {
  return mix32(mix32(seed | 0) ^ mix32(k + 1663821227));
}
var Random = class {
  a;
  b;
  c;
  d;
  constructor(seed) {
    this.a = mix32(seed);
    this.b = mix32(this.a ^ 1540483477);
    this.c = mix32(this.b ^ 461845907);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }
  /** A uniform 32-bit unsigned integer (sfc32). */
  next() {
    const t = (this.a + this.b | 0) + this.d | 0;
    this.d = this.d + 1 | 0;
    this.a = this.b ^ this.b >>> 9;
    this.b = this.c + (this.c << 3) | 0;
    this.c = this.c << 21 | this.c >>> 11;
    this.c = this.c + t | 0;
    return t >>> 0;
  }
  /** A uniform integer in [0, n). */
  below(n) {
    if (n <= 1) return 0;
    const limit = Math.floor(2 ** 32 / n) * n;
    for (; ; ) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }
};

// src/checker/simulate.ts
async function simulate(spec, options = {}) {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const runs = options.runs ?? 1e3;
  const maxDepth = options.maxDepth ?? 100;
  const workers = Math.max(1, options.workers ?? 1);
  const resolved = {
    strategy: "random",
    invariants: options.invariants ? [...options.invariants] : spec.invariants.map((i) => i.name),
    properties: [],
    symmetry: false,
    deadlock: options.deadlock ?? true,
    maxDepth,
    maxStates: options.maxStates ?? null,
    timeLimit: options.timeLimit ?? null,
    strict: options.strict ?? false
  };
  const warnings = [];
  const wantedProps = options.properties ?? spec.properties.map((p) => p.name);
  if (wantedProps.length) warnings.push(`temporal properties (${wantedProps.join(", ")}) are not checked by random simulation: liveness needs the complete state graph`);
  if (options.symmetry) warnings.push("--symmetry has no effect on random simulation");
  let rt;
  let cov = null;
  const seen = new SeenSet(1 << 12);
  let generated = 0;
  let deepest = 0;
  let walks = 0;
  let best = null;
  let stoppedFor = null;
  const base = () => {
    const seconds = (performance.now() - started) / 1e3;
    const coverage = cov ? cov.report() : void 0;
    return {
      spec: spec.name,
      constants: { ...rt?.constants ?? options.constants ?? {} },
      options: resolved,
      seed,
      codec: rt?.codec.mode ?? "packed",
      stats: {
        distinct: seen.size,
        generated,
        depth: deepest,
        seconds,
        statesPerSecond: seconds > 0 ? Math.round(generated / seconds) : generated,
        queue: 0,
        peakMemoryBytes: options.memoryProbe ? options.memoryProbe() : seen.bytes,
        bytesPerState: seen.size ? Math.round(seen.bytes / seen.size) : 0,
        workers
      },
      fingerprint: { bits: 64, collisionProbability: seen.size * Math.max(0, generated - seen.size) / 2 ** 64 },
      coverage,
      warnings: coverage ? [...warnings, ...coverageWarnings(coverage)] : warnings,
      simulation: { runs, maxDepth, walks, walksPerSecond: seconds > 0 ? Math.round(walks / seconds) : walks, violatingWalk: best?.walk ?? null, workers }
    };
  };
  const fail2 = (e) => {
    const err = isInterleaveError(e) ? e : new InterleaveError("INTERNAL", `internal error: ${describeThrown(e)}`, {}, { cause: e });
    return { ...base(), status: "error", error: { code: err.code, message: err.message, details: err.details } };
  };
  try {
    rt = new SpecRuntime(spec, options);
  } catch (e) {
    return fail2(e);
  }
  cov = new CoverageCounters(rt.actions);
  const c = cov;
  options.onEvent?.({ type: "start", spec: spec.name, constants: { ...rt.constants }, codec: rt.codec.mode });
  const actions = rt.actions;
  const nActions = actions.length;
  const timeLimitMs = resolved.timeLimit === null ? Infinity : resolved.timeLimit * 1e3;
  let lastYield = performance.now();
  const choicesA = [];
  const choicesP = [];
  const params = [];
  try {
    const inits = rt.initialStates();
    outer: for (let slice = 0; slice < workers; slice++) {
      for (let k = slice; k < runs; k += workers) {
        const rng = new Random(walkSeed(seed, k));
        const initIndex = rng.below(inits.length);
        let s = inits[initIndex];
        const labels = [];
        const limit = best === null ? maxDepth : Math.min(maxDepth, best.labels.length - (best.walk < k ? 1 : 0));
        const record = (f) => {
          const len = labels.length + (f.extra && f.violation.kind === "assertion" ? 1 : 0);
          const bestLen = best === null ? Infinity : best.labels.length + (best.extra && best.violation.kind === "assertion" ? 1 : 0);
          if (len < bestLen || len === bestLen && k < best.walk) best = { walk: k, init: initIndex, labels: [...labels], ...f };
        };
        generated++;
        rt.encode(s);
        seen.insert(FP[0], FP[1], -1, -1);
        const bad0 = rt.failingInvariant(s);
        if (bad0) {
          record({ violation: { kind: "invariant", property: bad0.name, message: `invariant '${bad0.name}' is violated in an initial state` } });
          walks++;
          continue;
        }
        for (let step = 0; step < limit; step++) {
          choicesA.length = 0;
          choicesP.length = 0;
          params.length = 0;
          for (let a2 = 0; a2 < nActions; a2++) {
            const action2 = actions[a2];
            const dom = rt.domain(action2, s);
            let any = false;
            for (let pi = 0; pi < dom.length; pi++) {
              const param2 = action2.params === null ? null : dom[pi];
              if (!rt.enabled(action2, s, param2)) continue;
              any = true;
              choicesA.push(a2);
              choicesP.push(pi);
              params.push(param2);
            }
            if (any) c.enabled[a2]++;
          }
          if (choicesA.length === 0) {
            if (resolved.deadlock) record({ violation: { kind: "deadlock", property: "deadlock", message: "deadlock: no action is enabled in this state" } });
            break;
          }
          const pick = rng.below(choicesA.length);
          const a = choicesA[pick];
          const action = actions[a];
          const param = params[pick];
          let next;
          try {
            next = rt.step(action, s, param);
          } catch (e) {
            if (isAssertionFailure(e)) {
              record({ violation: { kind: "assertion", property: e.property, message: e.message }, extra: { action: a, param } });
              break;
            }
            throw rt.actionError(e, action, param, labels.map((l) => formatStep(actions[l % nActions].name, null)));
          }
          c.taken[a]++;
          generated++;
          if (resolved.strict) rt.validate(next, action.name, param);
          next = rt.canonical(next);
          if (seen.insert(FP[0], FP[1], -1, -1) >= 0) c.fresh[a]++;
          labels.push(a + nActions * choicesP[pick]);
          if (labels.length > deepest) deepest = labels.length;
          s = next;
          const bad2 = rt.failingInvariant(s);
          if (bad2) {
            record({ violation: { kind: "invariant", property: bad2.name, message: `invariant '${bad2.name}' is violated` } });
            break;
          }
        }
        walks++;
        const t = performance.now();
        if (t - lastYield > 50) {
          if (t - started > timeLimitMs) {
            stoppedFor = "timeLimit";
            break outer;
          }
          await new Promise((r2) => setTimeout(r2, 0));
          lastYield = performance.now();
          if (options.signal?.aborted) {
            stoppedFor = "interrupted";
            break outer;
          }
        }
      }
    }
    const found = best;
    if (found !== null) {
      const trace = rt.replayLabels(inits[found.init], found.labels);
      if (found.extra) {
        const last = trace.steps[trace.steps.length - 1];
        trace.steps.push({ action: actions[found.extra.action].name, params: actions[found.extra.action].params === null ? null : found.extra.param ?? null, state: last.state });
      }
      options.onEvent?.({ type: "done", status: "violation" });
      return { ...base(), status: "violation", violation: found.violation, trace, shortest: false };
    }
    options.onEvent?.({ type: "done", status: "incomplete" });
    if (stoppedFor === "timeLimit") return { ...base(), status: "incomplete", reason: "timeLimit", message: `stopped after the time limit of ${resolved.timeLimit} s (${walks} of ${runs} walks)` };
    if (stoppedFor === "interrupted") return { ...base(), status: "incomplete", reason: "interrupted", message: `interrupted after ${walks} of ${runs} walks` };
    return {
      ...base(),
      status: "incomplete",
      reason: "simulation",
      message: `random simulation (seed ${seed}): ${walks} walks of up to ${maxDepth} steps found no violation; this proves nothing about the behaviours not walked`
    };
  } catch (e) {
    options.onEvent?.({ type: "done", status: "error" });
    return fail2(e);
  }
}

// src/checker/parallel.ts
import { Worker } from "node:worker_threads";
var Channel = class {
  constructor(worker) {
    this.worker = worker;
    worker.on("message", (m) => {
      if (m.type === "fatal") {
        const e = new InterleaveError(m.error.code, m.error.message, m.error.details);
        this.failure = e;
        for (const w of this.waiting.splice(0)) w.reject(e);
        return;
      }
      this.waiting.shift()?.resolve(m);
    });
    worker.on("error", (e) => {
      this.failure = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    });
    worker.on("exit", (code) => {
      if (this.waiting.length) {
        const e = new InterleaveError("INTERNAL", `a search worker exited with code ${code}`);
        for (const w of this.waiting.splice(0)) w.reject(e);
      }
    });
  }
  worker;
  waiting = [];
  failure = null;
  next() {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  request(msg, transfer = []) {
    const p = this.next();
    this.worker.postMessage(msg, transfer);
    return p;
  }
};
var WorkerPool = class {
  constructor(key, workers, inits) {
    this.key = key;
    this.workers = workers;
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url), {
        workerData: inits(this.stop, i),
        // A larger young generation than a worker's default: expansion allocates many short-lived objects.
        resourceLimits: { maxYoungGenerationSizeMb: 48 }
      });
      this.channels.push(new Channel(worker));
    }
    this.ready = Promise.all(this.channels.map((c) => c.next()));
    this.ready.catch(() => void 0);
  }
  key;
  workers;
  stop = new SharedArrayBuffer(4);
  channels = [];
  ready;
  async terminate() {
    await Promise.all(this.channels.map((c) => c.worker.terminate()));
  }
};
function poolKey(spec, rt, resolved, options, workers) {
  return JSON.stringify([spec.name, spec.sourceUrl, rt.constants, rt.invariants.map((i) => i.name), resolved.deadlock, resolved.strict, options.forceDynamicCodec ?? false, options.memoryLimit ?? null, workers]);
}
function newPool(spec, rt, resolved, options, workers) {
  return new WorkerPool(poolKey(spec, rt, resolved, options, workers), workers, (stop, index) => ({
    sourceUrl: spec.sourceUrl,
    specName: spec.name,
    index,
    workers,
    constants: { ...rt.constants },
    invariants: rt.invariants.map((inv) => inv.name),
    deadlock: resolved.deadlock,
    strict: resolved.strict,
    forceDynamicCodec: options.forceDynamicCodec ?? false,
    stop,
    maxBytes: options.memoryLimit === void 0 ? Infinity : options.memoryLimit * 0.75 / workers
  }));
}
function runsInParallel(spec, options) {
  const properties = options.properties ?? spec.properties.map((p) => p.name);
  return (options.workers ?? 1) > 1 && spec.sourceUrl !== void 0 && (options.strategy ?? "bfs") === "bfs" && !options.symmetry && properties.length === 0 && !options.resume && !options.checkpoint;
}
async function checkParallel(spec, rt, options, resolved, seed, started, workers) {
  let pool = options.workerPool ?? null;
  if (pool !== null && pool.key !== poolKey(spec, rt, resolved, options, workers)) {
    await pool.terminate();
    pool = null;
  }
  pool ??= newPool(spec, rt, resolved, options, workers);
  const stop = pool.stop;
  const stopFlag = new Int32Array(stop);
  const channels = pool.channels;
  const now2 = () => performance.now();
  let generated = 0;
  let distinct = 0;
  let frontier = 0;
  let bytes = 0;
  let peakBytes = 0;
  let peakProbe = 0;
  let depth = 0;
  const perWorker = [];
  const absorb = (replies) => {
    replies.forEach((r2, i) => perWorker[i] = { distinct: r2.distinct, generated: r2.generated, frontier: r2.frontier, bytes: r2.bytes });
    distinct = perWorker.reduce((n, w) => n + w.distinct, 0);
    generated = perWorker.reduce((n, w) => n + w.generated, 0);
    frontier = perWorker.reduce((n, w) => n + w.frontier, 0);
    bytes = perWorker.reduce((n, w) => n + w.bytes, 0);
    peakBytes = Math.max(peakBytes, bytes);
    if (options.memoryProbe) peakProbe = Math.max(peakProbe, options.memoryProbe());
  };
  const base = () => {
    const seconds = (now2() - started) / 1e3;
    const stats = {
      distinct,
      generated,
      depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : distinct,
      queue: frontier,
      peakMemoryBytes: options.memoryProbe ? peakProbe : peakBytes,
      bytesPerState: distinct > 0 ? Math.round(peakBytes / distinct) : 0,
      workers
    };
    const g = Math.max(generated, distinct);
    return {
      spec: spec.name,
      constants: { ...rt.constants },
      options: resolved,
      stats,
      fingerprint: { bits: 64, collisionProbability: distinct * (g - distinct) / 2 ** 64 },
      seed,
      codec: rt.codec.mode
    };
  };
  const ownerOfGid = (gid) => gid % workers;
  const traceTo = async (gid) => {
    const gids = [gid];
    const labels = [];
    let cur = gid;
    let initIndex = 0;
    for (; ; ) {
      const r2 = await channels[ownerOfGid(cur)].request({ type: "parent", gid: cur });
      if (r2.parent < 0) {
        initIndex = -1 - r2.parent;
        break;
      }
      labels.push(r2.label);
      cur = r2.parent;
      gids.push(cur);
    }
    gids.reverse();
    labels.reverse();
    const inits = rt.initialStates();
    const trace = rt.replayLabels(inits[initIndex], labels);
    for (let k = 0; k < trace.steps.length; k++) {
      rt.encode(trace.steps[k].state);
      const hi = FP[0];
      const lo = FP[1];
      const found = await channels[ownerOfGid(gids[k])].request({ type: "find", hi, lo });
      if (found.gid !== gids[k]) {
        throw new InterleaveError(
          "SPEC_NONDETERMINISTIC",
          `spec '${spec.name}' is not deterministic: step ${k} produced a different state on replay than during the search. Usual causes: Math.random or Date in an action, iterating a Map/Set in changing order, mutating the input state, or state kept outside the spec.`,
          { spec: spec.name, step: k }
        );
      }
    }
    return { trace, gids };
  };
  const violationResult = async (v) => {
    const { trace } = await traceTo(v.gid);
    if (v.step) {
      const last = trace.steps[trace.steps.length - 1];
      trace.steps.push({ action: rt.actions[v.step.action].name, params: v.step.param ?? null, state: last.state });
    }
    depth = Math.max(depth, v.length);
    options.onEvent?.({ type: "done", status: "violation" });
    return { ...base(), status: "violation", violation: { kind: v.kind, property: v.property, message: v.message }, trace, shortest: true };
  };
  const errorResult2 = async (pe) => {
    let path = [];
    let trace;
    try {
      trace = (await traceTo(pe.gid)).trace;
      path = trace.steps.slice(1).map((s) => formatStep(s.action, s.params));
    } catch {
    }
    const via = path.length ? ` after ${path.join(" \u2192 ")}` : " in an initial state";
    options.onEvent?.({ type: "done", status: "error" });
    return {
      ...base(),
      status: "error",
      error: { code: pe.error.code, message: `${pe.error.message}${via}`, details: { ...pe.error.details, path } },
      ...trace ? { trace } : {}
    };
  };
  const incomplete = (reason, message) => {
    options.onEvent?.({ type: "done", status: "incomplete" });
    return { ...base(), status: "incomplete", reason, message };
  };
  const pick = (replies) => {
    let best = null;
    for (const r2 of replies) if (r2.violation && (best === null || r2.violation.length < best.length)) best = r2.violation;
    return best;
  };
  const firstError = (replies) => replies.find((r2) => r2.error)?.error ?? null;
  try {
    await pool.ready;
    const memoryStop = (replies2) => replies2.find((r2) => r2.type === "memory");
    const memoryMessage = (r2) => options.memoryLimit === void 0 ? `stopped: ${r2.message}` : `stopped before passing the memory limit of ${Math.round(options.memoryLimit / 2 ** 20)} MiB: ${r2.message}`;
    options.onEvent?.({ type: "start", spec: spec.name, constants: { ...rt.constants }, codec: rt.codec.mode });
    let replies = await Promise.all(channels.map((c) => c.request({ type: "start" })));
    if (memoryStop(replies)) return incomplete("memory", memoryMessage(memoryStop(replies)));
    absorb(replies);
    const v0 = pick(replies);
    if (v0) return await violationResult(v0);
    const timeLimitMs = resolved.timeLimit === null ? Infinity : resolved.timeLimit * 1e3;
    const interval = options.progressInterval ?? 2e3;
    let lastProgress = now2();
    let level = 0;
    const onAbort = () => Atomics.store(stopFlag, 0, 1);
    options.signal?.addEventListener("abort", onAbort);
    const timer = Number.isFinite(timeLimitMs) ? setTimeout(onAbort, Math.max(0, timeLimitMs - (now2() - started))) : null;
    try {
      replies = await Promise.all(channels.map((c) => c.request({ type: "expand", depth: 0 })));
      for (; ; ) {
        if (memoryStop(replies)) return incomplete("memory", memoryMessage(memoryStop(replies)));
        absorb(replies);
        if (frontier > 0) depth = level;
        if (replies.some((r2) => r2.aborted)) break;
        const err = firstError(replies);
        if (err) return await errorResult2(err);
        const v = pick(replies);
        if (v) return await violationResult(v);
        if (replies.some((r2) => r2.beyondLimit)) return incomplete("maxDepth", `stopped at depth ${resolved.maxDepth}: states beyond it were not explored`);
        if (replies.every((r2) => r2.produced === 0)) break;
        if (resolved.maxStates !== null && distinct > resolved.maxStates) {
          return incomplete("maxStates", `stopped after ${distinct} distinct states (the state limit was ${resolved.maxStates})`);
        }
        if (options.memoryLimit !== void 0 && bytes > options.memoryLimit) {
          return incomplete("memory", `stopped before passing the memory limit of ${Math.round(options.memoryLimit / 2 ** 20)} MiB`);
        }
        const t = now2();
        if (options.onEvent && t - lastProgress >= interval) {
          lastProgress = t;
          const secs = (t - started) / 1e3;
          options.onEvent({ type: "progress", distinct, generated, queue: frontier, depth, seconds: secs, statesPerSecond: Math.round(distinct / secs) });
        }
        const probeOnly = resolved.maxDepth !== null && level >= resolved.maxDepth;
        level++;
        const expanded = replies;
        replies = await Promise.all(
          channels.map((c, o) => {
            const inboxes = expanded.filter((_, w) => w !== o).map((r2) => r2.outboxes[o]);
            return c.request({ type: "step", depth: level, probeOnly, inboxes }, inboxes.map((b) => b.buf));
          })
        );
        if (probeOnly) {
          if (memoryStop(replies)) return incomplete("memory", memoryMessage(memoryStop(replies)));
          absorb(replies);
          if (replies.some((r2) => r2.beyondLimit)) return incomplete("maxDepth", `stopped at depth ${resolved.maxDepth}: states beyond it were not explored`);
          break;
        }
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      if (timer) clearTimeout(timer);
    }
    if (Atomics.load(stopFlag, 0) !== 0) {
      if (options.signal?.aborted) return incomplete("interrupted", "interrupted: the search was stopped before it finished");
      return incomplete("timeLimit", `stopped after the time limit of ${resolved.timeLimit} s`);
    }
    options.onEvent?.({ type: "done", status: "ok" });
    return { ...base(), status: "ok" };
  } catch (e) {
    const err = isInterleaveError(e) ? e : new InterleaveError("INTERNAL", `parallel search failed: ${describeThrown(e)}`);
    options.onEvent?.({ type: "done", status: "error" });
    return { ...base(), status: "error", error: { code: err.code, message: err.message, details: err.details } };
  } finally {
    await pool.terminate();
  }
}

// src/checker/engine.ts
async function check(spec, options = {}) {
  if (options.strategy === "random") return simulate(spec, options);
  const started = now();
  const resolved = {
    strategy: options.strategy ?? "bfs",
    properties: options.properties ? [...options.properties] : spec.properties.map((p) => p.name),
    symmetry: options.symmetry ?? false,
    invariants: options.invariants ? [...options.invariants] : spec.invariants.map((i) => i.name),
    deadlock: options.deadlock ?? true,
    maxDepth: options.maxDepth ?? null,
    maxStates: options.maxStates ?? null,
    timeLimit: options.timeLimit ?? null,
    strict: options.strict ?? false
  };
  const seed = options.seed ?? 0;
  let rt;
  try {
    rt = new SpecRuntime(spec, options);
  } catch (e) {
    return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
  }
  const workers = Math.max(1, Math.floor(options.workers ?? 1));
  if (runsInParallel(spec, { ...options, workers })) return checkParallel(spec, rt, options, resolved, seed, started, workers);
  await options.workerPool?.terminate();
  let search;
  try {
    search = new Search(rt, resolved, options, started, seed);
  } catch (e) {
    return errorResult(spec, options.constants ?? {}, resolved, seed, started, e);
  }
  try {
    return await search.run();
  } catch (e) {
    if (e instanceof CapacityError) return search.outOfMemory(e);
    return search.fail(e);
  }
}
function now() {
  return performance.now();
}
function errorResult(spec, constants, options, seed, started, e) {
  const err = isInterleaveError(e) ? e : new InterleaveError("INTERNAL", describeThrown(e), {}, { cause: e });
  const seconds = (now() - started) / 1e3;
  return {
    status: "error",
    spec: spec.name,
    constants,
    options,
    seed,
    codec: "packed",
    stats: { distinct: 0, generated: 0, depth: 0, seconds, statesPerSecond: 0, queue: 0, peakMemoryBytes: 0, bytesPerState: 0, workers: 1 },
    fingerprint: { bits: 64, collisionProbability: 0 },
    error: { code: err.code, message: err.message, details: err.details }
  };
}
var Stop = class {
  constructor(result, violation, stateId, extra, reason, message) {
    this.result = result;
    this.violation = violation;
    this.stateId = stateId;
    this.extra = extra;
    this.reason = reason;
    this.message = message;
  }
  result;
  violation;
  stateId;
  extra;
  reason;
  message;
};
var Search = class {
  constructor(rt, options, raw, started, seed) {
    this.rt = rt;
    this.options = options;
    this.raw = raw;
    this.started = started;
    this.seed = seed;
    this.frontier = frontierFor(options.strategy === "dfs" ? "dfs" : "bfs");
    this.coverage = new CoverageCounters(rt.actions);
    if (options.symmetry) {
      if (rt.spec.symmetry) this.sym = new SymmetryReducer(rt.spec.symmetry, rt.codec, rt.constants);
      else this.warnings.push(`spec '${rt.spec.name}' declares no symmetry: --symmetry has no effect`);
    }
    if (options.properties.length) {
      const live = new LivenessRun(rt.spec, rt.actions, rt.constants, options.properties);
      if (this.sym) {
        this.warnings.push(
          `temporal properties (${options.properties.join(", ")}) were not checked: symmetry reduction does not preserve per-process fairness, so liveness on the reduced graph is unsound; run without --symmetry to check them`
        );
        options.properties = [];
      } else {
        this.liveness = live;
      }
    }
    const graph = this.liveness?.graph ?? null;
    const extra = raw.observer ?? null;
    this.observer = graph && extra ? { state: (id, st, init) => (graph.state(id, st, init), extra.state(id, st, init)), edge: (f, t, a, pi, p) => (graph.edge(f, t, a, pi, p), extra.edge(f, t, a, pi, p)) } : graph ?? extra;
  }
  rt;
  options;
  raw;
  started;
  seed;
  seen = new SeenSet(1 << 16);
  inits = [];
  frontier;
  coverage;
  sym = null;
  liveness = null;
  observer;
  warnings = [];
  /** With symmetry: the states the representatives stand for (the sum of their class sizes). */
  orbitStates = 0;
  vacuous = [];
  generated = 0;
  depth = 0;
  peakBytes = 0;
  peakProbe = 0;
  lastYield = 0;
  lastProgress = 0;
  lastCheckpoint = 0;
  /** Encodes a state's key (its symmetry representative, if reducing) into the scratch buffer; fingerprint in FP. */
  encodeKey(state) {
    if (this.sym === null) return this.rt.encode(state);
    const len = this.sym.encode(state, this.rt.scratch);
    fingerprint(this.rt.scratch.buf, 0, len);
    return len;
  }
  /** Results' extra fields: coverage, warnings, symmetry. */
  completed = false;
  /** Xor of the slots touched before inserting a batch (kept so the loads are not optimised away). */
  touched = 0;
  extras() {
    const coverage = this.coverage.report(this.vacuous);
    const partial = this.completed ? "" : " in the part explored (the search stopped early)";
    const warnings = [...this.warnings, ...coverageWarnings(coverage).map((w) => w + partial)];
    const symmetry = this.sym ? { permutations: this.sym.order, representatives: this.seen.size, states: this.orbitStates, reductionFactor: this.seen.size ? this.orbitStates / this.seen.size : 1 } : void 0;
    return symmetry ? { coverage, warnings, symmetry } : { coverage, warnings };
  }
  base() {
    const seconds = (now() - this.started) / 1e3;
    const distinct = this.seen.size;
    const structBytes = this.seen.bytes + this.frontier.bytes;
    this.peakBytes = Math.max(this.peakBytes, structBytes);
    if (this.raw.memoryProbe) this.peakProbe = Math.max(this.peakProbe, this.raw.memoryProbe());
    const stats = {
      distinct,
      generated: this.generated,
      depth: this.depth,
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : distinct,
      queue: this.queueSize(),
      peakMemoryBytes: this.raw.memoryProbe ? this.peakProbe : this.peakBytes,
      bytesPerState: distinct > 0 ? Math.round(this.peakBytes / distinct) : 0,
      workers: 1
    };
    const n = distinct;
    const g = Math.max(this.generated, n);
    return {
      spec: this.rt.spec.name,
      constants: { ...this.rt.constants },
      options: this.options,
      stats,
      fingerprint: { bits: 64, collisionProbability: n * (g - n) / 2 ** 64 },
      seed: this.seed,
      codec: this.rt.codec.mode,
      ...this.extras()
    };
  }
  queueSize() {
    return this.frontier.size();
  }
  /** Path of formatted steps to a state id (for error messages). */
  pathNames(id) {
    const ids = this.seen.pathTo(id);
    const n = this.rt.actions.length;
    return ids.slice(1).map((x) => {
      const label = this.seen.labels[x];
      return `${this.rt.actions[label % n].name}#${Math.floor(label / n)}`;
    });
  }
  /** Rebuilds the trace to `id` by replay, verifying each step's fingerprint against the seen-set. */
  traceTo(id) {
    const ids = this.seen.pathTo(id);
    const init = this.inits[-1 - this.seen.parents[ids[0]]];
    const labels = ids.slice(1).map((x) => this.seen.labels[x]);
    if (this.sym) return this.traceAlong(ids, labels);
    return this.rt.replayLabels(init, labels, (step, hi, lo) => this.seen.find(hi, lo) === ids[step]);
  }
  fail(e) {
    if (e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer|out of memory/i.test(e.message)) {
      this.emitDone("incomplete");
      return { ...this.base(), status: "incomplete", reason: "memory", message: `stopped: out of memory for the search tables (${e.message})` };
    }
    const err = isInterleaveError(e) ? e : new InterleaveError("INTERNAL", `internal error: ${describeThrown(e)}`, {}, { cause: e });
    this.emitDone("error");
    return { ...this.base(), status: "error", error: { code: err.code, message: err.message, details: err.details } };
  }
  outOfMemory(e) {
    this.emitDone("incomplete");
    const limit = this.raw.memoryLimit;
    const message = limit === void 0 ? `stopped: ${e.message}` : `stopped before passing the memory limit of ${Math.round(limit / 2 ** 20)} MiB: ${e.message}`;
    return { ...this.base(), status: "incomplete", reason: "memory", message };
  }
  emitDone(status) {
    this.raw.onEvent?.({ type: "done", status });
  }
  push(id, depth, len) {
    this.frontier.push(id, depth, this.rt.scratch.buf, len);
  }
  /** The id of a state's key in the seen-set (-1 if unseen). */
  idOf(state) {
    this.encodeKey(state);
    return this.seen.find(FP[0], FP[1]);
  }
  /** One genuine step from `cur` to a state whose key has id `target`: the hinted label first, then a search. */
  stepTo(cur, target, hint) {
    const rt = this.rt;
    const n = rt.actions.length;
    const attempt = (a, pi) => {
      const action = rt.actions[a];
      const dom = rt.domain(action, cur);
      if (pi >= dom.length) return null;
      const param = action.params === null ? null : dom[pi];
      if (!rt.enabled(action, cur, param)) return null;
      const next = rt.canonical(rt.step(action, cur, param));
      return this.idOf(next) === target ? { next, action: a, param } : null;
    };
    const hinted = hint >= 0 ? attempt(hint % n, Math.floor(hint / n)) : null;
    if (hinted) return hinted;
    for (let a = 0; a < n; a++) {
      const size = rt.domain(rt.actions[a], cur).length;
      for (let pi = 0; pi < size; pi++) {
        const r2 = attempt(a, pi);
        if (r2) return r2;
      }
    }
    throw new InterleaveError(
      "SPEC_NONDETERMINISTIC",
      `spec '${rt.spec.name}' is not deterministic: no step reproduces a transition recorded during the search. Usual causes: Math.random or Date in an action, iterating a Map/Set in changing order, mutating the input state, or (with --symmetry) a symmetry.apply that does not commute with the actions.`,
      { spec: rt.spec.name }
    );
  }
  /**
   * Rebuilds a genuine behaviour along recorded state ids (keys: with symmetry, representatives), choosing at
   * each step an enabled action whose successor has the recorded key. For a lasso under symmetry the cycle is
   * repeated until the concrete state closes (the permutation it induces has finite order).
   */
  traceAlong(ids, labels, loop) {
    const rt = this.rt;
    let cur = this.inits[-1 - this.seen.parents[ids[0]]];
    const steps = [{ action: "init", params: null, state: cur }];
    const walk = (from) => {
      for (let j = from; j < ids.length; j++) {
        const r2 = this.stepTo(cur, ids[j], labels[j - 1] ?? -1);
        const action = rt.actions[r2.action];
        steps.push({ action: action.name, params: action.params === null ? null : r2.param ?? null, state: r2.next });
        cur = r2.next;
      }
    };
    walk(1);
    if (loop === void 0) return { steps };
    if (this.sym && loop < ids.length - 1) {
      const key = (s) => {
        const len = rt.encode(s);
        return Array.from(rt.scratch.buf.subarray(0, len)).join(",");
      };
      const start = key(steps[loop].state);
      for (let k = 0; k < this.sym.order && key(cur) !== start; k++) walk(loop + 1);
    }
    return { steps, loop };
  }
  checkLiveness() {
    const live = this.liveness;
    const res = live.run();
    this.vacuous = res.vacuous;
    if (!res.violated) return null;
    const { instance, verdict } = res.violated;
    const labels = verdict.edges.map((e) => live.graph.label[e]);
    const trace = this.traceAlong(verdict.ids, labels, verdict.loop);
    const message = describeLasso(instance, verdict.loop, trace.steps.length - 1, verdict.groups);
    return { ...this.base(), status: "violation", violation: { kind: "property", property: instance.property, message }, trace, shortest: false };
  }
  async run() {
    const rt = this.rt;
    this.raw.onEvent?.({ type: "start", spec: rt.spec.name, constants: { ...rt.constants }, codec: rt.codec.mode });
    const stop = await this.explore();
    this.completed = stop === null;
    if (stop === null && this.liveness && this.raw.resume) {
      this.warnings.push("temporal properties were not checked: a resumed search has no state graph of the part explored before the checkpoint");
      this.emitDone("incomplete");
      return { ...this.base(), status: "incomplete", reason: "resumed", message: "every invariant holds, but temporal properties cannot be checked on a resumed search (check them in one run, or select invariants with --property)" };
    }
    if (stop === null) {
      const lasso2 = this.liveness ? this.checkLiveness() : null;
      if (lasso2) {
        this.emitDone("violation");
        return lasso2;
      }
      this.emitDone("ok");
      return { ...this.base(), status: "ok" };
    }
    if (stop.result === "incomplete") {
      if (this.liveness) this.warnings.push("temporal properties were not checked: liveness needs the complete state graph, and the search was incomplete");
      this.emitDone("incomplete");
      return { ...this.base(), status: "incomplete", reason: stop.reason, message: stop.message };
    }
    const trace = this.traceTo(stop.stateId);
    if (stop.extra) {
      const last = trace.steps[trace.steps.length - 1];
      trace.steps.push({ action: rt.actions[stop.extra.action].name, params: stop.extra.param ?? null, state: last.state });
    }
    this.emitDone("violation");
    return { ...this.base(), status: "violation", violation: stop.violation, trace, shortest: this.options.strategy === "bfs" };
  }
  /** Returns null when the whole reachable state space was explored without a violation. */
  async explore() {
    const rt = this.rt;
    const seen = this.seen;
    const { maxDepth, maxStates, deadlock } = this.options;
    const maxStatesN = maxStates ?? Infinity;
    const timeLimitMs = this.options.timeLimit === null ? Infinity : this.options.timeLimit * 1e3;
    const memoryLimit = this.raw.memoryLimit ?? Infinity;
    seen.maxBytes = memoryLimit * 0.75;
    const interval = this.raw.progressInterval ?? 2e3;
    const strict = this.options.strict;
    const actions = rt.actions;
    const nActions = actions.length;
    const constants = rt.constants;
    const codec = rt.codec;
    const scratch = rt.scratch;
    const sym = this.sym;
    const obs = this.observer;
    const cov = this.coverage;
    const covEnabled = cov.enabled;
    const covTaken = cov.taken;
    const covFresh = cov.fresh;
    const inits = rt.initialStates();
    if (this.raw.resume) this.restore(this.raw.resume, inits);
    else for (let k = 0; k < inits.length; k++) {
      const s = inits[k];
      this.generated++;
      const len = this.encodeKey(s);
      const id = seen.insert(FP[0], FP[1], -1 - k, -1);
      this.inits.push(s);
      if (id < 0) continue;
      if (sym !== null) this.orbitStates += sym.orbitSize();
      if (obs !== null) obs.state(id, s, true);
      const bad2 = rt.failingInvariant(s);
      if (bad2) return new Stop("violation", { kind: "invariant", property: bad2.name, message: `invariant '${bad2.name}' is violated in an initial state` }, id);
      this.push(id, 0, len);
    }
    let expanded = 0;
    let pending = null;
    let pendingDepth = -1;
    const breadthFirst = this.options.strategy === "bfs";
    const batch = new WordBuffer(256);
    let meta = new Int32Array(64 * 6);
    const nexts = [];
    const params = [];
    const orbits = [];
    if (this.raw.signal?.aborted) return new Stop("incomplete", void 0, void 0, void 0, "interrupted", "interrupted before the search started");
    this.lastYield = now();
    this.lastProgress = this.lastYield;
    this.lastCheckpoint = this.lastYield;
    const frontier = this.frontier;
    for (; ; ) {
      const at = frontier.take();
      if (at < 0) break;
      const qb = frontier.buf;
      const id = qb[at];
      const depth = qb[at + 1];
      const len = qb[at + 2];
      if (pending !== null && depth > pendingDepth) return pending;
      if (depth > this.depth) this.depth = depth;
      let s = codec.decode(qb, at + 3, len);
      const before = strict || expanded < 4096 || (expanded & 255) === 0 ? qb.slice(at + 3, at + 3 + len) : null;
      if (strict) s = deepFreeze(s);
      if (pending !== null) {
        if (!this.anyEnabled(s, id)) return this.deadlockAt(id);
        continue;
      }
      const atLimit = maxDepth !== null && depth >= maxDepth;
      let enabledCount = 0;
      let a = 0;
      let pi = 0;
      let param = null;
      try {
        let nb = 0;
        batch.len = 0;
        let assertion = null;
        generate: for (a = 0; a < nActions; a++) {
          const action = actions[a];
          const dom = action.params === null ? null : rt.domain(action, s);
          const n = dom === null ? 1 : dom.length;
          const enabledBefore = enabledCount;
          for (pi = 0; pi < n; pi++) {
            param = dom === null ? void 0 : dom[pi];
            if (action.guard !== null && action.guard(s, constants, param) !== true) continue;
            enabledCount++;
            let next;
            try {
              next = action.effect(s, constants, param);
            } catch (e) {
              if (isAssertionFailure(e)) {
                assertion = new Stop("violation", { kind: "assertion", property: e.property, message: e.message }, id, { action: a, paramIndex: pi, param: dom === null ? null : param });
                if (enabledCount > enabledBefore) covEnabled[a]++;
                break generate;
              }
              throw e;
            }
            if (typeof next !== "object" || next === null) rt.step(action, s, param);
            if (strict) rt.validate(next, action.name, dom === null ? null : param);
            const off = batch.len;
            let wlen;
            if (sym === null) wlen = codec.encode(next, batch);
            else {
              wlen = sym.encode(next, scratch);
              batch.ensure(wlen).set(scratch.buf.subarray(0, wlen), off);
              orbits[nb] = sym.orbitSize();
            }
            batch.len = off + wlen;
            fingerprint(batch.buf, off, wlen);
            if (nb * 6 + 6 > meta.length) {
              const grown = new Int32Array(meta.length * 2);
              grown.set(meta);
              meta = grown;
            }
            const m = nb * 6;
            meta[m] = FP[0];
            meta[m + 1] = FP[1];
            meta[m + 2] = a;
            meta[m + 3] = pi;
            meta[m + 4] = off;
            meta[m + 5] = wlen;
            nexts[nb] = next;
            params[nb] = dom === null ? null : param;
            nb++;
          }
          if (enabledCount > enabledBefore) covEnabled[a]++;
        }
        let touched = 0;
        for (let k = 0; k < nb; k++) touched ^= seen.peek(meta[k * 6], meta[k * 6 + 1]);
        this.touched ^= touched;
        const bb = batch.buf;
        for (let k = 0; k < nb; k++) {
          const m = k * 6;
          const hi = meta[m];
          const lo = meta[m + 1];
          a = meta[m + 2];
          pi = meta[m + 3];
          param = params[k];
          const next = nexts[k];
          nexts[k] = null;
          this.generated++;
          covTaken[a]++;
          if (atLimit) {
            if (seen.find(hi, lo) < 0) {
              return new Stop("incomplete", void 0, void 0, void 0, "maxDepth", `stopped at depth ${maxDepth}: states beyond it were not explored`);
            }
            continue;
          }
          const nid = seen.insert(hi, lo, id, a + nActions * pi);
          if (obs !== null) obs.edge(id, nid >= 0 ? nid : -1 - nid, a, pi, param);
          if (nid < 0) continue;
          covFresh[a]++;
          if (sym !== null) this.orbitStates += orbits[k];
          if (obs !== null) obs.state(nid, next, false);
          if (nid >= maxStatesN) {
            return new Stop("incomplete", void 0, void 0, void 0, "maxStates", `stopped at ${maxStatesN} distinct states (the state limit)`);
          }
          const bad2 = rt.invariants.length === 0 ? null : rt.failingInvariant(next);
          if (bad2 !== null) {
            if (depth + 1 > this.depth) this.depth = depth + 1;
            pending = new Stop("violation", { kind: "invariant", property: bad2.name, message: `invariant '${bad2.name}' is violated` }, nid);
            pendingDepth = depth;
            if (!deadlock || !breadthFirst) return pending;
            break;
          }
          frontier.push(nid, depth + 1, bb, meta[m + 5], meta[m + 4]);
        }
        if (pending === null && assertion !== null) {
          pending = assertion;
          pendingDepth = depth;
          if (!deadlock || !breadthFirst) return pending;
        }
      } catch (e) {
        if (e instanceof CapacityError || isInterleaveError(e) && e.code === "INTERNAL") throw e;
        const action = actions[a];
        if (!action) throw e;
        const err = rt.actionError(e, action, param ?? null, this.safePath(id));
        throw err;
      }
      if (before !== null) this.checkUnchanged(s, before, id);
      if (enabledCount === 0 && deadlock) return this.deadlockAt(id);
      if (++expanded % 512 === 0) {
        const t = now();
        if (t - this.started > timeLimitMs) {
          await this.saveCheckpoint();
          return new Stop("incomplete", void 0, void 0, void 0, "timeLimit", `stopped after the time limit of ${this.options.timeLimit} s`);
        }
        if (seen.bytes + frontier.bytes > memoryLimit || t - this.lastYield > 50 && this.raw.memoryProbe && this.raw.memoryProbe() > memoryLimit) {
          await this.saveCheckpoint();
          return new Stop("incomplete", void 0, void 0, void 0, "memory", `stopped before passing the memory limit of ${Math.round(memoryLimit / 2 ** 20)} MiB`);
        }
        if (t - this.lastYield > 50) {
          if (t - this.lastProgress >= interval && this.raw.onEvent) {
            this.lastProgress = t;
            const secs = (t - this.started) / 1e3;
            this.raw.onEvent({ type: "progress", distinct: seen.size, generated: this.generated, queue: this.queueSize(), depth: this.depth, seconds: secs, statesPerSecond: Math.round(seen.size / secs) });
          }
          await new Promise((r2) => setTimeout(r2, 0));
          this.lastYield = now();
          if (this.raw.checkpoint && this.lastYield - this.lastCheckpoint >= this.raw.checkpoint.everySeconds * 1e3) await this.saveCheckpoint();
          if (this.raw.signal?.aborted) {
            await this.saveCheckpoint();
            return new Stop("incomplete", void 0, void 0, void 0, "interrupted", "interrupted: the search was stopped before it finished");
          }
        }
      }
    }
    return pending;
  }
  deadlockAt(id) {
    return new Stop("violation", { kind: "deadlock", property: "deadlock", message: "deadlock: no action is enabled in this state" }, id);
  }
  /** True when some action is enabled in `s` (evaluates domains and guards only). */
  anyEnabled(s, id) {
    const rt = this.rt;
    for (const action of rt.actions) {
      let param = null;
      try {
        const dom = action.params === null ? null : rt.domain(action, s);
        const n = dom === null ? 1 : dom.length;
        for (let pi = 0; pi < n; pi++) {
          param = dom === null ? void 0 : dom[pi];
          if (action.guard === null || action.guard(s, rt.constants, param) === true) return true;
        }
      } catch (e) {
        throw rt.actionError(e, action, param ?? null, this.safePath(id));
      }
    }
    return false;
  }
  /** The key a snapshot of this search carries (see checkpoint.ts). */
  key() {
    const rt = this.rt;
    return searchKey({
      spec: rt.spec.name,
      constants: rt.constants,
      options: this.options,
      actions: rt.actions.map((a) => a.name),
      invariants: rt.invariants.map((i) => i.name),
      codec: rt.codec.mode,
      seed: this.seed
    });
  }
  /** Hands a consistent snapshot (taken between two expansions) to the checkpoint callback, if any. */
  async saveCheckpoint() {
    const cp = this.raw.checkpoint;
    if (!cp) return;
    const snap = {
      version: 1,
      key: this.key(),
      spec: this.rt.spec.name,
      constants: { ...this.rt.constants },
      seen: this.seen.snapshot(),
      frontier: this.frontier.snapshot(),
      generated: this.generated,
      depth: this.depth,
      seconds: (now() - this.started) / 1e3
    };
    await cp.save(snap);
    this.lastCheckpoint = now();
  }
  /** Continues from a snapshot: seen-set, frontier, counters and clock. Throws CHECKPOINT_INVALID. */
  restore(snap, inits) {
    const rt = this.rt;
    validateSnapshot(snap, this.key(), `spec '${rt.spec.name}' with constants ${JSON.stringify(rt.constants)}`, rt.actions.length);
    for (let i = 0; i < snap.seen.size; i++) {
      const p = snap.seen.parents[i];
      if (p < 0 && -1 - p >= inits.length) throw new InterleaveError("CHECKPOINT_INVALID", `checkpoint is not usable: state ${i} refers to initial state ${-1 - p}, but init gives ${inits.length}`);
    }
    this.seen.restore(snap.seen);
    this.inits.push(...inits);
    restoreFrontier(this.frontier, snap.frontier);
    this.generated = snap.generated;
    this.depth = snap.depth;
    this.started = now() - snap.seconds * 1e3;
  }
  /** Strict mode: the state's encoding must not change while its successors are computed (catches Map/Set edits). */
  checkUnchanged(s, before, id) {
    const scratch = this.rt.scratch;
    scratch.len = 0;
    const len = this.rt.codec.encode(s, scratch);
    let same = len === before.length;
    for (let i = 0; same && i < len; i++) same = scratch.buf[i] === before[i];
    if (!same) throw mutationError(this.rt, before, this.safePath(id));
  }
  safePath(id) {
    try {
      return this.traceTo(id).steps.slice(1).map((st) => formatStep(st.action, st.params));
    } catch {
      return this.pathNames(id);
    }
  }
};

// src/components/network.ts
import { z as z3 } from "zod";

// src/components/connection.ts
import { z as z4 } from "zod";
var ConnectionPhase = z4.enum(["open", "closeCalled", "closed"]);

// src/components/tls-write.ts
import { z as z5 } from "zod";
var SslWriteError = z5.enum(["none", "badLength", "badWriteRetry"]);

// src/trace/format.ts
import { z as z6 } from "zod";
var TRACE_FORMAT_VERSION = 1;
var jsonValue = z6.lazy(
  () => z6.union([z6.null(), z6.boolean(), z6.number(), z6.string(), z6.array(jsonValue), z6.record(z6.string(), jsonValue)])
);
var traceStepSchema = z6.object({
  /** The action taken; `init` for steps[0]. */
  action: z6.string().min(1),
  /** The action's parameter (plain JSON), null when it has none. */
  params: jsonValue.nullable().default(null),
  /** The full state after the step. */
  state: z6.record(z6.string(), jsonValue)
});
var traceFileSchema = z6.object({
  /** Always 1 for this format. */
  version: z6.literal(TRACE_FORMAT_VERSION),
  spec: z6.object({
    name: z6.string().min(1),
    /** The spec file, relative to the trace file's folder or absolute (optional: ITF imports have none). */
    file: z6.string().optional()
  }),
  constants: z6.record(z6.string(), jsonValue).default({}),
  seed: z6.number().int().default(0),
  /** The violated property (invariant, assertion, `deadlock`, temporal property), if the trace is a counterexample. */
  property: z6.string().nullable().default(null),
  /** What kind of violation: invariant, assertion, deadlock or property. */
  kind: z6.enum(["invariant", "assertion", "deadlock", "property"]).optional(),
  message: z6.string().optional(),
  /** True when no shorter counterexample exists (BFS). */
  shortest: z6.boolean().optional(),
  steps: z6.array(traceStepSchema).min(1),
  /** For a lasso: the index of the step where the loop starts (the last step leads back to it). */
  loop: z6.number().int().min(0).optional()
}).superRefine((t, ctx) => {
  if (t.steps[0] && t.steps[0].action !== "init") {
    ctx.addIssue({ code: "custom", path: ["steps", 0, "action"], message: "steps[0] must be the initial state (action 'init')" });
  }
  if (t.loop !== void 0 && t.loop >= t.steps.length) {
    ctx.addIssue({ code: "custom", path: ["loop"], message: `loop ${t.loop} is past the last step (${t.steps.length - 1})` });
  }
});

// specs/bench/gossip.ts
var NODES = [0, 1, 2];
var LINKS = NODES.flatMap((s) => NODES.filter((d) => d !== s).map((d) => ({ from: s, to: d })));
var maxOf = (row) => Math.max(row[0], row[1], row[2]);
var gossip = defineSpec({
  name: "gossip",
  description: "Cluster gossip with manual failover (benchmark model); buggy applies stale messages.",
  constants: z7.object({
    maxEpoch: z7.number().int().min(1).max(7).default(1),
    bagSize: z7.number().int().min(1).max(8).default(2),
    variant: z7.enum(["buggy", "fixed"]).default("fixed")
  }),
  state: (c) => {
    const Node = z7.number().int().min(0).max(2);
    const Epoch = z7.number().int().min(0).max(c.maxEpoch);
    return z7.object({
      R: z7.array(z7.array(Node).length(3)).length(3),
      E: z7.array(z7.array(Epoch).length(3)).length(3),
      net: bag(z7.object({ from: Node, to: Node, replicaOf: Node, epoch: Epoch }), { max: c.bagSize })
    });
  },
  init: () => ({
    R: NODES.map(() => NODES.map(() => 0)),
    E: NODES.map(() => NODES.map(() => 0)),
    net: []
  }),
  actions: ({ action }) => ({
    send: action({
      params: LINKS,
      guard: (s, c) => s.net.length < c.bagSize,
      effect: (s, _c, { from, to }) => ({
        ...s,
        net: Bag.add(s.net, { from, to, replicaOf: s.R[from][from], epoch: s.E[from][from] })
      }),
      process: ({ from }) => `node${from}`
    }),
    failover: action({
      params: NODES,
      guard: (s, c, r2) => s.R[r2][r2] !== r2 && maxOf(s.E[r2]) < c.maxEpoch,
      effect: (s, _c, r2) => {
        const p = s.R[r2][r2];
        const e = maxOf(s.E[r2]) + 1;
        const Rr = s.R[r2].slice();
        const Er = s.E[r2].slice();
        Rr[p] = r2;
        Er[p] = e;
        Rr[r2] = r2;
        Er[r2] = e;
        return { R: s.R.with(r2, Rr), E: s.E.with(r2, Er), net: s.net };
      },
      process: (r2) => `node${r2}`
    }),
    deliver: action({
      params: (s) => Bag.distinct(s.net),
      effect: (s, c, m) => {
        const net = Bag.remove(s.net, m);
        const { from: src, to: d, replicaOf: r2, epoch: e } = m;
        if (c.variant === "fixed" && !(e > s.E[d][src])) return { R: s.R, E: s.E, net };
        const Rd = s.R[d].slice();
        const Ed = s.E[d].slice();
        Rd[src] = r2;
        Ed[src] = e;
        if (r2 !== src && r2 !== d && Ed[r2] < e) {
          Rd[r2] = r2;
          Ed[r2] = e;
        }
        if (r2 === src && Rd[d] === d && e > Ed[d]) {
          Rd[d] = src;
          Ed[d] = e;
        }
        return { R: s.R.with(d, Rd), E: s.E.with(d, Ed), net };
      },
      process: (m) => `node${m.to}`
    })
  }),
  invariants: {
    noReplicaLoop: (s) => {
      for (const view of s.R) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) if (a !== b && view[a] === b && view[b] === a) return false;
      return true;
    }
  },
  view: {
    processes: () => ["node0", "node1", "node2"]
  },
  expected: [
    { name: "fixed", constants: { variant: "fixed" }, status: "ok" },
    { name: "buggy", constants: { variant: "buggy", maxEpoch: 2, bagSize: 4 }, status: "violation", property: "noReplicaLoop", length: 5 }
  ]
});
var gossip_default = gossip;

// ../../tmp/gb.ts
var r = await check(gossip_default, { constants: { maxEpoch: 2, bagSize: 4 }, properties: [] });
console.log(r.stats.seconds, r.stats.statesPerSecond);
