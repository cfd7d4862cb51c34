/**
 * Issue 7, part 2 (files): malformed or wrong-version trace files, ITF files with unknown tags, traces with
 * prototype-polluting keys. Each gives TRACE_INVALID / ITF_INVALID naming the place, never another exception.
 */
import { describe, expect, it } from 'vitest';
import { parseJsonSafely } from '../../src/trace/parse-json.ts';
import { readTraceText } from '../../src/trace/read.ts';
import { readTrace } from '../../src/trace/index.ts';

const valid = {
  version: 1,
  spec: { name: 'die-hard', file: 'specs/die-hard.ts' },
  constants: {},
  property: 'bigNotFour',
  steps: [
    { action: 'init', params: null, state: { small: 0, big: 0 } },
    { action: 'fillBig', params: null, state: { small: 0, big: 5 } },
    { action: 'bigToSmall', params: null, state: { small: 3, big: 2 } },
    { action: 'emptySmall', params: null, state: { small: 0, big: 2 } },
  ],
};
const text = (v: unknown) => JSON.stringify(v, null, 2);

function codeOf(f: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    f();
  } catch (e) {
    return e as never;
  }
  throw new Error('expected an error');
}

describe('trace files', () => {
  it('a valid trace reads', () => {
    expect(readTraceText(text(valid)).steps).toHaveLength(4);
  });

  it.each([
    ['not JSON (line and column)', '{\n  "version": 1,\n  "spec": }', /is not valid JSON at line 3, column 11/],
    ['empty', '', /the file is empty/],
    ['truncated', text(valid).slice(0, 60), /is not valid JSON at line \d+, column \d+/],
    ['not an object', '[1, 2]', /a trace file is a JSON object with version, spec and steps/],
    ['wrong version', text({ ...valid, version: 2 }), /trace format version 2 is not supported \(this interleave reads version 1\)/],
    ['no version', text({ ...valid, version: undefined }), /no 'version' field \(expected 1\)/],
    ['missing steps', text({ ...valid, steps: undefined }), /field steps: .*expected array/],
    ['no steps', text({ ...valid, steps: [] }), /field steps: .*>=1/],
    ['a bad step field', text({ ...valid, steps: valid.steps.map((s, i) => (i === 3 ? { ...s, action: 7 } : s)) }), /step 3, field action: .*expected string/],
    ['a step without state', text({ ...valid, steps: valid.steps.map((s, i) => (i === 2 ? { action: 'x' } : s)) }), /step 2, field state/],
    ['first step not init', text({ ...valid, steps: valid.steps.slice(1) }), /step 0, field action: steps\[0\] must be the initial state/],
    ['loop past the end', text({ ...valid, loop: 9 }), /field loop: loop 9 is past the last step/],
    ['an ITF file given as a trace', text({ '#meta': { format: 'ITF' }, vars: ['x'], states: [{ x: 1 }] }), /this looks like an ITF file/],
  ])('%s', (_name, input, message) => {
    const e = codeOf(() => readTraceText(input, 'trace file t.json'));
    expect(e.code).toBe('TRACE_INVALID');
    expect(e.message).toMatch(message);
    expect(e.message.split('\n').length).toBe(1);
  });

  it.each([
    ['__proto__ in a state', '{"version":1,"spec":{"name":"x"},"steps":[{"action":"init","state":{"__proto__":{"polluted":true}}}]}', '$.steps[0].state.__proto__'],
    ['constructor in params', '{"version":1,"spec":{"name":"x"},"steps":[{"action":"init","params":{"constructor":{"prototype":{}}},"state":{}}]}', '$.steps[0].params.constructor'],
    ['prototype at the top', '{"prototype":{"x":1},"version":1}', '$.prototype'],
  ])('no prototype pollution: %s', (_name, input, field) => {
    const e = codeOf(() => readTraceText(input));
    expect(e.code).toBe('TRACE_INVALID');
    expect(e.message).toContain(`forbidden key`);
    expect(e.details.field).toBe(field);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hostile nesting is refused, not a stack overflow', () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    expect(codeOf(() => parseJsonSafely(deep, 'trace file')).message).toMatch(/nesting deeper than 512 levels/);
  });

  it('parseJsonSafely can carry another code (checkpoint manifests)', () => {
    expect(codeOf(() => parseJsonSafely('{', 'manifest', 'CHECKPOINT_INVALID')).code).toBe('CHECKPOINT_INVALID');
  });
});

describe('ITF files', () => {
  const itf = {
    '#meta': { format: 'ITF', source: 'x.qnt' },
    vars: ['n', 's'],
    states: [
      { '#meta': { index: 0 }, n: { '#bigint': '0' }, s: { '#set': [] } },
      { '#meta': { index: 1 }, n: { '#bigint': '1' }, s: { '#set': [{ '#tup': [1, 2] }] }, m: { '#map': [[1, 2]] } },
    ],
  };

  it('known tags pass', () => {
    expect(readTrace(JSON.stringify(itf), 'ITF file t.itf.json').format).toBe('itf');
  });

  it('an unknown tag names the state index and the path', () => {
    const bad = structuredClone(itf);
    (bad.states[1] as Record<string, unknown>).s = { '#bag': [1] };
    const e = codeOf(() => readTrace(JSON.stringify(bad), 'ITF file t.itf.json'));
    expect(e.code).toBe('ITF_INVALID');
    expect(e.message).toMatch(/^ITF file t\.itf\.json: state 1, field 's': unknown tag '#bag'/);
  });

  it.each([
    ['no states', { '#meta': {}, vars: [] }, /states/],
    ['a state that is not an object', { states: [1] }, /state 0/],
    ['no states at all', { states: [] }, /no states/],
  ])('%s', (_name, input, message) => {
    const e = codeOf(() => readTrace(JSON.stringify(input), 'ITF file t.itf.json'));
    expect(e.code).toBe('ITF_INVALID');
    expect(e.message).toMatch(message);
  });
});
