import type { z } from 'zod';
import { InterleaveError } from '../../errors.ts';
import { CANONICAL } from '../../model/index.ts';
import { CapacityError, FP, fingerprint, fingerprintSource } from './seen-set.ts';
import { bitsFor, packedBits, planOf, type Plan, type Primitive } from './plan.ts';

/**
 * A state codec: states <-> 32-bit words, canonical (equal states give equal words whatever their key, set or
 * bag order). Two back ends read the same plan:
 * - `packed`: every leaf bounded (booleans, enums, literals, integers with min and max; containers of fixed or
 *   maximum size). Generated code packs fields into bit fields at fixed positions; a state is a fixed number
 *   of words. This is the fast path.
 * - `dynamic`: anything else (strings, unbounded numbers, unbounded arrays, maps, `z.any()`). A schema-directed
 *   canonical encoding of variable length. Slower, never wrong.
 * Encoding checks every value against the plan, so a successor outside the schema is an error naming the
 * field, never a silently aliased state.
 */
export interface StateCodec<S = unknown> {
  readonly mode: 'packed' | 'dynamic';
  /** Words per state in packed mode; -1 in dynamic mode. */
  readonly words: number;
  /**
   * Encodes `state` at `out.len`, grows `out` as needed, and returns the number of words written.
   *
   * `prev`, `prevWords`, `prevOffset` (optional): a state decoded from `prevWords[prevOffset..]` by this codec and
   * not modified since — the state a successor was computed from. A part of `state` that *is* (===) the part of
   * `prev` at the same place is not walked again: its bits are copied from `prevWords` (packed mode; the dynamic
   * mode ignores the hint). Effects that copy what they change and share the rest (`{ ...s, x }`, `arr.with(i, v)`)
   * so encode only what changed.
   */
  encode(state: S, out: WordBuffer, prev?: S, prevWords?: Int32Array, prevOffset?: number): number;
  /**
   * `encode`, and leaves the fingerprint of the words written in `FP` (as `fingerprint(out.buf, out.len, n)` would).
   * The packed encoder computes it from the words it holds in registers instead of reading them back.
   */
  encodeFingerprint(state: S, out: WordBuffer, prev?: S, prevWords?: Int32Array, prevOffset?: number): number;
  /** Decodes the state stored at `buf[offset..offset+length)`. */
  decode(buf: Int32Array, offset: number, length: number): S;
}

/** `a`, or a copy of it twice as long (repeatedly) when it has fewer than `n` words. */
export function withRoom(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  let len = a.length * 2;
  while (len < n) len *= 2;
  const grown = new Int32Array(len);
  grown.set(a);
  return grown;
}

/** A growable buffer of 32-bit words. */
export class WordBuffer {
  buf: Int32Array;
  len = 0;
  /** Asked before a growth (memory-budget.ts: MemoryBudget.admit); throws CapacityError to refuse it. */
  admit: ((bytes: number, what: string) => void) | null = null;
  /** `shared`: the words live in a SharedArrayBuffer (other worker threads read them). */
  constructor(
    capacity = 1024,
    readonly shared = false,
    /** What the capacity is multiplied by when it grows. */
    readonly growth = 2,
  ) {
    this.buf = shared ? new Int32Array(new SharedArrayBuffer(capacity * 4)) : new Int32Array(capacity);
  }
  ensure(extra: number): Int32Array {
    const need = this.len + extra;
    if (need > this.buf.length) {
      let cap = Math.ceil(this.buf.length * this.growth);
      while (cap < need) cap = Math.ceil(cap * this.growth);
      this.admit?.(cap * 4, 'the frontier');
      let next: Int32Array;
      try {
        next = this.shared ? new Int32Array(new SharedArrayBuffer(cap * 4)) : new Int32Array(cap);
      } catch (e) {
        throw new CapacityError(`cannot allocate ${Math.round((cap * 4) / 2 ** 20)} MiB (${e instanceof Error ? e.message : String(e)})`);
      }
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    return this.buf;
  }
}

/**
 * Runs `WordBuffer.ensure`'s growth path, for both kinds of buffer, a few times. Encoders inline `ensure`; if V8
 * optimised them before any buffer of this thread had grown, the growth path would have no type feedback and the
 * first growth would throw the optimised encoder (and the functions it is inlined in) away to compile them again.
 * A worker's record buffers first grow a few levels in, after that optimisation (docs/performance.md, warm-up).
 * Called as a search (or a worker) starts, like the frontier's `primeQueue`.
 */
export function primeBuffers(): void {
  for (let i = 0; i < 16; i++) {
    new WordBuffer(1).ensure(2);
    new WordBuffer(1, true).ensure(2);
    // A worker's record buffers grow by half again (level.ts): a capacity that is not a small integer on the way.
    new WordBuffer(1, true, 1.5).ensure(2);
  }
}

/** Thrown by encoders for a value outside the schema; the engine adds the action and path. */
export class CodecError extends InterleaveError {}

function bad(path: string, value: unknown, expected: string): never {
  throw new CodecError('SPEC_BAD_SUCCESSOR', `field '${path || '(state)'}' is ${show(value)}, expected ${expected}`, { field: path || '(state)' });
}

function unfingerprintable(path: string, value: unknown, why: string): never {
  throw new CodecError('SPEC_UNFINGERPRINTABLE', `field '${path || '(state)'}' holds ${show(value)}: ${why}`, { field: path || '(state)' });
}

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v instanceof Set) return `a Set of size ${v.size}`;
  if (v instanceof Map) return `a Map of size ${v.size}`;
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return `an instance of ${proto?.constructor?.name ?? 'a class'}`;
  return 'an object';
}

/** The largest packed state we generate straight-line code for. Larger states use the dynamic codec. */
const MAX_PACKED_WORDS = 256;

