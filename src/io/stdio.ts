/**
 * Synchronous, allocation-free stdin/stdout plumbing for the streaming
 * executables: Hadoop gives them plain pipes, and a blocking read/write loop is
 * the fastest way to drive them from Node. EAGAIN (a pipe someone set
 * non-blocking) is retried after a short sleep; EPIPE surfaces as BrokenPipe.
 */
import * as fs from 'node:fs';

export class BrokenPipe extends Error {
  constructor() {
    super('output closed (EPIPE)');
    this.name = 'BrokenPipe';
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function napMs(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Reads fd until EOF, handing each chunk (a view valid only during the call) to onChunk. */
export function readAll(fd: number, onChunk: (chunk: Buffer) => void, chunkBytes = 1 << 16): void {
  const buf = Buffer.allocUnsafe(chunkBytes);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, chunkBytes, null);
    } catch (e) {
      const code = errCode(e);
      if (code === 'EAGAIN') {
        napMs(1);
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    onChunk(buf.subarray(0, n));
  }
}

function writeFully(fd: number, buf: Buffer, end: number): void {
  let off = 0;
  while (off < end) {
    try {
      off += fs.writeSync(fd, buf, off, end - off);
    } catch (e) {
      const code = errCode(e);
      if (code === 'EAGAIN') {
        napMs(1);
        continue;
      }
      if (code === 'EPIPE') throw new BrokenPipe();
      throw e;
    }
  }
}

/** Where the pure reducers write: bytes into a buffer flushed to an fd (or kept, in tests). */
export interface ByteSink {
  /** Makes room for n more bytes and returns the buffer and position to write them at. */
  reserve(n: number): Buffer;
  pos: number;
}

/** A growing in-memory sink, for tests and small outputs. */
export class MemorySink implements ByteSink {
  private buf = Buffer.allocUnsafe(1 << 12);
  pos = 0;
  reserve(n: number): Buffer {
    if (this.pos + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    return this.buf;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
  text(encoding: BufferEncoding = 'latin1'): string {
    return this.bytes().toString(encoding);
  }
}

/**
 * A buffered writer to a file descriptor. Writes go out in 1 MiB pieces: with
 * 64 KiB ones, writing 200 MB of pairs to a file cost ~10% more (more system
 * calls and page-cache work per byte), as measured on MovieLens --no-combine.
 */
export class FdSink implements ByteSink {
  private buf: Buffer;
  pos = 0;
  constructor(
    private readonly fd: number,
    private readonly flushBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(flushBytes * 2);
  }
  reserve(n: number): Buffer {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n * 2);
    }
    return this.buf;
  }
  /** Flushes when the buffer is past its threshold; call after each record. */
  maybeFlush(): void {
    if (this.pos >= this.flushBytes) this.flush();
  }
  flush(): void {
    if (this.pos > 0) {
      const n = this.pos;
      this.pos = 0;
      writeFully(this.fd, this.buf, n);
    }
  }
}

/** Appends bytes [start, end) of src. */
export function putBytes(sink: ByteSink, src: Uint8Array, start: number, end: number): void {
  const n = end - start;
  const buf = sink.reserve(n);
  let p = sink.pos;
  if (n > 32) {
    buf.set(src.subarray(start, end), p);
    p += n;
  } else {
    for (let i = start; i < end; i++) buf[p++] = src[i];
  }
  sink.pos = p;
}

/** Appends a non-negative integer (number or bigint) in decimal. */
export function putDecimal(sink: ByteSink, value: number | bigint): void {
  if (typeof value === 'bigint' || value >= 1e15) {
    const s = value.toString();
    const buf = sink.reserve(s.length);
    sink.pos += buf.write(s, sink.pos, 'latin1');
    return;
  }
  const buf = sink.reserve(16);
  let v = value;
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  let p = sink.pos + digits;
  sink.pos = p;
  do {
    const q = Math.floor(v / 10);
    buf[--p] = 48 + (v - q * 10);
    v = q;
  } while (v > 0);
}

const NO_VIEW = new DataView(new ArrayBuffer(8));

/**
 * Copies short byte ranges (a line, an id) four bytes at a time through
 * DataViews: in V8 a typed-array byte loop costs a few ns a byte and
 * Buffer#copy a few hundred ns a call, so for 4 to a few dozen bytes words win
 * several times over. Keeps one view per side; give each destination buffer
 * that alternates with others its own WordCopy.
 */
export class WordCopy {
  private srcBuf: Uint8Array | null = null;
  private src: DataView = NO_VIEW;
  private dstBuf: Uint8Array | null = null;
  private dst: DataView = NO_VIEW;

  /** Copies from[start, end) to `to` at `at`; `to` must have room. */
  copy(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
    const n = end - start;
    if (n < 4) {
      for (let i = 0; i < n; i++) to[at + i] = from[start + i] as number;
      return;
    }
    if (from !== this.srcBuf) {
      this.srcBuf = from;
      this.src = new DataView(from.buffer, from.byteOffset, from.byteLength);
    }
    if (to !== this.dstBuf) {
      this.dstBuf = to;
      this.dst = new DataView(to.buffer, to.byteOffset, to.byteLength);
    }
    const src = this.src;
    const dst = this.dst;
    let i = 0;
    for (; i + 4 <= n; i += 4) dst.setUint32(at + i, src.getUint32(start + i, true), true);
    // The last 1-3 bytes as the word that ends the range (overlapping bytes already copied).
    if (i < n) dst.setUint32(at + n - 4, src.getUint32(start + n - 4, true), true);
  }
}
