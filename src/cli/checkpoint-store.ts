import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { stableJson, type SearchIdentity, type SearchSnapshot } from '../checker/persistence/index.ts';
import { FP, fingerprint } from '../checker/index.ts';
import { InterleaveError, describeThrown } from '../errors.ts';
import { parseJsonSafely } from '../trace/parse-json.ts';

/**
 * A checkpoint folder: four binary files of little-endian 32-bit words (the seen-set table, parents, labels and
 * the frontier) and `manifest.json` naming them with their sizes and checksums. Writing is atomic: each file
 * is written under a temporary name, flushed and renamed, with a new generation number in its name; the
 * manifest is renamed into place last, and only then are the previous generation's files deleted. A crash or
 * SIGKILL at any moment leaves either the previous checkpoint or the new one, never a mixture.
 */
export const CHECKPOINT_FORMAT = 'interleave-checkpoint';
/** 2: the manifest carries the search's identity, the spec's source files and a checksum over itself. */
export const CHECKPOINT_VERSION = 2;
const ARRAYS = ['table', 'parents', 'labels', 'frontier'] as const;
type ArrayName = (typeof ARRAYS)[number];

const fileEntry = z.object({ name: z.string().regex(/^[a-z]+-\d+\.bin$/), words: z.number().int().min(0), checksum: z.string().regex(/^[0-9a-f]{16}$/) });

export const manifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  generation: z.number().int().min(1),
  createdAt: z.string(),
  endianness: z.enum(['LE', 'BE']),
  specFile: z.string(),
  spec: z.string(),
  constants: z.record(z.string(), z.unknown()),
  key: z.string(),
  /** The search's identity (checker/checkpoint.ts: SearchIdentity); compared part by part on resume. */
  identity: z.object({ spec: z.record(z.string(), z.string()), search: z.record(z.string(), z.unknown()) }),
  /** The spec file and the files it imports by relative path, each with a digest of its bytes (specSources). */
  sources: z.record(z.string(), z.string()),
  size: z.number().int().min(0),
  mask: z.number().int().min(0),
  generated: z.number().int().min(0),
  depth: z.number().int().min(0),
  seconds: z.number().min(0),
  files: z.object({ table: fileEntry, parents: fileEntry, labels: fileEntry, frontier: fileEntry }),
  /** sha256 over every other field (sorted-key JSON), the data files' checksums included: an edit is refused. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});
export type CheckpointManifest = z.output<typeof manifestSchema>;

function checksum(a: Int32Array): string {
  fingerprint(a, 0, a.length);
  return `${(FP[0]! >>> 0).toString(16).padStart(8, '0')}${(FP[1]! >>> 0).toString(16).padStart(8, '0')}`;
}

function writeAtomically(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, Math.min(data.length - off, 1 << 30));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function bytesOf(a: Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The generation of the manifest in `dir`, or 0. */
function currentGeneration(dir: string): number {
  try {
    const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { generation?: unknown };
    return typeof m.generation === 'number' && Number.isInteger(m.generation) ? m.generation : 0;
  } catch {
    return 0;
  }
}

/** Writes a snapshot into `dir` atomically (see above). Throws CHECKPOINT_WRITE_FAILED. */
export function writeCheckpoint(dir: string, snap: SearchSnapshot, specFile: string, sources: Record<string, string> = specSources(specFile)): CheckpointManifest {
  try {
    mkdirSync(dir, { recursive: true });
    const generation = currentGeneration(dir) + 1;
    const arrays: Record<ArrayName, Int32Array> = { table: snap.seen.table, parents: snap.seen.parents, labels: snap.seen.labels, frontier: snap.frontier };
    const files = {} as CheckpointManifest['files'];
    for (const name of ARRAYS) {
      const a = arrays[name];
      const file = `${name}-${generation}.bin`;
      writeAtomically(path.join(dir, file), bytesOf(a));
      files[name] = { name: file, words: a.length, checksum: checksum(a) };
    }
    const body: Omit<CheckpointManifest, 'checksum'> = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      endianness: os.endianness(),
      specFile: path.resolve(specFile),
      spec: snap.spec,
      constants: snap.constants,
      key: snap.key,
      identity: snap.identity as unknown as CheckpointManifest['identity'],
      sources,
      size: snap.seen.size,
      mask: snap.seen.mask,
      generated: snap.generated,
      depth: snap.depth,
      seconds: snap.seconds,
      files,
    };
    const manifest: CheckpointManifest = { ...body, checksum: manifestChecksum(body) };
    writeAtomically(path.join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    for (const f of readdirSync(dir)) {
      const m = /^([a-z]+)-(\d+)\.bin(\.tmp-\d+)?$/.exec(f);
      if (m && Number(m[2]) !== generation) unlinkSync(path.join(dir, f));
    }
    return manifest;
  } catch (e) {
    if (e instanceof InterleaveError) throw e;
    throw new InterleaveError('CHECKPOINT_WRITE_FAILED', `cannot write the checkpoint to ${dir}: ${describeThrown(e)}`, { file: dir }, { cause: e });
  }
}

/**
 * Reads and verifies the checkpoint in `dir` (format, the manifest's checksum, the data files' sizes and checksums)
 * and, given `expected`, that it was written for this spec file with these sources. Throws CHECKPOINT_INVALID.
 */