export function compileCodec<S>(schema: z.ZodType<S>, options: { forceDynamic?: boolean } = {}): StateCodec<S> {
  const plan = planOf(schema);
  const bits = packedBits(plan);
  if (!options.forceDynamic && bits !== null && bits <= MAX_PACKED_WORDS * 24) {
    const packed = compilePacked<S>(plan);
    if (packed.words <= MAX_PACKED_WORDS) return packed;
  }
  return dynamicCodec<S>(plan);
}

// ------------------------------------------------------------------------------------------------------------
// Packed back end: generated straight-line code over fixed bit positions.

interface Slot {
  word: number;
  shift: number;
  bits: number;
}

class PackedGen {
  enc: string[] = [];
  dec: string[] = [];
  consts: unknown[] = [];
  /** `const Bk=K[i];` lines run once when the functions are created, so hot code calls known closures. */
  prelude: string[] = [];
  word = 0;
  shift = 0;
  /** For priming: each list's and collection's count slot with its maximum, each optional value's presence with 1. */
  full: { slot: Slot; value: number }[] = [];
  /** For priming: each boolean's, enum's and union tag's slot, with its number of values. */
  choices: { slot: Slot; count: number }[] = [];
  private n = 0;
  constructor(private readonly limitWords = Infinity) {}
  /** An element's code: one word, which its decoder holds in `w0` (a state's decoder reads `b[o..]`). */
  get single(): boolean {
    return this.limitWords === 1;
  }
  v(prefix = 'v'): string {
    return `${prefix}${this.n++}`;
  }
  c(value: unknown): string {
    this.consts.push(value);
    return `K[${this.consts.length - 1}]`;
  }
  /** A constant bound to a local of the generated module (cheaper and inlinable in hot code). */
  bind(value: unknown): string {
    const name = `B${this.consts.length}`;
    this.prelude.push(`const ${name}=${this.c(value)};`);
    return name;
  }
  alloc(bits: number): Slot {
    if (bits === 0) return { word: this.word, shift: this.shift, bits };
    if (this.shift + bits > 32) {
      this.word++;
      this.shift = 0;
    }
    if (this.word >= this.limitWords) throw new Error('packed layout too large');
    const slot = { word: this.word, shift: this.shift, bits };
    this.shift += bits;
    return slot;
  }
  get words(): number {
    return this.shift === 0 ? this.word : this.word + 1;
  }
  /** Emits code storing the non-negative integer expression `code` into a fresh slot; returns the slot. */
  put(code: string, bits: number): Slot {
    const s = this.alloc(bits);
    if (bits > 0) this.enc.push(s.shift === 0 ? `w${s.word}|=${code};` : `w${s.word}|=(${code})<<${s.shift};`);
    return s;
  }
  /** Decode expression of a slot; the decoder has loaded word k into local `wk`. */
  get(s: Slot): string {
    if (s.bits === 0) return '0';
    const mask = s.bits >= 31 ? 0x7fffffff : (1 << s.bits) - 1;
    if (s.shift + s.bits === 32) return `(w${s.word}>>>${s.shift})`;
    return s.shift === 0 ? `(w${s.word}&${mask})` : `((w${s.word}>>>${s.shift})&${mask})`;
  }
  /** `let w0=0,...` for the encoder; `const w0=b[o],...` for the decoder. */
  wordLocals(kind: 'enc' | 'dec', words: number): string {
    if (words === 0) return '';
    const parts = Array.from({ length: words }, (_, k) => (kind === 'enc' ? `w${k}=0` : `w${k}=b[o+${k}]`));
    return `${kind === 'enc' ? 'let' : 'const'} ${parts.join(',')};`;
  }
}

const q = JSON.stringify;

/**
 * A key in a generated object literal. `"__proto__": v` in a literal sets the prototype instead of a key, so that
 * one key is written computed (`["__proto__"]: v`), which defines an own property like any other.
 */
function literalKey(key: string): string {
  return key === '__proto__' ? `[${q(key)}]` : q(key);
}

/**
 * Emits the check that an object holds no key its schema lacks (zod's `z.object` would strip it silently, and the
 * decoded state would lose it). Counting keys with `for…in` allocates nothing; the count is compared with the
 * number of declared keys present (`in` for optional ones), and only a mismatch looks at the keys (`X`). An object
 * copied from the previous state (see `emit`) skips the check with the rest of its encoding.
 */
function emitKeyCount(g: PackedGen, keys: readonly string[], optional: readonly boolean[] | null, val: string, path: string): void {
  const c = g.v('c');
  const required = optional === null ? keys.length : optional.filter((o) => !o).length;
  const present = optional === null ? '' : keys.filter((_, i) => optional[i]).map((k) => `+(${q(k)} in ${val}?1:0)`).join('');
  g.enc.push(`let ${c}=0;for(const _ in ${val})${c}++;if(${c}!==${required}${present})X(${q(path)},${val},${g.bind(keys)});`);
}

/**
 * Reads the fields `keys` of the object `val` into new locals (returned, in the order of `keys`) and checks that
 * it has no other key, as emitKeyCount. The values are taken while `for…in` enumerates the keys, when they come in
 * the schema's order: V8 then loads each by its index in the object's layout, whatever its hidden class. Successors
 * have many hidden classes (each `{ ...s, field }` in a spec makes its own), and loading a field by name from objects
 * of more than four classes goes through V8's megamorphic cache (docs/performance.md, "Reading a successor's
 * fields"). An object whose keys come in another order is read by name.
 */
