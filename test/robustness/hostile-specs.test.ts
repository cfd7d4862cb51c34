/**
 * Issue 16, item 14: the smaller holes. `--max-states` reports what it did; a folder run's spec error is an error
 * (exit 2, in --json); `--json` always prints JSON; error messages are capped; parameters must be plain data;
 * `--checkpoint` says that it runs on one thread. Specs in test/fixtures/hostile/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../src/index.ts';
import type { Io } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { elide } from '../../src/errors.ts';
import { gossip } from '../../specs/bench/gossip.ts';
import { hugeMessage, paramsDate, paramsFunction, paramsMap } from '../fixtures/hostile/spec-mistakes.ts';

const HOSTILE = 'test/fixtures/hostile';
const TMP = mkdtempSync(path.join(os.tmpdir(), 'interleave-hostile-specs-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false, color: false };
  return { code: await main(args, io), out, err };
}

describe('--max-states', () => {
  it('the message and the statistics agree (N=100 said "stopped at 100" beside 101 distinct)', async () => {
    const r = await check(gossip, { maxStates: 100 });
    expect(r.status).toBe('incomplete');
    expect(r.stats.distinct).toBe(101);
    expect((r as { message: string }).message).toBe('stopped after 101 distinct states (the state limit was 100)');
    const zero = await check(gossip, { maxStates: 0 });
    expect(zero.stats.distinct).toBe(2);
    expect((zero as { message: string }).message).toBe('stopped after 2 distinct states (the state limit was 0)');
  });
});

describe('folder runs with a spec error', () => {
  it('the error is a row, the run exits 2 (it was 1, like a wrong verdict), and --json carries the error', async () => {
    const folder = `${HOSTILE}/folder-with-spec-error`;
    const text = await cli('check', folder, '--workers', '1');
    expect(text.code).toBe(2);
    expect(text.out).toMatch(/✓ holds +default +holds +holds/);
    expect(text.out).toMatch(/✗ throws +default +holds +error SPEC_ACTION_THREW/);
    expect(text.out).toContain('1 of 2 verdicts not as expected (1 with an error)');
    expect(text.err).toBe("error SPEC_ACTION_THREW in throws (default): spec 'throws': action 'inc' threw RangeError: no step from 1, after inc\n");
    const json = await cli('check', folder, '--workers', '1', '--json');
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.out);
    expect(doc).toMatchObject({ status: 'error', passed: 1, failed: 1, errors: 1 });
    expect(doc.results[1]).toMatchObject({
      spec: 'throws',
      status: 'error',
      pass: false,
      error: { code: 'SPEC_ACTION_THREW', message: "spec 'throws': action 'inc' threw RangeError: no step from 1, after inc" },
    });
  });
});

describe('--json always prints one JSON object', () => {
  it('for an error before any result (FILE_NOT_FOUND, SPEC_NOT_FOUND): status error with the code, exit 2', async () => {
    const missing = await cli('check', 'no-such-spec.ts', '--json');
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out)).toEqual({
      status: 'error',
      file: 'no-such-spec.ts',
      error: { code: 'FILE_NOT_FOUND', message: 'no such file or folder: no-such-spec.ts', details: { file: 'no-such-spec.ts' } },
    });
    expect(missing.err).toBe('error FILE_NOT_FOUND: no such file or folder: no-such-spec.ts\n');
    const noSpec = await cli('check', 'specs/bench/gossip.ts', '--spec', 'nope', '--json');
    expect(noSpec.code).toBe(2);
    expect(JSON.parse(noSpec.out)).toMatchObject({ status: 'error', error: { code: 'SPEC_NOT_FOUND', message: "gossip.ts has no spec 'nope' (known: gossip)" } });
  });
});

describe('long error messages are elided', () => {
  it('an exception with a 3 MB message gives a message of about 2,000 characters, with its start and end', async () => {
    const r = await check(hugeMessage, {});
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.error.code).toBe('SPEC_ACTION_THREW');
    expect(r.error.message.length).toBeLessThan(2100);
    expect(r.error.message).toMatch(/^spec 'huge-message': action 'boom' threw Error: begin x+ … \[2,99\d,\d{3} characters elided\] … x+ end, after inc → inc$/);
  });

  it('elide keeps short texts whole', () => {
    expect(elide('short')).toBe('short');
    expect(elide('a'.repeat(10) + 'b'.repeat(10), 10)).toBe('aaaaaa … [11 characters elided] … bbb');
  });
});

describe('parameters must be plain data', () => {
  it('a function or a class instance in a parameter domain is SPEC_BAD_PARAMS naming the action and where (they were accepted)', async () => {
    const fn = await check(paramsFunction, {});
    expect(fn.status).toBe('error');
    if (fn.status === 'error') {
      expect(fn.error.code).toBe('SPEC_BAD_PARAMS');
      expect(fn.error.message).toBe(
        "spec 'params-function': action 'call': parameter 0 of its domain is not plain data: a function at cb (parameters go into traces: use numbers, strings, booleans, null, and plain arrays, objects, Sets and Maps of them)",
      );
    }
    const date = await check(paramsDate, {});
    expect(date.status).toBe('error');
    if (date.status === 'error') {
      expect(date.error.code).toBe('SPEC_BAD_PARAMS');
      expect(date.error.message).toMatch(/^spec 'params-date': action 'pick': parameter 0 of its domain is not plain data: a Date at at\[0\] \(/);
    }
  });

  it('Sets and Maps are accepted, as in states (traces carry them as #set and #map, and replay compares them)', async () => {
    const r = await check(paramsMap, {});
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(3);
  });
});

describe('--checkpoint and workers', () => {
  it('says that the search runs on one thread (it did so silently)', async () => {
    const dir = path.join(TMP, 'ck');
    const r = await cli('check', 'specs/bench/gossip.ts', '--checkpoint', dir, '--workers', '4');
    expect(r.code).toBe(0);
    expect(r.err).toBe('warning: with --checkpoint the search ran on one thread (--workers 4 was not used)\n');
    const one = await cli('check', 'specs/bench/gossip.ts', '--checkpoint', path.join(TMP, 'ck1'), '--workers', '1');
    expect(one.err).toBe('');
  });
});
