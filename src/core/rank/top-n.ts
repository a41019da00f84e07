/**
 * A source's N best targets (TopN) without an object per candidate: the
 * candidates that may enter are kept in typed arrays and one byte arena
 * (Candidates), and a heap of their indices holds the N best, worst at the
 * root. Phase 2's input is sorted, so a source's targets arrive in byte order:
 * arrival order is the last tie-break (target bytes asc), and a newcomer that
 * ties the worst kept one on score and count cannot enter.
 */

/** Counts at or past this are compared by their digits (doubles lose units there). */
const EXACT = 2 ** 53;

/** A source's candidates in arrival order: each `target<TAB>count` tail, its score and count. */
export class Candidates {
  arena: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  off: Int32Array = new Int32Array(1 << 10);
  /** Where the count's digits start in the arena (they run to the tail's end). */
  countOff: Int32Array = new Int32Array(1 << 10);
  end: Int32Array = new Int32Array(1 << 10);
  score: Float64Array = new Float64Array(1 << 10);
  count: Float64Array = new Float64Array(1 << 10);
  n = 0;

  /** Keeps bytes [start, end) of buf, whose count starts at countStart; returns the candidate's index. */
  push(buf: Uint8Array, start: number, countStart: number, end: number, score: number, count: number): number {
    const i = this.n++;
    if (i === this.off.length) this.grow();
    const size = end - start;
    if (this.used + size > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + size));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
    const at = this.used;
    const arena = this.arena;
    // Tails are short: a byte loop beats a subarray per candidate.
    for (let k = 0; k < size; k++) arena[at + k] = buf[start + k];
    this.used += size;
    this.off[i] = at;
    this.countOff[i] = at + (countStart - start);
    this.end[i] = at + size;
    this.score[i] = score;
    this.count[i] = count;
    return i;
  }

  clear(): void {
    this.n = 0;
    this.used = 0;
  }

  /** Whether candidate i ranks before j: score desc, count desc (by digits past 2^53), arrival asc. */
  before(i: number, j: number): boolean {
    const si = this.score[i];
    const sj = this.score[j];
    if (si !== sj) return si > sj;
    const ci = this.count[i];
    const cj = this.count[j];
    if (ci !== cj) return ci > cj;
    if (ci >= EXACT) {
      const d = this.compareDigits(i, j);
      if (d !== 0) return d > 0;
    }
    return i < j;
  }

  /** Sign of count i - count j, by their digits (no leading zeros). */
  private compareDigits(i: number, j: number): number {
    const li = this.end[i] - this.countOff[i];
    const lj = this.end[j] - this.countOff[j];
    if (li !== lj) return li - lj;
    const a = this.arena;
    for (let k = 0; k < li; k++) {
      const d = a[this.countOff[i] + k] - a[this.countOff[j] + k];
      if (d !== 0) return d;
    }
    return 0;
  }

  private grow(): void {
    const n = this.off.length * 2;
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.off = i32(this.off);
    this.countOff = i32(this.countOff);
    this.end = i32(this.end);
    this.score = f64(this.score);
    this.count = f64(this.count);
  }
}

/** The best `limit` candidates of a source: a heap of indices, the worst at the root. */
export class TopN {
  private readonly heap: Int32Array;
  private size = 0;

  constructor(
    private readonly limit: number,
    readonly cands: Candidates,
  ) {
    this.heap = new Int32Array(limit);
  }

  /** True when a newcomer of this score and count cannot enter: the caller does not keep it. */
  rejects(score: number, count: number): boolean {
    if (this.size < this.limit) return false;
    const w = this.heap[0];
    const ws = this.cands.score[w];
    if (score !== ws) return score < ws;
    const wc = this.cands.count[w];
    // A tie arrives after the worst, so ranks after it; past 2^53 equal doubles may differ.
    return count < wc || (count === wc && count < EXACT);
  }

  /** Offers candidate i. */
  add(i: number): void {
    const h = this.heap;
    const c = this.cands;
    if (this.size < this.limit) {
      let k = this.size++;
      h[k] = i;
      while (k > 0) {
        const p = (k - 1) >> 1;
        if (!c.before(h[p], h[k])) break; // the parent is worse: in place
        const t = h[k];
        h[k] = h[p];
        h[p] = t;
        k = p;
      }
      return;
    }
    if (!c.before(i, h[0])) return;
    h[0] = i;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let worst = k;
      if (l < this.size && c.before(h[worst], h[l])) worst = l;
      if (r < this.size && c.before(h[worst], h[r])) worst = r;
      if (worst === k) break;
      const t = h[k];
      h[k] = h[worst];
      h[worst] = t;
      k = worst;
    }
  }

  /** The kept candidates' indices, best first; empties the heap (the caller clears the candidates). */
  take(): number[] {
    const out = Array.from(this.heap.subarray(0, this.size));
    this.size = 0;
    const c = this.cands;
    return out.sort((i, j) => (c.before(i, j) ? -1 : c.before(j, i) ? 1 : 0));
  }
}