function readFields(g: PackedGen, keys: readonly string[], val: string, path: string): string[] {
  const c = g.v('c');
  const inOrder = g.v('o');
  const vars = keys.map(() => g.v());
  const take = keys.map((k, i) => `${i === 0 ? '' : 'else '}if(${c}===${i}&&k===${q(k)})${vars[i]}=${val}[k];`).join('');
  g.enc.push(
    `let ${c}=0,${inOrder}=true,${vars.join(',')};`,
    `for(const k in ${val}){${take}else ${inOrder}=false;${c}++;}`,
    `if(${c}!==${keys.length})X(${q(path)},${val},${g.bind(keys)});`,
    `if(!${inOrder}){${keys.map((k, i) => `${vars[i]}=${val}[${q(k)}];`).join('')}}`,
  );
  return vars;
}

/** Throws SPEC_BAD_SUCCESSOR naming the first key of `value` that `keys` (the schema's) lacks; returns if none. */
export function checkKnownKeys(path: string, value: object, keys: readonly string[]): void {
  for (const k in value) {
    if (!keys.includes(k)) {
      const field = path ? `${path}.${k}` : k;
      throw new CodecError('SPEC_BAD_SUCCESSOR', `field '${field}' is not in the state schema (a misspelt field name? zod would drop it silently)`, { field });
    }
  }
}

/** A leaf is re-encoded rather than compared: comparing costs as much as encoding it. */
function isLeaf(plan: Plan): boolean {
  return plan.t === 'bool' || plan.t === 'int' || plan.t === 'enum';
}

/** Bit mask of bits [lo, hi) of a 32-bit word, as a signed 32-bit literal. */
function bitMask(lo: number, hi: number): number {
  return (2 ** hi - 2 ** lo) | 0;
}

/**
 * Emits encode code for `plan` reading the value in variable `val`; returns the decode variable's name.
 *
 * `prev`: the variable holding the same place of the previous state (see `StateCodec.encode`), or null where the
 * place is not fixed (inside a union, an optional value, a variable-length array or a collection). A container
 * that is identical to it copies its bits from the previous state's words (`P`: words `pb[po..]`) instead.
 */
function emit(g: PackedGen, plan: Plan, val: string, path: string, prev: string | null = null): string {
  if (prev === null || isLeaf(plan)) return emitNode(g, plan, val, path, null);
  const at = g.enc.length;
  g.enc.push('');
  const w0 = g.word;
  const s0 = g.shift;
  const out = emitNode(g, plan, val, path, prev);
  g.enc.push('}');
  const copy: string[] = [];
  const last = g.shift === 0 ? g.word - 1 : g.word;
  for (let k = w0; k <= last; k++) {
    const lo = k === w0 ? s0 : 0;
    const hi = k === g.word ? g.shift : 32;
    if (hi > lo) copy.push(lo === 0 && hi === 32 ? `w${k}|=pb[po+${k}];` : `w${k}|=pb[po+${k}]&${bitMask(lo, hi)};`);
  }
  g.enc[at] = `if(${prev}!==undefined&&${val}===${prev}){${copy.join('')}}else{`;
  return out;
}

/** The child place `access` of `prev` (itself possibly undefined: no previous state); null for a leaf child. */
function child(g: PackedGen, prev: string | null, access: string, plan: Plan): string | null {
  if (prev === null || isLeaf(plan)) return null;
  const p = g.v('p');
  g.enc.push(`const ${p}=${prev}===undefined?undefined:${prev}${access};`);
  return p;
}

/**
 * Generated code for a decoded list, bag or set of `n` elements, which the decoder then fills in order: allocated at
 * its length, since `push` from `[]` grew each one's storage (V8's GrowFastSmiOrObjectElements: 51 M instructions of
 * failover 3/3/1's search); `[]` when empty, which is cheaper than the constructor (docs/performance.md,
 * "Thirteenth session").
 */
function sizedArray(n: string): string {
  return `${n}===0?[]:new Array(${n})`;
}

