/** Digits that always fit a double exactly (10^15 < 2^53). */
export const MAX_SAFE_DIGITS = 15;

/** An exact running total: a double while it is safe, BigInt past 2^53. */
export class Tally {
  private small = 0;
  private big: bigint | null = null;

  reset(): void {
    this.small = 0;
    this.big = null;
  }

  /** Adds the decimal digits [start, end). */
  addDigits(buf: Uint8Array, start: number, end: number): void {
    if (this.big === null && end - start <= MAX_SAFE_DIGITS) {
      let v = 0;
      for (let i = start; i < end; i++) v = v * 10 + (buf[i] - 0x30);
      const s = this.small + v;
      if (s <= Number.MAX_SAFE_INTEGER) {
        this.small = s;
        return;
      }
    }
    const digits = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
    this.big = (this.big ?? BigInt(this.small)) + BigInt(digits);
  }

  /** Adds a small non-negative integer (below 10^15); false when the caller must use addDigits. */
  addSmall(v: number): boolean {
    if (this.big !== null) return false;
    const s = this.small + v;
    if (s > Number.MAX_SAFE_INTEGER) return false;
    this.small = s;
    return true;
  }

  value(): number | bigint {
    return this.big ?? this.small;
  }
}
