/**
 * Phase 2 (and its combiner) for --score proximity (ProximitySum): rows
 * `source<TAB>target<TAB>paths<TAB>weight` grouped by `source<TAB>target`, the
 * weight the exact decimal of W · 10^-10 (proximity-text.ts), or `source<TAB>target<TAB>/d`
 * (one path at distance d: W(d), proximity-weight.ts); paths and W summed
 * exactly (BigInt past 2^53). The combiner writes the same rows; the reducer the
 * lists, `source<TAB>target<TAB>count<TAB>score`, the score the same text as the
 * weight (ranked by the nearest double), with --min-count and --top as for every
 * score (score desc, count desc, target bytes asc). A pair of one row whose text
 * is already the canonical one is copied as it is (most pairs, after phase 1's combining).
 */
import { Counters } from '../../io/counters';
import { putDecimal } from '../../io/decimal';
import { NEWLINE } from '../../io/lines';
import { ByteSink, FlushableSink, MemorySink, putBytes } from '../../io/sink';
import { KeyBuffer, sameBytes, sameBytesFromEnd } from '../key';
import { PROXIMITY_DECIMALS, putProximity, weightOf } from '../pairs/proximity-text';
import { Candidates, TopN } from '../rank/top-n';
import { Skips } from '../skips';
import { TAB, trimCr } from '../views';
import { sumCounterNames, SumRole } from './reducer';
import { distanceOf, isDigits, MAX_DISTANCE_DIGITS, MAX_SAFE_WHOLE, OnePathTails, proximityScore, weightAt, WeightSum } from './proximity-weight';
import { Tally } from './tally';

export { proximityScore } from './proximity-weight';

const SLASH = 0x2f;
/** The digit 1, as the paths of a `/d` row when the paths' sum is a BigInt already. */
const ONE = Buffer.from('1');

export interface ProximitySumOptions {
  role: SumRole;
  strict: boolean;
  minCount: number;
  /** Targets kept per source, 0 = all (the input is then partitioned by source). */
  top: number;
}

export class ProximitySum {
  private readonly skips: Skips;
  private readonly key = new KeyBuffer();
  private readonly paths = new Tally();
  private readonly weight = new WeightSum();
  /** Whether a pair of one canonical row is its own output line (combiner; reducer without --min-count, --top). */
  private readonly copies: boolean;
  private readonly names: ReturnType<typeof sumCounterNames>;
  private readonly top: TopN | null;
  /** The weight sum of each --top candidate, by its index. */
  private weights: Array<number | bigint> = [];
  private readonly scratch = new MemorySink();
  private readonly tails = new OnePathTails();
  /** block()'s run of lines to copy: [start, end) of its buffer, rows; start -1 when empty. */
  private readonly run = { start: -1, end: 0, rows: 0 };
  private source: Buffer | null = null;
  private lineNo = 0;
  private rowsIn = 0;
  private rowsOut = 0;
  /** Lines of the lists written (the list_rows_out counter). */
  listRows = 0;

  constructor(
    private readonly out: ByteSink & Partial<FlushableSink>,
    private readonly counters: Counters,
    private readonly opts: ProximitySumOptions,
    warn: (message: string) => void = () => undefined,
  ) {
    this.names = sumCounterNames(opts.role);
    const n = this.names;
    for (const c of [n.rowsIn, `skipped_${n.badRow}`, `skipped_${n.tooLong}`, n.rowsOut]) counters.add(c, 0);
    if (opts.role === 'reducer') counters.add('list_rows_out', 0);
    this.skips = new Skips(counters, opts.strict, warn, 'pair row');
    this.top = opts.role === 'reducer' && opts.top > 0 ? new TopN(opts.top, new Candidates()) : null;
    this.copies = opts.role === 'combiner' || (opts.top === 0 && opts.minCount <= 1);
  }