export function readCheckpoint(dir: string, expected?: { specFile: string; sources?: Record<string, string> }): { snapshot: SearchSnapshot; manifest: CheckpointManifest } {
  const bad = (why: string): never => {
    throw new InterleaveError('CHECKPOINT_INVALID', `${dir}: ${why}`, { file: dir });
  };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) bad('no such checkpoint folder');
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) bad('no manifest.json (no checkpoint was completed in this folder)');
  const json = parseJsonSafely(readFileSync(manifestFile, 'utf8'), `checkpoint manifest ${manifestFile}`, 'CHECKPOINT_INVALID');
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && (json as { version?: unknown }).version !== CHECKPOINT_VERSION) {
    bad(`manifest.json is of format version ${String((json as { version?: unknown }).version)}, this interleave reads version ${CHECKPOINT_VERSION} (start afresh)`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    bad(`manifest.json field '${issue.path.join('.') || '(root)'}': ${issue.message}`);
  }
  const m = parsed.data!;
  const { checksum: written, ...body } = json as Record<string, unknown>;
  if (manifestChecksum(body) !== written) bad('manifest.json was edited or is corrupt (its checksum does not match its content)');
  if (expected) {
    const why = sourcesDifference(m, { specFile: expected.specFile, sources: expected.sources ?? specSources(expected.specFile) });
    if (why) throw new InterleaveError('CHECKPOINT_INVALID', `${dir}: checkpoint belongs to another search: ${why}. Resume with the same spec, constants and options, or start afresh`, { file: dir });
  }
  if (m.endianness !== os.endianness()) bad(`written on a ${m.endianness} machine, this one is ${os.endianness()}`);
  const arrays = {} as Record<ArrayName, Int32Array>;
  for (const name of ARRAYS) {
    const entry = m.files[name];
    const file = path.join(dir, entry.name);
    if (!existsSync(file)) bad(`${entry.name} is missing`);
    const buf = readFileSync(file);
    if (buf.length !== entry.words * 4) bad(`${entry.name} has ${buf.length} bytes, expected ${entry.words * 4}`);
    const a = new Int32Array(entry.words);
    new Uint8Array(a.buffer).set(buf);
    if (checksum(a) !== entry.checksum) bad(`${entry.name} is corrupt (checksum mismatch)`);
    arrays[name] = a;
  }
  const snapshot: SearchSnapshot = {
    version: 1,
    key: m.key,
    identity: m.identity as unknown as SearchIdentity,
    spec: m.spec,
    constants: m.constants,
    seen: { table: arrays.table, parents: arrays.parents, labels: arrays.labels, size: m.size, mask: m.mask },
    frontier: arrays.frontier,
    generated: m.generated,
    depth: m.depth,
    seconds: m.seconds,
  };
  return { snapshot, manifest: m };
}

/** sha256 over a manifest's fields but its checksum, as sorted-key JSON. */
function manifestChecksum(body: object): string {
  return createHash('sha256').update(stableJson(body)).digest('hex');
}

/** At most this many files are followed from a spec file through its relative imports. */
const MAX_SOURCES = 500;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]+)\1/g;

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec.replace(/[?#].*$/, ''));
  const candidates = [base];
  const m = /\.([mc]?)js$/.exec(base);
  if (m) candidates.push(base.slice(0, -m[0].length) + `.${m[1]}ts`, base.slice(0, -m[0].length) + `.${m[1]}tsx`);
  candidates.push(`${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.js`, `${base}.mjs`, path.join(base, 'index.ts'), path.join(base, 'index.js'));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/**
 * The spec file and every file it imports by a relative path (transitively, outside node_modules), each with a
 * sha256 of its bytes, keyed by its path relative to the spec file's folder: what a checkpoint's search ran. A
 * resume whose files differ is refused, naming the file (docs/spec-identity.md).
 */
export function specSources(specFile: string): Record<string, string> {
  const root = path.dirname(path.resolve(specFile));
  const out: Record<string, string> = {};
  const queue = [path.resolve(specFile)];
  const seen = new Set(queue);
  while (queue.length && seen.size <= MAX_SOURCES) {
    const file = queue.shift()!;
    let text: Buffer;
    try {
      text = readFileSync(file);
    } catch {
      continue;
    }
    out[path.relative(root, file).split(path.sep).join('/')] = createHash('sha256').update(text).digest('hex').slice(0, 16);
    for (const m of text.toString('utf8').matchAll(IMPORT)) {
      const dep = resolveImport(file, m[2]!);
      if (dep === undefined || dep.split(path.sep).includes('node_modules') || seen.has(dep)) continue;
      seen.add(dep);
      queue.push(dep);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Which source files differ between a checkpoint and this run, in one clause, or null. */
export function sourcesDifference(saved: { specFile: string; sources: Record<string, string> }, current: { specFile: string; sources: Record<string, string> }): string | null {
  const changed: string[] = [];
  for (const k of new Set([...Object.keys(saved.sources), ...Object.keys(current.sources)])) if (saved.sources[k] !== current.sources[k]) changed.push(k);
  if (changed.length === 0) return null;
  const list = `${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`;
  if (path.resolve(saved.specFile) !== path.resolve(current.specFile)) {
    return `it was written for the spec file ${saved.specFile}, this run checks ${path.resolve(current.specFile)} (${list} differ)`;
  }
  return `the spec's source changed since the checkpoint was written (${list})`;
}
