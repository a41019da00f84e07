/**
 * Phase 2's proximity numbers (ProximitySum's helpers): exact weight sums, the score of a sum,
 * reading a weight text, and the result line's tail for a pair met in one path at distance d,
 * which phase 1 writes as `a<TAB>b<TAB>/d` (proximity-rows.ts) and phase 2 expands to
 * `a<TAB>b<TAB>1<TAB>W(d) text`.
 */
import { ByteSink } from '../../io/sink';
import { PROXIMITY_DECIMALS, PROXIMITY_SCALE, proximityWeight, putWeight } from '../pairs/proximity-text';

const POW10 = Array.from({ length: PROXIMITY_DECIMALS + 1 }, (_, i) => 10 ** i);

/** Weights from this whole part on may pass 2^53 (900719.9254740992). */
export const MAX_SAFE_WHOLE = 900719;

/** Digits of a distance `/d` a common row may have (d below 10^15, exact in a double). */
export const MAX_DISTANCE_DIGITS = 15;

/** An exact sum of weights: a double while it is safe, BigInt past 2^53. */
export class WeightSum {
  private small = 0;
  private big: bigint | null = null;

  add(w: number | bigint): void {
    if (this.big === null && typeof w === 'number') {
      const s = this.small + w;
      if (s <= Number.MAX_SAFE_INTEGER) {
        this.small = s;
        return;
      }
    }
    this.big = (this.big ?? BigInt(this.small)) + BigInt(w);
  }

  reset(): void {
    this.small = 0;
    this.big = null;
  }

  value(): number | bigint {
    return this.big ?? this.small;
  }
}

/** The score of a weight sum: weight / 10^10, the double nearest to the exact quotient. */
export function proximityScore(weight: number | bigint): number {
  if (typeof weight === 'number') return weight / PROXIMITY_SCALE; // both exact: IEEE division rounds once
  const s = weight.toString().padStart(PROXIMITY_DECIMALS + 1, '0');
  return Number(`${s.slice(0, -PROXIMITY_DECIMALS)}.${s.slice(-PROXIMITY_DECIMALS)}`);
}

/** W of a common row's weight text [start, end): digits, optionally '.' and 1 to 10 digits. */
export function weightAt(buf: Uint8Array, start: number, end: number): number {
  let whole = 0;
  let i = start;
  let c = buf[i];
  while (i < end && c !== 0x2e) {
    whole = whole * 10 + (c - 0x30);
    c = buf[++i];
  }
  if (i >= end) return whole * PROXIMITY_SCALE;
  let frac = 0;
  const fracStart = ++i;
  for (; i < end; i++) frac = frac * 10 + (buf[i] - 0x30);
  return whole * PROXIMITY_SCALE + frac * POW10[PROXIMITY_DECIMALS - (end - fracStart)];
}

/** Whether [start, end) holds decimal digits only (at least one). */
export function isDigits(buf: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) if (((buf[i] - 0x30) >>> 0) > 9) return false;
  return true;
}

/** The distance d of a `/d` field [start, end): '/' and 1 to 15 digits, d at least 1; else 0. */
export function distanceOf(buf: Uint8Array, start: number, end: number): number {
  if (buf[start] !== 0x2f || !isDigits(buf, start + 1, end) || end - start - 1 > MAX_DISTANCE_DIGITS) return 0;
  let d = 0;
  for (let i = start + 1; i < end; i++) d = d * 10 + (buf[i] - 0x30);
  return d;
}

/** Distances whose line tails are kept made (the rest are written digit by digit). */
const TAIL_TABLE_MAX = 1 << 16;

/**
 * W(d) by d, and the tail `<TAB>1<TAB>W(d) text\n` of a one-path pair's result line (at most
 * 16 bytes: 3, a weight text of at most 12, the newline), made once per d and written as four
 * DataView words (measured: a third less CPU than a byte loop on store-scale rows).
 */
export class OnePathTails {
  private weights = new Float64Array(0);
  /** By d: the tail's length. */
  private lengths = new Uint8Array(0);
  /** By d: the tail's 16 bytes as four little-endian words. */
  private words = new Uint32Array(0);
  private outBuf: Uint8Array | null = null;
  private outView: DataView = new DataView(new ArrayBuffer(8));
  private inBuf: Uint8Array | null = null;
  private inView: DataView = new DataView(new ArrayBuffer(8));

  /** W(d). */
  weight(d: number): number {
    if (d < this.weights.length) return this.weights[d];
    if (d >= TAIL_TABLE_MAX) return proximityWeight(d);
    this.grow(d);
    return this.weights[d];
  }

  /** Writes the line `key<TAB>1<TAB>W(d) text\n`, the key [start, keyEnd) of buf. */
  putLine(out: ByteSink, buf: Uint8Array, start: number, keyEnd: number, d: number): void {
    const n = keyEnd - start;
    const o = out.reserve(n + 64);
    const at = out.pos;
    if (o !== this.outBuf) {
      this.outBuf = o;
      this.outView = new DataView(o.buffer, o.byteOffset, o.byteLength);
    }
    const dst = this.outView;
    if (n <= 16 && start + 16 <= buf.length) {
      // A short key as four words (the bytes past it are overwritten by the tail).
      if (buf !== this.inBuf) {
        this.inBuf = buf;
        this.inView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      const src = this.inView;
      dst.setUint32(at, src.getUint32(start, true), true);
      dst.setUint32(at + 4, src.getUint32(start + 4, true), true);
      dst.setUint32(at + 8, src.getUint32(start + 8, true), true);
      dst.setUint32(at + 12, src.getUint32(start + 12, true), true);
    } else for (let i = 0; i < n; i++) o[at + i] = buf[start + i];
    if (d >= this.weights.length) {
      if (d >= TAIL_TABLE_MAX) {
        out.pos = this.putFar(o, at + n, d);
        return;
      }
      this.grow(d);
    }
    const t = this.words;
    const k = d * 4;
    const p = at + n;
    dst.setUint32(p, t[k], true);
    dst.setUint32(p + 4, t[k + 1], true);
    dst.setUint32(p + 8, t[k + 2], true);
    dst.setUint32(p + 12, t[k + 3], true);
    out.pos = p + this.lengths[d];
  }

  /** The tail of a d past the table. */
  private putFar(buf: Uint8Array, pos: number, d: number): number {
    return putTail(buf, pos, d);
  }

  private grow(d: number): void {
    const n = Math.min(TAIL_TABLE_MAX, Math.max(d + 1, this.weights.length * 2, 1024));
    const w = new Float64Array(n);
    const lengths = new Uint8Array(n);
    const tails = new Uint8Array(n * 16 + 32);
    for (let e = 1; e < n; e++) {
      w[e] = proximityWeight(e);
      lengths[e] = putTail(tails, e * 16, e) - e * 16;
    }
    this.weights = w;
    this.lengths = lengths;
    this.words = new Uint32Array(n * 4);
    const v = new DataView(tails.buffer);
    for (let j = 0; j < n * 4; j++) this.words[j] = v.getUint32(j * 4, true);
  }
}

/** Writes `<TAB>1<TAB>W(d) text\n` at pos; returns the position after it. */
function putTail(buf: Uint8Array, pos: number, d: number): number {
  buf[pos] = 0x09;
  buf[pos + 1] = 0x31;
  buf[pos + 2] = 0x09;
  pos = putWeight(buf, pos + 3, proximityWeight(d));
  buf[pos] = 0x0a;
  return pos + 1;
}
