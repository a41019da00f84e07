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
 * the sum written as its exact decimal W · 10^-10, or `a<TAB>b<TAB>/d` for a pair of one
 * path (proximity-rows.ts), which phase 2 writes as its result line.
 *
 * The walk over a path takes the cheaper of two ways: a path without repeats, where a
 * sits once at q, gives each b at i the distance |i - q| (count's loop plus a weight); a
 * path with repeats is walked by its distinct products (their first places, each with a
 * chain to its next place), each b's distance the smallest over its places, from q or, a
 * several times, from each place's nearest a (a forward and a backward sweep).
 */
import { ReducerSink } from '../../io/sink';
import { IdTable } from './id-table';
import { PathBlock } from './path-block';
import { proximityWeight } from './proximity-text';
import { MANY, ProximityRows } from './proximity-rows';
import { RankSet } from './rank-set';

/** Paths a block holds at most: a pair's weight sum in it stays below 2^53 (each weight at most 10^10). */
export const MAX_BLOCK_PATHS = 900_000;

export class ProximityCounts {
  private readonly writer: ProximityRows;
  private weights = new Float64Array(0);
  private rank = new Int32Array(0);
  /**
   * Per rank, the pair (row's source, rank) so far: 0 none; below 2^31 one path, at that
   * distance; else 2^31 + its paths, the weight sum in wsum. 4 bytes a rank stay in cache
   * like count's counts, and most pairs (one path) never touch wsum.
   */
  private acc = new Uint32Array(0);
  private wsum = new Float64Array(0);
  /** Per rank: the fill cursor of index(). */
  private cursor = new Uint32Array(0);
  private readonly touched = new RankSet();
  private targets = new Int32Array(0);
  /** A path's places: each one's distance to the nearest place of the source (several of them). */
  private near = new Int32Array(0);
  /** Per rank: where its entries start in lists and at (n + 1 entries). */
  private starts = new Int32Array(0);
  /** The block's paths holding each rank (once each, in path order), and where in the block the rank is (-1: more than once). */
  private lists = new Int32Array(0);
  private at = new Int32Array(0);
  /** Per path of the block: 1 when a product occurs in it more than once. */
  private repeats = new Uint8Array(0);
  /** Per path: where its distinct products' first places start in `firsts` (paths + 1 entries). */
  private firstStarts = new Int32Array(0);
  private firsts = new Int32Array(0);
  /** Per place in the block: the next place of the same product in its path, or -1. */
  private next = new Int32Array(0);
  private lastPath = new Int32Array(0);
  private lastPlace = new Int32Array(0);

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
    if (this.near.length < longest) this.near = new Int32Array(longest);
    this.writer.prepare(order, n, this.weights);
    this.index(block, n);
    const { starts, lists, at, repeats, targets, acc, wsum } = this;
    const { bits, summary } = this.touched;
    const ends = block.ends;
    for (let a = 0; a < n; a++) {
      let m = 0;
      for (let s = starts[a]; s < starts[a + 1]; s++) {
        const p = lists[s];
        const ps = p === 0 ? 0 : ends[p - 1];
        const pe = ends[p];
        const q = at[s];
        if (repeats[p] !== 0) {
          m += this.walk(a, p, ps, pe, q, v);
          continue;
        }
        // No repeats: each other product once, at distance |i - q|.
        for (let i = ps; i < pe; i++) {
          if (i === q) continue;
          const b = v[i];
          const d = i < q ? q - i : i - q;
          const x = acc[b];
          if (x === 0) {
            acc[b] = d;
            m++;
            bits[b >>> 5] |= 1 << (b & 31);
            summary[b >>> 10] |= 1 << ((b >>> 5) & 31);
          } else this.again(b, x, d, wsum);
        }
      }
      if (m === 0) continue;
      const k = this.touched.drain(targets);
      this.writer.writeRow(a, targets, k, acc, wsum);
    }
    block.clear();
  }

  /**
   * Source a, first at q, in path p at [ps, pe) of ranks v, a path with repeats: each other
   * product's smallest distance, its path and weight added; returns the targets new to the row.
   */
  private walk(a: number, p: number, ps: number, pe: number, q: number, v: Int32Array): number {
    const { firsts, next, touched, acc } = this;
    const e1 = this.firstStarts[p + 1];
    let m = 0;
    if (next[q] < 0) {
      // a once: from q.
      for (let e = this.firstStarts[p]; e < e1; e++) {
        const f = firsts[e];
        if (f === q) continue;
        let d = f < q ? q - f : f - q;
        for (let j = next[f]; j >= 0 && (j < q || j - q < d); j = next[j]) {
          const dj = j < q ? q - j : j - q;
          if (dj < d) d = dj;
        }
        const b = v[f];
        const x = acc[b];
        if (x === 0) {
          acc[b] = d;
          m++;
          touched.add(b);
        } else this.again(b, x, d, this.wsum);
      }
      return m;
    }
    // a several times: each place's distance to its nearest a, forward then backward.
    const near = this.near;
    let last = -1;
    for (let i = ps; i < pe; i++) {
      if (v[i] === a) last = i;
      near[i - ps] = last < 0 ? 0x7fffffff : i - last;
    }
    last = -1;
    for (let i = pe - 1; i >= ps; i--) {
      if (v[i] === a) last = i;
      else if (last >= 0 && last - i < near[i - ps]) near[i - ps] = last - i;
    }
    for (let e = this.firstStarts[p]; e < e1; e++) {
      const f = firsts[e];
      if (f === q) continue;
      let d = near[f - ps];
      for (let j = next[f]; j >= 0; j = next[j]) if (near[j - ps] < d) d = near[j - ps];
      const b = v[f];
      const x = acc[b];
      if (x === 0) {
        acc[b] = d;
        m++;
        touched.add(b);
      } else this.again(b, x, d, this.wsum);
      }
      return m;
  }

  /** Rank b met again in the row (acc[b] = x, not 0), at distance d. */
  private again(b: number, x: number, d: number, wsum: Float64Array): void {
    if (x < MANY) {
      this.acc[b] = MANY + 2;
      wsum[b] = this.weights[x] + this.weights[d];
    } else {
      this.acc[b] = x + 1;
      wsum[b] += this.weights[d];
    }
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
      this.acc = new Uint32Array(size);
      this.wsum = new Float64Array(size);
      this.targets = new Int32Array(size);
      this.starts = new Int32Array(size + 1);
      this.lastPath = new Int32Array(size);
      this.lastPlace = new Int32Array(size);
      this.touched.ensure(size);
    }
    if (this.lists.length < block.views) {
      this.lists = new Int32Array(block.ids.length);
      this.at = new Int32Array(block.ids.length);
      this.firsts = new Int32Array(block.ids.length);
      this.next = new Int32Array(block.ids.length);
    }
    if (this.repeats.length < block.paths) {
      this.repeats = new Uint8Array(block.ends.length);
      this.firstStarts = new Int32Array(block.ends.length + 1);
    }
  }

  /**
   * starts, lists and at: for each rank, the block's paths that hold it (once each), in path
   * order, and its first place there; per path, repeats and its distinct products' first
   * places (firsts), each place's next place of its product (next).
   */
  private index(block: PathBlock, n: number): void {
    const { starts, lists, at, repeats, firstStarts, firsts, next, lastPath, lastPlace, cursor } = this;
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
    let f = 0;
    for (let p = 0; p < block.paths; p++) {
      repeats[p] = 0;
      firstStarts[p] = f;
      for (const e = ends[p]; i < e; i++) {
        const r = v[i];
        next[i] = -1;
        if (lastPath[r] !== p) {
          lastPath[r] = p;
          lists[cursor[r]] = p;
          at[cursor[r]++] = i;
          firsts[f++] = i;
        } else {
          next[lastPlace[r]] = i;
          repeats[p] = 1;
        }
        lastPlace[r] = i;
      }
    }
    firstStarts[block.paths] = f;
  }
}
