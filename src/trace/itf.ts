/**
 * ITF, the Informal Trace Format of Apalache and Quint (Apalache ADR-015), to and from our trace format.
 * Pure: takes and returns values. The mapping is documented in docs/trace-format.md:
 *
 *   ours                                  ITF
 *   integer (safe)                        {"#bigint": "5"}          (read: also a plain JSON number)
 *   {"#bigint": "…"} (beyond ±2^53)       {"#bigint": "…"}
 *   other number (1.5)                    {"#unserializable": "1.5"} (read back as the number)
 *   string, boolean                       the same
 *   null                                  {"tag": "None", "value": {"#tup": []}} (Quint's None)
 *   array (sequence, bag, setOf)          JSON array (an ITF sequence)
 *   {"#set"|"#map"|"#tup": …}             the same, sets and maps in canonical order
 *   object (record, variant {tag,value})  JSON object
 *   steps[i].action / params              states[i]["mbt::actionTaken"] / ["mbt::nondetPicks"]
 *   spec, constants, seed, property…      #meta (source, description, and an `interleave` record)
 */
import { InterleaveError } from '../errors.ts';
import { TRACE_FORMAT_VERSION, setKey, type TraceFile } from './format.ts';
import { FORBIDDEN_KEYS, VALUE_TAGS, childPath, compareValues, tagOf } from './values.ts';

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';
const ACTION_TAKEN = 'mbt::actionTaken';
const NONDET_PICKS = 'mbt::nondetPicks';

export interface ItfTrace {
  '#meta'?: Record<string, unknown>;
  params?: string[];
  vars: string[];
  states: Record<string, unknown>[];
  loop?: number;
}

const NONE = (): Record<string, unknown> => ({ tag: 'None', value: { '#tup': [] } });
const some = (v: unknown): Record<string, unknown> => ({ tag: 'Some', value: v });

/** Encodes one trace value as an ITF value. */
export function valueToItf(v: unknown, path = ''): unknown {
  if (v === null || v === undefined) return NONE();
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (Number.isSafeInteger(v)) return { '#bigint': String(v) };
      return { '#unserializable': String(v) };
    case 'bigint':
      return { '#bigint': v.toString() };
  }
  if (Array.isArray(v)) return v.map((x, i) => valueToItf(x, childPath(path, i)));
  if (typeof v !== 'object') return { '#unserializable': String(v) };
  const tag = tagOf(v);
  const inner = tag ? (v as Record<string, unknown>)[tag] : undefined;
  switch (tag) {
    case '#bigint':
    case '#unserializable':
      return { [tag]: String(inner) };
    case '#tup':
      return { '#tup': asArray(inner, path, tag).map((x, i) => valueToItf(x, childPath(path, i))) };
    case '#set':
      return { '#set': asArray(inner, path, tag).map((x, i) => valueToItf(x, childPath(path, i))).sort(compareValues) };
    case '#map':
      return {
        '#map': asArray(inner, path, tag)
          .map((e, i) => {
            const pair = asArray(e, childPath(path, i), '#map entry');
            return [valueToItf(pair[0], childPath(path, i)), valueToItf(pair[1], childPath(path, i))];
          })
          .sort((a, b) => compareValues(a[0], b[0])),
      };
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('#')) throw new InterleaveError('ITF_INVALID', `field '${childPath(path, k)}': a record key starting with '#' cannot be written to ITF`, { field: childPath(path, k) });
    setKey(out, k, valueToItf(x, childPath(path, k)));
  }
  return out;
}

function asArray(v: unknown, path: string, what: string): unknown[] {
  if (!Array.isArray(v)) throw new InterleaveError('ITF_INVALID', `field '${path || '(value)'}': ${what} expects an array`, { field: path });
  return v;
}

