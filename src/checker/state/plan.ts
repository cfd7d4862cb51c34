import { z } from 'zod';
import { collectionKind } from '../../model/index.ts';

/**
 * A codec plan: the state schema reduced to what the encoder needs to know. Built once per spec from the zod
 * schema; both codec back ends (packed and dynamic) read only this.
 */
export type Primitive = string | number | boolean | null | undefined;

export type Plan =
  | { t: 'bool' }
  | { t: 'int'; lo: number; hi: number }
  | { t: 'num'; int: boolean }
  | { t: 'enum'; values: readonly Primitive[] }
  | { t: 'str' }
  | { t: 'object'; keys: readonly string[]; fields: readonly Plan[]; optional: readonly boolean[] }
  | { t: 'tuple'; items: readonly Plan[] }
  | { t: 'array'; el: Plan; min: number; max: number | null }
  | { t: 'coll'; kind: 'bag' | 'set'; el: Plan; max: number | null; js: 'array' | 'Set' }
  | { t: 'opt'; inner: Plan; none: null | undefined }
  | { t: 'union'; disc: string; tags: readonly Primitive[]; options: readonly Plan[] }
  | { t: 'record'; keys: readonly string[] | null; key: Plan; value: Plan }
  | { t: 'map'; key: Plan; value: Plan }
  | { t: 'any' };

type Def = { type: string; [k: string]: any };
const defOf = (s: z.ZodType): Def => (s as any)._zod.def as Def;

function checksOf(def: Def): Def[] {
  return (def.checks ?? []).map((c: any) => c._zod.def as Def);
}

/** Builds the plan of a zod schema. Unknown or unsupported shapes become `any` (the generic canonical form). */
export function planOf(schema: z.ZodType): Plan {
  const kind = collectionKind(schema);
  const def = defOf(schema);
  if (kind !== undefined && def.type === 'array') {
    return { t: 'coll', kind, el: planOf(def.element), max: lengthBounds(def).max, js: 'array' };
  }
  switch (def.type) {
    case 'boolean':
      return { t: 'bool' };
    case 'number': {
      let lo = -Infinity;
      let hi = Infinity;
      let int = false;
      if (typeof def.format === 'string' && /int/.test(def.format)) int = true;
      for (const c of checksOf(def)) {
        if (c.check === 'number_format' && /int/.test(c.format)) int = true;
        if (c.check === 'greater_than') lo = Math.max(lo, c.inclusive ? c.value : int ? c.value + 1 : c.value);
        if (c.check === 'less_than') hi = Math.min(hi, c.inclusive ? c.value : int ? c.value - 1 : c.value);
      }
      if (int && Number.isFinite(lo) && Number.isFinite(hi)) {
        lo = Math.ceil(lo);
        hi = Math.floor(hi);
        return { t: 'int', lo, hi };
      }
      return { t: 'num', int };
    }
    case 'int':
      return { t: 'num', int: true };
    case 'enum':
      return { t: 'enum', values: Object.values(def.entries as Record<string, Primitive>) };
    case 'literal':
      return { t: 'enum', values: def.values as Primitive[] };
    case 'null':
      return { t: 'enum', values: [null] };
    case 'undefined':
      return { t: 'enum', values: [undefined] };
    case 'string':
      return { t: 'str' };
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const keys = Object.keys(shape);
      const optional = keys.map((k) => defOf(shape[k]!).type === 'optional');
      return { t: 'object', keys, fields: keys.map((k) => planOf(shape[k]!)), optional };
    }
    case 'tuple':
      if (def.rest) return { t: 'any' };
      return { t: 'tuple', items: (def.items as z.ZodType[]).map(planOf) };
    case 'array': {
      const { min, max } = lengthBounds(def);
      return { t: 'array', el: planOf(def.element), min, max };
    }
    case 'set':
      return { t: 'coll', kind: 'set', el: planOf(def.valueType), max: sizeBound(def), js: 'Set' };
    case 'map':
      return { t: 'map', key: planOf(def.keyType), value: planOf(def.valueType) };
    case 'record': {
      const key = planOf(def.keyType);
      const keys = key.t === 'enum' && key.values.every((v) => typeof v === 'string') ? (key.values as string[]) : null;
      return { t: 'record', keys, key, value: planOf(def.valueType) };
    }
    case 'optional':
      return { t: 'opt', inner: planOf(def.innerType), none: undefined };
    case 'nullable':
      return { t: 'opt', inner: planOf(def.innerType), none: null };
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return planOf(def.innerType);
    case 'pipe':
      return planOf(def.out ?? def.in);
    case 'union':
      return planUnion(def);
    default:
      return { t: 'any' };
  }
}

