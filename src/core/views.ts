/**
 * Input rules for phase 1: what `mysql --batch` prints for
 * `SELECT path_id, product_id FROM recent_items`.
 *
 * A line is a view when, after dropping one trailing '\r', it splits on TAB
 * into exactly two non-empty fields, neither the word NULL. The header line
 * `path_id<TAB>product_id` is recognised apart. Ids are opaque bytes.
 */
export const TAB = 0x09;
export const CR = 0x0d;

export type ViewVerdict = 'ok' | 'header' | 'wrong_field_count' | 'empty_field' | 'null_id';

/** Skip reasons, as counter names (`skipped_<reason>`), in reporting order. */
export const VIEW_SKIP_REASONS = ['wrong_field_count', 'empty_field', 'null_id', 'too_long'] as const;
export type ViewSkipReason = (typeof VIEW_SKIP_REASONS)[number];

/** Field positions of the last classified line (valid only for verdict 'ok'). */
export interface ViewFields {
  pathStart: number;
  pathEnd: number;
  productStart: number;
  productEnd: number;
}

const NULL_WORD = Buffer.from('NULL', 'latin1');
const HEADER_PATH = Buffer.from('path_id', 'latin1');
const HEADER_PRODUCT = Buffer.from('product_id', 'latin1');

export function bytesEqual(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

type Latin1Sliceable = { latin1Slice(start: number, end: number): string };

/** Bytes [start, end) as a string with one char per byte: an exact, opaque key for any bytes. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Sliceable).latin1Slice(start, end);
}

/** End of the line without its one trailing '\r'. */
export function trimCr(buf: Uint8Array, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

/** Classifies line bytes [start, end) (no '\n'); fills `f` when the verdict is 'ok'. */
export function classifyView(buf: Uint8Array, start: number, end: number, f: ViewFields): ViewVerdict {
  end = trimCr(buf, start, end);
  let tab = -1;
  for (let i = start; i < end; i++) {
    if (buf[i] === TAB) {
      if (tab !== -1) return 'wrong_field_count';
      tab = i;
    }
  }
  if (tab === -1) return 'wrong_field_count';
  if (tab === start || tab + 1 === end) return 'empty_field';
  if (bytesEqual(buf, start, tab, NULL_WORD) || bytesEqual(buf, tab + 1, end, NULL_WORD)) return 'null_id';
  if (bytesEqual(buf, start, tab, HEADER_PATH) && bytesEqual(buf, tab + 1, end, HEADER_PRODUCT)) return 'header';
  f.pathStart = start;
  f.pathEnd = tab;
  f.productStart = tab + 1;
  f.productEnd = end;
  return 'ok';
}

/** Convenience for tests and tools: classify a line given as a latin1 string (one char = one byte). */
export function classifyViewText(line: string): { verdict: ViewVerdict; path?: string; product?: string } {
  const buf = Buffer.from(line, 'latin1');
  const f: ViewFields = { pathStart: 0, pathEnd: 0, productStart: 0, productEnd: 0 };
  const verdict = classifyView(buf, 0, buf.length, f);
  if (verdict !== 'ok') return { verdict };
  return {
    verdict,
    path: buf.toString('latin1', f.pathStart, f.pathEnd),
    product: buf.toString('latin1', f.productStart, f.productEnd),
  };
}

/** A short, printable excerpt of a bad line for warnings (bytes escaped, cut at 80). */
export function excerpt(buf: Uint8Array, start: number, end: number, max = 80): string {
  let s = '';
  for (let i = start; i < end && s.length < max; i++) {
    const b = buf[i];
    if (b === TAB) s += '\\t';
    else if (b === CR) s += '\\r';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return end - start > max ? `${s}...` : s;
}