/** Decodes one ITF value into a trace value (see the table at the top of this file). */
export function valueFromItf(v: unknown, path = '', state?: number): unknown {
  const bad = (msg: string): InterleaveError =>
    new InterleaveError('ITF_INVALID', `${state === undefined ? '' : `state ${state}, `}field '${path || '(value)'}': ${msg}`, { step: state, field: path });
  if (v === null) throw bad('null is not an ITF value');
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (!Number.isInteger(v)) throw bad(`${v} is not an integer (ITF numbers are integers)`);
      return v;
  }
  if (typeof v !== 'object') throw bad(`unexpected ${typeof v}`);
  if (Array.isArray(v)) return v.map((x, i) => valueFromItf(x, childPath(path, i), state));
  const keys = Object.keys(v);
  const rec = v as Record<string, unknown>;
  for (const k of keys) if (FORBIDDEN_KEYS.has(k)) throw bad(`the key '${k}' is not allowed`);
  const hashKeys = keys.filter((k) => k.startsWith('#'));
  if (hashKeys.length > 0) {
    const tag = hashKeys[0]!;
    if (keys.length !== 1 || !(VALUE_TAGS as readonly string[]).includes(tag)) {
      throw bad(keys.length !== 1 ? `a tagged value has one key, got ${keys.join(', ')}` : `unknown tag '${tag}' (known: ${VALUE_TAGS.join(', ')})`);
    }
    const inner = rec[tag];
    switch (tag) {
      case '#bigint': {
        if (typeof inner !== 'string' || !/^-?\d+$/.test(inner)) throw bad(`#bigint expects a string of digits, got ${JSON.stringify(inner)}`);
        const n = BigInt(inner);
        return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : { '#bigint': n.toString() };
      }
      case '#unserializable': {
        if (typeof inner !== 'string') throw bad('#unserializable expects a string');
        const n = Number(inner);
        return inner.trim() !== '' && Number.isFinite(n) && String(n) === inner ? n : { '#unserializable': inner };
      }
      case '#tup':
        if (!Array.isArray(inner)) throw bad('#tup expects an array');
        return { '#tup': inner.map((x, i) => valueFromItf(x, childPath(path, i), state)) };
      case '#set':
        if (!Array.isArray(inner)) throw bad('#set expects an array');
        return { '#set': inner.map((x, i) => valueFromItf(x, childPath(path, i), state)).sort(compareValues) };
      case '#map':
        if (!Array.isArray(inner)) throw bad('#map expects an array of [key, value] pairs');
        return {
          '#map': inner
            .map((e, i) => {
              if (!Array.isArray(e) || e.length !== 2) throw bad(`#map entry ${i} is not a [key, value] pair`);
              return [valueFromItf(e[0], childPath(path, i), state), valueFromItf(e[1], childPath(path, i), state)];
            })
            .sort((a, b) => compareValues(a[0], b[0])),
        };
    }
  }
  // Quint's None (an empty-tuple variant) is our null.
  if (keys.length === 2 && rec.tag === 'None' && isEmptyTuple(rec.value)) return null;
  const out: Record<string, unknown> = {};
  for (const k of keys) setKey(out, k, valueFromItf(rec[k], childPath(path, k), state));
  return out;
}

function isEmptyTuple(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && Array.isArray((v as { '#tup'?: unknown })['#tup']) && (v as { '#tup': unknown[] })['#tup'].length === 0;
}

/** Our params as Quint's `mbt::nondetPicks`: a record of `Some(value)` (a non-record parameter is `param`). */
function paramsToPicks(params: unknown): Record<string, unknown> {
  if (params === null || params === undefined) return {};
  if (typeof params === 'object' && !Array.isArray(params) && tagOf(params) === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) setKey(out, k, some(valueToItf(v)));
    return out;
  }
  return { param: some(valueToItf(params)) };
}

function picksToParams(picks: unknown, state: number): unknown {
  const decoded = valueFromItf(picks, NONDET_PICKS, state);
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded) || tagOf(decoded) !== null) return decoded;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(decoded)) {
    // Quint writes each nondet pick as an Option: Some(x) → x, None (decoded as null) → left out.
    if (v === null) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { tag?: unknown }).tag === 'Some' && Object.keys(v).length === 2) setKey(out, k, (v as { value: unknown }).value);
    else setKey(out, k, v);
  }
  const keys = Object.keys(out);
  if (keys.length === 0) return null;
  if (keys.length === 1 && keys[0] === 'param') return out.param;
  return out;
}

/** Our trace as an ITF trace (ADR-015, with Quint's `mbt::` fields). */
export function toItf(trace: TraceFile): ItfTrace {
  const vars = [...new Set(trace.steps.flatMap((s) => Object.keys(s.state)))];
  const interleave: Record<string, unknown> = { version: trace.version, spec: trace.spec.name, constants: trace.constants, seed: trace.seed, property: trace.property };
  if (trace.kind !== undefined) interleave.kind = trace.kind;
  if (trace.message !== undefined) interleave.message = trace.message;
  if (trace.shortest !== undefined) interleave.shortest = trace.shortest;
  if (trace.explanation !== undefined) interleave.explanation = trace.explanation;
  const meta: Record<string, unknown> = {
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    source: trace.spec.file ?? trace.spec.name,
    description: `interleave trace of '${trace.spec.name}'${trace.property ? `: violation of '${trace.property}'` : ''}`,
    interleave,
  };
  const out: ItfTrace = {
    '#meta': meta,
    vars,
    states: trace.steps.map((step, i) => {
      const s: Record<string, unknown> = { '#meta': step.views ? { index: i, views: step.views } : { index: i } };
      s[ACTION_TAKEN] = step.action;
      s[NONDET_PICKS] = paramsToPicks(step.params);
      for (const [k, v] of Object.entries(step.state)) {
        if (k.startsWith('#') || k.startsWith('mbt::')) throw new InterleaveError('ITF_INVALID', `step ${i}: the variable '${k}' cannot be written to ITF (names starting with '#' or 'mbt::' are reserved)`, { step: i, field: k });
        setKey(s, k, valueToItf(v, k));
      }
      return s;
    }),
  };
  if (trace.loop !== undefined) out.loop = trace.loop;
  return out;
}