function emitNode(g: PackedGen, plan: Plan, val: string, path: string, prev: string | null): string {
  const out = g.v('d');
  switch (plan.t) {
    case 'bool': {
      const s = g.put(`(${val}===true?1:${val}===false?0:F(${q(path)},${val},'a boolean'))`, 1);
      g.choices.push({ slot: s, count: 2 });
      g.dec.push(`const ${out}=${g.get(s)}===1;`);
      return out;
    }
    case 'int': {
      const span = plan.hi - plan.lo;
      const t = g.v('t');
      g.enc.push(plan.lo === 0 ? `const ${t}=${val};` : `const ${t}=${val}-(${plan.lo});`);
      // (t>>>0)!==t rejects NaN, negatives and fractions in one test; typeof rejects booleans, null and strings.
      g.enc.push(`if(typeof ${val}!=='number'||(${t}>>>0)!==${t}||${t}>${span})F(${q(path)},${val},'an integer in ${plan.lo}..${plan.hi}');`);
      const s = g.put(t, bitsFor(span + 1));
      g.dec.push(plan.lo === 0 ? `const ${out}=${g.get(s)};` : `const ${out}=${g.get(s)}+(${plan.lo});`);
      return out;
    }
    case 'enum': {
      const bits = bitsFor(plan.values.length);
      const expected = `one of ${plan.values.map((x) => (x === undefined ? 'undefined' : q(x))).join(', ')}`;
      let code: string;
      if (plan.values.length <= 12) {
        code = plan.values.map((x, i) => `${val}===${x === undefined ? 'undefined' : q(x)}?${i}:`).join('') + `F(${q(path)},${val},${q(expected)})`;
      } else {
        const m = g.bind(new Map(plan.values.map((x, i) => [x, i])));
        code = `(${m}.get(${val})??F(${q(path)},${val},${q(expected)}))`;
      }
      const t = g.v('t');
      g.enc.push(`const ${t}=${code};`);
      const s = g.put(t, bits);
      g.choices.push({ slot: s, count: plan.values.length });
      const values = g.bind(plan.values);
      g.dec.push(`const ${out}=${bits === 0 ? `${values}[0]` : `${values}[${g.get(s)}]`};`);
      return out;
    }
    case 'object': {
      g.enc.push(`if(${val}===null||typeof ${val}!=='object')F(${q(path)},${val},'an object');`);
      const reads = plan.optional.some((o) => o) ? null : readFields(g, plan.keys, val, path);
      if (reads === null) emitKeyCount(g, plan.keys, plan.optional, val, path);
      const parts: string[] = [];
      plan.keys.forEach((key, i) => {
        let fv: string;
        if (reads !== null) fv = reads[i]!;
        else g.enc.push(`const ${(fv = g.v())}=${val}[${q(key)}];`);
        const dv = emit(g, plan.fields[i]!, fv, path ? `${path}.${key}` : key, plan.optional[i] ? null : child(g, prev, `[${q(key)}]`, plan.fields[i]!));
        parts.push(plan.optional[i] ? `...(${dv}===undefined?{}:{${literalKey(key)}:${dv}})` : `${literalKey(key)}:${dv}`);
      });
      g.dec.push(`const ${out}={${parts.join(',')}};`);
      return out;
    }
    case 'record': {
      const keys = plan.keys!;
      g.enc.push(`if(${val}===null||typeof ${val}!=='object')F(${q(path)},${val},'an object');`);
      const reads = readFields(g, keys, val, path);
      const parts: string[] = [];
      for (const [i, key] of keys.entries()) {
        const fv = reads[i]!;
        const dv = emit(g, plan.value, fv, path ? `${path}.${key}` : key, child(g, prev, `[${q(key)}]`, plan.value));
        parts.push(`${literalKey(key)}:${dv}`);
      }
      g.dec.push(`const ${out}={${parts.join(',')}};`);
      return out;
    }
    case 'tuple': {
      g.enc.push(`if(!Array.isArray(${val})||${val}.length!==${plan.items.length})F(${q(path)},${val},'a tuple of length ${plan.items.length}');`);
      const parts = plan.items.map((item, i) => {
        const fv = g.v();
        g.enc.push(`const ${fv}=${val}[${i}];`);
        return emit(g, item, fv, `${path}[${i}]`, child(g, prev, `[${i}]`, item));
      });
      g.dec.push(`const ${out}=[${parts.join(',')}];`);
      return out;
    }
    case 'array': {
      const max = plan.max!;
      const fixed = plan.min === max;
      if (fixed) {
        g.enc.push(`if(!Array.isArray(${val})||${val}.length!==${max})F(${q(path)},${val},'an array of length ${max}');`);
        const parts: string[] = [];
        for (let i = 0; i < max; i++) {
          const fv = g.v();
          g.enc.push(`const ${fv}=${val}[${i}];`);
          parts.push(emit(g, plan.el, fv, `${path}[${i}]`, child(g, prev, `[${i}]`, plan.el)));
        }
        g.dec.push(`const ${out}=[${parts.join(',')}];`);
        return out;
      }
      g.enc.push(
        `if(!Array.isArray(${val})||${val}.length>${max}||${val}.length<${plan.min})F(${q(path)},${val},'an array of length ${plan.min}..${max}');`,
      );
      const n = g.v('n');
      g.enc.push(`const ${n}=${val}.length;`);
      const s = g.put(n, bitsFor(max + 1));
      g.full.push({ slot: s, value: max });
      const dn = g.v('n');
      g.dec.push(`const ${dn}=${g.get(s)};`, `const ${out}=${sizedArray(dn)};`);
      for (let i = 0; i < max; i++) {
        g.enc.push(`if(${n}>${i}){`);
        g.dec.push(`if(${dn}>${i}){`);
        const fv = g.v();
        g.enc.push(`const ${fv}=${val}[${i}];`);
        const dv = emit(g, plan.el, fv, `${path}[${i}]`);
        g.enc.push('}');
        g.dec.push(`${out}[${i}]=${dv};}`);
      }
      return out;
    }
    case 'coll': {
      const max = plan.max!;
      const el = compileElement(plan.el, `${path}[]`);
      const encEl = g.bind(el.enc);
      const decEl = g.bind(el.dec);
      const scratch = g.bind(new Int32Array(max));
      const n = g.v('n');
      if (plan.js === 'Set') {
        g.enc.push(`if(!(${val} instanceof Set)||${val}.size>${max})F(${q(path)},${val},'a Set of at most ${max} elements');`);
        g.enc.push(`let ${n}=0;for(const x of ${val})${scratch}[${n}++]=${encEl}(x);`);
      } else {
        g.enc.push(`if(!Array.isArray(${val})||${val}.length>${max})F(${q(path)},${val},'an array of at most ${max} elements');`);
        if (el.code === null) g.enc.push(`let ${n}=${val}.length;for(let i=0;i<${n};i++)${scratch}[i]=${encEl}(${val}[i]);`);
        else {
          // An element decoded by this codec carries its code: only a new element is encoded.
          const code = g.bind(el.code);
          g.enc.push(`let ${n}=${val}.length;for(let i=0;i<${n};i++){const x=${val}[i];const c=x?.[${code}];${scratch}[i]=c!==undefined?c:${encEl}(x);}`);
        }
      }
      g.enc.push(`${n}=S(${scratch},${n},${plan.kind === 'set'});`);
      const s = g.put(n, bitsFor(max + 1));
      g.full.push({ slot: s, value: max });
      const dn = g.v('n');
      g.dec.push(`const ${dn}=${g.get(s)};`, `const ${out}=${sizedArray(dn)};`);
      // No branch per position: the encoder writes every position's code (masked to 0 past the count: (i-n)>>31 is -1
      // below it), and the decoder reads the first n in one loop, each from its word and shift in two tables. Code
      // V8 has never run has no type feedback: with a branch per position, optimised code met a position it had never
      // run each time a collection first grew to it, and was thrown away and compiled again (two-phase commit with
      // 7 RMs: 17 deoptimisations of its encoder and decoder; docs/performance.md, "Fourteenth session").
      const words = new Int32Array(max);
      const shifts = new Int32Array(max);
      for (let i = 0; i < max; i++) {
        const slot = g.alloc(el.bits);
        words[i] = slot.word;
        shifts[i] = slot.shift;
        if (el.bits > 0) g.enc.push(`w${slot.word}|=(${scratch}[${i}]&((${i}-${n})>>31))${slot.shift === 0 ? '' : `<<${slot.shift}`};`);
      }
      const mask = el.bits >= 31 ? 0x7fffffff : (1 << el.bits) - 1;
      // A state's decoder reads its words from b[o..]; an element's (one word) has it in w0.
      const word = g.single ? 'w0' : `b[o+${g.bind(words)}[i]]`;
      const code = el.bits === 0 ? '0' : `((${word}>>>${g.bind(shifts)}[i])&${mask})`;
      g.dec.push(`for(let i=0;i<${dn};i++)${out}[i]=${decEl}(${code});`);
      if (plan.js === 'Set') {
        const set = g.v('d');
        g.dec.push(`const ${set}=new Set(${out});`);
        return set;
      }
      return out;
    }
    case 'opt': {
      const none = plan.none === null ? 'null' : 'undefined';
      const p = g.v('p');
      g.enc.push(`const ${p}=${val}===${none}?0:1;`);
      if (plan.none === undefined) g.enc.push(`if(${val}===null)F(${q(path)},null,'a value or undefined');`);
      const s = g.put(p, 1);
      g.full.push({ slot: s, value: 1 });
      g.enc.push(`if(${p}===1){`);
      const dp = g.v('p');
      g.dec.push(`const ${dp}=${g.get(s)};`, `let ${out}=${none};`, `if(${dp}===1){`);
      const dv = emit(g, plan.inner, val, path);
      g.enc.push('}');
      g.dec.push(`${out}=${dv};}`);
      return out;
    }
    case 'union': {
      const tagVar = g.v('t');
      const tagExpr =
        plan.tags.map((x, i) => `${val}[${q(plan.disc)}]===${x === undefined ? 'undefined' : q(x)}?${i}:`).join('') +
        `F(${q(`${path}.${plan.disc}`)},${val}[${q(plan.disc)}],'a known variant')`;
      g.enc.push(`if(${val}===null||typeof ${val}!=='object')F(${q(path)},${val},'an object');`);
      g.enc.push(`const ${tagVar}=${tagExpr};`);
      const s = g.put(tagVar, bitsFor(plan.tags.length));
      g.choices.push({ slot: s, count: plan.tags.length });
      const dt = g.v('t');
      g.dec.push(`const ${dt}=${g.get(s)};`, `let ${out};`);
      plan.options.forEach((option, i) => {
        g.enc.push(`if(${tagVar}===${i}){`);
        g.dec.push(`if(${dt}===${i}){`);
        const dv = emit(g, option, val, path);
        g.enc.push('}');
        g.dec.push(`${out}=${dv};}`);
      });
      return out;
    }
    default:
      throw new Error(`no packed form for ${plan.t}`);
  }
}

