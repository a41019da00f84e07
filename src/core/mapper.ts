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
import { TAB } from './views';

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
 */
export function mapBlock(
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
    while (c !== TAB && c !== NEWLINE) c = buf[++i];
    const tab = c === TAB;
    while (c !== NEWLINE) c = buf[++i];
    if (!tab || i - ls > maxLineBytes) {
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
