/**
 * Phase 2's lists (RankingSink): what the sum reducer writes, `source<TAB>
 * target<TAB>count` lines grouped by source (the phase is partitioned by
 * source when --top is given), filtered by --min-count, scored, and with --top
 * cut to each source's N best: score desc, count desc, target bytes asc (a
 * bounded heap per source, top-n.ts), written in line order like the rest. A score other than count adds a 4th column.
 * The sum reducer writes whole lines and calls maybeFlush after each, so the
 * lines are taken from its buffer there and it never grows.
 */
import { NEWLINE } from '../../io/lines';
import { ByteSink, FlushableSink, MemorySink, putBytes } from '../../io/sink';
import { TAB } from '../views';
import { formatScore, ScoreName, scoreOf } from './scores';
import { Supports } from './supports';
import { Candidates, TopN } from './top-n';
import type { PairRows } from '../sum/reducer';

export interface RankOptions {
  score: ScoreName;
  /** Targets kept per source, 0 = all. */
  top: number;
  minCount: number;
  /** Required for any score but count. */
  supports: Supports | null;
}

export class RankingSink extends MemorySink implements FlushableSink, PairRows {
  private source: Buffer | null = null;
  private sourceSupport = 0;
  private readonly top: TopN | null;
  private readonly withScore: boolean;
  /** Lines written (the list_rows_out counter). */
  rows = 0;

  constructor(
    private readonly out: ByteSink & Partial<FlushableSink>,
    private readonly opts: RankOptions,
  ) {
    super();
    this.withScore = opts.score !== 'count';
    if (this.withScore && opts.supports === null) throw new Error(`--score ${opts.score} needs the supports file`);
    this.top = opts.top > 0 ? new TopN(opts.top, new Candidates()) : null;
  }

  /** Takes the whole lines written so far. */
  maybeFlush(): void {
    const buf = this.reserve(0);
    let start = 0;
    while (start < this.pos) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl < 0 || nl >= this.pos) break;
      this.line(buf, start, nl);
      start = nl + 1;
    }
    buf.copy(buf, 0, start, this.pos);
    this.pos -= start;
  }

  /** End of input: the last source's list. */
  end(): void {
    this.maybeFlush();
    this.endSource();
    if (this.out.maybeFlush) this.out.maybeFlush();
  }

  private line(buf: Buffer, start: number, end: number): void {
    // The sum reducer's own lines: three fields (a byte loop beats two indexOf calls on short lines).
    let t1 = start;
    while (buf[t1] !== TAB) t1++;
    let t2 = t1 + 1;
    while (buf[t2] !== TAB) t2++;
    let c = 0;
    if (end - t2 - 1 <= 15) for (let i = t2 + 1; i < end; i++) c = c * 10 + (buf[i] - 0x30);
    else c = Number(buf.toString('latin1', t2 + 1, end));
    this.row(buf, start, t1, t2, end, c);
  }

  /** The sum reducer's line [start, end) where it read it: its source ends at t1, its key at keyEnd, its count is small. */
  pair(buf: Buffer, start: number, t1: number, keyEnd: number, end: number, count: number): void {
    this.row(buf, start, t1, keyEnd, end, count);
  }

  /** A line of the sum reducer, its fields found: source [start, t1), target to t2, count c to end. */
  private row(buf: Buffer, start: number, t1: number, t2: number, end: number, c: number): void {
    if (c < this.opts.minCount) return;
    if (!this.isSource(buf, start, t1)) {
      this.endSource();
      this.source = Buffer.from(buf.subarray(start, t1));
      this.sourceSupport = this.withScore ? this.support(this.source.toString('latin1')) : 0;
    }
    const supports = this.opts.supports;
    const score = this.withScore && supports !== null
      ? scoreOf(this.opts.score, c, this.sourceSupport, this.support(buf.toString('latin1', t1 + 1, t2)), supports.total)
      : c;
    if (this.top === null) {
      this.write(buf, start, end, score);
      return;
    }
    if (this.top.rejects(score, c)) return;
    this.top.add(this.top.cands.push(buf, start, t2 + 1, end, score, c));
  }

  /** Whether bytes [start, end) are the current source (a loop: Buffer#compare costs more on short ids). */
  private isSource(buf: Buffer, start: number, end: number): boolean {
    const src = this.source;
    if (src === null || src.length !== end - start) return false;
    for (let i = 0; i < src.length; i++) if (src[i] !== buf[start + i]) return false;
    return true;
  }

  private support(id: string): number {
    const n = this.opts.supports?.byId.get(id);
    if (n === undefined) throw new Error(`no support for product ${JSON.stringify(id)} in the supports file`);
    return n;
  }

  /** The current source's kept list, in line order (targets ascending). */
  private endSource(): void {
    const top = this.top;
    if (this.source === null || top === null) return;
    const out = this.out;
    const cands = top.cands;
    const all = top.keepsAll();
    const kept = top.take();
    if (all && !this.withScore) {
      // Every line kept, as it came: the arena is the list.
      putBytes(out, cands.arena, 0, cands.used);
      this.rows += cands.n;
      if (out.maybeFlush) out.maybeFlush();
    } else {
      for (const i of kept) {
        putBytes(out, cands.arena, cands.off[i], cands.end[i]);
        this.finishLine(cands.score[i]);
      }
    }
    cands.clear();
  }

  /** The sum reducer's line [start, end) as it is, then the score if any. */
  private write(buf: Buffer, start: number, end: number, score: number): void {
    putBytes(this.out, buf, start, end);
    this.finishLine(score);
  }

  private finishLine(score: number): void {
    const out = this.out;
    if (this.withScore) {
      const s = formatScore(score);
      const b = out.reserve(s.length + 1);
      b[out.pos++] = TAB;
      out.pos += b.write(s, out.pos, 'latin1');
    }
    out.reserve(1)[out.pos++] = NEWLINE;
    this.rows++;
    if (out.maybeFlush) out.maybeFlush();
  }
}
