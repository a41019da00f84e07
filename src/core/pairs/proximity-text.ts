/**
 * The text of proximity weights: a sum W of round(10^10 / d) terms is written as the exact
 * decimal W · 10^-10 with at most 10 decimals and no trailing zeros (`1`, `0.5`,
 * `0.3333333333`), in phase 1's rows, the combiner's and the result's 4th column alike, so
 * phase 2 copies a pair of one row as it is. weightOf reads it back into W.
 */
import { putDecimal } from '../../io/decimal';
import { ByteSink } from '../../io/sink';
import { putCount } from './pair-lines';

/** The fixed point of the weights: 1 / d is round(PROXIMITY_SCALE / d), PROXIMITY_DECIMALS decimals. */
export const PROXIMITY_DECIMALS = 10;
export const PROXIMITY_SCALE = 10 ** PROXIMITY_DECIMALS;

/** Writes W · 10^-10 exactly (at most 10 decimals, no trailing zeros): it reads back as the nearest double of W / 10^10. */
export function putProximity(out: ByteSink, weight: number | bigint): void {
  if (typeof weight === 'bigint') {
    const s = weight.toString().padStart(PROXIMITY_DECIMALS + 1, '0');
    const frac = s.slice(-PROXIMITY_DECIMALS).replace(/0+$/, '');
    const text = frac === '' ? s.slice(0, -PROXIMITY_DECIMALS) : `${s.slice(0, -PROXIMITY_DECIMALS)}.${frac}`;
    const b = out.reserve(text.length);
    out.pos += b.write(text, out.pos, 'latin1');
    return;
  }
  const whole = Math.floor(weight / PROXIMITY_SCALE);
  let frac = weight - whole * PROXIMITY_SCALE; // exact: both below 2^53
  putDecimal(out, whole);
  if (frac === 0) return;
  let digits = PROXIMITY_DECIMALS;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const b = out.reserve(digits + 1);
  b[out.pos] = 0x2e;
  for (let i = digits; i >= 1; i--) {
    const q = Math.floor(frac / 10);
    b[out.pos + i] = 0x30 + (frac - q * 10);
    frac = q;
  }
  out.pos += digits + 1;
}


/**
 * W of a weight text [start, end): digits, optionally '.' and 1 to 10 digits, as putProximity
 * writes it (leading zeros and trailing zeros taken too); null when it is not one.
 */
export function weightOf(buf: Uint8Array, start: number, end: number): number | bigint | null {
  let dot = -1;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x2e && dot < 0) dot = i;
    else if (((c - 0x30) >>> 0) > 9) return null;
  }
  const intEnd = dot < 0 ? end : dot;
  const fracDigits = dot < 0 ? 0 : end - dot - 1;
  if (intEnd === start || (dot >= 0 && (fracDigits < 1 || fracDigits > PROXIMITY_DECIMALS))) return null;
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const digits = text.toString('latin1', start, intEnd) + (dot < 0 ? '' : text.toString('latin1', dot + 1, end)).padEnd(PROXIMITY_DECIMALS, '0');
  const w = BigInt(digits);
  return w <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(w) : w;
}

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

/**
 * Writes a weight sum w (below 2^53, so at most 900719 before the point) at pos as putProximity
 * does: the exact decimal w · 10^-10 without trailing zeros; returns the position after it.
 */
export function putWeight(buf: Uint8Array, pos: number, w: number): number {
  const whole = Math.floor(w / PROXIMITY_SCALE);
  pos = putCount(buf, pos, whole);
  const frac = w - whole * PROXIMITY_SCALE;
  if (frac === 0) return pos;
  // The 10 decimals as two int32 halves of 5 digits.
  const hi = Math.floor(frac / 100000);
  const lo = frac - hi * 100000;
  buf[pos] = 0x2e;
  let last = pos;
  let v = hi;
  for (let k = 5; k >= 1; k--) {
    const q = (v / 10) | 0;
    buf[pos + k] = 0x30 + v - q * 10;
    v = q;
  }
  v = lo;
  for (let k = 10; k >= 6; k--) {
    const q = (v / 10) | 0;
    buf[pos + k] = 0x30 + v - q * 10;
    v = q;
  }
  for (let k = 10; k >= 1; k--) {
    if (buf[pos + k] !== 0x30) {
      last = pos + k;
      break;
    }
  }
  return last + 1;
}
