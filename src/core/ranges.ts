/**
 * Source ranges of sorted part files (what Hadoop's TotalOrderPartitioner does
 * with sampled split points): files whose lines are in byte order are cut at
 * split keys, so that reducer r reads range r of every file, each source's
 * rows all in one range, and the reducers' outputs concatenate in order.
 *
 * A split key is a source's bytes and a TAB: the lines of that source (and of
 * every later one) are >= it, the lines of earlier sources < it. Lines of one
 * source share that prefix, so they are contiguous and never cut apart.
 */
import { NEWLINE } from '../io/lines';
import { TAB } from './views';

/** A sampled line's source key (source + TAB) and the bytes it stands for. */
export interface Sample {
  key: Buffer;
  weight: number;
}

/** The source key (bytes up to and with the first TAB) of a line; null when it has no TAB. */
export function sourceKey(line: Buffer): Buffer | null {
  const tab = line.indexOf(TAB);
  return tab < 0 ? null : line.subarray(0, tab + 1);
}

/**
 * Up to n - 1 split keys, ascending and distinct, cutting the samples' weight
 * into n shares as evenly as their keys allow (never a key at the first
 * sample's: range 0 would be empty).
 */
export function splitKeys(samples: readonly Sample[], n: number): Buffer[] {
  const sorted = [...samples].sort((a, b) => Buffer.compare(a.key, b.key));
  const total = sorted.reduce((s, x) => s + x.weight, 0);
  const splits: Buffer[] = [];
  let seen = 0;
  let share = 1;
  for (let i = 0; i < sorted.length && share < n; i++) {
    const key = sorted[i].key;
    const last = splits.length > 0 ? splits[splits.length - 1] : sorted[0].key;
    if (seen >= (total * share) / n && Buffer.compare(key, last) > 0) {
      splits.push(key);
      share++;
    }
    seen += sorted[i].weight;
  }
  return splits;
}

/** Reads length bytes of a file at position (fewer at its end); the bytes may be overwritten by the next read. */
export type ReadAt = (position: number, length: number) => Buffer;

/** Start of the first line at or after position (size when there is none). */
export function lineStartFrom(read: ReadAt, size: number, position: number, chunk = 1 << 16): number {
  if (position <= 0) return 0;
  // The line holding position - 1 ends at the first newline from there.
  for (let p = position - 1; p < size; p += chunk) {
    const buf = read(p, Math.min(chunk, size - p));
    const nl = buf.indexOf(NEWLINE);
    if (nl >= 0) return p + nl + 1;
  }
  return size;
}

/** The line starting at start (without its newline), read up to the key's length + 1 bytes: enough to compare. */
function linePrefix(read: ReadAt, size: number, start: number, bytes: number): Buffer {
  const buf = read(start, Math.min(bytes, size - start));
  const nl = buf.indexOf(NEWLINE);
  return nl >= 0 ? buf.subarray(0, nl) : buf;
}

/** Offset of the first line >= key in a file of sorted lines (size when none). */
export function firstLineAtLeast(read: ReadAt, size: number, key: Buffer): number {
  // Invariant: every line starting before lo is < key; the line starting at hi (or the end) is >= key.
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const start = lineStartFrom(read, size, lo + Math.floor((hi - lo) / 2));
    if (start >= hi) {
      // No line starts in [mid, hi): test the one starting at lo, then step past it.
      const line = linePrefix(read, size, lo, key.length + 1);
      if (Buffer.compare(line, key) >= 0) return lo;
      lo = lineStartFrom(read, size, lo + 1);
      continue;
    }
    const line = linePrefix(read, size, start, key.length + 1);
    if (Buffer.compare(line, key) >= 0) hi = start;
    else lo = lineStartFrom(read, size, start + 1);
  }
  return lo;
}

/** Byte offsets cutting a sorted file at each split key: [0, cut_1, ..., size]. */
export function cutOffsets(read: ReadAt, size: number, splits: readonly Buffer[]): number[] {
  const cuts = [0];
  for (const key of splits) cuts.push(Math.max(cuts[cuts.length - 1], firstLineAtLeast(read, size, key)));
  cuts.push(size);
  return cuts;
}

/** count lines' source keys at even positions of a file, each weighing size / count. */
export function sampleFile(read: ReadAt, size: number, count: number): Sample[] {
  const out: Sample[] = [];
  if (size === 0) return out;
  const weight = size / count;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const start = lineStartFrom(read, size, Math.floor((size * i) / count));
    if (start >= size || start === previous) continue;
    previous = start;
    const key = sourceKey(linePrefix(read, size, start, 4096));
    if (key !== null) out.push({ key: Buffer.from(key), weight });
  }
  return out;
}
