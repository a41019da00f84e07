/** Whether a[ai, ai + n) and b[bi, bi + n) hold the same bytes. */
export function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ai + k] !== b[bi + k]) return false;
  return true;
}

/** The current group's key, kept as bytes: reducers compare each line's key with it. */
export class KeyBuffer {
  bytes: Buffer = Buffer.allocUnsafe(64);
  /** -1 until a key is set (no group yet). */
  length = -1;

  /** Whether bytes [start, end) of buf equal the key. */
  equals(buf: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    return n === this.length && sameBytes(this.bytes, 0, buf, start, n);
  }

  /** Copies bytes [start, end) of buf in (a byte loop: ids are short, Buffer#copy costs more per call). */
  set(buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n > this.bytes.length) this.bytes = Buffer.allocUnsafe(n * 2);
    const key = this.bytes;
    for (let i = 0; i < n; i++) key[i] = buf[start + i];
    this.length = n;
  }

  clear(): void {
    this.length = -1;
  }
}

/** sameBytes within one buffer, from the last byte back: sorted keys that differ mostly differ at the end. */
export function sameBytesFromEnd(buf: Uint8Array, a: number, b: number, n: number): boolean {
  for (let k = n - 1; k >= 0; k--) if (buf[a + k] !== buf[b + k]) return false;
  return true;
}
