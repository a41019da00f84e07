/**
 * The --no-combine output (RawEmitter): every ordered pair of one path's
 * products as `a<TAB>b<TAB>1` lines, written straight to the sink. Each line
 * is a source prefix `a<TAB>` and a target tail `b<TAB>1\n`; RawTails holds a
 * path's tails, their 32-bit words, and per prefix length a template of all
 * the path's lines that large paths copy natively and stamp prefixes into.
 */
import { NEWLINE } from '../../io/lines';
import { TAB } from '../views';
import { IdTable } from './id-table';
import { ReducerSink } from '../../io/sink';
import { PairLines } from './pair-lines';

/** Output reserved at once by the raw emitter for one source product's lines. */
const RAW_BLOCK_BYTES = 1 << 20;
/** Paths of at least this many products write raw pairs from templates; below it the per-source set-up costs more than it saves. */
const RAW_TEMPLATE_MIN_PRODUCTS = 16;

/**
 * RawEmitter's per-path scratch: the `b<TAB>1\n` tails laid end to end, where each
 * starts, and for tails of at most 8 bytes (every tail has at least 4) their
 * first and last 32-bit words.
 */
class RawTails {
  tails = new Uint8Array(1 << 12);
  at = new Int32Array(1 << 8);
  len = new Int32Array(1 << 8);
  w0 = new Uint32Array(1 << 8);
  w1 = new Uint32Array(1 << 8);
  private tailsView = new DataView(this.tails.buffer);

  prepare(k: number): this {
    if (this.at.length < k + 1) {
      const n = (k + 1) * 2;
      this.at = new Int32Array(n);
      this.len = new Int32Array(n);
      this.w0 = new Uint32Array(n);
      this.w1 = new Uint32Array(n);
    }
    return this;
  }

  growTails(need: number): void {
    const grown = new Uint8Array(Math.max(need, this.tails.length * 2));
    grown.set(this.tails);
    this.tails = grown;
    this.tailsView = new DataView(grown.buffer);
  }

  /** Bumped per path: templates of an older path are stale. */
  path = 0;
  /** Per prefix length: the path's template (a view of its room), the path it is for, its room. */
  private readonly tpl: (Uint8Array | undefined)[] = [];
  private readonly tplPath: number[] = [];
  private readonly tplRoom: (Uint8Array | undefined)[] = [];
  /** A source's prefix `a<TAB>` as stored words (see prefix()). */
  pw0 = 0;
  pw1 = 0;
  private readonly pre = new Uint8Array(12);
  private readonly preView = new DataView(this.pre.buffer);

  /**
   * The path's template for prefixes of L bytes (2 to 8): its k lines with L
   * placeholder bytes before each tail, exactly as long as they are. Built
   * once per path and length, in a room of at most RAW_BLOCK_BYTES (callers
   * ask only for templates that fit), one per length: seven at most.
   */
  template(L: number, k: number): Uint8Array {
    const have = this.tpl[L];
    if (have !== undefined && this.tplPath[L] === this.path) return have;
    const at = this.at;
    const tails = this.tails;
    const size = k * L + at[k];
    let room = this.tplRoom[L];
    if (room === undefined || room.length < size) {
      room = new Uint8Array(Math.max(size, Math.min(size * 2, RAW_BLOCK_BYTES)));
      this.tplRoom[L] = room;
    }
    let t = 0;
    for (let j = 0; j < k; j++) {
      t += L;
      for (let x = at[j]; x < at[j + 1]; x++) room[t++] = tails[x];
    }
    const view = room.subarray(0, size);
    this.tpl[L] = view;
    this.tplPath[L] = this.path;
    return view;
  }

  /**
   * Sets pw0 (and pw1) for the prefix of aLen + 1 = L bytes (2 to 8). L = 4:
   * pw0 is the prefix. 5 to 8: pw0 its first four bytes, pw1 its last four.
   * Below 4: pw0 is the word that ends at the prefix's end, so it starts with
   * the end of "<TAB>1\n", which every line before it ends with.
   */
  prefix(arena: Uint8Array, aOff: number, aLen: number): void {
    const pre = this.pre;
    pre[0] = TAB;
    pre[1] = 0x31;
    pre[2] = NEWLINE;
    for (let x = 0; x < aLen; x++) pre[3 + x] = arena[aOff + x];
    pre[3 + aLen] = TAB;
    const L = aLen + 1;
    if (L <= 4) {
      this.pw0 = this.preView.getUint32(L - 1, true);
    } else {
      this.pw0 = this.preView.getUint32(3, true);
      this.pw1 = this.preView.getUint32(L - 1, true);
    }
  }

  /** Fills len, w0 and w1 from the k tails laid out in `tails` and `at`. */
  words(k: number): void {
    const { at, len, w0, w1 } = this;
    const v = this.tailsView;
    for (let j = 0; j < k; j++) {
      const L = at[j + 1] - at[j];
      len[j] = L;
      if (L <= 8) {
        w0[j] = v.getUint32(at[j], true);
        w1[j] = v.getUint32(at[j] + L - 4, true);
      }
    }
  }
}

export class RawEmitter {
  private readonly raw = new RawTails();
  private readonly out: ReducerSink;

  constructor(
    private readonly ids: IdTable,
    private readonly lines: PairLines,
  ) {
    this.out = lines.out;
  }

