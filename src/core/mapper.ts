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
import { CR, TAB } from './views';

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
 * copied: a line with a second TAB, or one the quick test and plainView doubt,
 * also goes to `other`, which classifies it with the rules of views.ts. The
 * scan to the newline also stops at a second TAB; per line, one compare.
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
  let lines = 0;
  let copyFrom = start;
  let i = start;
  while (i < end) {
    const ls = i;
    let c = buf[i];
    const first = c;
    while (c !== TAB && c !== NEWLINE) c = buf[++i];
    let pass = c === TAB;
    if (pass && views) {
      const tab = i;
      c = buf[++i];
      const second = c;
      // TAB (9) and '\n' (10) are adjacent: one unsigned compare stops at either.
      while (((c - TAB) >>> 0) > 1) c = buf[++i];
      // Fields that start with a byte in '0'..'?' (digits, as ids mostly are) are
      // neither empty, NULL nor the header's, even before a '\r': one unsigned
      // compare for both; other lines get plainView's closer look.
      pass = c === NEWLINE && (((first - DIGIT_0) | (second - DIGIT_0)) >>> 0 < 16 || plainView(buf, ls, tab, i));
    }
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

const CHAR_N = 0x4e; // first byte of NULL
const CHAR_P = 0x70; // first byte of path_id
const DIGIT_0 = 0x30;


/**
 * Whether a line with one TAB (path [ls, tab), product [tab + 1, le)) is
 * certainly a view under the rules of views.ts, from lengths and first bytes
 * only: an empty field, a trailing '\r', or a field that may be NULL or the
 * header's gets the full check instead.
 */
function plainView(buf: Uint8Array, ls: number, tab: number, le: number): boolean {
  const pathLen = tab - ls;
  const productLen = le - tab - 1;
  if (pathLen === 0 || productLen === 0 || buf[le - 1] === CR) return false;
  if (pathLen === 4 && buf[ls] === CHAR_N) return false;
  if (pathLen === 7 && buf[ls] === CHAR_P) return false;
  return !(productLen === 4 && buf[tab + 1] === CHAR_N);
}