/** Sorts the first n codes ascending (insertion sort: collections are small); for sets, drops duplicates. */
function sortCodes(a: Int32Array, n: number, dedupe: boolean): number {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
  if (!dedupe || n < 2) return n;
  let k = 1;
  for (let i = 1; i < n; i++) if (a[i] !== a[k - 1]) a[k++] = a[i]!;
  for (let i = k; i < n; i++) a[i] = 0;
  return k;
}

/** Elements of at most this many bits are decoded once and shared (see compileElement). */
const MEMO_BITS = 12;

function freezeDeep<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    if (v instanceof Set || v instanceof Map) return v; // not freezable in depth: never shared
    for (const k of Object.keys(v)) freezeDeep((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}

interface ElementCodec {
  bits: number;
  enc(value: unknown): number;
  dec(code: number): unknown;
  /** The key under which a shared decoded element (an object) holds its own code; null when not shared. */
  code: symbol | null;
}

/** Whether a decoded value of this plan is an object (or, for an optional one, an object or nothing). */
function objectValued(plan: Plan): boolean {
  if (plan.t === 'opt') return objectValued(plan.inner);
  return plan.t === 'object' || plan.t === 'tuple' || plan.t === 'array' || plan.t === 'coll' || plan.t === 'record' || plan.t === 'union';
}

/**
 * Whether `freezeDeep` freezes every part of a decoded value of this plan (no Set or Map inside, which it cannot),
 * so that a shared decoded value can never differ from the code it was decoded from.
 */
function wholeFrozen(plan: Plan): boolean {
  switch (plan.t) {
    case 'object':
      return plan.fields.every(wholeFrozen);
    case 'tuple':
      return plan.items.every(wholeFrozen);
    case 'array':
      return wholeFrozen(plan.el);
    case 'coll':
      return plan.js === 'array' && wholeFrozen(plan.el);
    case 'opt':
      return wholeFrozen(plan.inner);
    case 'union':
      return plan.options.every(wholeFrozen);
    case 'record':
      return wholeFrozen(plan.value);
    case 'map':
    case 'any':
      return false;
    default:
      return true;
  }
}

/** An element of a set or bag packed into one non-negative integer (at most 31 bits), so it sorts as a number. */
function compileElement(plan: Plan, path: string): ElementCodec {
  const g = new PackedGen(1);
  const dv = emit(g, plan, 'v', path);
  const bits = packedBits(plan)!;
  if (g.words > 1 || bits > 31) throw new Error('element too large');
  const enc = new Function('K', 'F', 'S', 'X', `${g.prelude.join('')}return function(v){let w0=0;${g.enc.join('\n')}return w0;};`)(g.consts, bad, sortCodes, checkKnownKeys) as (
    v: unknown,
  ) => number;
  const decode = new Function('K', `${g.prelude.join('')}return function(c){const w0=c;${g.dec.join('\n')}return ${dv};};`)(g.consts) as (c: number) => unknown;
  if (bits > MEMO_BITS) return { bits, enc, dec: decode, code: null };
  // Few possible elements: decode each code once into a frozen value shared by every state that holds it
  // (hash-consing). Decoding a bag then allocates nothing per element; a spec that tries to modify one gets a
  // TypeError, reported as SPEC_MUTATED_STATE. A shared object also holds its code under a key of this codec's
  // own (not enumerable, so a spread copy does not inherit it), so encoding it again is one property read.
  const memo: unknown[] = new Array(2 ** bits);
  const mark = {};
  const code = Symbol('interleave/element-code');
  const share = (v: unknown, c: number): unknown => {
    if (typeof v === 'object' && v !== null) {
      Object.defineProperty(v, CANONICAL, { value: mark });
      Object.defineProperty(v, code, { value: c });
    }
    return freezeDeep(v);
  };
  const dec = (c: number): unknown => memo[c] ?? (memo[c] = share(decode(c), c));
  return { bits, enc, dec, code: objectValued(plan) && wholeFrozen(plan) ? code : null };
}

function compilePacked<S>(plan: Plan): StateCodec<S> {
  const g = new PackedGen();
  const dv = emit(g, plan, 's', '', 'P');
  const words = Math.max(1, g.words);
  const store = Array.from({ length: words }, (_, i) => `b[o+${i}]=w${i};`).join('');
  // Straight-line fingerprinting from the word locals up to this many words; a loop over the stored words beyond.
  const hash = words <= 32 ? `{${fingerprintSource(words, 'H')}}` : 'FW(b,o,W);';
  const source = (name: string, tail: string): string =>
    `return function ${name}(s,out,P,pb,po){${g.wordLocals('enc', words)}${g.enc.join('\n')}const b=out.ensure(${words}),o=out.len;${store}${tail}return ${words};};`;
  const make = (name: string, tail: string) =>
    new Function('K', 'F', 'S', 'H', 'FW', 'W', 'X', `${g.prelude.join('')}${source(name, tail)}`)(g.consts, bad, sortCodes, FP, fingerprint, words, checkKnownKeys) as StateCodec<S>['encode'];
  const encode = make('encode', '');
  const encodeFingerprint = make('encodeFingerprint', hash);
  const decode = new Function('K', `${g.prelude.join('')}return function decode(b,o){${g.wordLocals('dec', words)}${g.dec.join('\n')}return ${dv};};`)(g.consts) as StateCodec<S>['decode'];
  const codec: StateCodec<S> = { mode: 'packed', words, encode, encodeFingerprint, decode };
  const { full, choices } = g;
  unprimed.set(codec, () => prime(codec, full, choices));
  return codec;
}

/** Packed codecs not primed yet, with their priming (`primeCodec`). */
const unprimed = new WeakMap<StateCodec<any>, () => void>();

/**
 * Primes a packed codec (below) the first time a search is about to run it, and never again; a codec that only
 * replays a trace or checks a spec's identity is not primed. Called where an expansion core is built (expand.ts).
 */
export function primeCodec(codec: StateCodec<any>): void {
  const run = unprimed.get(codec);
  if (run === undefined) return;
  unprimed.delete(codec);
  run();
}

/**
 * Runs a packed codec on made-up states before its search does: one with nothing in it (words of zeros), and
 * for each k one with every list and collection at its maximum length, every optional value present and every
 * boolean, enum and union at its k-th value (or its last). Code V8 has never run has no type feedback: the optimised
 * encoder and decoder were thrown away and compiled again each time the search first met a list position, an enum
 * value (the encoder tests them in turn) or a union variant they had never run (failover with 4 nodes and links of
 * up to 3 messages: 5 times in its first 400,000 states; once, primed; docs/performance.md, "Fourteenth session").
 * The made-up states are the codec's own decoded objects, whose shapes a search meets anyway (an effect's successor
 * starts as a copy of one). Best effort: a value the encoder refuses (none should be) ends the priming, nothing else.
 */
function prime<S>(codec: StateCodec<S>, full: readonly { slot: Slot; value: number }[], choices: readonly { slot: Slot; count: number }[]): void {
  const words = codec.words;
  // Priming costs about a millisecond a word (failover with 5 nodes and links of 4, 18 words: 23 ms); past
  // PRIME_MAX_WORDS a state is left to warm up in the search, as before.
  if (words > PRIME_MAX_WORDS) return;
  const states = [new Int32Array(words)];
  let most = 1;
  for (const c of choices) most = Math.max(most, Math.min(PRIME_VALUES, c.count));
  for (let k = 0; k < most; k++) {
    const w = new Int32Array(words);
    for (const { slot, value } of full) if (slot.bits > 0) w[slot.word]! |= value << slot.shift;
    for (const { slot, count } of choices) if (slot.bits > 0) w[slot.word]! |= Math.min(k, count - 1) << slot.shift;
    states.push(w);
  }
  const out = new WordBuffer(words);
  try {
    // Each state many times: V8 gives a function its feedback vector (where what it has seen is kept) only after it
    // has run about eight times its own length, and only the calls after that are recorded. Four rounds of the 14
    // states of failover with links of 3 were needed; three were not.
    const rounds = Math.max(4, Math.ceil(PRIME_CALLS / states.length));
    for (let i = 0; i < rounds; i++) {
      for (const w of states) {
        const s = codec.decode(w, 0, words);
        out.len = 0;
        codec.encode(s, out);
        out.len = 0;
        codec.encodeFingerprint(s, out);
      }
    }
  } catch {
    // Only a head start.
  }
}

/** The values of each choice primed: an enum of more than 12 values is encoded by a Map lookup, not a chain of tests. */
const PRIME_VALUES = 13;
/** The calls of each codec function when priming (at least four rounds of the made-up states). */
const PRIME_CALLS = 64;
/** The largest state primed, in words. */
const PRIME_MAX_WORDS = 64;

// ------------------------------------------------------------------------------------------------------------
// Dynamic back end: schema-directed, variable length.

const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);

