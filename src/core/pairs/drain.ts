/**
 * Draining the combining tables (Drain): every combined pair of the dense
 * matrix and the sparse table written as `a<TAB>b<TAB>w` lines in byte order
 * of the lines (source, then target, in IdTable.compare order), the two
 * tables merged row by row through sort keys of ranks. Short ids go out as
 * 32-bit word stores prepared once per id (IdWords), the rest byte by byte.
 */
import { NEWLINE } from '../../io/lines';
import { TAB } from '../views';
import { DenseMatrix } from './dense-matrix';
import { IdTable, RANK_SPAN } from './id-table';
import { ReducerSink } from '../../io/sink';
import { PairLines, putCount99 } from './pair-lines';
import { PairTable } from './pair-table';

/**
 * Each interned id's `id<TAB>` (2 to 8 bytes; len 0 otherwise) as two 32-bit
 * words, w0 stored at the line's position and w1 `at1` bytes further: for 4 to
 * 8 bytes the first four and the last four (overlapping); below 4, w0 twice,
 * its bytes past the TAB to be overwritten by what the line writes next (the
 * target's words, then at least one digit and '\n', so no store passes the
 * line's end). The drain writes pairs with these. Ids are only appended, so a
 * drain prepares just the new ones.
 */
class IdWords {
  len = new Int32Array(0);
  at1 = new Int32Array(0);
  w0 = new Uint32Array(0);
  w1 = new Uint32Array(0);
  private ready = 0;
  private readonly scratch = new Uint8Array(8);
  private readonly view = new DataView(this.scratch.buffer);

  /** The id table was reset: its ids are renumbered from 0. */
  reset(): void {
    this.ready = 0;
  }

  prepare(ids: { size: number; arena: Buffer; offsets: Int32Array; lengths: Int32Array }): void {
    const size = ids.size;
    if (this.len.length < size) {
      const n = Math.max(size, this.len.length * 2, 1024);
      const len = new Int32Array(n);
      const at1 = new Int32Array(n);
      const w0 = new Uint32Array(n);
      const w1 = new Uint32Array(n);
      len.set(this.len.subarray(0, this.ready));
      at1.set(this.at1.subarray(0, this.ready));
      w0.set(this.w0.subarray(0, this.ready));
      w1.set(this.w1.subarray(0, this.ready));
      this.len = len;
      this.at1 = at1;
      this.w0 = w0;
      this.w1 = w1;
    }
    const { arena, offsets, lengths } = ids;
    for (let id = this.ready; id < size; id++) {
      const n = lengths[id] + 1;
      if (n > 8) {
        this.len[id] = 0;
        continue;
      }
      const off = offsets[id];
      this.scratch.fill(0);
      for (let k = 0; k < n - 1; k++) this.scratch[k] = arena[off + k];
      this.scratch[n - 1] = TAB;
      const at1 = n > 4 ? n - 4 : 0;
      this.len[id] = n;
      this.at1[id] = at1;
      this.w0[id] = this.view.getUint32(0, true);
      this.w1[id] = this.view.getUint32(at1, true);
    }
    this.ready = size;
  }
}

export class Drain {
  private readonly words = new IdWords();
  /** flush's rank of each id in output order. */
  private rank = new Int32Array(0);
  private readonly out: ReducerSink;

  constructor(
    private readonly ids: IdTable,
    private readonly table: PairTable,
    private readonly dense: DenseMatrix | null,
    private readonly lines: PairLines,
  ) {
    this.out = lines.out;
  }

  /** The id table was reset: the words prepared for its old ids are stale. */
  idsReset(): void {
    this.words.reset();
  }

  /**
   * Writes out and empties the dense matrix and the hash table. The rows come
   * in byte order of the lines (source, then target, in IdTable.compare
   * order), so a reducer whose input fits one drain writes a sorted file,
   * which the local runner's shuffle then merges instead of sorting.
   */
  flush(): void {
    const dense = this.dense;
    const table = this.table;
    const denseUsed = dense === null ? 0 : dense.used;
    const sparse = table.size;
    if (denseUsed === 0 && sparse === 0) return;
    const write = (a: number, b: number, w: number): void => this.lines.write(a, b, w);
    if (this.ids.size >= RANK_SPAN) {
      // Too many ids for the sort keys: unordered (the runner sorts).
      if (dense !== null) dense.drain(write);
      if (sparse > 0) table.drain(write);
      return;
    }
    const order = this.ids.byteOrder();
    this.words.prepare(this.ids);
    if (dense !== null) dense.mirror();
    const rank = this.rank.length >= order.length ? this.rank : (this.rank = new Int32Array(order.length * 2));
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    const keys = sparse > 0 ? table.sortedKeys(rank) : new Float64Array(0);
    // The dense matrix's columns, in order.
    const cols = new Int32Array(Math.min(denseUsed, order.length));
    let nCols = 0;
    for (let r = 0; r < order.length; r++) if (order[r] < denseUsed) cols[nCols++] = order[r];
    let s = 0;
    for (let r = 0; r < order.length && (s < keys.length || nCols > 0); r++) {
      const a = order[r];
      if (dense !== null && a < denseUsed) s = this.drainRow(a, r, dense, cols, nCols, order, keys, s);
      // The row's hash-table entries after its last dense column.
      s = this.drainSparse(a, r * RANK_SPAN, (r + 1) * RANK_SPAN, order, keys, s);
    }
    if (dense !== null) dense.used = 0; // drainRow zeroed every cell it wrote
    if (sparse > 0) table.clear();
  }

