/**
 * Counting a block of paths' pairs (CoCounts): for each product in byte order,
 * the paths holding it are walked and every product met is counted in one
 * dense array (a row-by-row sparse product, Gustavson's method), so the
 * combined `a<TAB>b<TAB>w` rows come out in byte order of the lines: each
 * block is a sorted run, so a reducer whose input fits one block writes a
 * sorted part, which the local runner merges instead of sorting. The counts array has one cell per interned id and stays in cache,
 * unlike a hash table of pairs. Ids are renumbered by rank (byte order) first,
 * so a row's targets, their counts and output words are read in address order.
 */
import { NEWLINE } from '../../io/lines';
import { IdTable } from './id-table';
import { gatherRow, IdWords } from './id-words';
import { PairLines, putCount } from './pair-lines';
import { PathBlock } from './path-block';
import { RankSet } from './rank-set';

/** Lines reserved in the output at once while writing a row. */
const ROW_CHUNK = 1 << 14;

export class CoCounts {
  private readonly words = new IdWords();
  private order: Int32Array = new Int32Array(0);
  private rank = new Int32Array(0);
  /** IdWords by rank, interleaved (one cache line per target written): len | at1 << 8, w0, w1, unused. */
  private words4 = new Uint32Array(0);
  /** Per rank: its count in the current row; all zero between rows. */
  private acc = new Uint32Array(0);
  private touched = new Int32Array(0);
  /** A chunk of a row's targets: their words and counts, 4 per target. */
  private readonly gathered = new Uint32Array(ROW_CHUNK * 4);
  /** The ranks touched in the current row (in order without a sort); its bits are set inline below. */
  private readonly set = new RankSet();
  /** Per rank: where its paths start in `lists` (n + 1 entries). */
  private starts = new Int32Array(0);
  /** The block's path numbers, grouped by rank. */
  private lists = new Int32Array(0);

  constructor(
    private readonly ids: IdTable,
    private readonly lines: PairLines,
  ) {}

  /** The id table was reset: the words prepared for its old ids are stale. */
  idsReset(): void {
    this.words.reset();
  }

  /** Writes the block's pairs, combined, in byte order of the lines; empties the block. */
  flush(block: PathBlock): void {
    if (block.paths === 0) return;
    const n = this.ids.size;
    this.ready(n, block);
    this.byRank(n);
    const { rank, acc, touched, starts, lists, set } = this;
    const { bits, summary } = set;
    const v = block.ids;
    // From here on the block holds ranks: it is cleared at the end.
    for (let i = 0; i < block.views; i++) v[i] = rank[v[i]];
    this.index(block, n);
    const ends = block.ends;
    for (let a = 0; a < n; a++) {
      const s1 = starts[a + 1];
      let m = 0;
      for (let s = starts[a]; s < s1; s++) {
        const p = lists[s];
        const e = ends[p];
        for (let i = p === 0 ? 0 : ends[p - 1]; i < e; i++) {
          const b = v[i];
          if (acc[b]++ === 0) {
            m++;
            bits[b >>> 5] |= 1 << (b & 31);
            summary[b >>> 10] |= 1 << ((b >>> 5) & 31);
          }
        }
      }
      if (m === 0) continue;
      acc[a] = 0; // a meets itself in each of its paths: not a pair
      this.writeRow(a, touched, set.drain(touched), acc);
    }
    block.clear();
  }

  /** Arrays for n ids and the block (grown, never shrunk; lists as long as the block's own ids, which stay within its capacity). */
  private ready(n: number, block: PathBlock): void {
    if (this.acc.length < n) {
      const size = Math.max(n, this.acc.length * 2, 1024);
      this.rank = new Int32Array(size);
      this.words4 = new Uint32Array(size * 4);
      this.acc = new Uint32Array(size);
      this.touched = new Int32Array(size);
      this.starts = new Int32Array(size + 1);
      this.set.ensure(size);
    }
    if (this.lists.length < block.views) this.lists = new Int32Array(block.ids.length);
  }

  /** order and rank of the n ids (byte order), and their output words by rank. */
  private byRank(n: number): void {
    const ids = this.ids;
    const order = (this.order = ids.byteOrder());
    const words = this.words;
    words.prepare(ids);
    const { rank, words4 } = this;
    for (let r = 0; r < n; r++) {
      const id = order[r];
      rank[id] = r;
      words4[r * 4] = words.len[id] | (words.at1[id] << 8);
      words4[r * 4 + 1] = words.w0[id];
      words4[r * 4 + 2] = words.w1[id];
    }
  }

  /** starts and lists: for each rank, the block's paths that hold it, in path order. */
  private index(block: PathBlock, n: number): void {
    const { starts, lists, acc } = this;
    const v = block.ids;
    starts.fill(0, 0, n + 1);
    for (let i = 0; i < block.views; i++) starts[v[i] + 1]++;
    for (let r = 0; r < n; r++) starts[r + 1] += starts[r];
    // acc serves as each rank's fill cursor, and is zeroed again for the rows.
    for (let r = 0; r < n; r++) acc[r] = starts[r];
    const ends = block.ends;
    let i = 0;
    for (let p = 0; p < block.paths; p++) {
      for (const e = ends[p]; i < e; i++) lists[acc[v[i]]++] = p;
    }
    acc.fill(0, 0, n);
  }

  /**
   * Lines `a<TAB>b<TAB>acc[b]` for ranks b in targets[0, m) with acc[b] != 0,
   * in that order, zeroing acc[b]. Ids of 2 to 8 bytes with their TAB are two
   * 32-bit word stores each (IdWords); longer ones go through PairLines.write.
   */
  private writeRow(a: number, targets: Int32Array, m: number, acc: Uint32Array): void {
    const { words4, order } = this;
    const la = words4[a * 4] & 0xff;
    const lines = this.lines;
    if (la === 0) {
      for (let i = 0; i < m; i++) {
        const b = targets[i];
        if (acc[b] !== 0) lines.write(order[a], order[b], acc[b]);
        acc[b] = 0;
      }
      return;
    }
    const aw0 = words4[a * 4 + 1];
    const aw1 = words4[a * 4 + 2];
    const a1 = words4[a * 4] >>> 8;
    const out = lines.out;
    // A line of words is at most la + 8 + 10 digits + '\n'.
    const most = ROW_CHUNK * (la + 19);
    let rows = 0;
    for (let c = 0; c < m; c += ROW_CHUNK) {
      const stop = Math.min(m, c + ROW_CHUNK);
      let buf = out.reserve(most);
      let dv = lines.view(buf);
      let pos = out.pos;
      const g = this.gathered;
      gatherRow(g, targets, c, stop, words4, acc);
      for (let i = c, k = 0; i < stop; i++, k += 4) {
        const w = g[k + 3];
        if (w === 0) continue;
        const lb = g[k] & 0xff;
        if (lb === 0) {
          out.pos = pos;
          lines.write(order[a], order[targets[i]], w);
          buf = out.reserve(most);
          dv = lines.view(buf);
          pos = out.pos;
          continue;
        }
        dv.setUint32(pos, aw0, true);
        dv.setUint32(pos + a1, aw1, true);
        pos += la;
        dv.setUint32(pos, g[k + 1], true);
        dv.setUint32(pos + (g[k] >>> 8), g[k + 2], true);
        pos = putCount(buf, pos + lb, w);
        buf[pos++] = NEWLINE;
        rows++;
      }
      out.pos = pos;
      if (out.maybeFlush) out.maybeFlush();
    }
    lines.rows += rows;
  }
}
