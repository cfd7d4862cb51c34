/**
 * Issue 7, part 2: mistakes on the command line and in files. One or two lines each on stderr, the error code,
 * exit code 2, no stack trace unless --debug. Transcripts of the real binary.
 */
import { mkdirSync, rmSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIX, ROOT, lines, run } from './helpers.ts';

const TMP = path.join(ROOT, FIX, '.tmp-cli');
mkdirSync(TMP, { recursive: true });
// The syntax-error fixture is stored as .txt so the type check skips it; it is copied to a .ts file here.
copyFileSync(path.join(ROOT, FIX, 'syntax-error.ts.txt'), path.join(TMP, 'syntax-error.ts'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const cases: [string, string[], RegExp, string][] = [
  ['unknown flag', ['check', 'specs/die-hard.ts', '--bogus'], /unknown option '--bogus'/, 'CLI_USAGE'],
  ['misspelt flag (with a suggestion)', ['check', 'specs/die-hard.ts', '--max-stat', '3'], /Did you mean --max-states\?/, 'CLI_USAGE'],
  ['unknown command', ['chek', 'specs/die-hard.ts'], /unknown command 'chek'/, 'CLI_USAGE'],
  ['missing argument', ['check'], /missing required argument 'path'/, 'CLI_USAGE'],
  ['bad flag value', ['check', 'specs/die-hard.ts', '--max-depth', 'abc'], /--max-depth expects a non-negative integer, got 'abc'/, 'CLI_USAGE'],
  ['missing file', ['check', 'no/such/spec.ts'], /no such file or folder: no\/such\/spec\.ts/, 'FILE_NOT_FOUND'],
  ['a file that exports no spec', ['check', `${FIX}/no-spec.ts`], /no-spec\.ts exports no spec \(export the value of defineSpec/, 'SPEC_NOT_FOUND'],
  ['several specs without --spec (names listed)', ['check', `${FIX}/two-specs.ts`], /exports 2 specs; pick one with --spec NAME \(known: alpha, beta\)/, 'SPEC_NOT_FOUND'],
  ['unknown --spec (names listed)', ['check', `${FIX}/two-specs.ts`, '--spec', 'gamma'], /has no spec 'gamma' \(known: alpha, beta\)/, 'SPEC_NOT_FOUND'],
  ['TypeScript syntax error: file, line and column', ['check', `${FIX}/.tmp-cli/syntax-error.ts`], /syntax-error\.ts:6:2: syntax error: Expected "}" but found "init"/, 'SPEC_LOAD_FAILED'],
  ['a module that throws while loading', ['check', `${FIX}/load-throws.ts`], /cannot load .*load-throws\.ts: Error: config\.port is required \(at line 3, column \d+\)/, 'SPEC_LOAD_FAILED'],
  ['duplicate names (at load)', ['check', `${FIX}/duplicate-name.ts`], /the name 'flip' is used twice/, 'SPEC_DUPLICATE_NAME'],
  ['an empty parameter domain (at load)', ['check', `${FIX}/empty-domain.ts`], /action 'pick' has an empty parameter domain/, 'SPEC_BAD_PARAMS'],
  ['--const that fails its schema', ['check', `${FIX}/two-specs.ts`, '--spec', 'alpha', '--const', 'n=abc'], /constant 'n': .*expected number/, 'CONSTANT_INVALID'],
  ['--const out of range', ['check', `${FIX}/two-specs.ts`, '--spec', 'alpha', '--const', 'n=99'], /constant 'n': Too big/, 'CONSTANT_INVALID'],
  ['unknown --const (names listed)', ['check', `${FIX}/two-specs.ts`, '--spec', 'alpha', '--const', 'm=1'], /has no constant 'm' \(known: n\)/, 'CONSTANT_INVALID'],
  ['malformed --const', ['check', `${FIX}/two-specs.ts`, '--spec', 'alpha', '--const', 'n'], /--const expects name=value, got 'n'/, 'CLI_USAGE'],
  ['--const __proto__', ['check', `${FIX}/two-specs.ts`, '--spec', 'alpha', '--const', '__proto__={"n":1}'], /'__proto__' is not a valid constant name/, 'CLI_USAGE'],
  ['unknown --invariant (names listed)', ['check', `${FIX}/two-specs.ts`, '--spec', 'alpha', '--invariant', 'nope'], /has no invariant, assertion or property 'nope' \(known: small\)/, 'UNKNOWN_PROPERTY'],
  ['--resume from a folder with no checkpoint', ['check', 'specs/die-hard.ts', '--resume', `${FIX}/.tmp-cli`], /no manifest\.json/, 'CHECKPOINT_INVALID'],
  ['--checkpoint with a folder of specs', ['check', 'specs/', '--checkpoint', `${FIX}/.tmp-cli/ck`], /--checkpoint and --resume take a spec file, not a folder/, 'CLI_USAGE'],
  ['--checkpoint-every 0', ['check', 'specs/die-hard.ts', '--checkpoint-every', '0'], /--checkpoint-every expects a positive number, got '0'/, 'CLI_USAGE'],
  ['a spec mistake found during the search', ['check', `${FIX}/spec-mistakes.ts`, '--spec', 'action-throws'], /spec 'action-throws': action 'boom\(20\)' threw TypeError: cannot handle 20, after inc → inc/, 'SPEC_ACTION_THREW'],
];

describe('command-line and file mistakes', () => {
  it.each(cases)('%s', (_name, args, text, code) => {
    const r = run(args);
    expect(r.code, r.stderr).toBe(2);
    const err = lines(r.stderr);
    expect(err.length, r.stderr).toBeGreaterThanOrEqual(1);
    expect(err.length, r.stderr).toBeLessThanOrEqual(2);
    expect(r.stderr).toMatch(text);
    expect(r.stderr).toContain(code);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('--debug adds the stack', () => {
    const r = run(['check', 'no/such/spec.ts', '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});
