const NO_VIEW = new DataView(new ArrayBuffer(8));

/**
 * Copies short byte ranges (a line, an id) four bytes at a time through
 * DataViews: in V8 a typed-array byte loop pays per byte and Buffer#copy per
 * call, so for 4 to a few dozen bytes words win. Keeps one view per side; give
 * each destination buffer that alternates with others its own WordCopy.
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
      for (let i = 0; i < n; i++) to[at + i] = from[start + i];
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
