/**
 * Counting a block of ordered paths' pairs with their proximity (ProximityCounts),
 * as CoCounts does for count (for each product in byte order, the paths holding
 * it are walked, targets summed in dense arrays, rows written in line order):
 * a path is its sequence of product ids in view order, consecutive repeats
 * removed, so a product may occur more than once. For a source a and a path,
 * d(a, b) = the smallest distance between an occurrence of a and one of b (two
 * sweeps over the sequence); the pair gets 1 path and the weight W(d), 1 / d in
 * fixed point: round(10^10 / d), an integer (docs/scores.md). Integers add up
 * exactly in any order, so the result does not depend on blocks, combiners or
 * reducers. Rows: `a<TAB>b<TAB>paths<TAB>weight sum`, the sum written as its exact decimal
 * W · 10^-10 (proximity-text.ts), so a pair of one row is its own result line in phase 2.
 */
import { putCount } from './pair-lines';
import { NEWLINE } from '../../io/lines';
import { ReducerSink } from '../../io/sink';
import { TAB } from '../views';
import { IdTable } from './id-table';
import { PathBlock } from './path-block';

import { PROXIMITY_SCALE } from './proximity-text';
/** Paths a block holds at most: a pair's weight sum in it stays below 2^53 (each weight at most 10^10). */
export const MAX_BLOCK_PATHS = 900_000;

/** round(10^10 / d), halves up, exactly (integer arithmetic checked around the double quotient). */
export function proximityWeight(d: number): number {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`distance must be a positive integer, got ${d}`);
  // round(S / d) = floor((2S + d) / 2d); the quotient's double may be off by one near an integer.
  const num = 2 * PROXIMITY_SCALE + d;
  const den = 2 * d;
  let q = Math.floor(num / den);
  if (q * den > num) q--;
  else if ((q + 1) * den <= num) q++;
  return q;
}

/**
 * Writes a weight sum w (below 2^53, so at most 900719 before the point) at pos as putProximity
 * does: the exact decimal w · 10^-10 without trailing zeros; returns the position after it.
 */
export function putWeight(buf: Uint8Array, pos: number, w: number): number {
  const whole = Math.floor(w / PROXIMITY_SCALE);
  pos = putCount(buf, pos, whole);
  const frac = w - whole * PROXIMITY_SCALE;
  if (frac === 0) return pos;
  // The 10 decimals as two int32 halves of 5 digits.
  const hi = Math.floor(frac / 100000);
  const lo = frac - hi * 100000;
  buf[pos] = 0x2e;
  let last = pos;
  let v = hi;
  for (let k = 5; k >= 1; k--) {
    const q = (v / 10) | 0;
    buf[pos + k] = 0x30 + v - q * 10;
    v = q;
  }
  v = lo;
  for (let k = 10; k >= 6; k--) {
    const q = (v / 10) | 0;
    buf[pos + k] = 0x30 + v - q * 10;
    v = q;
  }
  for (let k = 10; k >= 1; k--) {
    if (buf[pos + k] !== 0x30) {
      last = pos + k;
      break;
    }
  }
  return last + 1;
}

export class ProximityCounts {
  /** Rows written (the pair_rows_out counter). */
  rows = 0;
  private weights = new Float64Array(0);
  private rank = new Int32Array(0);
  private order: Int32Array = new Int32Array(0);
  /** Per rank: paths with it in the current row, weight sum; zero between rows. */
  private acc = new Uint32Array(0);
  private wacc = new Float64Array(0);
  private rowTouched = new Int32Array(0);
  /** Per rank: smallest distance in the current (source, path), and which (source, path) set it. */
  private best = new Int32Array(0);
  private stamp = new Int32Array(0);
  private pathTouched = new Int32Array(0);
  private serial = 0;
  private starts = new Int32Array(0);
  private lists = new Int32Array(0);
  private lastPath = new Int32Array(0);

  constructor(
    private readonly out: ReducerSink,
    private readonly ids: IdTable,
  ) {}

