import type { Spec, TemporalProperty } from '../../model/index.ts';
import { planOf } from '../state/index.ts';
import type { SpecRuntime } from './runtime.ts';
import { FP, fingerprint } from '../state/index.ts';

/**
 * The identity of a spec as a search runs it: what two threads (the coordinator and a worker), or a search and the
 * checkpoint it resumes, compare before they trust each other to be checking the same thing (docs/spec-identity.md).
 * Each part is short text, so that a difference can be named: "its actions differ", "the hooks' source differs".
 *
 * What it cannot see: values a hook closes over (a factory's argument that only a guard reads). Workers therefore
 * load a spec by module URL and export name, never by name alone, and the CLI's checkpoints add a hash of the spec's
 * source files (src/cli/checkpoint-store.ts).
 */
export interface SpecIdentity {
  spec: string;
  /** Action names in order, each with its fairness (and `urgent` for an urgent one). */
  actions: string;
  invariants: string;
  properties: string;
  /** A digest of the compiled state layout (the codec's plan of the state schema for these constants). */
  layout: string;
  /** The resolved constants, as sorted JSON. */
  constants: string;
  /**
   * A digest of the initial states and of every step from the first states in breadth-first order (up to
   * PROBE_STATES of them): what the hooks do, whatever loader compiled them.
   */
  probe: string;
  /**
   * A digest of the source text of every hook: init, params, guards, effects, invariants, properties, symmetry.
   * Only where both sides load the code the same way (a checkpoint and its resume); a worker leaves it out, since
   * a test runner's transform (vitest) and the worker's (tsx) give the same function different text.
   */
  hooks?: string;
}

const PARTS: readonly (readonly [keyof SpecIdentity, string])[] = [
  ['spec', 'the spec name'],
  ['actions', 'the actions'],
  ['invariants', 'the invariants'],
  ['properties', 'the temporal properties'],
  ['constants', 'the constants'],
  ['layout', 'the state layout (the state schema)'],
  ['probe', 'the states the first steps reach (init or the actions)'],
  ['hooks', "the hooks' source text (init, actions, invariants, properties or symmetry)"],
];

/** The fixed parameter domain `defineSpec` wraps into a function (spec.ts), readable across library copies. */
export const FIXED_DOMAIN = Symbol.for('interleave.fixedDomain');

/** A 64-bit digest of a text, as 16 hex digits (the seen-set's fingerprint over its UTF-16 code units). */
export function digest(text: string): string {
  const words = new Int32Array(Math.ceil(text.length / 2) + 1);
  for (let i = 0; i < text.length; i++) words[i >> 1]! |= text.charCodeAt(i) << ((i & 1) * 16);
  words[words.length - 1] = text.length;
  fingerprint(words, 0, words.length);
  return `${(FP[0]! >>> 0).toString(16).padStart(8, '0')}${(FP[1]! >>> 0).toString(16).padStart(8, '0')}`;
}

/** JSON with sorted keys, bigint as `123n`, functions and symbols by their text: a stable text of plain data. */
export function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'function' || typeof v === 'symbol') return String(v);
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        if (v instanceof Map) return { '<Map>': [...v.entries()] };
        if (v instanceof Set) return { '<Set>': [...v.values()] };
        return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
      }
      return v;
    }) ?? 'undefined'
  );
}

function source(f: unknown): string {
  if (typeof f !== 'function') return stableJson(f);
  const fixed = (f as unknown as Record<symbol, unknown>)[FIXED_DOMAIN];
  if (fixed !== undefined) return `domain ${stableJson(fixed)}`;
  return Function.prototype.toString.call(f);
}

function propertySource(p: TemporalProperty<unknown, unknown>): string {
  switch (p.kind) {
    case 'eventually':
    case 'alwaysEventually':
      return `${p.kind}(${source(p.p)})`;
    case 'leadsTo':
      return `leadsTo(${source(p.p)}, ${source(p.q)})`;
    case 'forEach':
      return `forEach(${source(p.domain)}, ${source(p.body)})`;
    default:
      return stableJson(p);
  }
}