/** True when a parsed JSON value looks like an ITF trace (a `states` array, or a `#meta` and no `version`). */
export function isItf(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const o = json as Record<string, unknown>;
  return (Array.isArray(o.states) && !Array.isArray(o.steps)) || ('#meta' in o && !('version' in o));
}

/**
 * An ITF trace as our trace (not yet validated by the schema: `readTrace` does that). The variables are the keys
 * of the states (some producers repeat names in `vars`); `params` names become constants; `mbt::actionTaken` and
 * `mbt::nondetPicks` name each step's action and parameters (steps without them are named `step`).
 */
export function fromItf(json: unknown): TraceFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InterleaveError('ITF_INVALID', 'an ITF trace is a JSON object with a `states` array');
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.states)) throw new InterleaveError('ITF_INVALID', 'an ITF trace needs a `states` array', { field: 'states' });
  if (o.states.length === 0) throw new InterleaveError('ITF_INVALID', 'the ITF trace has no states', { field: 'states' });
  if (o.vars !== undefined && (!Array.isArray(o.vars) || !o.vars.every((x) => typeof x === 'string'))) throw new InterleaveError('ITF_INVALID', '`vars` must be an array of names', { field: 'vars' });
  const paramNames = Array.isArray(o.params) ? o.params.filter((x): x is string => typeof x === 'string') : [];
  const meta = o['#meta'] !== null && typeof o['#meta'] === 'object' && !Array.isArray(o['#meta']) ? (o['#meta'] as Record<string, unknown>) : {};
  const ours = meta.interleave !== null && typeof meta.interleave === 'object' && !Array.isArray(meta.interleave) ? (meta.interleave as Record<string, unknown>) : null;
  const constants: Record<string, unknown> = {};
  if (ours && ours.constants !== null && typeof ours.constants === 'object') for (const [k, v] of Object.entries(ours.constants)) setKey(constants, k, v);
  const steps = o.states.map((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InterleaveError('ITF_INVALID', `state ${i} is not an object`, { step: i });
    const st = raw as Record<string, unknown>;
    const state: Record<string, unknown> = {};
    for (const k of Object.keys(st)) {
      if (k === '#meta' || k === ACTION_TAKEN || k === NONDET_PICKS) continue;
      if (FORBIDDEN_KEYS.has(k)) throw new InterleaveError('ITF_INVALID', `state ${i}: the variable name '${k}' is not allowed`, { step: i, field: k });
      const value = valueFromItf(st[k], k, i);
      if (paramNames.includes(k)) {
        if (i === 0) setKey(constants, k, value);
        continue;
      }
      setKey(state, k, value);
    }
    const taken = st[ACTION_TAKEN];
    const action = i === 0 ? 'init' : typeof taken === 'string' && taken !== '' && taken !== 'init' ? taken : 'step';
    const params = i === 0 || st[NONDET_PICKS] === undefined ? null : picksToParams(st[NONDET_PICKS], i);
    const stepMeta = st['#meta'] as { views?: unknown } | undefined;
    const views = stepMeta !== null && typeof stepMeta === 'object' && stepMeta.views !== null && typeof stepMeta.views === 'object' && !Array.isArray(stepMeta.views) ? (stepMeta.views as Record<string, unknown>) : undefined;
    return views ? { action, params, state, views } : { action, params, state };
  });
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const specName = str(ours?.spec) ?? str(meta.source)?.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') ?? 'itf';
  const trace: TraceFile = {
    version: TRACE_FORMAT_VERSION,
    spec: { name: specName },
    constants,
    seed: typeof ours?.seed === 'number' ? ours.seed : 0,
    property: typeof ours?.property === 'string' ? ours.property : null,
    steps,
  };
  if (ours) {
    const source = str(meta.source);
    if (source && source !== specName) trace.spec.file = source;
    if (typeof ours.kind === 'string') trace.kind = ours.kind as TraceFile['kind'];
    if (typeof ours.message === 'string') trace.message = ours.message;
    if (typeof ours.shortest === 'boolean') trace.shortest = ours.shortest;
    if (ours.explanation !== undefined) trace.explanation = ours.explanation as TraceFile['explanation'];
  }
  if (o.loop !== undefined && o.loop !== null) {
    if (typeof o.loop !== 'number' || !Number.isInteger(o.loop) || o.loop < 0 || o.loop >= steps.length) throw new InterleaveError('ITF_INVALID', `loop ${JSON.stringify(o.loop)} is not a state index`, { field: 'loop' });
    trace.loop = o.loop;
  }
  return trace;
}
