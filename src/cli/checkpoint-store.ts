import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { SearchSnapshot } from '../checker/checkpoint.ts';
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
export const CHECKPOINT_VERSION = 1;
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
  size: z.number().int().min(0),
  mask: z.number().int().min(0),
  generated: z.number().int().min(0),
  depth: z.number().int().min(0),
  seconds: z.number().min(0),
  files: z.object({ table: fileEntry, parents: fileEntry, labels: fileEntry, frontier: fileEntry }),
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
export function writeCheckpoint(dir: string, snap: SearchSnapshot, specFile: string): CheckpointManifest {
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
    const manifest: CheckpointManifest = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      endianness: os.endianness(),
      specFile: path.resolve(specFile),
      spec: snap.spec,
      constants: snap.constants,
      key: snap.key,
      size: snap.seen.size,
      mask: snap.seen.mask,
      generated: snap.generated,
      depth: snap.depth,
      seconds: snap.seconds,
      files,
    };
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

/** Reads and verifies the checkpoint in `dir` (sizes, checksums, format). Throws CHECKPOINT_INVALID. */
export function readCheckpoint(dir: string): { snapshot: SearchSnapshot; manifest: CheckpointManifest } {
  const bad = (why: string): never => {
    throw new InterleaveError('CHECKPOINT_INVALID', `${dir}: ${why}`, { file: dir });
  };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) bad('no such checkpoint folder');
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) bad('no manifest.json (no checkpoint was completed in this folder)');
  const json = parseJsonSafely(readFileSync(manifestFile, 'utf8'), `checkpoint manifest ${manifestFile}`, 'CHECKPOINT_INVALID');
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    bad(`manifest.json field '${issue.path.join('.') || '(root)'}': ${issue.message}`);
  }
  const m = parsed.data!;
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
