/**
 * The paths a phase-1 reducer holds before it counts their pairs (PathBlock):
 * each kept path's distinct product ids laid end to end, with where each path
 * ends. Its capacity in views comes from the memory budget (see options.ts);
 * the arrays grow by doubling up to it, so a small input stays small.
 */

export class PathBlock {
  /** Product ids of the held paths, path after path. */
  ids: Int32Array = new Int32Array(1 << 12);
  /** ends[p]: where path p's ids end in `ids` (path p starts at ends[p - 1], or 0). */
  ends: Int32Array = new Int32Array(1 << 10);
  views = 0;
  paths = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`path block capacity must be at least 2 views, got ${capacity}`);
  }

  /** Whether k more views fit. */
  fits(k: number): boolean {
    return this.views + k <= this.capacity;
  }

  /** Holds one path: its distinct ids p[0, k); the caller checks fits(k) first. */
  add(p: Int32Array, k: number): void {
    if (this.views + k > this.ids.length) this.ids = grow(this.ids, this.views + k, this.capacity);
    if (this.paths === this.ends.length) this.ends = grow(this.ends, this.paths + 1, this.capacity);
    this.ids.set(p.subarray(0, k), this.views);
    this.views += k;
    this.ends[this.paths++] = this.views;
  }

  clear(): void {
    this.views = 0;
    this.paths = 0;
  }
}

/** a, doubled (at most to cap, at least to need), contents kept. */
function grow(a: Int32Array, need: number, cap: number): Int32Array {
  const n = Math.max(need, Math.min(a.length * 2, cap));
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
