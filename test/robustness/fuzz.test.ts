/**
 * Issue 7, part 5: fast-check feeds random and mutated inputs to every parser: trace files (ours and ITF),
 * `--const` values, argument lists. Never a crash or a hang: always a result or an error with a code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConstants } from '../../src/checker/index.ts';
import { main } from '../../src/cli/main.ts';
import { parseConstants } from '../../src/cli/load.ts';
import type { Io } from '../../src/cli/io.ts';
import { ERROR_CATALOGUE, isInterleaveError } from '../../src/errors.ts';
import { readTraceText } from '../../src/trace/read.ts';
import { readTrace } from '../../src/trace/index.ts';
import { peterson } from '../../specs/bench/peterson.ts';
import { alpha } from '../fixtures/robustness/two-specs.ts';

/** Runs f; passes if it returns, or throws an InterleaveError whose code is in the catalogue (and one of `codes`). */
function valueOrCodedError(f: () => unknown, codes?: readonly string[]): void {
  try {
    f();
  } catch (e) {
    if (!isInterleaveError(e)) throw new Error(`not a coded error: ${String(e)}`, { cause: e });
    expect(ERROR_CATALOGUE).toHaveProperty(e.code);
    if (codes) expect(codes).toContain(e.code);
    expect(e.message.length).toBeGreaterThan(0);
  }
}

const validTrace = {
  version: 1,
  spec: { name: 'die-hard', file: 'specs/die-hard.ts' },
  constants: {},
  seed: 0,
  property: 'bigNotFour',
  kind: 'invariant',
  steps: [
    { action: 'init', params: null, state: { small: 0, big: 0 } },
    { action: 'fillBig', params: null, state: { small: 0, big: 5 } },
    { action: 'bigToSmall', params: { n: [1, 2] }, state: { small: 3, big: 2 } },
  ],
};
const validText = JSON.stringify(validTrace, null, 2);

/** Text mutations: delete, insert or replace a slice. */
const textMutation = fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 20 })).map(
  ([at, del, ins]) =>
    (t: string) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + ins + t.slice(i + del);
    },
);

/** Structural mutations: set a value at a random path (possibly a hostile key). */
const key = fc.oneof(fc.constantFrom('version', 'spec', 'steps', 'action', 'params', 'state', 'loop', '__proto__', 'constructor', 'prototype', '#set', '#foo', '0', '1'), fc.string({ maxLength: 6 }));
const structMutation = fc.tuple(fc.array(fc.oneof(key, fc.nat({ max: 4 })), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 3 })).map(
  ([path, value]) =>
    (root: unknown) => {
      const copy = structuredClone(root) as Record<string | number, unknown>;
      let cur: Record<string | number, unknown> = copy;
      for (const p of path.slice(0, -1)) {
        // Own properties only: the mutation must build hostile keys, not write through to Object.prototype.
        const next = Object.hasOwn(cur, p) ? cur[p] : undefined;
        if (typeof next !== 'object' || next === null) Object.defineProperty(cur, p, { value: {}, enumerable: true, configurable: true, writable: true });
        cur = Object.getOwnPropertyDescriptor(cur, p)!.value as Record<string | number, unknown>;
      }
      Object.defineProperty(cur, path[path.length - 1]!, { value, enumerable: true, configurable: true, writable: true });
      return copy;
    },
);

describe('fuzzing the parsers', () => {
  it('random text as a trace file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 })), (t) => valueOrCodedError(() => readTraceText(t), ['TRACE_INVALID'])),
      { numRuns: 400 },
    );
  });

  it('mutated valid trace files (text edits)', () => {
    fc.assert(
      fc.property(fc.array(textMutation, { minLength: 1, maxLength: 3 }), (ms) => valueOrCodedError(() => readTraceText(ms.reduce((t, m) => m(t), validText)), ['TRACE_INVALID'])),
      { numRuns: 400 },
    );
  });

  it('mutated valid trace files (structure), and prototypes stay clean', () => {
    fc.assert(
      fc.property(fc.array(structMutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const text = JSON.stringify(ms.reduce<unknown>((v, m) => m(v), validTrace));
        valueOrCodedError(() => readTraceText(text), ['TRACE_INVALID']);
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(({} as Record<string, unknown>).version).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('random and mutated ITF values', () => {
    const itf = { '#meta': { format: 'ITF' }, vars: ['x'], states: [{ '#meta': { index: 0 }, x: { '#bigint': '1' } }, { x: { '#set': [{ '#tup': [1, 'a'] }] } }] };
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.array(structMutation, { minLength: 1, maxLength: 3 }).map((ms) => ms.reduce<unknown>((v, m) => m(v), itf))), (v) =>
        valueOrCodedError(() => readTrace(JSON.stringify(v ?? null), 'ITF file'), ['ITF_INVALID', 'TRACE_INVALID']),
      ),
      { numRuns: 400 },
    );
  });

  it('random --const pairs', () => {
    const name = fc.oneof(fc.constantFrom('n', 'fairness', 'm', '__proto__', 'constructor', ''), fc.string({ maxLength: 8 }));
    const value = fc.oneof(fc.string({ maxLength: 10 }), fc.json({ maxDepth: 2 }), fc.integer().map(String), fc.constantFrom('3', '1e400', 'NaN', '-0', '"process"', 'system', '[]', '{}', 'null'));
    const pair = fc.oneof(fc.tuple(name, value).map(([n, v]) => `${n}=${v}`), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 4 }), (pairs) => {
        for (const spec of [alpha, peterson]) {
          valueOrCodedError(() => resolveConstants(spec as typeof alpha, parseConstants(pairs)), ['CLI_USAGE', 'CONSTANT_INVALID']);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('random argument lists: main() returns an exit code 0–4 and never throws', async () => {
    const capture = (): Io & { text: string[] } => {
      const text: string[] = [];
      return { text, out: (t) => void text.push(t), err: (t) => void text.push(t), isTTY: false, color: false };
    };
    const flag = fc.oneof(
      fc.constantFrom('--spec', '--const', '--invariant', '--max-depth', '--max-states', '--time-limit', '--memory-limit', '--no-deadlock', '--strict', '--json', '--debug', '--help', '-h', '--version', '--bogus', '--', '-x'),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.oneof(fc.constantFrom('die-hard', 'alpha', 'bigNotFour', 'n=2', 'n=abc', '0', '3', '-1', '1e9', 'abc', ''), fc.string({ maxLength: 8 }));
    const file = fc.constantFrom('specs/die-hard.ts', 'test/fixtures/robustness/two-specs.ts', 'test/fixtures/robustness/no-spec.ts', 'no/such.ts');
    const argv = fc.tuple(fc.constantFrom('check', 'list', 'chek', '--help'), file, fc.array(fc.oneof(flag, value), { maxLength: 6 })).map(([cmd, f, rest]) => [cmd, f, ...rest]);
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const io = capture();
        const code = await main(args, io);
        expect([0, 1, 2, 3, 4]).toContain(code);
        expect(code, `${args.join(' ')}\n${io.text.join('\n')}`).not.toBe(4);
        if (!args.includes('--debug')) expect(io.text.join('\n')).not.toMatch(/^\s+at /m);
      }),
      { numRuns: 120 },
    );
  });
});