  /** One row [start, end) (no '\n'), checked field by field. */
  line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    const e = trimCr(buf, start, end);
    const t1 = buf.indexOf(TAB, start);
    const t2 = t1 < 0 || t1 >= e ? -1 : buf.indexOf(TAB, t1 + 1);
    const t3 = t2 < 0 || t2 >= e ? -1 : buf.indexOf(TAB, t2 + 1);
    // A pair met in one path at distance d: `/d` in place of paths and weight.
    const d = t2 >= 0 && t2 < e && (t3 < 0 || t3 >= e) ? distanceOf(buf, t2 + 1, e) : 0;
    const w = d > 0 ? this.tails.weight(d) : t3 < 0 || t3 >= e ? null : weightOf(buf, t3 + 1, e);
    const bad =
      w === null || t1 === start || t2 === t1 + 1 || (d === 0 && !isDigits(buf, t2 + 1, t3)) ||
      (t1 - start === t2 - t1 - 1 && sameBytes(buf, start, buf, t1 + 1, t1 - start));
    if (bad) {
      this.skips.skip(this.names.badRow, this.lineNo, buf, start, end, 'not source<TAB>target<TAB>paths<TAB>weight or source<TAB>target<TAB>/distance');
      return;
    }
    this.rowsIn++;
    if (!this.key.equals(buf, start, t2)) {
      this.emit();
      this.key.set(buf, start, t2);
    }
    if (d > 0) this.addOnePath();
    else this.paths.addDigits(buf, t2 + 1, t3);
    this.weight.add(w);
  }

  /**
   * Whole lines [start, end), each ending with '\n': the same result as line() on each.
   * Rows of the common shapes (two non-empty different ids, then `/d` with d of 1 to 15 digits,
   * or a count of 1 to 15 digits and a weight below 2^53 with at most 6 integer digits; no
   * '\r') are parsed in one pass here; any other goes through line(), which owns the rules. A
   * pair whose one row is in this block and canonical is written when it ends: copied with
   * the lines next to it, or a `/d` row expanded (reducer); its numbers are read only if a
   * second row comes.
   */
  block(buf: Buffer, start: number, end: number, maxLineBytes: number): void {
    const key = this.key;
    // The open pair's first row while it is in this block (gStart >= 0: its key is compared
    // where it lies), and whether it is the pair's only row so far and canonical (gOne: its
    // numbers, paths gPaths and the weight text from gWeight to gEnd, or distance gDist > 0,
    // not yet added).
    let gStart = -1;
    let gKeyEnd = 0;
    let gEnd = 0;
    let gOne = false;
    let gPaths = 0;
    let gWeight = 0;
    let gDist = 0;
    const expand = this.opts.role === 'reducer';
    // Consecutive lines of such pairs, ended, to copy in one piece.
    const run = this.run;
    run.start = -1;
    let i = start;
    while (i < end) {
      const ls = i;
      let c = buf[i];
      while (c !== TAB && c !== NEWLINE) c = buf[++i];
      const t1 = i;
      let t2 = -1;
      let t3 = -1;
      let paths = 0;
      let whole = 0;
      let dot = -1;
      let fracDigits = 0;
      let wholeDigits = 0;
      let canonical = false;
      let dist = 0;
      if (c === TAB) {
        c = buf[++i];
        while (c !== TAB && c !== NEWLINE) c = buf[++i];
        t2 = i;
      }
      if (c === TAB && buf[i + 1] === SLASH) {
        // `/d`: canonical without a leading zero; d = 0 (not common) when not 1 to 15 digits.
        canonical = buf[i + 2] !== 0x30;
        i += 2;
        c = buf[i];
        while (((c - 0x30) >>> 0) < 10) {
          dist = dist * 10 + (c - 0x30);
          c = buf[++i];
        }
        if (i - t2 - 2 > MAX_DISTANCE_DIGITS) dist = 0;
        t3 = i;
      } else if (c === TAB) {
        canonical = buf[i + 1] !== 0x30;
        c = buf[++i];
        while (((c - 0x30) >>> 0) < 10) {
          paths = paths * 10 + (c - 0x30);
          c = buf[++i];
        }
        t3 = i;
        if (c === TAB) {
          canonical = canonical && (buf[i + 1] !== 0x30 || buf[i + 2] === 0x2e || buf[i + 2] === NEWLINE);
          c = buf[++i];
          while (((c - 0x30) >>> 0) < 10) {
            whole = whole * 10 + (c - 0x30);
            wholeDigits++;
            c = buf[++i];
          }
          if (c === 0x2e) {
            dot = i;
            c = buf[++i];
            while (((c - 0x30) >>> 0) < 10) c = buf[++i];
            fracDigits = i - dot - 1;
            canonical = canonical && buf[i - 1] !== 0x30;
            if (fracDigits === 0) c = 0; // '.' needs digits: not common
          }
        } else c = 0; // no weight: not common
      }
      if (c !== NEWLINE) i = buf.indexOf(NEWLINE, i);
      const common =
        c === NEWLINE && t2 > t1 + 1 && t1 > ls && i - ls <= maxLineBytes &&
        (dist > 0 ||
          (t3 > t2 + 1 && t3 - t2 - 1 <= 15 && wholeDigits >= 1 && wholeDigits <= 6 && fracDigits <= PROXIMITY_DECIMALS &&
            (whole < MAX_SAFE_WHOLE || weightAt(buf, t3 + 1, i) <= Number.MAX_SAFE_INTEGER))) &&
        !(t1 - ls === t2 - t1 - 1 && sameBytes(buf, ls, buf, t1 + 1, t1 - ls));
      if (!common) {
        if (gStart >= 0) {
          if (gOne) this.addFirst(buf, gPaths, gKeyEnd, gWeight, gEnd, gDist);
          key.set(buf, gStart, gKeyEnd); // line() continues the pair from the key buffer
        }
        gStart = -1;
        gOne = false; // the open pair is in the key buffer now: emitted when a new key comes
        this.flushRun(buf);
        if (i - ls > maxLineBytes) this.overlong(i - ls);
        else this.line(buf, ls, i);
        i++;
        continue;
      }
      this.lineNo++;
      this.rowsIn++;
      const same =
        gStart >= 0 ? t2 - ls === gKeyEnd - gStart && sameBytesFromEnd(buf, ls, gStart, t2 - ls) : key.length >= 0 && key.equals(buf, ls, t2);
      if (same) {
        if (gOne) this.addFirst(buf, gPaths, gKeyEnd, gWeight, gEnd, gDist);
        gOne = false;
        if (dist > 0) {
          this.addOnePath();
          this.weight.add(this.tails.weight(dist));
        } else this.addRow(buf, paths, t2 + 1, t3 + 1, i);
        i++;
        continue;
      }
      if (gOne && gDist > 0 && expand) {
        // The pair ended with its one `/d` row: its result line, expanded.
        this.flushRun(buf);
        this.putOnePath(buf, gStart, gKeyEnd, gDist);
      } else if (gOne) {
        // The pair ended with its one canonical row: that line is its output, copied with its neighbours.
        if (run.start >= 0 && run.end === gStart) run.end = gEnd;
        else {
          this.flushRun(buf);
          run.start = gStart;
          run.end = gEnd;
        }
        run.rows++;
      } else {
        if (gStart >= 0) key.set(buf, gStart, gKeyEnd);
        this.flushRun(buf);
        this.emit();
      }
      gStart = ls;
      gKeyEnd = t2;
      gEnd = i + 1;
      gOne = this.copies && canonical;
      gDist = dist;
      if (gOne) {
        gPaths = paths;
        gWeight = t3 + 1;
      } else if (dist > 0) {
        this.addOnePath();
        this.weight.add(this.tails.weight(dist));
      } else this.addRow(buf, paths, t2 + 1, t3 + 1, i);
      i++;
    }
    this.flushRun(buf);
    // A pair still open continues in the next block: its key and sums move to the buffers.
    if (gStart >= 0) {
      if (gOne) this.addFirst(buf, gPaths, gKeyEnd, gWeight, gEnd, gDist);
      key.set(buf, gStart, gKeyEnd);
    }
  }

  /** Adds the numbers of a pair's first row, held back (gOne): distance dist, or paths and the weight text [ws, lineEnd - 1). */
  private addFirst(buf: Buffer, paths: number, keyEnd: number, ws: number, lineEnd: number, dist: number): void {
    if (dist > 0) {
      this.addOnePath();
      this.weight.add(this.tails.weight(dist));
    } else this.addRow(buf, paths, keyEnd + 1, ws, lineEnd - 1);
  }

  /** One more path. */
  private addOnePath(): void {
    if (!this.paths.addSmall(1)) this.paths.addDigits(ONE, 0, 1);
  }

  /** The result line of a pair met in one path at distance d: its key [start, keyEnd) of buf and the tail. */
  private putOnePath(buf: Buffer, start: number, keyEnd: number, d: number): void {
    this.tails.putLine(this.out, buf, start, keyEnd, d);
    this.rowsOut++;
    this.listRows++;
    if (this.out.maybeFlush) this.out.maybeFlush();
  }

  /** Adds a common row's numbers: paths (its digits from ps to the TAB before ws), the weight text [ws, we). */
  private addRow(buf: Buffer, paths: number, ps: number, ws: number, we: number): void {
    if (!this.paths.addSmall(paths)) this.paths.addDigits(buf, ps, ws - 1);
    this.weight.add(weightAt(buf, ws, we));
  }

  /** Writes the run of copied lines of buf, if any. */
  private flushRun(buf: Buffer): void {
    const run = this.run;
    if (run.start < 0) return;
    const out = this.out;
    putBytes(out, buf, run.start, run.end);
    this.rowsOut += run.rows;
    if (this.opts.role === 'reducer') this.listRows += run.rows;
    run.start = -1;
    run.rows = 0;
    if (out.maybeFlush) out.maybeFlush();
  }

  overlong(length: number): void {
    this.lineNo++;
    this.skips.skip(this.names.tooLong, this.lineNo, null);
    void length;
  }

  end(): void {
    this.emit();
    this.endSource();
    this.counters.add(this.names.rowsIn, this.rowsIn);
    this.counters.add(this.names.rowsOut, this.rowsOut);
    if (this.opts.role === 'reducer') this.counters.add('list_rows_out', this.listRows);
    if (this.out.maybeFlush) this.out.maybeFlush();
  }

  /** The open pair's sums: a row (combiner) or a list line. */
  private emit(): void {
    const key = this.key;
    if (key.length < 0) return;
    this.rowsOut++;
    const paths = this.paths.value();
    const weight = this.weight.value();
    const out = this.out;
    if (this.opts.role === 'combiner') {
      putBytes(out, key.bytes, 0, key.length);
      out.reserve(1)[out.pos++] = TAB;
      putDecimal(out, paths);
      out.reserve(1)[out.pos++] = TAB;
      putProximity(out, weight);
      out.reserve(1)[out.pos++] = NEWLINE;
      if (out.maybeFlush) out.maybeFlush();
    } else if (paths >= this.opts.minCount) this.listLine(key, paths, weight);
    key.clear();
    this.paths.reset();
    this.weight.reset();
  }

  private listLine(key: KeyBuffer, paths: number | bigint, weight: number | bigint): void {
    const top = this.top;
    if (top === null) {
      const out = this.out;
      putBytes(out, key.bytes, 0, key.length);
      out.reserve(1)[out.pos++] = TAB;
      putDecimal(out, paths);
      this.finishLine(weight);
      return;
    }
    const kb = key.bytes;
    const t1 = kb.indexOf(TAB);
    if (this.source === null || this.source.length !== t1 || this.source.compare(kb, 0, t1) !== 0) {
      this.endSource();
      this.source = Buffer.from(kb.subarray(0, t1));
    }
    const count = Number(paths);
    const score = proximityScore(weight);
    if (top.rejects(score, count)) return;
    // The candidate's line up to its count, `source<TAB>target<TAB>count`, made in a scratch sink.
    const s = this.scratch;
    s.pos = 0;
    putBytes(s, kb, 0, key.length);
    s.reserve(1)[s.pos++] = TAB;
    const countStart = s.pos;
    putDecimal(s, paths);
    const at = top.cands.push(s.reserve(0), 0, countStart, s.pos, score, count);
    this.weights[at] = weight;
    top.add(at);
  }

  /** The current source's kept list, in line order (targets ascending). */
  private endSource(): void {
    const source = this.source;
    if (source === null || this.top === null) return;
    const out = this.out;
    const cands = this.top.cands;
    for (const i of this.top.take()) {
      putBytes(out, cands.arena, cands.off[i], cands.end[i]);
      this.finishLine(this.weights[i]);
    }
    cands.clear();
    this.source = null;
  }

  private finishLine(weight: number | bigint): void {
    const out = this.out;
    out.reserve(1)[out.pos++] = TAB;
    putProximity(out, weight);
    out.reserve(1)[out.pos++] = NEWLINE;
    this.listRows++;
    if (out.maybeFlush) out.maybeFlush();
  }
}
