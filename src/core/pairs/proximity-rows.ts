/**
 * Writing phase 1's proximity rows (ProximityRows): `a<TAB>b<TAB>paths<TAB>weight`
 * for a row's targets, ranks ascending, or `a<TAB>b<TAB>/d` for a pair met in one path at
 * distance d (most rows: 2 to 3 bytes instead of a weight text of up to 12; phase 2 writes
 * its result line). As CoCounts does for count, ids of up to 7 bytes
 * are written as two 32-bit word stores each (IdWords), laid out by rank so a row's
 * targets are read in address order; `/d` is two word stores, made once per d. Longer ids are copied byte by byte.
 * A row's pairs come from ProximityCounts' acc (a pair of one path holds its distance, so
 * most rows need neither a weight sum nor a division).
 */
import { NEWLINE } from '../../io/lines';
import { ReducerSink } from '../../io/sink';
import { TAB } from '../views';
import { IdTable } from './id-table';
import { gatherRow, IdWords } from './id-words';
import { putCount } from './pair-lines';
import { putWeight } from './proximity-text';

const SLASH = 0x2f;
/** Lines reserved in the output at once. */
const ROW_CHUNK = 1 << 12;
/** acc values from here up are 2^31 + a pair's paths (ProximityCounts); below, one path's distance. */
export const MANY = 0x80000000;
/** A line of words at most: two `id<TAB>` of 8 bytes, a count of 10 digits and its TAB, a weight of 17, '\n'. */
const LINE_MOST = 8 + 8 + 11 + 17 + 1;
/** Past the last line: a weight's three words may store up to 11 bytes beyond its text. */
const SLACK = 16;

export class ProximityRows {
  /** Rows written (the pair_rows_out counter). */
  rows = 0;
  private readonly words = new IdWords();
  /** IdWords by rank, interleaved (one cache line per target written): len | at1 << 8, w0, w1, unused (len 0: a long id). */
  private words4 = new Uint32Array(0);
  /** A chunk of a row's targets: their words and acc values, 4 per target. */
  private readonly gathered = new Uint32Array(ROW_CHUNK * 4);
  private order: Int32Array = new Int32Array(0);
  /** By d: the text `/d` as its length (0 past 8 bytes) and two little-endian words. */
  private wtext = new Uint32Array(0);
  private weights: Float64Array = new Float64Array(0);
  private readonly scratch = new Uint8Array(32);
  private readonly scratchView = new DataView(this.scratch.buffer);
  private outBuf: Uint8Array | null = null;
  private outView: DataView = new DataView(new ArrayBuffer(8));

  constructor(
    private readonly out: ReducerSink,
    private readonly ids: IdTable,
  ) {}

  /** The id table was reset: the words prepared for its old ids are stale. */
  idsReset(): void {
    this.words.reset();
  }

  /** The block's ids by rank (order[rank] = id, n of them) and the weights W(d) by d. */
  prepare(order: Int32Array, n: number, weights: Float64Array): void {
    this.order = order;
    const words = this.words;
    words.prepare(this.ids);
    if (this.words4.length < n * 4) this.words4 = new Uint32Array(Math.max(n, 1024) * 4);
    const w4 = this.words4;
    for (let r = 0; r < n; r++) {
      const id = order[r];
      w4[r * 4] = words.len[id] | (words.at1[id] << 8);
      w4[r * 4 + 1] = words.w0[id];
      w4[r * 4 + 2] = words.w1[id];
    }
    if (weights !== this.weights) this.weightTexts(weights);
  }

