import { CapacityError, ENTRY_CHUNK, ENTRY_CHUNK_MASK, ENTRY_CHUNK_SHIFT } from './seen-set.ts';

/**
 * The per-entry arrays of a parallel search (shared-table.ts), in chunks that are never copied: `parentOf[e]`,
 * `labelOf[e]`, and `rankEntry[r]` (ranks never pass entries, so one chunk serves both). Chunk k is one
 * SharedArrayBuffer of 3 × ENTRY_CHUNK words: parents, labels, then rank entries, of entries and ranks
 * k·ENTRY_CHUNK up to (k+1)·ENTRY_CHUNK.
 *
 * Growing adds a chunk and copies nothing, so its pages are first touched by the worker that writes an entry into
 * them, in parallel with the others, instead of by the coordinator between levels with every worker waiting
 * (docs/performance.md: flat arrays grown by half again cost two workers 230 ms of a 1.9 s search on Peterson n=6).
 * Only the chunks added since the last message are sent to the workers (`EntryChunkList`).
 */

/** The chunks a worker has not seen yet: the list from index `from` on. */
export interface EntryChunkList {
  from: number;
  chunks: SharedArrayBuffer[];
}

/** A worker's views of the chunks, one array of views per kind, indexed by `e >>> ENTRY_CHUNK_SHIFT`. */
export class EntryViews {
  readonly parents: Int32Array[] = [];
  readonly labels: Int32Array[] = [];
  readonly ranks: Int32Array[] = [];

  /** Entries the chunks hold. */
  get capacity(): number {
    return this.parents.length * ENTRY_CHUNK;
  }

  /** Takes the chunks of a message: those from `list.from` on replace what this worker had there. */
  update(list: EntryChunkList): void {
    for (const a of [this.parents, this.labels, this.ranks]) a.length = list.from;
    for (const c of list.chunks) this.add(c);
  }

  /** Appends a chunk's views. */
  add(c: SharedArrayBuffer): void {
    this.parents.push(new Int32Array(c, 0, ENTRY_CHUNK));
    this.labels.push(new Int32Array(c, ENTRY_CHUNK * 4, ENTRY_CHUNK));
    this.ranks.push(new Int32Array(c, ENTRY_CHUNK * 8, ENTRY_CHUNK));
  }
}

/** The coordinator's side: owns the chunks, grows them, and reads them between levels. */
export class EntryChunks {
  private readonly buffers: SharedArrayBuffer[] = [];
  /** Chunks already sent to the workers. */
  private sent = 0;
  readonly views = new EntryViews();

  /** `admit(bytes)` is asked before a chunk is allocated and may throw CapacityError to refuse it. */
  constructor(private readonly admit: (bytes: number) => void) {}

  get capacity(): number {
    return this.views.capacity;
  }

  get bytes(): number {
    return this.buffers.length * ENTRY_CHUNK * 12;
  }

  /** Bytes `reserve(entries)` would add. */
  bytesFor(entries: number): number {
    return Math.max(0, Math.ceil(entries / ENTRY_CHUNK) - this.buffers.length) * ENTRY_CHUNK * 12;
  }

  /** Adds chunks until `entries` fit; nothing is copied. */
  reserve(entries: number): void {
    while (this.capacity < entries) {
      this.admit(ENTRY_CHUNK * 12);
      let c: SharedArrayBuffer;
      try {
        c = new SharedArrayBuffer(ENTRY_CHUNK * 12);
      } catch (e) {
        throw new CapacityError(`cannot allocate ${(ENTRY_CHUNK * 12) / 2 ** 20} MiB for the parent table (${e instanceof Error ? e.message : String(e)})`);
      }
      this.buffers.push(c);
      this.views.add(c);
    }
  }

  /** The chunks the workers have not been sent yet (all of them in the first message of a search). */
  message(): EntryChunkList {
    const list = { from: this.sent, chunks: this.buffers.slice(this.sent) };
    this.sent = this.buffers.length;
    return list;
  }

  parent(e: number): number {
    return this.views.parents[e >>> ENTRY_CHUNK_SHIFT]![e & ENTRY_CHUNK_MASK]!;
  }

  label(e: number): number {
    return this.views.labels[e >>> ENTRY_CHUNK_SHIFT]![e & ENTRY_CHUNK_MASK]!;
  }

  /** The entry of rank `r`. */
  entryAt(r: number): number {
    return this.views.ranks[r >>> ENTRY_CHUNK_SHIFT]![r & ENTRY_CHUNK_MASK]!;
  }

  set(e: number, parent: number, label: number): void {
    this.views.parents[e >>> ENTRY_CHUNK_SHIFT]![e & ENTRY_CHUNK_MASK] = parent;
    this.views.labels[e >>> ENTRY_CHUNK_SHIFT]![e & ENTRY_CHUNK_MASK] = label;
  }

  setRank(r: number, e: number): void {
    this.views.ranks[r >>> ENTRY_CHUNK_SHIFT]![r & ENTRY_CHUNK_MASK] = e;
  }

  /**
   * Fills chunk `c` (reserved) with the first `count` parents and labels of `from`, each entry its own rank: a search
   * on one thread handing over (the entries are its ids, which are ranks).
   */
  adoptChunk(c: number, from: { parents: Int32Array; labels: Int32Array }, count: number): void {
    this.views.parents[c]!.set(from.parents.subarray(0, count));
    this.views.labels[c]!.set(from.labels.subarray(0, count));
    const ranks = this.views.ranks[c]!;
    for (let i = 0, e = c * ENTRY_CHUNK; i < count; i++, e++) ranks[i] = e;
  }
}