function planUnion(def: Def): Plan {
  const options = (def.options as z.ZodType[]).map(planOf);
  if (options.every((o) => o.t === 'enum')) {
    return { t: 'enum', values: options.flatMap((o) => (o as { values: readonly Primitive[] }).values) };
  }
  // A union of objects sharing a literal discriminator.
  const disc: string | undefined = def.discriminator ?? guessDiscriminator(options);
  if (disc !== undefined) {
    const tags: Primitive[] = [];
    for (const o of options) {
      if (o.t !== 'object') return { t: 'any' };
      const i = o.keys.indexOf(disc);
      const f = o.fields[i];
      if (i < 0 || f === undefined || f.t !== 'enum' || f.values.length !== 1) return { t: 'any' };
      tags.push(f.values[0]);
    }
    if (new Set(tags).size === tags.length) return { t: 'union', disc, tags, options };
  }
  return { t: 'any' };
}

function guessDiscriminator(options: Plan[]): string | undefined {
  const first = options[0];
  if (first === undefined || first.t !== 'object') return undefined;
  for (let i = 0; i < first.keys.length; i++) {
    const key = first.keys[i]!;
    if (options.every((o) => o.t === 'object' && o.fields[o.keys.indexOf(key)]?.t === 'enum')) return key;
  }
  return undefined;
}

function lengthBounds(def: Def): { min: number; max: number | null } {
  let min = 0;
  let max: number | null = null;
  for (const c of checksOf(def)) {
    if (c.check === 'length_equals') {
      min = c.length;
      max = c.length;
    }
    if (c.check === 'min_length') min = Math.max(min, c.minimum);
    if (c.check === 'max_length') max = max === null ? c.maximum : Math.min(max, c.maximum);
  }
  return { min, max };
}

function sizeBound(def: Def): number | null {
  let max: number | null = null;
  for (const c of checksOf(def)) if (c.check === 'max_size') max = max === null ? c.maximum : Math.min(max, c.maximum);
  return max;
}

/** Bits needed to store `n` distinct codes. */
export function bitsFor(n: number): number {
  let bits = 0;
  while (2 ** bits < n) bits++;
  return bits;
}

/** Bits of a plan in the packed layout, or null when it has no bounded packed form. */
export function packedBits(plan: Plan): number | null {
  switch (plan.t) {
    case 'bool':
      return 1;
    case 'int': {
      const span = plan.hi - plan.lo;
      return span >= 0 && span < 2 ** 31 ? bitsFor(span + 1) : null;
    }
    case 'enum':
      return bitsFor(plan.values.length);
    case 'object':
    case 'tuple': {
      let total = 0;
      for (const f of plan.t === 'object' ? plan.fields : plan.items) {
        const b = packedBits(f);
        if (b === null) return null;
        total += b;
      }
      return total;
    }
    case 'array': {
      if (plan.max === null) return null;
      const b = packedBits(plan.el);
      return b === null ? null : bitsFor(plan.max + 1) + b * plan.max;
    }
    case 'coll': {
      if (plan.max === null) return null;
      const b = packedBits(plan.el);
      return b === null || b > 31 ? null : bitsFor(plan.max + 1) + b * plan.max;
    }
    case 'opt': {
      const b = packedBits(plan.inner);
      return b === null ? null : b + 1;
    }
    case 'union': {
      let total = bitsFor(plan.tags.length);
      for (const o of plan.options) {
        const b = packedBits(o);
        if (b === null) return null;
        total += b;
      }
      return total;
    }
    case 'record': {
      if (plan.keys === null) return null;
      const b = packedBits(plan.value);
      return b === null ? null : b * plan.keys.length;
    }
    default:
      return null;
  }
}
