/**
 * Issue 16, items 8, 11 and 14 (BOM): trace files are data. `show`, `view` and `export` never import the module a
 * trace names; `replay` imports only a spec the user names (or confirms); reading is linear in the file's size and
 * bounded by a size limit checked before reading. The hostile inputs are in test/fixtures/hostile/.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { isInterleaveError } from '../../src/errors.ts';
import { MAX_TRACE_BYTES, readTraceFile } from '../../src/cli/trace-files.ts';
import { parseJsonSafely } from '../../src/trace/parse-json.ts';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { BIN, ROOT } from './helpers.ts';

const HOSTILE = 'test/fixtures/hostile';
const TMP = mkdtempSync(path.join(os.tmpdir(), 'interleave-hostile-'));
const MARKER = path.join(TMP, 'imported');
process.env.INTERLEAVE_HOSTILE_MARKER = MARKER;
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs the CLI in this process (fast; an import would write the marker here just the same). */
async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`), isTTY: false, color: false };
  const code = await main(args, io);
  return { code, out, err };
}

/** Runs the CLI in a process of its own, with the marker's path in its environment. */
function spawnCli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', INTERLEAVE_HOSTILE_MARKER: MARKER },
    timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

function thrown(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (isInterleaveError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('a trace never runs code on show, view or export', () => {
  beforeEach(() => rmSync(MARKER, { force: true }));

  it('show, view and export of traces naming a module that writes a file when imported: never imported', async () => {
    const html = path.join(TMP, 'v.html');
    for (const args of [
      ['show', `${HOSTILE}/trace-names-marker-module.json`],
      ['view', `${HOSTILE}/trace-names-marker-module.json`, '--out', html],
      ['view', `${HOSTILE}/itf-source-marker-module.itf.json`, '--out', html],
      ['export', `${HOSTILE}/trace-names-marker-module.json`, '--itf'],
    ]) {
      const r = await cli(...args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
      expect(existsSync(MARKER), `${args.join(' ')} imported the trace's module`).toBe(false);
    }
    expect(existsSync(html)).toBe(true);
  });

  it('view of a trace naming /dev/zero does not read it (it used to hang and grow to gigabytes)', () => {
    const r = spawnCli('view', `${HOSTILE}/trace-names-dev-zero.json`, '--out', path.join(TMP, 'z.html'));
    expect(r.signal).toBeNull();
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/wrote .*z\.html \(1 actions, 0 processes, 0 messages\)/);
  });
});

describe('replay imports only a spec the user names', () => {
  beforeEach(() => rmSync(MARKER, { force: true }));

  it("without --spec-file or --trust-trace-spec it refuses with TRACE_SPEC_NOT_TRUSTED, naming the flag to pass", async () => {
    for (const file of ['trace-names-marker-module.json', 'itf-source-marker-module.itf.json']) {
      const r = await cli('replay', `${HOSTILE}/${file}`);
      expect(r.code).toBe(2);
      expect(r.err.trim()).toBe(
        `error TRACE_SPEC_NOT_TRUSTED: the trace names the spec file imports-write-marker.ts; importing it would run its code, so replay loads only a spec you name: pass --spec-file ${HOSTILE}/imports-write-marker.ts (or --trust-trace-spec)`,
      );
      expect(existsSync(MARKER)).toBe(false);
    }
  });

  it('--trust-trace-spec refuses absolute paths (/dev/zero) and paths leading out of the trace folder', async () => {
    const zero = await cli('replay', `${HOSTILE}/trace-names-dev-zero.json`, '--trust-trace-spec');
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/^error TRACE_SPEC_NOT_TRUSTED: the trace's spec file \/dev\/zero is an absolute path;/);
    const out = await cli('replay', `${HOSTILE}/trace-names-outside-file.json`, '--trust-trace-spec');
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/^error TRACE_SPEC_NOT_TRUSTED: the trace's spec file \.\.\/\.\.\/\.\.\/src\/index\.ts is outside the trace's folder;/);
    // --spec-file names the file explicitly, and a device is still not read.
    const dev = await cli('replay', `${HOSTILE}/trace-names-dev-zero.json`, '--spec-file', '/dev/zero');
    expect(dev.code).toBe(2);
    expect(dev.err).toMatch(/^error CLI_USAGE: \/dev\/zero is not a regular file/);
  });

  it('--trust-trace-spec does import a relative spec file inside the folder (the marker proves the mechanism)', async () => {
    const r = await cli('replay', `${HOSTILE}/trace-names-marker-module.json`, '--trust-trace-spec');
    expect(existsSync(MARKER)).toBe(true);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^error SPEC_NOT_FOUND: .*imports-write-marker\.ts exports no spec/);
  });

  it("a spec file whose spec has another name than the trace's is SPEC_NOT_FOUND, not a silent replay", async () => {
    const trace = path.join(TMP, 'renamed.json');
    writeFileSync(
      trace,
      JSON.stringify({ version: 1, spec: { name: 'not-gossip' }, constants: {}, steps: [{ action: 'init', params: null, state: { R: [], E: [], net: [] } }] }),
    );
    const r = await cli('replay', trace, '--spec-file', 'specs/bench/gossip.ts');
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      "error SPEC_NOT_FOUND: the trace is of spec 'not-gossip', and gossip.ts has no spec of that name (known: gossip); pass --spec NAME to replay it against another spec",
    );
  });
});