  /** Writes the block's pairs, combined, in byte order of the lines; empties the block. */
  flush(block: PathBlock): void {
    if (block.paths === 0) return;
    const n = this.ids.size;
    this.ready(n, block);
    const order = (this.order = this.ids.byteOrder());
    const rank = this.rank;
    for (let r = 0; r < n; r++) rank[order[r]] = r;
    const v = block.ids;
    let longest = 0;
    for (let i = 0; i < block.views; i++) v[i] = rank[v[i]];
    for (let p = 0; p < block.paths; p++) longest = Math.max(longest, block.ends[p] - (p === 0 ? 0 : block.ends[p - 1]));
    this.weightsUpTo(longest);
    this.index(block, n);
    const { starts, lists, acc, wacc, rowTouched, best, stamp, pathTouched, weights } = this;
    const ends = block.ends;
    for (let a = 0; a < n; a++) {
      let m = 0;
      for (let s = starts[a]; s < starts[a + 1]; s++) {
        const p = lists[s];
        const ps = p === 0 ? 0 : ends[p - 1];
        const pe = ends[p];
        const serial = ++this.serial;
        let k = 0;
        // Forward, then backward: the nearest occurrence of a on each side.
        let last = -1;
        for (let i = ps; i < pe; i++) {
          const b = v[i];
          if (b === a) last = i;
          else if (last >= 0) {
            const d = i - last;
            if (stamp[b] !== serial) {
              stamp[b] = serial;
              best[b] = d;
              pathTouched[k++] = b;
            } else if (d < best[b]) best[b] = d;
          }
        }
        last = -1;
        for (let i = pe - 1; i >= ps; i--) {
          const b = v[i];
          if (b === a) last = i;
          else if (last >= 0) {
            const d = last - i;
            if (stamp[b] !== serial) {
              stamp[b] = serial;
              best[b] = d;
              pathTouched[k++] = b;
            } else if (d < best[b]) best[b] = d;
          }
        }
        for (let j = 0; j < k; j++) {
          const b = pathTouched[j];
          if (acc[b]++ === 0) rowTouched[m++] = b;
          wacc[b] += weights[best[b]];
        }
      }
      if (m === 0) continue;
      const targets = rowTouched.subarray(0, m).sort();
      this.writeRow(a, targets);
    }
    if (this.serial > 0x3fffffff) {
      this.stamp.fill(0);
      this.serial = 0;
    }
    block.clear();
  }

  private writeRow(a: number, targets: Int32Array): void {
    const { out, ids, order, acc, wacc } = this;
    const arena = ids.arena;
    const ia = order[a];
    const aOff = ids.offsets[ia];
    const aLen = ids.lengths[ia];
    for (let i = 0; i < targets.length; i++) {
      const b = targets[i];
      const ib = order[b];
      const bOff = ids.offsets[ib];
      const bLen = ids.lengths[ib];
      // One reservation per line: the ids, 3 TABs, a count below 2^32, a weight of at most 6 + 1 + 10 bytes, '\n'.
      const buf = out.reserve(aLen + bLen + 32);
      let pos = out.pos;
      for (let k = 0; k < aLen; k++) buf[pos++] = arena[aOff + k];
      buf[pos++] = TAB;
      for (let k = 0; k < bLen; k++) buf[pos++] = arena[bOff + k];
      buf[pos++] = TAB;
      pos = putCount(buf, pos, acc[b]);
      buf[pos++] = TAB;
      pos = putWeight(buf, pos, wacc[b]);
      buf[pos++] = NEWLINE;
      out.pos = pos;
      acc[b] = 0;
      wacc[b] = 0;
      if (out.maybeFlush) out.maybeFlush();
    }
    this.rows += targets.length;
  }

  /** W(d) for d up to `longest` (a distance is below a sequence's length). */
  private weightsUpTo(longest: number): void {
    if (this.weights.length > longest) return;
    const w = new Float64Array(Math.max(longest + 1, this.weights.length * 2, 1024));
    for (let d = 1; d < w.length; d++) w[d] = proximityWeight(d);
    this.weights = w;
  }

  /** Arrays for n ids and the block (grown, never shrunk). */
  private ready(n: number, block: PathBlock): void {
    if (this.acc.length < n) {
      const size = Math.max(n, this.acc.length * 2, 1024);
      this.rank = new Int32Array(size);
      this.acc = new Uint32Array(size);
      this.wacc = new Float64Array(size);
      this.rowTouched = new Int32Array(size);
      this.best = new Int32Array(size);
      this.stamp = new Int32Array(size);
      this.serial = 0;
      this.pathTouched = new Int32Array(size);
      this.starts = new Int32Array(size + 1);
      this.lastPath = new Int32Array(size);
    }
    if (this.lists.length < block.views) this.lists = new Int32Array(block.ids.length);
  }

  /** starts and lists: for each rank, the block's paths that hold it (once each), in path order. */
  private index(block: PathBlock, n: number): void {
    const { starts, lists, lastPath, acc } = this;
    const v = block.ids;
    const ends = block.ends;
    starts.fill(0, 0, n + 1);
    lastPath.fill(-1, 0, n);
    let i = 0;
    for (let p = 0; p < block.paths; p++) {
      for (const e = ends[p]; i < e; i++) {
        if (lastPath[v[i]] !== p) {
          lastPath[v[i]] = p;
          starts[v[i] + 1]++;
        }
      }
    }
    for (let r = 0; r < n; r++) starts[r + 1] += starts[r];
    // acc serves as each rank's fill cursor, and is zeroed again for the rows.
    for (let r = 0; r < n; r++) acc[r] = starts[r];
    lastPath.fill(-1, 0, n);
    i = 0;
    for (let p = 0; p < block.paths; p++) {
      for (const e = ends[p]; i < e; i++) {
        if (lastPath[v[i]] !== p) {
          lastPath[v[i]] = p;
          lists[acc[v[i]]++] = p;
        }
      }
    }
    acc.fill(0, 0, n);
  }
}