  /**
   * Row a (rank r) of the dense matrix in column order, with the hash table's
   * entries of the row (keys from s on) merged in; returns the new s.
   */
  private drainRow(a: number, r: number, dense: DenseMatrix, cols: Int32Array, nCols: number, order: Int32Array, keys: Float64Array, s: number): number {
    const cells = dense.cells;
    const n = dense.n;
    const row = a * n;
    if (s >= keys.length || keys[s] >= (r + 1) * RANK_SPAN) {
      // No hash-table entries in this row: the matrix alone.
      this.drainDenseRow(a, cells, row, cols, nCols);
      return s;
    }
    const rank = this.rank;
    const rowKey = r * RANK_SPAN;
    for (let c = 0; c < nCols; c++) {
      const b = cols[c];
      // Hash-table entries of this row that sort before b.
      s = this.drainSparse(a, rowKey, rowKey + rank[b], order, keys, s);
      const w = cells[row + b];
      if (w !== 0) {
        this.writeDrained(a, b, w);
        cells[row + b] = 0;
      }
    }
    return s;
  }

  /**
   * Row a of the dense matrix alone, in column order, zeroing what it writes
   * (never a === b: the diagonal is not counted). The row's lines are written
   * in one loop into room reserved once, a's words held in locals: per line
   * much cheaper than a writeDrained call. A line that is not words (an id
   * over 7 bytes, a weight of 100 or more) goes through PairLines.write.
   */
  private drainDenseRow(a: number, cells: Uint32Array, row: number, cols: Int32Array, nCols: number): void {
    const words = this.words;
    const la = words.len[a];
    if (la === 0) {
      for (let c = 0; c < nCols; c++) {
        const b = cols[c];
        const w = cells[row + b]; // mirrored: see DenseMatrix.mirror
        if (w !== 0) {
          this.lines.write(a, b, w);
          cells[row + b] = 0;
        }
      }
      return;
    }
    const { len, at1, w0, w1 } = words;
    const aw0 = words.w0[a];
    const aw1 = words.w1[a];
    const a1 = words.at1[a];
    const out = this.out;
    // A line of words is at most la + 8 + 2 digits + '\n'.
    const most = nCols * (la + 11);
    let buf = out.reserve(most);
    let dv = this.lines.view(buf);
    let pos = out.pos;
    let rows = 0;
    for (let c = 0; c < nCols; c++) {
      const b = cols[c];
      const w = cells[row + b];
      if (w === 0) continue;
      cells[row + b] = 0;
      const lb = len[b];
      if (lb === 0 || w >= 100) {
        out.pos = pos;
        this.lines.write(a, b, w);
        buf = out.reserve(most);
        dv = this.lines.view(buf);
        pos = out.pos;
        continue;
      }
      dv.setUint32(pos, aw0, true);
      dv.setUint32(pos + a1, aw1, true);
      pos += la;
      dv.setUint32(pos, w0[b], true);
      dv.setUint32(pos + at1[b], w1[b], true);
      pos = putCount99(buf, pos + lb, w);
      buf[pos++] = NEWLINE;
      rows++;
    }
    out.pos = pos;
    this.lines.rows += rows;
    if (out.maybeFlush) out.maybeFlush();
  }

  /**
   * Row a's hash-table entries whose sort keys (from s on) are below `limit`;
   * rowKey is the row's first key. Returns the new s.
   */
  private drainSparse(a: number, rowKey: number, limit: number, order: Int32Array, keys: Float64Array, s: number): number {
    const table = this.table;
    while (s < keys.length && keys[s] < limit) {
      const t = order[keys[s++] - rowKey];
      this.writeDrained(a, t, table.get(a, t));
    }
    return s;
  }

  /**
   * Line a b w for flush: each `id<TAB>` of 2 to 8 bytes is two 32-bit
   * word writes (IdWords, prepared at the drain's start), not a byte loop.
   */
  private writeDrained(a: number, b: number, w: number): void {
    const words = this.words;
    const la = words.len[a];
    const lb = words.len[b];
    if (la === 0 || lb === 0 || w >= 100) {
      this.lines.write(a, b, w);
      return;
    }
    const out = this.out;
    const buf = out.reserve(la + lb + 3);
    const dv = this.lines.view(buf);
    let pos = out.pos;
    dv.setUint32(pos, words.w0[a], true);
    dv.setUint32(pos + words.at1[a], words.w1[a], true);
    pos += la;
    dv.setUint32(pos, words.w0[b], true);
    dv.setUint32(pos + words.at1[b], words.w1[b], true);
    pos = putCount99(buf, pos + lb, w);
    buf[pos++] = NEWLINE;
    out.pos = pos;
    this.lines.rows++;
    if (out.maybeFlush) out.maybeFlush();
  }
}
