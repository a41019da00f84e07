/**
 * Synchronous, allocation-free reads and writes of file descriptors for the
 * streaming executables: Hadoop gives them plain pipes, and a blocking
 * read/write loop is the fastest way to drive them from Node. EAGAIN (a pipe
 * someone set non-blocking) is retried after a short sleep; EPIPE surfaces as
 * BrokenPipe.
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

/** Writes buf[0, end) to fd, all of it. */
export function writeFully(fd: number, buf: Buffer, end: number): void {
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
