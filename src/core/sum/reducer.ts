/**
 * Phase 2 (and its combiner): sums the weights of each pair.
 *
 * Input lines are `source<TAB>target<TAB>count`, grouped by the key
 * `source<TAB>target` (the first two fields). Output is the same format, one
 * line per key, in input order. Counts are exact: sums past 2^53 continue as
 * BigInt.
 */
import { Counters } from '../../io/counters';
import { putDecimal } from '../../io/decimal';
import { NEWLINE } from '../../io/lines';
import { ReducerSink } from '../../io/sink';
import { WordCopy } from '../../io/word-copy';
import { KeyBuffer, sameBytesFromEnd } from '../key';
import { Skips } from '../skips';
import { TAB } from '../views';
import { classifyPairRow, isCommonRow, PairRowFields } from './rows';
import { Tally } from './tally';

/**
 * Counter names by role: as a combiner the same reducer reports under other
 * names, so Hadoop's job totals (which add map- and reduce-side counters) keep
 * the final reducer's numbers apart.
 */
export function sumCounterNames(role: SumRole): { rowsIn: string; rowsOut: string; badRow: string; tooLong: string } {
  return role === 'reducer'
    ? { rowsIn: 'pair_rows_in', rowsOut: 'result_rows_out', badRow: 'bad_pair_row', tooLong: 'too_long' }
    : { rowsIn: 'combine_rows_in', rowsOut: 'combine_rows_out', badRow: 'combine_bad_pair_row', tooLong: 'combine_too_long' };
}

export type SumRole = 'reducer' | 'combiner';

/**
 * Takes a group of one row as it lies in the input, `source<TAB>target<TAB>count`
 * at [start, end) with the source's end t1, the key's end and its count (1 to 15
 * digits, no leading zero): the lists (RankingSink) rank it there, with no copy
 * to parse again.
 */
export interface PairRows {
  pair(buf: Buffer, start: number, t1: number, keyEnd: number, end: number, count: number): void;
}

export class SumReducer {
  private readonly skips: Skips;
  private readonly f: PairRowFields = { keyEnd: 0, countStart: 0, countEnd: 0 };
  private readonly tally = new Tally();
  private readonly key = new KeyBuffer();
  private readonly copier = new WordCopy();
  private readonly run = new LineRun();
  private lineNo = 0;
  private rowsIn = 0;
  private rowsOut = 0;
  private readonly names: ReturnType<typeof sumCounterNames>;
  /** Where groups of one row go instead of out, when set (out still takes the others, which it takes at once). */
  private readonly rows: PairRows | null;

  constructor(
    private readonly out: ReducerSink,
    private readonly counters: Counters,
    options: { strict?: boolean; role?: SumRole; rows?: PairRows } = {},
    warn: (message: string) => void = () => undefined,
  ) {
    this.rows = options.rows ?? null;
    this.names = sumCounterNames(options.role ?? 'reducer');
    const n = this.names;
    for (const c of [n.rowsIn, `skipped_${n.badRow}`, `skipped_${n.tooLong}`, n.rowsOut]) counters.add(c, 0);
    this.skips = new Skips(counters, options.strict ?? false, warn, 'pair row');
  }

