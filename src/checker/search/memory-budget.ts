import { getHeapStatistics } from 'node:v8';
import { CapacityError } from '../state/index.ts';

/**
 * The memory limit of a search (docs/robustness.md, "Memory"), in one place for the one-thread and the parallel
 * search. Two budgets are watched:
 *
 * - the process's size (the `memoryProbe`, resident size in the CLI) against `memoryLimit`. Growing a table is
 *   asked for first (`admit`): the size now plus the new array must stay under the limit, so a table that doubles
 *   cannot jump past it. Between expansions (`check`) the size must stay a margin below the limit (the JavaScript
 *   heap and the record buffers grow in steps too);
 * - the V8 heap of this thread against V8's own heap limit (`heap_size_limit`, set by `--max-old-space-size`),
 *   which is not the process's limit: a spec whose values grow (or that keeps them in a cache of its own) fills
 *   the heap long before the machine's memory, and V8 then ends the process (`FATAL ERROR ... heap out of memory`,
 *   no statistics). The search stops when the heap is HEAP_FRACTION full.
 *
 * The messages say what was measured: the peak and the limit, and "before passing" only when that is true.
 */

/**
 * Stop when the V8 heap in use (plus its growth since the last look) passes this fraction of V8's heap limit less
 * YOUNG_BYTES: `heap_size_limit` counts the young generation, which the old generation (where a growing heap ends
 * up) cannot use (with `--max-old-space-size=96` the limit is 144 MiB and V8 gives up at about 90 MiB in use).
 */
export const HEAP_FRACTION = 0.8;
const YOUNG_BYTES = 48 * 2 ** 20;
/** Margin kept under the limit between two looks at the process's size: 10 % of it, at least 32 MiB. */
const MARGIN_FRACTION = 0.1;
const MIN_MARGIN = 32 * 2 ** 20;

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * The process's resident size: the `memoryProbe` the CLI passes. With it, the peak reported is the operating
 * system's high-water mark of the whole process (every thread), not only the largest sample.
 */
export function residentSize(): number {
  return process.memoryUsage.rss();
}

export class MemoryBudget {
  /** The largest process size seen (the probe's), or 0 without a probe. */
  peak = 0;
  readonly heapLimit = getHeapStatistics().heap_size_limit;
  private readonly heapStop = Math.max(16 * 2 ** 20, this.heapLimit * HEAP_FRACTION - YOUNG_BYTES);
  private lastHeap = 0;

  constructor(
    /** Bytes (Infinity: none). */
    readonly limit: number,
    private readonly probe: (() => number) | undefined,
  ) {}

  /** The process's size now (recorded in `peak`), or 0 without a probe. */
  measure(): number {
    if (!this.probe) return 0;
    const size = this.probe();
    if (size > this.peak) this.peak = size;
    return size;
  }

  /** The process's peak size: the largest sample, or (probe `residentSize`) the operating system's high-water mark. */
  peakBytes(): number {
    if (!this.probe) return 0;
    this.measure();
    if (this.probe !== residentSize) return this.peak;
    try {
      // maxRSS (KiB) is the true peak of the whole process (every thread), not only what a sample happened to see.
      this.peak = Math.max(this.peak, process.resourceUsage().maxRSS * 1024);
    } catch {
      /* not available on this platform */
    }
    return this.peak;
  }

  /**
   * Throws CapacityError (the search stops, `incomplete`, reason `memory`) when allocating `bytes` more now would
   * take the process past the limit. Called before a table grows.
   */
  admit(bytes: number, what: string): void {
    if (!this.probe || !Number.isFinite(this.limit)) return;
    const size = this.measure();
    if (size + bytes + this.margin() > this.limit) {
      throw new CapacityError(`growing ${what} by ${mib(bytes)} MiB at ${mib(size)} MiB would pass it`);
    }
  }

  /**
   * Why the search must stop now, or null. `headroom`: bytes that may be allocated before the next look (a worker's
   * record buffer doubling, say). `process`: look at the process's size too (the heap costs less to look at, and
   * is looked at after every batch of expansions).
   */
  check(headroom = 0, process = true): string | null {
    if (process && this.probe && Number.isFinite(this.limit)) {
      const size = this.measure();
      if (size + headroom + this.margin() > this.limit) return `the process is at ${mib(size)} MiB`;
    }
    if (Number.isFinite(this.limit)) {
      const used = getHeapStatistics().used_heap_size;
      const growth = Math.max(0, used - this.lastHeap);
      this.lastHeap = used;
      if (used + growth > this.heapStop) return heapMessage(used, this.heapLimit);
    }
    return null;
  }

  /** Kept free under the limit: the heap and the buffers grow between two looks, and the old array of a table that grew is freed only by a later garbage collection. */
  private margin(): number {
    return Math.max(MIN_MARGIN, this.limit * MARGIN_FRACTION);
  }

  /** The message of a search stopped for memory, `why` being what `admit` or `check` said. */
  message(why: string): string {
    const peak = this.peakBytes();
    if (why.startsWith('a search worker')) return `stopped${peak ? ` (process peak ${mib(peak)} MiB)` : ''}: ${why}`;
    if (why.includes('JavaScript heap')) return `stopped before the JavaScript heap ran out${peak ? ` (process peak ${mib(peak)} MiB)` : ''}: ${why}`;
    if (!Number.isFinite(this.limit)) return `stopped: ${why}`;
    const limit = `the memory limit of ${mib(this.limit)} MiB`;
    if (peak === 0) return `stopped before passing ${limit}: ${why}`;
    if (peak <= this.limit) return `stopped before passing ${limit} (peak ${mib(peak)} MiB): ${why}`;
    return `stopped at ${limit}, which the process passed (peak ${mib(peak)} MiB): ${why}`;
  }
}

/** What a heap near V8's limit is reported as (the fix: a larger `--max-old-space-size`). */
export function heapMessage(used: number, heapLimit: number): string {
  return `the JavaScript heap holds ${mib(used)} MiB, near V8's heap limit of ${mib(heapLimit)} MiB (raise it with NODE_OPTIONS=--max-old-space-size=MiB)`;
}

/** What a worker thread that Node ended for its heap (ERR_WORKER_OUT_OF_MEMORY) is reported as. */
export function workerHeapMessage(): string {
  return `a search worker ran out of its JavaScript heap (limit about ${mib(getHeapStatistics().heap_size_limit)} MiB; raise it with NODE_OPTIONS=--max-old-space-size=MiB)`;
}
