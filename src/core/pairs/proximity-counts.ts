/**
 * Counting a block of ordered paths' pairs with their proximity (ProximityCounts),
 * as CoCounts does for count (for each product in byte order, the paths holding
 * it are walked, targets summed in dense arrays, rows written in line order):
 * a path is its sequence of product ids in view order, consecutive repeats
 * removed, so a product may occur more than once. For a source a and a path,
 * d(a, b) = the smallest distance between an occurrence of a and one of b; the
 * pair gets 1 path and the weight W(d), 1 / d in fixed point: round(10^10 / d), an
 * integer (docs/scores.md). Integers add up exactly in any order, so the result
 * does not depend on blocks, combiners or reducers. Rows: `a<TAB>b<TAB>paths<TAB>weight sum`,
 * the sum written as its exact decimal W · 10^-10 (proximity-rows.ts), so a pair
 * of one row is its own result line in phase 2.
 *
 * The walk over a path takes the cheapest of three ways: a path without repeats,
 * where a sits once at q, gives each b at i the distance |i - q| (count's loop plus a
 * weight); a path with repeats and a once, a sweep outwards from q, each b taken where
 * first met; a several times, a forward and a backward sweep (nearest a on each side).
 */
import { ReducerSink } from '../../io/sink';
import { IdTable } from './id-table';
import { PathBlock } from './path-block';
import { proximityWeight } from './proximity-text';
import { ProximityRows } from './proximity-rows';
import { RankSet } from './rank-set';

/** Paths a block holds at most: a pair's weight sum in it stays below 2^53 (each weight at most 10^10). */
export const MAX_BLOCK_PATHS = 900_000;

export class ProximityCounts {
  private readonly writer: ProximityRows;
  private weights = new Float64Array(0);
  private rank = new Int32Array(0);
  /** Per rank: the fill cursor of index() (the rows' sums are in the writer's cells). */
  private cursor = new Uint32Array(0);
  private readonly touched = new RankSet();
  private targets = new Int32Array(0);
  /** Per rank: smallest distance in the current (source, path), and which (source, path) set it. */
  private best = new Int32Array(0);
  private stamp = new Int32Array(0);
  private pathTouched = new Int32Array(0);
  private serial = 0;
  /** Per rank: where its entries start in lists and at (n + 1 entries). */
  private starts = new Int32Array(0);
  /** The block's paths holding each rank (once each, in path order), and where in the block the rank is (-1: more than once). */
  private lists = new Int32Array(0);
  private at = new Int32Array(0);
  /** Per path of the block: 1 when a product occurs in it more than once. */
  private repeats = new Uint8Array(0);
  private lastPath = new Int32Array(0);

  constructor(
    out: ReducerSink,
    private readonly ids: IdTable,
  ) {
    this.writer = new ProximityRows(out, ids);
  }

  /** Rows written (the pair_rows_out counter). */
  get rows(): number {
    return this.writer.rows;
  }

  /** The id table was reset. */
  idsReset(): void {
    this.writer.idsReset();
  }

