/**
 * The views' optional third column, the order of a path's views (a time or an
 * auto-increment id): a decimal number, `[-]digits[.digits]`, compared as a
 * number exactly at any length (never parsed as 0 when it is not one). A line
 * `path<TAB>product<TAB>order` is a view with an order (classifyOrderedView).
 */
import { NEWLINE } from '../io/lines';
import { ByteSink, putBytes } from '../io/sink';
import { classifyView, TAB, trimCr, ViewFields, ViewVerdict } from './views';

const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;

/** Whether bytes [start, end) are a decimal number: an optional '-', digits, optionally '.' and digits. */
export function isOrderNumber(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && buf[i] === MINUS) i++;
  const intStart = i;
  while (i < end && ((buf[i] - DIGIT_0) >>> 0) < 10) i++;
  if (i === intStart) return false;
  if (i === end) return true;
  if (buf[i] !== DOT) return false;
  const fracStart = ++i;
  while (i < end && ((buf[i] - DIGIT_0) >>> 0) < 10) i++;
  return i === end && i > fracStart;
}

/** Significant digits a decimal may have to be read exactly and monotonically by the digit loop below. */
const EXACT_DIGITS = 15;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The order number [start, end) (checked by isOrderNumber) as the nearest
 * double: equal for equal numbers, never inverted for different ones (the
 * rounding is monotonic); numbers that differ past a double's digits may
 * read equal, which compareOrderBytes then decides.
 */
export function orderValue(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = buf[i] === MINUS;
  if (negative) i++;
  let v = 0;
  let digits = 0;
  let frac = -1;
  for (; i < end; i++) {
    const c = buf[i];
    if (c === DOT) frac = 0;
    else {
      v = v * 10 + (c - DIGIT_0);
      if (v !== 0) digits++;
      if (frac >= 0) frac++;
    }
  }
  if (digits > EXACT_DIGITS || frac > 22) return Number(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1'));
  if (frac > 0) v /= POW10[frac];
  return negative ? -v : v;
}

/** A decimal's parts: sign (-1, 0, 1), integer digits without leading zeros, fraction digits without trailing zeros. */
function parts(s: string): { sign: number; int: string; frac: string } {
  const negative = s.startsWith('-');
  const body = negative ? s.slice(1) : s;
  const dot = body.indexOf('.');
  const int = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+/, '');
  const frac = dot < 0 ? '' : body.slice(dot + 1).replace(/0+$/, '');
  const zero = int === '' && frac === '';
  return { sign: zero ? 0 : negative ? -1 : 1, int, frac };
}

/** Sign of a − b for two order numbers as text (isOrderNumber's shape), exactly. */
export function compareOrderText(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  if (x.sign !== y.sign) return Math.sign(x.sign - y.sign);
  let d = x.int.length - y.int.length;
  if (d === 0) d = x.int < y.int ? -1 : x.int > y.int ? 1 : 0;
  if (d === 0) d = x.frac < y.frac ? -1 : x.frac > y.frac ? 1 : 0;
  return x.sign * Math.sign(d);
}

/** Where the order is in a view line (-1 when it has none): valid for verdict 'ok'. */
export interface OrderedViewFields extends ViewFields {
  orderStart: number;
  orderEnd: number;
}

export type OrderedViewVerdict = ViewVerdict | 'bad_order';

/**
 * A line with two fields is classified as views.ts does (no order); one with
 * three is a view with an order when its first two fields are a view and the
 * third is a number (else bad_order); the header `path_id<TAB>product_id<TAB>NAME`
 * is recognised apart.
 */
export function classifyOrderedView(buf: Uint8Array, start: number, end: number, f: OrderedViewFields): OrderedViewVerdict {
  const e = trimCr(buf, start, end);
  const t1 = buf.indexOf(TAB, start);
  const t2 = t1 < 0 || t1 >= e ? -1 : buf.indexOf(TAB, t1 + 1);
  if (t2 < 0 || t2 >= e) {
    f.orderStart = -1;
    f.orderEnd = -1;
    return classifyView(buf, start, end, f);
  }
  const third = buf.indexOf(TAB, t2 + 1);
  if (third >= 0 && third < e) return 'wrong_field_count';
  // The first two fields as views.ts classifies them (`path_id<TAB>product_id<TAB>...` is a header).
  const verdict = classifyView(buf, start, t2, f);
  if (verdict !== 'ok') return verdict;
  if (!isOrderNumber(buf, t2 + 1, e)) return 'bad_order';
  f.orderStart = t2 + 1;
  f.orderEnd = e;
  return 'ok';
}


/**
 * mapBlock (mapper.ts) for --score proximity's views: whole lines [start, end),
 * each ending with '\n'; lines of the common shape (three fields, the ids
 * starting with a digit, so neither empty, NULL nor the header's, an order of
 * digits with at most one '.' inside, no '\r') are copied in runs, any other goes to
 * `other`, which classifies it. Returns the number of lines.
 */
export function mapOrderedBlock(
  out: ByteSink,
  buf: Uint8Array,
  start: number,
  end: number,
  maxLineBytes: number,
  other: (lineStart: number, lineEnd: number, index: number) => void,
): number {
  let lines = 0;
  let copyFrom = start;
  let i = start;
  while (i < end) {
    const ls = i;
    let c = buf[i];
    let pass = ((c - DIGIT_0) >>> 0) < 10;
    while (c !== TAB && c !== NEWLINE) c = buf[++i];
    if (c === TAB) {
      c = buf[++i];
      pass = pass && ((c - DIGIT_0) >>> 0) < 10;
      while (c !== TAB && c !== NEWLINE) c = buf[++i];
      if (c === TAB) {
        const os = i + 1;
        c = buf[++i];
        let dots = 0;
        while (((c - DIGIT_0) >>> 0) < 10 || c === DOT) {
          if (c === DOT) dots++;
          c = buf[++i];
        }
        pass = pass && c === NEWLINE && i > os && dots <= 1 && buf[os] !== DOT && buf[i - 1] !== DOT;
      } else pass = false;
    } else pass = false;
    while (c !== NEWLINE) c = buf[++i];
    if (!pass || i - ls > maxLineBytes) {
      putBytes(out, buf, copyFrom, ls);
      other(ls, i, lines);
      copyFrom = i + 1;
    }
    lines++;
    i++;
  }
  putBytes(out, buf, copyFrom, end);
  return lines;
}