describe('reading trace files: linear, bounded, BOM accepted', () => {
  it(`a file over the ${MAX_TRACE_BYTES / 2 ** 20} MiB limit is refused from its size, before it is read`, () => {
    const big = path.join(TMP, 'huge.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_TRACE_BYTES + 1); // sparse: costs no disk
    closeSync(fd);
    const e = thrown(() => readTraceFile(big));
    expect(e.code).toBe('TRACE_INVALID');
    expect(e.message).toBe(`${big} is 64.0 MiB, over the 64.0 MiB limit for trace files: not read`);
    // A pipe or a growing file cannot make the reader read more than the limit either.
    const small = path.join(TMP, 'small.json');
    writeFileSync(small, `{"version": 1, ${' '.repeat(200)}}`);
    expect(thrown(() => readTraceFile(small, 100)).message).toBe(`${small} is 0.0 MiB, over the 0.0 MiB limit for trace files: not read`);
  });

  it('a device is refused without reading it', () => {
    expect(thrown(() => readTraceFile('/dev/zero'))).toEqual({ code: 'TRACE_INVALID', message: '/dev/zero is not a regular file (a device, socket or the like): not read' });
  });

  it('checking keys costs about what JSON.parse costs (it took 36 s and 1.9 GB on a 10 MB flat array)', () => {
    const text = JSON.stringify({ version: 1, spec: { name: 's' }, steps: [{ action: 'init', params: null, state: { a: new Array(3_000_000).fill(0) } }] });
    let t = performance.now();
    JSON.parse(text);
    const parse = performance.now() - t;
    t = performance.now();
    const value = parseJsonSafely(text, 'trace file') as { steps: { state: { a: number[] } }[] };
    const safe = performance.now() - t;
    expect(value.steps[0]!.state.a.length).toBe(3_000_000);
    // Before: one object and one path array per element, ~100x JSON.parse. Now a frame per open container.
    expect(safe).toBeLessThan(parse * 10 + 500);
  });

  it('forbidden keys are still found deep inside, with their path', () => {
    const text = `{"steps": [{"state": {"a": [0, {"b": {"__proto__": 1}}]}}]}`;
    expect(thrown(() => parseJsonSafely(text, 'trace file')).message).toBe(
      "trace file: forbidden key '__proto__' at $.steps[0].state.a[1].b.__proto__ (keys __proto__, constructor and prototype are rejected)",
    );
  });

  it('a UTF-8 byte order mark is skipped (it was refused with an invisible character in the message)', () => {
    const r = readTraceFile(`${HOSTILE}/trace-with-bom.json`);
    expect(r.trace.spec.name).toBe('counter');
    expect(r.trace.steps).toHaveLength(2);
  });
});
