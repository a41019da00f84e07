/** Where the pure reducers and mappers write: a byte buffer kept in memory or flushed to a file descriptor. */
import { writeFully } from './fd';

export interface ByteSink {
  /** Makes room for n more bytes and returns the buffer and position to write them at. */
  reserve(n: number): Buffer;
  pos: number;
}

/** A sink that writes out once past its threshold when told a block of lines is complete (FdSink). */
export interface FlushableSink extends ByteSink {
  maybeFlush(): void;
}

/** What a reducer writes to: flushed after each block when it can be (FdSink), else left to grow (MemorySink). */
export type ReducerSink = ByteSink & Partial<FlushableSink>;

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
 * A buffered writer to a file descriptor. Writes go out in 1 MiB pieces:
 * smaller ones cost more system calls and page-cache work per byte.
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