class Reader {
  constructor(
    readonly b: Int32Array,
    public i: number,
  ) {}
  next(): number {
    return this.b[this.i++]!;
  }
}

function dynamicCodec<S>(plan: Plan): StateCodec<S> {
  return {
    mode: 'dynamic',
    words: -1,
    encode(state, out) {
      const start = out.len;
      encodeDyn(plan, state, out, '', 0);
      const n = out.len - start;
      out.len = start;
      return n;
    },
    encodeFingerprint(state, out) {
      const n = this.encode(state, out);
      fingerprint(out.buf, out.len, n);
      return n;
    },
    decode(buf, offset) {
      return decodeDyn(plan, new Reader(buf, offset)) as S;
    },
  };
}

function push(out: WordBuffer, w: number): void {
  const b = out.ensure(1);
  b[out.len++] = w;
}

function pushNumber(out: WordBuffer, v: number, path: string): void {
  if (Number.isNaN(v)) unfingerprintable(path, v, 'NaN has no canonical form (NaN !== NaN)');
  // -0 is 0 here (as in the packed codec, where it is the integer 0): one state, which decodes as 0.
  if ((v | 0) === v) {
    push(out, 0);
    push(out, v);
  } else {
    f64[0] = v === 0 ? 0 : v;
    push(out, 1);
    push(out, f64w[0]!);
    push(out, f64w[1]!);
  }
}

