/**
 * The identity mapper of both phases, in Hadoop Streaming's key/value sense:
 * each line goes out as it came (a trailing '\r' too: the reducer's input
 * rules drop exactly one), and a line with no TAB gets one appended: on Hadoop
 * such a line is a key with an empty value, which the reducer receives as
 * `line<TAB>`. Doing the same here makes reducers see identical input locally
 * and on Hadoop.
 */
import { ByteSink, putBytes } from '../io/stdio';
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
  b[out.pos++] = 0x0a;
}
