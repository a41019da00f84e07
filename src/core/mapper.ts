/**
 * The identity mapper of both phases, in Hadoop Streaming's key/value sense:
 * each line goes out as it came (a trailing '\r' too: the reducer's input
 * rules drop exactly one), and a line with no TAB gets one appended: on Hadoop
 * such a line is a key with an empty value, which the reducer receives as
 * `line<TAB>`. Doing the same here makes reducers see identical input locally
 * and on Hadoop.
 */
import { NEWLINE } from '../io/lines';
import { ByteSink, putBytes } from '../io/sink';
import { CR, MAX_ID_BYTES, TAB } from './views';

export function mapLine(out: ByteSink, buf: Uint8Array, start: number, end: number): void {
  let hasTab = false;
  for (let i = start; i < end; i++) {
    if (buf[i] === TAB) {
      hasTab = true;
      break;
    }
  }
  putBytes(out, buf, start, end);
  const b = out.reserve(2);
  if (!hasTab) b[out.pos++] = TAB;
  b[out.pos++] = NEWLINE;
}

/**
 * Whole lines [start, end), each ending with '\n' (LineSplitter's block): the
 * same bytes as mapLine on each, but runs of lines that already hold a TAB are
 * copied in one piece. Any other line (no TAB, or longer than maxLineBytes) is
 * handed to `other` with its index in the block, after the bytes before it are
 * out. Returns the number of lines.
 *
 * With `views` (phase 1's input) only lines that are certainly views are
 * copied: a line with a second TAB, a product id over MAX_ID_BYTES, or one
 * whose fields may be empty, NULL or the header's, also goes to `other`, which classifies it with the rules of
 * views.ts. The scan to the newline also stops at a second TAB.
 */
export function mapBlock(
  out: ByteSink,
  buf: Uint8Array,
  start: number,
  end: number,
  maxLineBytes: number,
  other: (lineStart: number, lineEnd: number, index: number) => void,
  views = false,
): number {
  // Two loops rather than a per-line flag: each stays small and monomorphic.
  if (views) return mapViewsBlock(out, buf, start, end, maxLineBytes, other);
  let lines = 0;
  let copyFrom = start;
  let i = start;
  while (i < end) {
    const ls = i;
    let c = buf[i];
    while (c !== TAB && c !== NEWLINE) c = buf[++i];
    const pass = c === TAB;
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

/** mapBlock with views: the scan also stops at a second TAB, then checks the fields it found. */
function mapViewsBlock(
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
    const first = c;
    while (c !== TAB && c !== NEWLINE) c = buf[++i];
    let pass = false;
    if (c === TAB) {
      const tab = i;
      c = buf[++i];
      const second = c;
      // TAB (9) and '\n' (10) are adjacent: one unsigned compare stops at either.
      while (((c - TAB) >>> 0) > 1) c = buf[++i];
      if (c === NEWLINE) {
        const productLen = (buf[i - 1] === CR ? i - 1 : i) - tab - 1;
        // Fields that start with a byte in '0'..'?' (digits) are neither empty, NULL
        // nor the header's, even before a '\r': one unsigned compare for both.
        if (productLen > MAX_ID_BYTES) pass = false;
        else if (((first - DIGIT_0) | (second - DIGIT_0)) >>> 0 < 16) pass = true;
        else {
          // Any other ids: lengths from the positions the scan found; bytes are
          // looked at only for the lengths of NULL and of the header's words.
          const pathLen = tab - ls;
          pass =
            pathLen > 0 &&
            productLen > 0 &&
            (pathLen !== 4 || !isNull(buf, ls)) &&
            (productLen !== 4 || !isNull(buf, tab + 1)) &&
            (pathLen !== HEADER_PATH_LEN || productLen !== HEADER_PRODUCT_LEN || first !== CHAR_P || second !== CHAR_P);
        }
      } else while (c !== NEWLINE) c = buf[++i];
    }
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

const CHAR_P = 0x70; // first byte of path_id and product_id
const HEADER_PATH_LEN = 7; // path_id
const HEADER_PRODUCT_LEN = 10; // product_id
const DIGIT_0 = 0x30;

/** Whether the 4 bytes at `at` are NULL. */
function isNull(buf: Uint8Array, at: number): boolean {
  return buf[at] === 0x4e && buf[at + 1] === 0x55 && buf[at + 2] === 0x4c && buf[at + 3] === 0x4c;
}
