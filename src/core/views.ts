/**
 * Input rules for phase 1: what `mysql --batch` prints for
 * `SELECT path_id, product_id FROM recent_items`.
 *
 * A line is a view when, after dropping one trailing '\r', it splits on TAB
 * into exactly two non-empty fields, neither the word NULL, and its product id
 * fits the tables' VARBINARY(255) (db/schema.sql). The header line
 * `path_id<TAB>product_id` is recognised apart. Ids are opaque bytes.
 */
import { sameBytes } from './key';

export const TAB = 0x09;
export const CR = 0x0d;

export type ViewVerdict = 'ok' | 'header' | 'wrong_field_count' | 'empty_field' | 'null_id' | 'long_id';

/** Skip reasons, as counter names (`skipped_<reason>`), in reporting order. */
export const VIEW_SKIP_REASONS = ['wrong_field_count', 'empty_field', 'null_id', 'too_long', 'long_id'] as const;

/** The longest product id: the result table's columns (db/schema.sql), so an import never meets a longer one. */
export const MAX_ID_BYTES = 255;

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

/** Whether bytes [start, end) of buf are exactly `word`. */
function isWord(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  return end - start === word.length && sameBytes(buf, start, word, 0, word.length);
}

/** End of the line without its one trailing '\r'. */
export function trimCr(buf: Uint8Array, start: number, end: number): number {
  return end > start && buf[end - 1] === CR ? end - 1 : end;
}

/** Classifies line bytes [start, end) (no '\n'); fills `f`, when given, if the verdict is 'ok'. */
export function classifyView(buf: Uint8Array, start: number, end: number, f?: ViewFields): ViewVerdict {
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
  if (isWord(buf, start, tab, NULL_WORD) || isWord(buf, tab + 1, end, NULL_WORD)) return 'null_id';
  if (isWord(buf, start, tab, HEADER_PATH) && isWord(buf, tab + 1, end, HEADER_PRODUCT)) return 'header';
  if (end - tab - 1 > MAX_ID_BYTES) return 'long_id';
  if (f !== undefined) {
    f.pathStart = start;
    f.pathEnd = tab;
    f.productStart = tab + 1;
    f.productEnd = end;
  }
  return 'ok';
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
