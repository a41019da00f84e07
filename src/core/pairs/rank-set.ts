/**
 * A set of ranks (small non-negative integers) touched while a row is summed
 * (RankSet): a bit per rank and a bit per non-zero word of those, so the row's
 * ranks come out ascending without a sort, the set cleared as they do. The
 * arrays are public for the counting loops, which set the bits inline (add()).
 */
export class RankSet {
  bits = new Uint32Array(1);
  summary = new Uint32Array(1);

  /** Room for ranks below n (grown, never shrunk); the set must be empty. */
  ensure(n: number): void {
    if (this.bits.length * 32 >= n && this.summary.length * 1024 >= n) return;
    this.bits = new Uint32Array((n >>> 5) + 1);
    this.summary = new Uint32Array((n >>> 10) + 1);
  }

  add(r: number): void {
    this.bits[r >>> 5] |= 1 << (r & 31);
    this.summary[r >>> 10] |= 1 << ((r >>> 5) & 31);
  }

  /** The ranks into `into` ascending (it must have room), emptying the set; returns how many. */
  drain(into: Int32Array): number {
    const { bits, summary } = this;
    let m = 0;
    for (let k = 0; k < summary.length; k++) {
      let s = summary[k];
      if (s === 0) continue;
      summary[k] = 0;
      while (s !== 0) {
        const j = (k << 5) + 31 - Math.clz32(s & -s);
        s &= s - 1;
        let x = bits[j];
        bits[j] = 0;
        while (x !== 0) {
          into[m++] = (j << 5) + 31 - Math.clz32(x & -x);
          x &= x - 1;
        }
      }
    }
    return m;
  }
}