  /** Writes the block's pairs, combined, in byte order of the lines; empties the block. */
  flush(block: PathBlock): void {
    if (block.paths === 0) return;
    const n = this.ids.size;
    this.ready(n, block);
    const order = this.ids.byteOrder();
    const rank = this.rank;
    for (let r = 0; r < n; r++) rank[order[r]] = r;
    const v = block.ids;
    let longest = 0;
    for (let i = 0; i < block.views; i++) v[i] = rank[v[i]];
    for (let p = 0; p < block.paths; p++) longest = Math.max(longest, block.ends[p] - (p === 0 ? 0 : block.ends[p - 1]));
    this.weightsUpTo(longest);
    this.writer.prepare(order, n, this.weights);
    this.index(block, n);
    const { starts, lists, at, repeats, targets, weights } = this;
    const sums = this.writer.sums;
    const { bits, summary } = this.touched;
    const ends = block.ends;
    for (let a = 0; a < n; a++) {
      let m = 0;
      for (let s = starts[a]; s < starts[a + 1]; s++) {
        const p = lists[s];
        const ps = p === 0 ? 0 : ends[p - 1];
        const pe = ends[p];
        const q = at[s];
        if (q < 0 || repeats[p] !== 0) {
          m += this.walk(a, ps, pe, q, v);
          continue;
        }
        // No repeats: each other product once, at distance |i - q|.
        for (let i = ps; i < pe; i++) {
          if (i === q) continue;
          const b = v[i] * 4;
          if (sums[b + 2]++ === 0) {
            m++;
            bits[b >>> 7] |= 1 << ((b >>> 2) & 31);
            summary[b >>> 12] |= 1 << ((b >>> 7) & 31);
          }
          sums[b + 3] += weights[i < q ? q - i : i - q];
        }
      }
      if (m === 0) continue;
      const k = this.touched.drain(targets);
      this.writer.writeRow(a, targets, k);
    }
    if (this.serial > 0x3fffffff) {
      this.stamp.fill(0);
      this.serial = 0;
    }
    block.clear();
  }

  /**
   * Source a in the path [ps, pe) of ranks v with repeats (a at q, or several times: q < 0):
   * each b's smallest distance found, its path and weight added; returns the targets new to the row.
   */
  private walk(a: number, ps: number, pe: number, q: number, v: Int32Array): number {
    const { best, stamp, pathTouched, weights } = this;
    const sums = this.writer.sums;
    const serial = ++this.serial;
    let k = 0;
    if (q >= 0) {
      // Outwards from q: the first time b is met is at its smallest distance.
      let m = 0;
      const reach = Math.max(q - ps, pe - 1 - q);
      for (let d = 1; d <= reach; d++) {
        for (let side = 0; side < 2; side++) {
          const i = side === 0 ? q - d : q + d;
          if (i < ps || i >= pe) continue;
          const b = v[i];
          if (stamp[b] === serial) continue;
          stamp[b] = serial;
          if (sums[b * 4 + 2]++ === 0) {
            m++;
            this.touched.add(b);
          }
          sums[b * 4 + 3] += weights[d];
        }
      }
      return m;
    }
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
    let m = 0;
    for (let j = 0; j < k; j++) {
      const b = pathTouched[j];
      if (sums[b * 4 + 2]++ === 0) {
        m++;
        this.touched.add(b);
      }
      sums[b * 4 + 3] += weights[best[b]];
    }
    return m;
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
    if (this.cursor.length < n) {
      const size = Math.max(n, this.cursor.length * 2, 1024);
      this.rank = new Int32Array(size);
      this.cursor = new Uint32Array(size);
      this.targets = new Int32Array(size);
      this.best = new Int32Array(size);
      this.stamp = new Int32Array(size);
      this.serial = 0;
      this.pathTouched = new Int32Array(size);
      this.starts = new Int32Array(size + 1);
      this.lastPath = new Int32Array(size);
      this.touched.ensure(size);
    }
    if (this.lists.length < block.views) {
      this.lists = new Int32Array(block.ids.length);
      this.at = new Int32Array(block.ids.length);
    }
    if (this.repeats.length < block.paths) this.repeats = new Uint8Array(block.ends.length);
  }

  /** starts, lists and at: for each rank, the block's paths that hold it (once each), in path order; repeats. */
  private index(block: PathBlock, n: number): void {
    const { starts, lists, at, repeats, lastPath, cursor } = this;
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
    for (let r = 0; r < n; r++) cursor[r] = starts[r];
    lastPath.fill(-1, 0, n);
    i = 0;
    for (let p = 0; p < block.paths; p++) {
      repeats[p] = 0;
      for (const e = ends[p]; i < e; i++) {
        const r = v[i];
        if (lastPath[r] !== p) {
          lastPath[r] = p;
          lists[cursor[r]] = p;
          at[cursor[r]++] = i;
        } else {
          // Met again in this path: its entry (the last one written) has no single place.
          at[cursor[r] - 1] = -1;
          repeats[p] = 1;
        }
      }
    }
  }
}
