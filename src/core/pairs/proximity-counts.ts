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
 * reducers. Rows: `a<TAB>b<TAB>paths<TAB>weight sum`.
 */
import { putDecimal } from '../../io/decimal';
import { NEWLINE } from '../../io/lines';
import { putBytes, ReducerSink } from '../../io/sink';
import { TAB } from '../views';
import { IdTable } from './id-table';
import { PathBlock } from './path-block';

/** The fixed point of the weights: 1 / d is written as round(PROXIMITY_SCALE / d). */
export const PROXIMITY_DECIMALS = 10;
export const PROXIMITY_SCALE = 10 ** PROXIMITY_DECIMALS;
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
    const aEnd = aOff + ids.lengths[ia];
    for (let i = 0; i < targets.length; i++) {
      const b = targets[i];
      const ib = order[b];
      const bOff = ids.offsets[ib];
      putBytes(out, arena, aOff, aEnd);
      out.reserve(1)[out.pos++] = TAB;
      putBytes(out, arena, bOff, bOff + ids.lengths[ib]);
      out.reserve(1)[out.pos++] = TAB;
      putDecimal(out, acc[b]);
      out.reserve(1)[out.pos++] = TAB;
      putDecimal(out, wacc[b]);
      out.reserve(1)[out.pos++] = NEWLINE;
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