  /**
   * Lines `a<TAB>b<TAB>paths<TAB>weight` (or `/d`) for the ranks b in targets[0, m), in that
   * order, from acc[b] (not 0) and wsum[b] as ProximityCounts keeps them, zeroing acc[b].
   */
  writeRow(a: number, targets: Int32Array, m: number, acc: Uint32Array, wsum: Float64Array): void {
    const { words4, wtext, weights, out } = this;
    const la = words4[a * 4] & 0xff;
    const a1 = words4[a * 4] >>> 8;
    const aw0 = words4[a * 4 + 1];
    const aw1 = words4[a * 4 + 2];
    for (let c = 0; c < m; c += ROW_CHUNK) {
      const stop = Math.min(m, c + ROW_CHUNK);
      let buf = out.reserve(ROW_CHUNK * LINE_MOST + SLACK);
      let dv = this.view(buf);
      let pos = out.pos;
      const g = this.gathered;
      gatherRow(g, targets, c, stop, words4, acc);
      for (let i = c, k = 0; i < stop; i++, k += 4) {
        const b = targets[i];
        const x = g[k + 3];
        const lb = g[k] & 0xff;
        if (la === 0 || lb === 0) {
          out.pos = pos;
          this.writeBytes(a, b, x, wsum[b]);
          buf = out.reserve(ROW_CHUNK * LINE_MOST + SLACK);
          dv = this.view(buf);
          pos = out.pos;
          continue;
        }
        dv.setUint32(pos, aw0, true);
        dv.setUint32(pos + a1, aw1, true);
        pos += la;
        dv.setUint32(pos, g[k + 1], true);
        dv.setUint32(pos + (g[k] >>> 8), g[k + 2], true);
        pos += lb;
        if (x < MANY) {
          // One path at distance x: the row's last field is `/x`.
          const t = x * 4;
          if (wtext[t] !== 0) {
            dv.setUint32(pos, wtext[t + 1], true);
            dv.setUint32(pos + 4, wtext[t + 2], true);
            pos += wtext[t];
          } else {
            buf[pos] = 0x31;
            buf[pos + 1] = TAB;
            pos = putWeight(buf, pos + 2, weights[x]);
          }
        } else {
          pos = putCount(buf, pos, x - MANY);
          buf[pos++] = TAB;
          pos = putWeight(buf, pos, wsum[b]);
        }
        buf[pos++] = NEWLINE;
      }
      out.pos = pos;
      if (out.maybeFlush) out.maybeFlush();
    }
    this.rows += m;
  }

  /** One line of ranks a and b byte by byte (an id too long for words); x and w as in writeRow. */
  private writeBytes(a: number, b: number, x: number, w: number): void {
    const { out, ids, order } = this;
    const arena = ids.arena;
    const ia = order[a];
    const ib = order[b];
    const aOff = ids.offsets[ia];
    const aLen = ids.lengths[ia];
    const bOff = ids.offsets[ib];
    const bLen = ids.lengths[ib];
    const buf = out.reserve(aLen + bLen + LINE_MOST);
    let pos = out.pos;
    for (let k = 0; k < aLen; k++) buf[pos++] = arena[aOff + k];
    buf[pos++] = TAB;
    for (let k = 0; k < bLen; k++) buf[pos++] = arena[bOff + k];
    buf[pos++] = TAB;
    if (x < MANY) {
      buf[pos++] = SLASH;
      pos = putCount(buf, pos, x);
    } else {
      pos = putCount(buf, pos, x - MANY);
      buf[pos++] = TAB;
      pos = putWeight(buf, pos, w);
    }
    buf[pos++] = NEWLINE;
    out.pos = pos;
  }

  /** The text `/d` of each d of weights, as words. */
  private weightTexts(weights: Float64Array): void {
    const t = new Uint32Array(weights.length * 4);
    const s = this.scratch;
    for (let d = 1; d < weights.length && d < 1e7; d++) {
      s.fill(0);
      s[0] = SLASH;
      t[d * 4] = putCount(s, 1, d);
      t[d * 4 + 1] = this.scratchView.getUint32(0, true);
      t[d * 4 + 2] = this.scratchView.getUint32(4, true);
    }
    this.wtext = t;
    this.weights = weights;
  }

  /** A DataView over the output buffer, kept while the buffer stays the same. */
  private view(buf: Uint8Array): DataView {
    if (buf !== this.outBuf) {
      this.outBuf = buf;
      this.outView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.outView;
  }
}
