/**
 * Counting a block of paths' pairs (CoCounts): for each product in byte order,
 * the paths holding it are walked and every product met is counted in one
 * dense array (a row-by-row sparse product, Gustavson's method), so the
 * combined `a<TAB>b<TAB>w` rows come out in byte order of the lines: each
 * block is a sorted run, which the local runner's shuffle merges instead of
 * sorting. The counts array has one cell per interned id and stays in cache,
 * unlike a hash table of pairs.
 */
import { NEWLINE } from '../../io/lines';
import { IdTable } from './id-table';
import { IdWords } from './id-words';
import { PairLines, putCount } from './pair-lines';
import { PathBlock } from './path-block';

/** A row of at least 1/SCAN_SHARE of the ids is ordered by scanning all ids in order instead of sorting it. */
const SCAN_SHARE = 16;
/** Lines reserved in the output at once while writing a row. */
const ROW_CHUNK = 1 << 14;

export class CoCounts {
  private readonly words = new IdWords();
  private rank = new Int32Array(0);
  /** Per id: its count in the current row; all zero between rows. */
  private acc = new Uint32Array(0);
  private touched = new Int32Array(0);
  /** Per id: where its paths start in `lists` (P + 1 entries). */
  private starts = new Int32Array(0);
  /** The block's path numbers, grouped by id. */
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
    const ids = this.ids;
    const n = ids.size;
    const order = ids.byteOrder();
    this.words.prepare(ids);
    this.ready(n, block.views);
    const { rank, acc, touched, starts, lists } = this;
    for (let r = 0; r < n; r++) rank[order[r]] = r;
    this.index(block, n);
    const v = block.ids;
    const ends = block.ends;
    for (let r = 0; r < n; r++) {
      const a = order[r];
      const s1 = starts[a + 1];
      let m = 0;
      for (let s = starts[a]; s < s1; s++) {
        const p = lists[s];
        const e = ends[p];
        for (let i = p === 0 ? 0 : ends[p - 1]; i < e; i++) {
          const b = v[i];
          if (acc[b]++ === 0) touched[m++] = b;
        }
      }
      if (m === 0) continue;
      acc[a] = 0; // a meets itself in each of its paths: not a pair
      if (m * SCAN_SHARE >= n) {
        m = 0;
        for (let q = 0; q < n; q++) {
          const b = order[q];
          if (acc[b] !== 0) touched[m++] = b;
        }
      } else {
        for (let i = 0; i < m; i++) touched[i] = rank[touched[i]];
        touched.subarray(0, m).sort();
        for (let i = 0; i < m; i++) touched[i] = order[touched[i]];
      }
      this.writeRow(a, touched, m, acc);
    }
    block.clear();
  }

  /** Arrays for n ids and a block of `views` views (grown, never shrunk). */
  private ready(n: number, views: number): void {
    if (this.acc.length < n) {
      const size = Math.max(n, this.acc.length * 2, 1024);
      this.rank = new Int32Array(size);
      this.acc = new Uint32Array(size);
      this.touched = new Int32Array(size);
      this.starts = new Int32Array(size + 1);
    }
    if (this.lists.length < views) this.lists = new Int32Array(Math.max(views, this.lists.length * 2));
  }

  /** starts and lists: for each id, the block's paths that hold it, in path order. */
  private index(block: PathBlock, n: number): void {
    const { starts, lists, acc } = this;
    const v = block.ids;
    starts.fill(0, 0, n + 1);
    for (let i = 0; i < block.views; i++) starts[v[i] + 1]++;
    for (let id = 0; id < n; id++) starts[id + 1] += starts[id];
    // acc serves as each id's fill cursor, and is zeroed again for the rows.
    for (let id = 0; id < n; id++) acc[id] = starts[id];
    const ends = block.ends;
    let i = 0;
    for (let p = 0; p < block.paths; p++) {
      for (const e = ends[p]; i < e; i++) lists[acc[v[i]]++] = p;
    }
    acc.fill(0, 0, n);
  }

  /**
   * Lines `a<TAB>b<TAB>acc[b]` for b in targets[0, m) with acc[b] != 0, in
   * that order, zeroing acc[b]. Ids of 2 to 8 bytes with their TAB are two
   * 32-bit word stores each (IdWords); longer ones go through PairLines.write.
   */
  private writeRow(a: number, targets: Int32Array, m: number, acc: Uint32Array): void {
    const words = this.words;
    const la = words.len[a];
    const lines = this.lines;
    if (la === 0) {
      for (let i = 0; i < m; i++) {
        const b = targets[i];
        if (acc[b] !== 0) lines.write(a, b, acc[b]);
        acc[b] = 0;
      }
      return;
    }
    const { len, at1, w0, w1 } = words;
    const aw0 = w0[a];
    const aw1 = w1[a];
    const a1 = at1[a];
    const out = lines.out;
    // A line of words is at most la + 8 + 10 digits + '\n'.
    const most = ROW_CHUNK * (la + 19);
    let rows = 0;
    for (let c = 0; c < m; c += ROW_CHUNK) {
      const stop = Math.min(m, c + ROW_CHUNK);
      let buf = out.reserve(most);
      let dv = lines.view(buf);
      let pos = out.pos;
      for (let i = c; i < stop; i++) {
        const b = targets[i];
        const w = acc[b];
        if (w === 0) continue;
        acc[b] = 0;
        const lb = len[b];
        if (lb === 0) {
          out.pos = pos;
          lines.write(a, b, w);
          buf = out.reserve(most);
          dv = lines.view(buf);
          pos = out.pos;
          continue;
        }
        dv.setUint32(pos, aw0, true);
        dv.setUint32(pos + a1, aw1, true);
        pos += la;
        dv.setUint32(pos, w0[b], true);
        dv.setUint32(pos + at1[b], w1[b], true);
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