function readNumber(r: Reader): number {
  if (r.next() === 0) return r.next();
  f64w[0] = r.next();
  f64w[1] = r.next();
  return f64[0]!;
}

function pushString(out: WordBuffer, s: string): void {
  push(out, s.length);
  for (let i = 0; i < s.length; i += 2) push(out, s.charCodeAt(i) | ((i + 1 < s.length ? s.charCodeAt(i + 1) : 0) << 16));
}

function readString(r: Reader): string {
  const n = r.next();
  let s = '';
  for (let i = 0; i < n; i += 2) {
    const w = r.next();
    s += String.fromCharCode(w & 0xffff);
    if (i + 1 < n) s += String.fromCharCode(w >>> 16);
  }
  return s;
}

function compareWords(a: Int32Array, b: Int32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** Encodes each item separately, sorts the encodings, and writes count + items (a canonical unordered collection). */
function pushSorted(out: WordBuffer, items: Int32Array[], dedupe: boolean): void {
  items.sort(compareWords);
  const kept = dedupe ? items.filter((x, i) => i === 0 || compareWords(items[i - 1]!, x) !== 0) : items;
  push(out, kept.length);
  for (const x of kept) {
    const b = out.ensure(x.length);
    b.set(x, out.len);
    out.len += x.length;
  }
}

function encodeAlone(plan: Plan, v: unknown, path: string, depth: number): Int32Array {
  const tmp = new WordBuffer(16);
  encodeDyn(plan, v, tmp, path, depth);
  return tmp.buf.slice(0, tmp.len);
}

const MAX_DEPTH = 200;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encodeDyn(plan: Plan, v: any, out: WordBuffer, path: string, depth: number): void {
  if (depth > MAX_DEPTH) unfingerprintable(path.length > 80 ? `${path.slice(0, 80)}…` : path, v, `the value is nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  switch (plan.t) {
    case 'bool':
      if (typeof v !== 'boolean') bad(path, v, 'a boolean');
      return push(out, v ? 1 : 0);
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < plan.lo || v > plan.hi) bad(path, v, `an integer in ${plan.lo}..${plan.hi}`);
      return pushNumber(out, v, path);
    case 'num':
      if (typeof v !== 'number') bad(path, v, plan.int ? 'an integer' : 'a number');
      if (plan.int && !Number.isInteger(v)) bad(path, v, 'an integer');
      return pushNumber(out, v, path);
    case 'str':
      if (typeof v !== 'string') bad(path, v, 'a string');
      return pushString(out, v);
    case 'enum': {
      const i = plan.values.indexOf(v);
      if (i < 0) bad(path, v, `one of ${plan.values.map((x) => (x === undefined ? 'undefined' : q(x))).join(', ')}`);
      return push(out, i);
    }
    case 'object':
      if (typeof v !== 'object' || v === null) bad(path, v, 'an object');
      checkKnownKeys(path, v, plan.keys);
      plan.keys.forEach((k, i) => encodeDyn(plan.fields[i]!, v[k], out, path ? `${path}.${k}` : k, depth + 1));
      return;
    case 'tuple':
      if (!Array.isArray(v) || v.length !== plan.items.length) bad(path, v, `a tuple of length ${plan.items.length}`);
      plan.items.forEach((p, i) => encodeDyn(p, v[i], out, `${path}[${i}]`, depth + 1));
      return;
    case 'array':
      if (!Array.isArray(v) || v.length < plan.min || (plan.max !== null && v.length > plan.max)) {
        bad(path, v, `an array of length ${plan.min}..${plan.max ?? '∞'}`);
      }
      push(out, v.length);
      for (let i = 0; i < v.length; i++) encodeDyn(plan.el, v[i], out, `${path}[${i}]`, depth + 1);
      return;
    case 'coll': {
      const items: unknown[] = plan.js === 'Set' ? (v instanceof Set ? [...v] : bad(path, v, 'a Set')) : Array.isArray(v) ? v : bad(path, v, 'an array');
      if (plan.max !== null && items.length > plan.max) bad(path, v, `at most ${plan.max} elements`);
      return pushSorted(
        out,
        items.map((x) => encodeAlone(plan.el, x, `${path}[]`, depth + 1)),
        plan.kind === 'set',
      );
    }
    case 'opt':
      if (v === plan.none) return push(out, 0);
      if (v === null || v === undefined) bad(path, v, plan.none === null ? 'a value or null' : 'a value or undefined');
      push(out, 1);
      return encodeDyn(plan.inner, v, out, path, depth);
    case 'union': {
      if (typeof v !== 'object' || v === null) bad(path, v, 'an object');
      const i = plan.tags.indexOf(v[plan.disc]);
      if (i < 0) bad(`${path}.${plan.disc}`, v[plan.disc], 'a known variant');
      push(out, i);
      return encodeDyn(plan.options[i]!, v, out, path, depth);
    }
    case 'record': {
      if (!isPlainObject(v)) bad(path, v, 'a plain object');
      const keys = Object.keys(v).sort();
      push(out, keys.length);
      for (const k of keys) {
        encodeDyn(plan.key, k, out, path, depth + 1);
        encodeDyn(plan.value, v[k], out, `${path}.${k}`, depth + 1);
      }
      return;
    }
    case 'map': {
      if (!(v instanceof Map)) bad(path, v, 'a Map');
      const entries = [...v].map(([k, x]) => {
        const tmp = new WordBuffer(16);
        encodeDyn(plan.key, k, tmp, `${path}<key>`, depth + 1);
        encodeDyn(plan.value, x, tmp, `${path}[${String(k)}]`, depth + 1);
        return tmp.buf.slice(0, tmp.len);
      });
      return pushSorted(out, entries, false);
    }
    case 'any':
      return encodeAny(v, out, path, depth);
  }
}

/** Generic canonical encoding of plain data, with a type tag per value. */
function encodeAny(v: unknown, out: WordBuffer, path: string, depth: number): void {
  if (depth > MAX_DEPTH) unfingerprintable(path.length > 80 ? `${path.slice(0, 80)}…` : path, v, `the value is nested more than ${MAX_DEPTH} levels deep (a cycle?)`);
  if (v === undefined) return push(out, 0);
  if (v === null) return push(out, 1);
  if (v === false) return push(out, 2);
  if (v === true) return push(out, 3);
  if (typeof v === 'number') {
    push(out, 4);
    return pushNumber(out, v, path);
  }
  if (typeof v === 'string') {
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
      true,
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
      false,
    );
  }
  if (typeof v === 'bigint') {
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
  if (typeof v === 'function') unfingerprintable(path, v, 'functions cannot be part of a state');
  if (typeof v === 'symbol') unfingerprintable(path, v, 'symbols cannot be part of a state');
  unfingerprintable(path, v, 'class instances cannot be part of a state (use plain objects)');
}

/** `o[k] = v`, except that a key `__proto__` becomes an own property (as JSON.parse makes it), not the prototype. */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function decodeAny(r: Reader): unknown {
  switch (r.next()) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return false;
    case 3:
      return true;
    case 4:
      return readNumber(r);
    case 5:
      return readString(r);
    case 6: {
      const n = r.next();
      const a: unknown[] = [];
      for (let i = 0; i < n; i++) a.push(decodeAny(r));
      return a;
    }
    case 7: {
      const n = r.next();
      const s = new Set<unknown>();
      for (let i = 0; i < n; i++) s.add(decodeAny(r));
      return s;
    }
    case 8: {
      const n = r.next();
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = decodeAny(r);
        m.set(k, decodeAny(r));
      }
      return m;
    }
    case 9: {
      const n = r.next();
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = readString(r);
        setOwn(o, k, decodeAny(r));
      }
      return o;
    }
    case 10:
      return BigInt(readString(r));
    default:
      throw new InterleaveError('INTERNAL', 'corrupt dynamic encoding');
  }
}

function decodeDyn(plan: Plan, r: Reader): unknown {
  switch (plan.t) {
    case 'bool':
      return r.next() === 1;
    case 'int':
    case 'num':
      return readNumber(r);
    case 'str':
      return readString(r);
    case 'enum':
      return plan.values[r.next()];
    case 'object': {
      const o: Record<string, unknown> = {};
      plan.keys.forEach((k, i) => {
        const x = decodeDyn(plan.fields[i]!, r);
        if (!(plan.optional[i] && x === undefined)) setOwn(o, k, x);
      });
      return o;
    }
    case 'tuple':
      return plan.items.map((p) => decodeDyn(p, r));
    case 'array': {
      const n = r.next();
      const a: unknown[] = [];
      for (let i = 0; i < n; i++) a.push(decodeDyn(plan.el, r));
      return a;
    }
    case 'coll': {
      const n = r.next();
      const a: unknown[] = [];
      for (let i = 0; i < n; i++) a.push(decodeDyn(plan.el, r));
      return plan.js === 'Set' ? new Set(a) : a;
    }
    case 'opt':
      return r.next() === 0 ? plan.none : decodeDyn(plan.inner, r);
    case 'union':
      return decodeDyn(plan.options[r.next()]!, r);
    case 'record': {
      const n = r.next();
      const o: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = decodeDyn(plan.key, r) as string;
        setOwn(o, k, decodeDyn(plan.value, r));
      }
      return o;
    }
    case 'map': {
      const n = r.next();
      const m = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = decodeDyn(plan.key, r);
        m.set(k, decodeDyn(plan.value, r));
      }
      return m;
    }
    case 'any':
      return decodeAny(r);
  }
}

export type { Plan, Primitive };