  /**
   * Every ordered pair of the path's k products as `a<TAB>b<TAB>1` lines. Each
   * line is a prefix `a<TAB>` (fixed for a source) and a tail `b<TAB>1\n`. A
   * piece of 4 to 8 bytes is written as two possibly overlapping 32-bit words
   * (first four bytes, last four), prepared once per path: no per-byte loop and
   * no branch on the id's length, which is what made byte copies slow here.
   */
  emit(p: Int32Array, k: number): void {
    const ids = this.ids;
    const arena = ids.arena;
    const offsets = ids.offsets;
    const lengths = ids.lengths;
    const r = this.raw.prepare(k);
    const tailAt = r.at;
    let t = 0;
    for (let j = 0; j < k; j++) {
      const off = offsets[p[j]];
      const len = lengths[p[j]];
      if (t + len + 3 > r.tails.length) r.growTails(t + len + 3);
      const tb = r.tails;
      tailAt[j] = t;
      for (let x = off; x < off + len; x++) tb[t++] = arena[x];
      tb[t++] = TAB;
      tb[t++] = 0x31;
      tb[t++] = NEWLINE;
    }
    tailAt[k] = t;
    const tailBytes = t;
    r.words(k);
    r.path++;
    const templated = k >= RAW_TEMPLATE_MIN_PRODUCTS;
    const tb = r.tails;
    const tLen = r.len;
    const tw0 = r.w0;
    const tw1 = r.w1;
    const out = this.out;
    for (let i = 0; i < k; i++) {
      const a = p[i];
      const aOff = offsets[a];
      const aEnd = aOff + lengths[a];
      const pLen = aEnd - aOff + 1;
      const need = (k - 1) * pLen + tailBytes;
      if (templated && pLen <= 8 && need + pLen <= RAW_BLOCK_BYTES) {
        this.fromTemplate(i, k, pLen, aOff);
        continue;
      }
      if (need > RAW_BLOCK_BYTES) {
        // Very long ids: line by line, so the output buffer stays small.
        for (let j = 0; j < k; j++) if (j !== i) this.lines.write(a, p[j], 1);
        continue;
      }
      const buf = out.reserve(need);
      const dv = this.lines.view(buf);
      let pos = out.pos;
      const pWords = pLen >= 4 && pLen <= 8;
      let pw0 = 0;
      let pw1 = 0;
      if (pWords) {
        // The prefix's words, read from a line written the slow way once.
        for (let x = aOff; x < aEnd; x++) buf[pos + x - aOff] = arena[x];
        buf[pos + pLen - 1] = TAB;
        pw0 = dv.getUint32(pos, true);
        pw1 = dv.getUint32(pos + pLen - 4, true);
      }
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        if (pWords) {
          dv.setUint32(pos, pw0, true);
          dv.setUint32(pos + pLen - 4, pw1, true);
          pos += pLen;
        } else {
          for (let x = aOff; x < aEnd; x++) buf[pos++] = arena[x];
          buf[pos++] = TAB;
        }
        const L = tLen[j];
        if (L <= 8) {
          dv.setUint32(pos, tw0[j], true);
          dv.setUint32(pos + L - 4, tw1[j], true);
          pos += L;
        } else {
          const tEnd = tailAt[j + 1];
          for (let x = tailAt[j]; x < tEnd; x++) buf[pos++] = tb[x];
        }
      }
      out.pos = pos;
      this.lines.rows += k - 1;
      if (out.maybeFlush) out.maybeFlush();
    }
  }

  /**
   * Source i's k - 1 lines from the path's template for its prefix length L
   * (2 to 8): the template copied natively (all k lines, then the lines after
   * line i moved back over line i), and the prefix stored into each line as
   * one word (L up to 4) or two. Two native copies a source and one or two
   * stores a line, against four stores a line in emit's own loop.
   */
  private fromTemplate(i: number, k: number, L: number, aOff: number): void {
    const r = this.raw;
    const at = r.at;
    const tpl = r.template(L, k);
    const out = this.out;
    const buf = out.reserve(tpl.length);
    const dv = this.lines.view(buf);
    const pos = out.pos;
    const cut = i * L + at[i];
    const lineI = L + at[i + 1] - at[i];
    buf.set(tpl, pos);
    if (i < k - 1) buf.copyWithin(pos + cut, pos + cut + lineI, pos + tpl.length);
    const arena = this.ids.arena;
    r.prefix(arena, aOff, L - 1);
    // The block's first line byte by byte: for L < 4 the word would start before the block.
    for (let x = 0; x < L - 1; x++) buf[pos + x] = arena[aOff + x];
    buf[pos + L - 1] = TAB;
    // Line j starts at pos + j * L + at[j] before line i, and lineI bytes earlier after it.
    const first = i === 0 ? 2 : 1;
    const from = Math.max(i + 1, first);
    const after = pos - lineI;
    const d = L - 4;
    const w0 = r.pw0;
    if (L <= 4) {
      // One word that ends at the prefix's end.
      for (let j = first; j < i; j++) dv.setUint32(pos + d + j * L + at[j], w0, true);
      for (let j = from; j < k; j++) dv.setUint32(after + d + j * L + at[j], w0, true);
    } else {
      const w1 = r.pw1;
      for (let j = first; j < i; j++) {
        const s = pos + j * L + at[j];
        dv.setUint32(s, w0, true);
        dv.setUint32(s + d, w1, true);
      }
      for (let j = from; j < k; j++) {
        const s = after + j * L + at[j];
        dv.setUint32(s, w0, true);
        dv.setUint32(s + d, w1, true);
      }
    }
    out.pos = pos + tpl.length - lineI;
    this.lines.rows += k - 1;
    if (out.maybeFlush) out.maybeFlush();
  }
}