/** The source text of every hook of a spec, in a fixed order. */
export function hooksText(spec: Spec): string {
  const parts: string[] = [`init ${source(spec.init)}`];
  for (const a of spec.actions) parts.push(`action ${a.name}: ${source(a.params)} | ${source(a.guard)} | ${source(a.effect)} | ${source(a.process)}`);
  for (const i of spec.invariants) parts.push(`invariant ${i.name}: ${source(i.test)}`);
  for (const p of spec.properties) parts.push(`property ${p.name}: ${propertySource(p.property)}`);
  if (spec.symmetry) parts.push(`symmetry ${source(spec.symmetry.size)} | ${source(spec.symmetry.permutations)} | ${source(spec.symmetry.apply)}`);
  return parts.join('\n');
}

/** How many states (breadth-first from the initial ones) the probe expands. */
export const PROBE_STATES = 64;

/** A digest of the initial states and the steps from the first PROBE_STATES states (see SpecIdentity.probe). */
export function behaviourProbe(rt: SpecRuntime): string {
  const parts: string[] = [];
  // The probe may run between two expansions (a checkpoint): it leaves the runtime's scratch buffer as it was.
  const scratch = rt.scratch;
  const savedBuf = scratch.buf;
  const savedWords = scratch.buf.slice();
  const savedLen = scratch.len;
  const key = (state: unknown): string => {
    const len = rt.encode(state);
    fingerprint(rt.scratch.buf, 0, len);
    return `${(FP[0]! >>> 0).toString(36)}.${(FP[1]! >>> 0).toString(36)}`;
  };
  try {
    const seen = new Set<string>();
    const queue: unknown[] = [];
    for (const s of rt.initialStates()) {
      const k = key(s);
      parts.push(`i${k}`);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(s);
      }
    }
    for (let i = 0; i < queue.length && i < PROBE_STATES; i++) {
      const s = queue[i]!;
      for (const a of rt.actions) {
        for (const p of rt.domain(a, s)) {
          if (!rt.enabled(a, s, p)) continue;
          const next = rt.step(a, s, p);
          const k = key(next);
          parts.push(`${a.index}:${k}`);
          if (!seen.has(k)) {
            seen.add(k);
            queue.push(rt.canonical(next));
          }
        }
      }
    }
  } catch (e) {
    // The search reports the error itself; here it is only part of what the spec does.
    parts.push(`throws ${(e as { code?: unknown })?.code ?? (e as Error)?.name}`);
  } finally {
    scratch.buf = savedBuf;
    savedBuf.set(savedWords);
    scratch.len = savedLen;
  }
  return digest(parts.join(','));
}

/**
 * The identity of a spec with the runtime's constants (see SpecIdentity). `hooks`: include the source-text digest
 * (for checkpoints; not for workers).
 */
export function specIdentity(rt: SpecRuntime, options: { hooks: boolean }): SpecIdentity {
  const spec = rt.spec;
  return {
    spec: spec.name,
    actions: spec.actions.map((a) => `${a.fairness === 'none' ? a.name : `${a.name}:${a.fairness}`}${a.urgent ? ' urgent' : ''}`).join(', '),
    invariants: spec.invariants.map((i) => i.name).join(', '),
    properties: spec.properties.map((p) => p.name).join(', '),
    layout: digest(stableJson(planOf(rt.schema))),
    constants: stableJson(rt.constants),
    probe: behaviourProbe(rt),
    ...(options.hooks ? { hooks: digest(hooksText(spec)) } : {}),
  };
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * The first part of two identities that differs, in words ("the actions differ: inc, dec there, inc here"), or null
 * when they are the same. `there` and `here` name the two sides (e.g. "in the checkpoint", "in this run").
 */
export function identityDifference(expected: SpecIdentity, actual: SpecIdentity, there: string, here: string): string | null {
  for (const [key, what] of PARTS) {
    const a = expected[key];
    const b = actual[key];
    if (a === b || a === undefined || b === undefined) continue;
    if (key === 'layout' || key === 'hooks' || key === 'probe') return `${what} differs`;
    return `${what} differ${key === 'spec' ? 's' : ''}: ${clip(a || '(none)')} ${there}, ${clip(b || '(none)')} ${here}`;
  }
  return null;
}