  line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    const f = this.f;
    const verdict = classifyPairRow(buf, start, end, f);
    if (verdict !== 'ok') {
      this.skips.skip(this.names.badRow, this.lineNo, buf, start, end, verdict);
      return;
    }
    this.rowsIn++;
    if (!this.key.equals(buf, start, f.keyEnd)) {
      this.emit();
      this.key.set(buf, start, f.keyEnd);
    }
    this.tally.addDigits(buf, f.countStart, f.countEnd);
  }

  /**
   * Whole lines [start, end), each ending with '\n': the same result as line()
   * or overlong() on each, in one pass over the bytes. Rows of the common shape
   * (two non-empty ids, a count of 1 to 15 digits, no CR) are summed here; any
   * other line goes through line(), which owns the rules.
   *
   * While a group's first row is in this block, its key is compared where it
   * lies, not copied. A group of one row whose count has no leading zero is
   * its own output line; consecutive such lines are copied as one run, once
   * something else is written or the block ends (after phase-1 combining most
   * groups are such, so most blocks are copied in a few pieces).
   */
  block(buf: Buffer, start: number, end: number, maxLineBytes: number): void {
    const key = this.key;
    const tally = this.tally;
    const run = this.run;
    const rows = this.rows;
    // The open group's first row, when it is in this block (gStart >= 0).
    let gStart = -1;
    let gT1 = 0;
    let gV = 0;
    let gKeyEnd = 0;
    let gEnd = 0;
    let gRows = 0;
    let i = start;
    while (i < end) {
      const ls = i;
      let c = buf[i];
      while (c !== TAB && c !== NEWLINE) c = buf[++i];
      const t1 = i;
      let t2 = -1;
      if (c === TAB) {
        c = buf[++i];
        while (c !== TAB && c !== NEWLINE) c = buf[++i];
        t2 = i;
      }
      let v = 0;
      if (c === TAB) {
        c = buf[++i];
        while (c >= 0x30 && c <= 0x39) {
          v = v * 10 + (c - 0x30);
          c = buf[++i];
        }
      }
      if (c !== NEWLINE) i = buf.indexOf(NEWLINE, i);
      // i is this line's '\n'.
      if (c !== NEWLINE || i - ls > maxLineBytes || !isCommonRow(buf, ls, t1, t2, i - t2 - 1, v)) {
        if (gStart >= 0) {
          key.set(buf, gStart, gKeyEnd); // line() continues the group from the key buffer
          gStart = -1;
        }
        this.flushRun(buf);
        if (i - ls > maxLineBytes) this.overlong(i - ls);
        else this.line(buf, ls, i);
        i++;
        continue;
      }
      this.lineNo++;
      this.rowsIn++;
      if (gStart >= 0) {
        if (t2 - ls === gKeyEnd - gStart && sameBytesFromEnd(buf, ls, gStart, t2 - ls)) {
          if (!tally.addSmall(v)) tally.addDigits(buf, t2 + 1, i);
          gRows++;
          i++;
          continue;
        }
        // A new key: the group ends.
        if (gRows === 1 && buf[gKeyEnd + 1] !== 0x30) {
          if (rows !== null) {
            rows.pair(buf, gStart, gT1, gKeyEnd, gEnd, gV);
            this.rowsOut++;
          } else run.add(gStart, gEnd + 1);
          tally.reset();
        } else {
          this.flushRun(buf);
          this.emitFrom(buf, gStart, gKeyEnd);
        }
      } else if (key.length >= 0) {
        if (key.equals(buf, ls, t2)) {
          if (!tally.addSmall(v)) tally.addDigits(buf, t2 + 1, i);
          i++;
          continue;
        }
        this.emit();
      }
      gStart = ls;
      gT1 = t1;
      gKeyEnd = t2;
      gEnd = i;
      gV = v;
      gRows = 1;
      tally.reset();
      if (!tally.addSmall(v)) tally.addDigits(buf, t2 + 1, i);
      i++;
    }
    this.flushRun(buf);
    // A group still open continues in the next block: its key moves to the key buffer.
    if (gStart >= 0) key.set(buf, gStart, gKeyEnd);
  }

  overlong(length: number): void {
    this.lineNo++;
    this.skips.skip(this.names.tooLong, this.lineNo, null);
    void length;
  }

  end(): void {
    this.emit();
    this.counters.add(this.names.rowsIn, this.rowsIn);
    this.counters.add(this.names.rowsOut, this.rowsOut);
  }

  private emit(): void {
    const key = this.key;
    if (key.length < 0) return;
    this.emitFrom(key.bytes, 0, key.length);
    key.clear();
  }

  /** Writes `key<TAB>total\n` for the key bytes [start, end) of src, and resets the total. */
  private emitFrom(src: Uint8Array, start: number, end: number): void {
    const out = this.out;
    const n = end - start;
    const buf = out.reserve(n + 1);
    this.copier.copy(src, start, end, buf, out.pos);
    buf[out.pos + n] = TAB;
    out.pos += n + 1;
    putDecimal(out, this.tally.value());
    out.reserve(1)[out.pos++] = NEWLINE;
    this.rowsOut++;
    this.tally.reset();
    if (out.maybeFlush) out.maybeFlush();
  }

  /** Writes the pending run of one-row groups of `src`, if any. */
  private flushRun(src: Uint8Array): void {
    const run = this.run;
    if (run.start < 0) return;
    const out = this.out;
    const n = run.end - run.start;
    const buf = out.reserve(n);
    if (n > 64) buf.set(src.subarray(run.start, run.end), out.pos);
    else this.copier.copy(src, run.start, run.end, buf, out.pos);
    out.pos += n;
    this.rowsOut += run.rows;
    run.start = -1;
    if (out.maybeFlush) out.maybeFlush();
  }
}

/** Consecutive lines of one block, each a group of one row that is its own output line, to copy as they are. */
class LineRun {
  /** -1 when empty. */
  start = -1;
  end = -1;
  rows = 0;

  /** Adds the line [lineStart, lineEnd), '\n' included, which follows the run's last line. */
  add(lineStart: number, lineEnd: number): void {
    if (this.start < 0) {
      this.start = lineStart;
      this.rows = 0;
    }
    this.end = lineEnd;
    this.rows++;
  }
}
