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
import { javaUtf8Bytes } from './java-utf8';
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

/**
 * KeyFieldBasedPartitioner with -k1,P on a streaming key [start, keyEnd) (what
 * phase 2 uses with --top, P = 1: partitioned by source): 31 * h + signed byte
 * over the key's first P TAB-separated fields, starting at 0, and 0 for an
 * empty key. Hadoop hashes key.toString()'s UTF-8 bytes, so a key that is not
 * UTF-8 is hashed as Java re-encodes it (java-utf8.ts).
 */
export function keyFieldHash(buf: Uint8Array, start: number, keyEnd: number, partitionFields: number): number {
  if (keyEnd === start) return 0;
  let bytes: Uint8Array = buf;
  let from = start;
  let to = keyEnd;
  for (let i = start; i < keyEnd; i++) {
    if (buf[i] >= 0x80) {
      bytes = javaUtf8Bytes(buf, start, keyEnd);
      from = 0;
      to = bytes.length;
      break;
    }
  }
  let seen = 0;
  let end = from;
  while (end < to && !(bytes[end] === TAB && ++seen === partitionFields)) end++;
  to = end;
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(31, h) + ((bytes[i] << 24) >> 24)) | 0;
  return h;
}

/** Partition of a line: the whole key's hash (partitionFields 0), or KeyFieldBasedPartitioner's on its first fields. */
export function partitionOfKeyFields(buf: Uint8Array, start: number, end: number, keyFields: number, partitionFields: number, reducers: number): number {
  const keyEnd = streamingKeyEnd(buf, start, end, keyFields);
  if (partitionFields === 0) return hadoopPartition(hadoopHashBytes(buf, start, keyEnd), reducers);
  return hadoopPartition(keyFieldHash(buf, start, keyEnd, partitionFields), reducers);
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
    /** 0: HashPartitioner on the whole key; P: KeyFieldBasedPartitioner -k1,P. */
    private readonly partitionFields = 0,
  ) {
    this.copiers = sinks.map(() => new WordCopy());
  }

  /** One line [start, end) without its '\n'. */
  line(buf: Uint8Array, start: number, end: number): void {
    const sinks = this.sinks;
    const part = sinks.length === 1 ? 0 : partitionOfKeyFields(buf, start, end, this.keyFields, this.partitionFields, sinks.length);
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
    if (this.partitionFields > 0) {
      // By the key's first fields (phase 2 with --top): line by line, off the default path.
      for (let i = start; i < end; i = r.end + 1) {
        r.end = buf.indexOf(NEWLINE, i);
        if (r.end - i > maxLineBytes) overlong(r.end - i);
        this.put(partitionOfKeyFields(buf, i, r.end, keyFields, this.partitionFields, parts), buf, i, r.end);
        rows++;
      }
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
