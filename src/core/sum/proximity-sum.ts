/**
 * Phase 2 (and its combiner) for --score proximity (ProximitySum): rows
 * `source<TAB>target<TAB>paths<TAB>weight` grouped by `source<TAB>target`, both
 * integers summed exactly (Tally: BigInt past 2^53). The combiner writes the
 * same rows; the reducer writes the lists, `source<TAB>target<TAB>count<TAB>score`,
 * score = weight / 10^10 (the fixed point of proximity-counts.ts) as the nearest
 * double, with --min-count and --top as for every score (score desc, count desc,
 * target bytes asc).
 */
import { Counters } from '../../io/counters';
import { putDecimal } from '../../io/decimal';
import { NEWLINE } from '../../io/lines';
import { ByteSink, FlushableSink, MemorySink, putBytes } from '../../io/sink';
import { KeyBuffer } from '../key';
import { PROXIMITY_DECIMALS, PROXIMITY_SCALE } from '../pairs/proximity-counts';
import { formatScore } from '../rank/scores';
import { Candidates, TopN } from '../rank/top-n';
import { Skips } from '../skips';
import { TAB, trimCr } from '../views';
import { sumCounterNames, SumRole } from './reducer';
import { Tally } from './tally';

export interface ProximitySumOptions {
  role: SumRole;
  strict: boolean;
  minCount: number;
  /** Targets kept per source, 0 = all (the input is then partitioned by source). */
  top: number;
}

/** The score of a weight sum: weight / 10^10, the double nearest to the exact quotient. */
export function proximityScore(weight: number | bigint): number {
  if (typeof weight === 'number') return weight / PROXIMITY_SCALE; // both exact: IEEE division rounds once
  const s = weight.toString().padStart(PROXIMITY_DECIMALS + 1, '0');
  return Number(`${s.slice(0, -PROXIMITY_DECIMALS)}.${s.slice(-PROXIMITY_DECIMALS)}`);
}

/** Whether [start, end) holds decimal digits only (at least one). */
function isDigits(buf: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) if (((buf[i] - 0x30) >>> 0) > 9) return false;
  return true;
}

export class ProximitySum {
  private readonly skips: Skips;
  private readonly key = new KeyBuffer();
  private readonly paths = new Tally();
  private readonly weight = new Tally();
  private readonly names: ReturnType<typeof sumCounterNames>;
  private readonly top: TopN | null;
  private readonly scratch = new MemorySink();
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
  }

  line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    const e = trimCr(buf, start, end);
    const t1 = buf.indexOf(TAB, start);
    const t2 = t1 < 0 || t1 >= e ? -1 : buf.indexOf(TAB, t1 + 1);
    const t3 = t2 < 0 || t2 >= e ? -1 : buf.indexOf(TAB, t2 + 1);
    const bad =
      t3 < 0 || t3 >= e || t1 === start || t2 === t1 + 1 || !isDigits(buf, t2 + 1, t3) || !isDigits(buf, t3 + 1, e) ||
      (t1 - start === t2 - t1 - 1 && buf.compare(buf, start, t1, t1 + 1, t2) === 0);
    if (bad) {
      this.skips.skip(this.names.badRow, this.lineNo, buf, start, end, 'not source<TAB>target<TAB>paths<TAB>weight');
      return;
    }
    this.rowsIn++;
    if (!this.key.equals(buf, start, t2)) {
      this.emit();
      this.key.set(buf, start, t2);
    }
    this.paths.addDigits(buf, t2 + 1, t3);
    this.weight.addDigits(buf, t3 + 1, e);
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
      putDecimal(out, weight);
      out.reserve(1)[out.pos++] = NEWLINE;
      if (out.maybeFlush) out.maybeFlush();
    } else if (Number(paths) >= this.opts.minCount) this.listLine(key, paths, proximityScore(weight));
    key.clear();
    this.paths.reset();
    this.weight.reset();
  }

  private listLine(key: KeyBuffer, paths: number | bigint, score: number): void {
    const top = this.top;
    if (top === null) {
      const out = this.out;
      putBytes(out, key.bytes, 0, key.length);
      out.reserve(1)[out.pos++] = TAB;
      putDecimal(out, paths);
      this.finishLine(score);
      return;
    }
    const kb = key.bytes;
    const t1 = kb.indexOf(TAB);
    if (this.source === null || this.source.length !== t1 || this.source.compare(kb, 0, t1) !== 0) {
      this.endSource();
      this.source = Buffer.from(kb.subarray(0, t1));
    }
    const count = Number(paths);
    if (top.rejects(score, count)) return;
    // The candidate's tail `target<TAB>count`, made in a scratch sink.
    const s = this.scratch;
    s.pos = 0;
    putBytes(s, kb, t1 + 1, key.length);
    s.reserve(1)[s.pos++] = TAB;
    const countStart = s.pos;
    putDecimal(s, paths);
    top.add(top.cands.push(s.reserve(0), 0, countStart, s.pos, score, count));
  }

  /** The current source's kept list, in line order (targets ascending). */
  private endSource(): void {
    const source = this.source;
    if (source === null || this.top === null) return;
    const out = this.out;
    const cands = this.top.cands;
    for (const i of this.top.take()) {
      putBytes(out, source, 0, source.length);
      out.reserve(1)[out.pos++] = TAB;
      putBytes(out, cands.arena, cands.off[i], cands.end[i]);
      this.finishLine(cands.score[i]);
    }
    cands.clear();
    this.source = null;
  }

  private finishLine(score: number): void {
    const out = this.out;
    const s = formatScore(score);
    const b = out.reserve(s.length + 1);
    b[out.pos++] = TAB;
    out.pos += b.write(s, out.pos, 'latin1');
    out.reserve(1)[out.pos++] = NEWLINE;
    this.listRows++;
    if (out.maybeFlush) out.maybeFlush();
  }
}
