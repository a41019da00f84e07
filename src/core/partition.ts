/**
 * Hadoop's default partitioning, reproduced exactly so the local runner sends
 * every key to the reducer Hadoop would: HashPartitioner on a Text key is
 * (hashBytes(key) & Integer.MAX_VALUE) % reducers, with
 * hashBytes = fold(h = 31 * h + signed byte), starting at 1.
 *
 * Hadoop Streaming's key is the text before the N-th TAB
 * (stream.num.map.output.key.fields = N); a line with fewer TABs is all key.
 */
import { NEWLINE } from '../io/lines';
import { FlushableSink, putBytes } from '../io/sink';
import { WordCopy } from '../io/word-copy';
import { TAB } from './views';

export function hadoopHashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 1;
  for (let i = start; i < end; i++) h = (Math.imul(31, h) + ((buf[i] << 24) >> 24)) | 0;
  return h;
}

export function hadoopPartition(hash: number, reducers: number): number {
  return (hash & 0x7fffffff) % reducers;
}

/** End of the streaming key of line [start, end): the keyFields-th TAB, or the line's end. */
export function streamingKeyEnd(buf: Uint8Array, start: number, end: number, keyFields: number): number {
  let seen = 0;
  for (let i = start; i < end; i++) {
    if (buf[i] === TAB && ++seen === keyFields) return i;
  }
  return end;
}

/** Partition of a line, as Hadoop's HashPartitioner would choose it. */
export function partitionOfLine(buf: Uint8Array, start: number, end: number, keyFields: number, reducers: number): number {
  return hadoopPartition(hadoopHashBytes(buf, start, streamingKeyEnd(buf, start, end, keyFields)), reducers);
}

/** routeLine's result: the line's '\n' and its partition. */
export interface LineRoute {
  end: number;
  part: number;
}

/**
 * One pass over a line that starts at `start` and ends with '\n' (within a
 * LineSplitter block): hashes the streaming key as it goes, then finds the
 * line's end. Sets r.end (the '\n') and r.part (= partitionOfLine's).
 */
export function routeLine(buf: Uint8Array, start: number, keyFields: number, reducers: number, r: LineRoute): void {
  let h = 1;
  let i = start;
  let seen = 0;
  let c = buf[i];
  while (c !== NEWLINE) {
    if (c === TAB && ++seen === keyFields) break;
    h = (Math.imul(31, h) + ((c << 24) >> 24)) | 0;
    c = buf[++i];
  }
  while (c !== NEWLINE) c = buf[++i];
  r.end = i;
  r.part = hadoopPartition(h, reducers);
}

/** The local shuffle's writer: each line, with its '\n', to its partition's sink. */
export class PartitionWriter {
  private readonly route: LineRoute = { end: 0, part: 0 };
  /** One per partition: each keeps a view of its sink's buffer. */
  private readonly copiers: WordCopy[];

  constructor(
    private readonly sinks: FlushableSink[],
    private readonly keyFields: number,
  ) {
    this.copiers = sinks.map(() => new WordCopy());
  }

  /** One line [start, end) without its '\n'. */
  line(buf: Uint8Array, start: number, end: number): void {
    const sinks = this.sinks;
    const part = sinks.length === 1 ? 0 : partitionOfLine(buf, start, end, this.keyFields, sinks.length);
    this.put(part, buf, start, end);
  }

  /**
   * Whole lines [start, end), each ending with '\n'; returns how many. A line
   * longer than maxLineBytes is reported to `overlong` (which may throw).
   */
  block(buf: Uint8Array, start: number, end: number, maxLineBytes: number, overlong: (length: number) => void): number {
    const r = this.route;
    const parts = this.sinks.length;
    const keyFields = this.keyFields;
    let rows = 0;
    if (parts === 1 && end - start <= maxLineBytes) {
      // One partition, and no line in the block can be over the limit: copied whole.
      for (let i = start; i < end; i++) if (buf[i] === NEWLINE) rows++;
      const sink = this.sinks[0];
      putBytes(sink, buf, start, end);
      sink.maybeFlush();
      return rows;
    }
    for (let i = start; i < end; i = r.end + 1) {
      routeLine(buf, i, keyFields, parts, r);
      if (r.end - i > maxLineBytes) overlong(r.end - i);
      this.put(r.part, buf, i, r.end);
      rows++;
    }
    return rows;
  }

  /** Line [start, end) (without its '\n') plus a '\n' to partition `part`. */
  private put(part: number, buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    const sink = this.sinks[part];
    const out = sink.reserve(n + 1);
    const pos = sink.pos;
    this.copiers[part].copy(buf, start, end, out, pos);
    out[pos + n] = NEWLINE;
    sink.pos = pos + n + 1;
    sink.maybeFlush();
  }
}
