/**
 * Where the phase-1 reducer's output lines go (PairLines): the sink, the count
 * of lines written, a DataView over the sink's buffer for the 32-bit word
 * stores of the raw emitter and the block writer, and the general byte-by-byte way
 * to write one `a<TAB>b<TAB>w` line (any id length, any weight) that both fall
 * back to. Also putCount99 and putCount, the weight digits of the fast paths.
 */
import { NEWLINE } from '../../io/lines';
import { putDecimal } from '../../io/decimal';
import { ReducerSink } from '../../io/sink';
import { TAB } from '../views';
import { IdTable } from './id-table';


/** Writes a count from 1 to 99 at pos in decimal; returns the position after it. */
export function putCount99(buf: Uint8Array, pos: number, w: number): number {
  if (w < 10) {
    buf[pos] = 0x30 + w;
    return pos + 1;
  }
  const tens = (w / 10) | 0;
  buf[pos] = 0x30 + tens;
  buf[pos + 1] = 0x30 + w - tens * 10;
  return pos + 2;
}

/** Writes a count below 2^32 at pos in decimal; returns the position after it. */
export function putCount(buf: Uint8Array, pos: number, w: number): number {
  if (w < 100) return putCount99(buf, pos, w);
  let digits = 3;
  for (let t = 1000; w >= t && digits < 10; t *= 10) digits++;
  let p = pos + digits;
  let v = w;
  do {
    const q = (v / 10) | 0;
    buf[--p] = 0x30 + v - q * 10;
    v = q;
  } while (v > 0);
  return pos + digits;
}

export class PairLines {
  /** Lines written so far (the pair_rows_out counter). */
  rows = 0;
  private outBuf: Uint8Array | null = null;
  private outView: DataView | null = null;

  constructor(
    readonly out: ReducerSink,
    private readonly ids: IdTable,
  ) {}

  /** A DataView over the output buffer, kept while the buffer stays the same. */
  view(buf: Uint8Array): DataView {
    if (buf !== this.outBuf || this.outView === null) {
      this.outBuf = buf;
      this.outView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.outView;
  }

  /** The line `a<TAB>b<TAB>w` of ids a and b, byte by byte. */
  write(a: number, b: number, w: number): void {
    const ids = this.ids;
    const arena = ids.arena;
    const out = this.out;
    const aOff = ids.offsets[a];
    const aLen = ids.lengths[a];
    const bOff = ids.offsets[b];
    const bLen = ids.lengths[b];
    const buf = out.reserve(aLen + bLen + 20);
    let pos = out.pos;
    for (let i = 0; i < aLen; i++) buf[pos++] = arena[aOff + i];
    buf[pos++] = TAB;
    for (let i = 0; i < bLen; i++) buf[pos++] = arena[bOff + i];
    buf[pos++] = TAB;
    if (w < 100) {
      pos = putCount99(buf, pos, w);
    } else {
      out.pos = pos;
      putDecimal(out, w); // fits: 20 bytes were reserved past the ids
      pos = out.pos;
    }
    buf[pos++] = NEWLINE;
    out.pos = pos;
    this.rows++;
    if (out.maybeFlush) out.maybeFlush();
  }
}
