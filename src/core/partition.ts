/**
 * Hadoop's default partitioning, reproduced exactly so the local runner sends
 * every key to the reducer Hadoop would: HashPartitioner on a Text key is
 * (hashBytes(key) & Integer.MAX_VALUE) % reducers, with
 * hashBytes = fold(h = 31 * h + signed byte), starting at 1.
 *
 * Hadoop Streaming's key is the text before the N-th TAB
 * (stream.num.map.output.key.fields = N); a line with fewer TABs is all key.
 */
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

/** For tests: the partition of a key given as a latin1 string. */
export function partitionOfKey(key: string, reducers: number): number {
  const b = Buffer.from(key, 'latin1');
  return hadoopPartition(hadoopHashBytes(b, 0, b.length), reducers);
}

/**
 * Whether lines arrive in byte order (as `LC_ALL=C sort` orders them: bytes
 * compared unsigned, a prefix first). The local runner's shuffle checks each
 * partition file with one: a file already in order is merged (`sort -m`)
 * instead of sorted, as Hadoop merges the map tasks' sorted outputs.
 */
export class OrderCheck {
  sorted = true;
  private last: Buffer = Buffer.allocUnsafe(64);
  private lastLen = -1;

  /** Notes line [start, end); false once any line came before its predecessor. */
  check(buf: Uint8Array, start: number, end: number): boolean {
    if (!this.sorted) return false;
    const n = end - start;
    let last = this.last;
    const lastLen = this.lastLen;
    let same = 0; // bytes equal to the previous line's, which need no copy
    if (lastLen >= 0) {
      const m = n < lastLen ? n : lastLen;
      while (same < m && buf[start + same] === last[same]) same++;
      if (same < m ? buf[start + same] < last[same] : n < lastLen) {
        this.sorted = false;
        return false;
      }
    }
    if (n > last.length) {
      last = this.last = Buffer.allocUnsafe(Math.max(n, last.length * 2));
      same = 0;
    }
    for (let i = same; i < n; i++) last[i] = buf[start + i];
    this.lastLen = n;
    return true;
  }
}
