/**
 * Issue 16: silent wrong answers found under attack (items 2 to 6). Each test runs the real checker on a hostile
 * spec from test/fixtures/hostile/ and pins the verdict and the numbers.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, type CheckResult, type Spec } from '../../src/index.ts';
import { lateMutation } from '../fixtures/hostile/late-mutation.ts';
import * as sym from '../fixtures/hostile/symmetry.ts';
import * as v from '../fixtures/hostile/values.ts';
import { run } from './helpers.ts';

function errorOf(r: CheckResult) {
  if (r.status !== 'error') throw new Error(`expected an error result, got ${r.status}`);
  return r.error;
}

describe('codec values (item 5)', () => {
  it('-0 is the state 0 in the dynamic codec: 7 states under both schemas, no false SPEC_MUTATED_STATE', async () => {
    for (const spec of [v.signsPacked, v.signsDynamic] as Spec[]) {
      for (const strict of [false, true]) {
        const r = await check(spec, { strict });
        expect(r.status, `${spec.name} strict=${strict}`).toBe('ok');
        expect(r.stats.distinct).toBe(7);
      }
    }
  });

  it('a record key "__proto__" is an own key like any other: 8 states, no false SPEC_MUTATED_STATE', async () => {
    for (const strict of [false, true]) {
      const r = await check(v.protoKey, { deadlock: false, strict });
      expect(r.status).toBe('ok');
      expect(r.stats.distinct).toBe(8);
    }
  });

  it('±Infinity survive --trace-out and --json, and the written trace replays', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'interleave-inf-'));
    const out = path.join(dir, 't.json');
    const r = run(['check', 'test/fixtures/hostile/values.ts', '--spec', 'infinite', '--trace-out', out]);
    expect(r.code).toBe(1);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    expect(trace.steps).toHaveLength(5);
    expect(trace.steps.map((s: { state: { x: unknown } }) => s.state.x)).toEqual([2, 1, 0, { '#unserializable': 'Infinity' }, { '#unserializable': '-Infinity' }]);
    const replay = run(['replay', out, '--spec-file', 'test/fixtures/hostile/values.ts']);
    expect(replay.stdout + replay.stderr).toMatch(/reproduces: 4 steps/);
    expect(replay.code).toBe(0);
    const json = JSON.parse(run(['check', 'test/fixtures/hostile/values.ts', '--spec', 'infinite', '--json']).stdout);
    expect(json.trace.steps[4].state.x).toEqual({ '#unserializable': '-Infinity' });
  });
});

describe('successors outside the schema (item 3)', () => {
  it.each([
    ['packed', v.extraFieldPacked],
    ['dynamic', v.extraFieldDynamic],
  ])('a successor with a field the schema lacks is SPEC_BAD_SUCCESSOR naming the field (%s codec, 1 and 2 workers, strict)', async (_codec, spec) => {
    for (const options of [{ workers: 1 }, { workers: 2 }, { strict: true }]) {
      const e = errorOf(await check(spec as Spec, options));
      expect(e.code).toBe('SPEC_BAD_SUCCESSOR');
      expect(e.message).toBe(`spec '${(spec as Spec).name}': action 'arm': field 'armed' is not in the state schema (a misspelt field name? zod would drop it silently), in an initial state`);
      expect(e.details).toMatchObject({ action: 'arm', field: 'armed' });
    }
  });

  it('an initial state with a field the schema lacks is SPEC_INIT_INVALID naming it', async () => {
    for (const workers of [1, 2]) {
      const e = errorOf(await check(v.extraInit, { workers }));
      expect(e.code).toBe('SPEC_INIT_INVALID');
      expect(e.details).toMatchObject({ field: 'm' });
    }
  });
});

describe('guards and effects that are not synchronous functions of the state (item 4)', () => {
  it('a guard returning 1 is SPEC_BAD_GUARD naming the action and its parameter', async () => {
    for (const workers of [1, 2]) {
      const e = errorOf(await check(v.numberGuard, { workers }));
      expect(e.code).toBe('SPEC_BAD_GUARD');
      expect(e.message).toBe("spec 'number-guard': action 'go(1)': its guard returned 1 (number), expected true or false, after inc → inc");
    }
  });

  it('an async guard is SPEC_BAD_GUARD with a hint about async', async () => {
    const e = errorOf(await check(v.asyncGuard));
    expect(e.code).toBe('SPEC_BAD_GUARD');
    expect(e.message).toMatch(/^spec 'async-guard': action 'go': its guard returned a Promise, expected true or false; guards and effects must be synchronous: remove `async`/);
  });

  it('an async effect is SPEC_BAD_SUCCESSOR with a hint about async', async () => {
    for (const options of [{ workers: 1 }, { workers: 2 }, { strict: true }]) {
      const e = errorOf(await check(v.asyncEffect, options));
      expect(e.code).toBe('SPEC_BAD_SUCCESSOR');
      expect(e.message).toMatch(/^spec 'async-effect': action 'go' returned a Promise, expected the next state; guards and effects must be synchronous: remove `async`.*, after inc → inc$/);
    }
  });
});

describe('a wrongly declared symmetry (item 2)', () => {
  it('an invariant the permutation does not preserve: a violation in 3 states without symmetry, SPEC_BAD_SYMMETRY with it (it was "no violation, 2 representatives for 3 states")', async () => {
    const plain = await check(sym.asymmetricInvariant);
    expect(plain.status).toBe('violation');
    expect(plain.stats.distinct).toBe(3);
    for (const strict of [false, true]) {
      const r = await check(sym.asymmetricInvariant, { symmetry: true, strict });
      const e = errorOf(r);
      expect(e.code).toBe('SPEC_BAD_SYMMETRY');
      expect(e.message).toBe(
        "spec 'asymmetric-invariant': the declared symmetry does not hold: permutation [1, 0] of the state {\"f\":[true,false]} (reached by set(0)): invariant 'p1Idle' is true in the state and false in its image {\"f\":[false,true]}. Results under a wrong symmetry are unsound: fix symmetry.apply, or check without --symmetry",
      );
      expect(e.details).toMatchObject({ permutation: [1, 0], path: ['set(0)'] });
    }
  });

  it('actions the permutation does not commute with: the successors of the image are compared by class', async () => {
    const plain = await check(sym.asymmetricActions);
    expect(plain.status).toBe('violation');
    expect(plain.stats.distinct).toBe(3);
    const e = errorOf(await check(sym.asymmetricActions, { symmetry: true }));
    expect(e.code).toBe('SPEC_BAD_SYMMETRY');
    expect(e.message).toContain('permutation [1, 0] of the state {"f":[true,false]} (reached by lead): its successor by follow has no symmetric counterpart among the successors of its image {"f":[false,true]}');
  });

  it('symmetry.permutations that is not an array is SPEC_INVALID (it was INTERNAL)', async () => {
    const e = errorOf(await check(sym.permutationsNotArray, { symmetry: true }));
    expect(e.code).toBe('SPEC_INVALID');
    expect(e.message).toMatch(/symmetry.permutations must return an array of permutations .*: it returned object/);
  });
});

describe('a counterexample that would not replay (item 6)', () => {
  it('a mutation the sampled check misses (at the 4,101st state) is SPEC_MUTATED_STATE when the trace is rebuilt, not a trace replay rejects', async () => {
    for (const workers of [1, 2]) {
      const e = errorOf(await check(lateMutation, { workers }));
      expect(e.code).toBe('SPEC_MUTATED_STATE');
      expect(e.message).toBe(
        "spec 'late-mutation': action 'poke' modified the state it was given (field 'poked' changed from false to true), at step 4101 of the counterexample, after inc → inc → inc → … 4093 more steps … → inc → inc → inc → inc: the search's sampled check missed it, and its results are not trustworthy. Return a new state instead ({...s, field: value}), and run with --strict to catch this where it happens",
      );
      expect(e.details).toMatchObject({ action: 'poke', field: 'poked', step: 4101 });
    }
  });

  it('--strict catches it where it happens', async () => {
    const e = errorOf(await check(lateMutation, { strict: true }));
    expect(e.code).toBe('SPEC_MUTATED_STATE');
    expect(e.message).toMatch(/^spec 'late-mutation': action 'poke' modified the state it was given \(Cannot assign to read only property 'poked'.*, after inc → inc → inc → … 4093 more steps … → inc → inc → inc → inc$/);
  });
});
