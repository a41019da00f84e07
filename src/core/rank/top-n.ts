/**
 * A source's N best targets (TopN) without an object per candidate: the
 * candidates that may enter are kept in typed arrays and one byte arena
 * (Candidates), and a heap of their indices holds the N best, worst at the
 * root. Phase 2's input is sorted, so a source's targets arrive in byte order:
 * arrival order is the last tie-break (target bytes asc), and a newcomer that
 * ties the worst kept one on score and count cannot enter. Most sources of a
 * store have fewer than N targets: the heap is built only when an N+1st comes,
 * and until then the arena holds the kept lines as they are written.
 */
import { NEWLINE } from '../../io/lines';

/** Counts at or past this are compared by their digits (doubles lose units there). */
const EXACT = 2 ** 53;

/** A source's candidates in arrival order: each one's bytes (ending with its count's digits) and a '\n', its score and count. */
export class Candidates {
  arena: Buffer = Buffer.allocUnsafe(1 << 16);
  /** Bytes of the arena in use: every candidate's bytes and '\n', in arrival order. */
  used = 0;
  off: Int32Array = new Int32Array(1 << 10);
  /** Where the count's digits start in the arena (they run to end). */
  countOff: Int32Array = new Int32Array(1 << 10);
  /** Where a candidate's bytes end: its '\n' is there. */
  end: Int32Array = new Int32Array(1 << 10);
  score: Float64Array = new Float64Array(1 << 10);
  count: Float64Array = new Float64Array(1 << 10);
  n = 0;

  /** Keeps bytes [start, end) of buf, whose count starts at countStart, and a '\n'; returns the candidate's index. */
  push(buf: Uint8Array, start: number, countStart: number, end: number, score: number, count: number): number {
    const i = this.n++;
    if (i === this.off.length) this.grow();
    const size = end - start;
    if (this.used + size + 1 > this.arena.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + size + 1));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
    const at = this.used;
    const arena = this.arena;
    // Lines are short: a byte loop beats a subarray per candidate.
    for (let k = 0; k < size; k++) arena[at + k] = buf[start + k];
    arena[at + size] = NEWLINE;
    this.used += size + 1;
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

/** The best `limit` candidates of a source: a heap of indices, the worst at the root, built once more than `limit` come. */
export class TopN {
  private readonly heap: Int32Array;
  private size = 0;
  /** Whether heap[0, size) is a heap; until then it holds candidates 0, 1, ... in arrival order. */
  private heaped = false;

  constructor(
    private readonly limit: number,
    readonly cands: Candidates,
  ) {
    this.heap = new Int32Array(limit);
  }

  /** True when a newcomer of this score and count cannot enter: the caller does not keep it. */
  rejects(score: number, count: number): boolean {
    if (this.size < this.limit) return false;
    if (!this.heaped) this.heapify();
    const w = this.heap[0];
    const ws = this.cands.score[w];
    if (score !== ws) return score < ws;
    const wc = this.cands.count[w];
    // A tie arrives after the worst, so ranks after it; past 2^53 equal doubles may differ.
    return count < wc || (count === wc && count < EXACT);
  }

  /** Offers candidate i. */
  add(i: number): void {
    if (this.size < this.limit) {
      this.heap[this.size++] = i;
      this.heaped = false;
      return;
    }
    if (!this.heaped) this.heapify();
    if (!this.cands.before(i, this.heap[0])) return;
    this.heap[0] = i;
    this.siftDown(0);
  }

  /** Whether every candidate since the last take() is kept: the arena then holds exactly the kept ones, in arrival order. */
  keepsAll(): boolean {
    return this.size === this.cands.n;
  }

  /**
   * The kept candidates' indices in arrival order, which is line order, so
   * phase 2's parts stay sorted and merge; empties the heap (the caller
   * clears the candidates). A view, valid until the next add().
   */
  take(): Int32Array {
    const out = this.heap.subarray(0, this.size);
    if (this.heaped) out.sort();
    this.size = 0;
    this.heaped = false;
    return out;
  }

  /** Makes heap[0, size) a heap (Floyd's): the worst at the root. */
  private heapify(): void {
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.siftDown(k);
    this.heaped = true;
  }

  /** Moves heap[k] down below every child that is worse than it. */
  private siftDown(k: number): void {
    const h = this.heap;
    const c = this.cands;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let worst = k;
      if (l < this.size && c.before(h[worst], h[l])) worst = l;
      if (r < this.size && c.before(h[worst], h[r])) worst = r;
      if (worst === k) return;
      const t = h[k];
      h[k] = h[worst];
      h[worst] = t;
      k = worst;
    }
  }
}
