/**
 * A result file's lists held compactly for the file store: each product's
 * kept rows as the file's own bytes (`target<TAB>count[<TAB>score]\n`, the
 * source left out) in a few large arena buffers, one contiguous segment per
 * product, so memory stays below the file's size. The job writes each
 * product's rows together (sorted by line), so a product's run is trimmed to
 * its best `keep` rows as soon as it ends (and while it grows past 4×keep);
 * a product whose rows come back later (a file in any order) is merged into
 * its list at the end, through the row objects of result-row.ts.
 */
import { BestRows, RankKey, ResultLines, compareRows } from '../core/rank/result-row';

const NL = 0x0a;
const TAB = 0x09;
const ZERO = 0x30;
const ARENA_BYTES = 32 << 20;

/** A product's list, ranked, with its co-view total and its rows in the file (before trimming). */
export interface ListFacts {
  rows: RankKey[];
  coViews: number;
  related: number;
}

/** A kept row: its ranking fields and where its bytes are in the segment. */
interface SegmentRow extends RankKey {
  readonly from: number;
  readonly to: number;
}

/** The rows of a segment [start, end) of arena bytes, in stored order. */
function segmentRows(buf: Buffer, start: number, end: number): SegmentRow[] {
  const out: SegmentRow[] = [];
  for (let from = start; from < end; ) {
    const to = buf.indexOf(NL, from) + 1;
    const t1 = buf.indexOf(TAB, from);
    let t2 = buf.indexOf(TAB, t1 + 1);
    if (t2 === -1 || t2 >= to) t2 = to - 1;
    out.push({
      target: buf.toString('latin1', from, t1),
      count: buf.toString('latin1', t1 + 1, t2),
      score: t2 === to - 1 ? null : Number(buf.toString('latin1', t2 + 1, to - 1)),
      from,
      to,
    });
    from = to;
  }
  return out;
}

/** The loaded lists: per product (latin1 id) a segment of one arena, and its facts. */
export class FileLists {
  constructor(
    readonly ids: string[],
    readonly index: Map<string, number>,
    private readonly arenas: Buffer[],
    private readonly arenaOf: number[],
    private readonly offset: number[],
    private readonly length: number[],
    readonly coViews: number[],
    readonly related: number[],
    /** Data rows the file held. */
    readonly fileRows: number,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** Product i's kept rows, best first. */
  ranked(i: number): RankKey[] {
    const buf = this.arenas[this.arenaOf[i]];
    return segmentRows(buf, this.offset[i], this.offset[i] + this.length[i]).sort(compareRows);
  }

  /** A product's list and facts (tests, tools); undefined without one. */
  get(id: string): ListFacts | undefined {
    const i = this.index.get(id);
    if (i === undefined) return undefined;
    const rows = this.ranked(i).map(({ target, count, score }) => ({ target, count, score }));
    return { rows, coViews: this.coViews[i], related: this.related[i] };
  }

  /** Bytes held by the arenas. */
  get arenaBytes(): number {
    return this.arenas.reduce((n, a) => n + a.length, 0);
  }
}

/** Parses a result file's lines (src/core/rank/result-row.ts) into FileLists of each product's best `keep` rows. */
export class ResultLoader {
  private readonly lines = new ResultLines();
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly arenas: Buffer[] = [];
  private readonly arenaOf: number[] = [];
  private readonly offset: number[] = [];
  private readonly length: number[] = [];
  private readonly coViews: number[] = [];
  private readonly related: number[] = [];
  /** Products seen again after their run ended: their later rows, merged at the end. */
  private readonly spill = new Map<number, BestRows<RankKey>>();
  private arena: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** The current run: its product's index and id bytes, where its segment starts, its rows; -1 before any. */
  private run = -1;
  private runId: Buffer = Buffer.alloc(256);
  private runIdLen = 0;
  private runStart = 0;
  private runRows = 0;
  private spillRun: BestRows<RankKey> | null = null;
  private rows = 0;

  /** arenaBytes: each arena's size (tests make it small, to cross arenas). */
  constructor(
    private readonly keep: number,
    private readonly arenaBytes = ARENA_BYTES,
  ) {}

  readonly line = (buf: Buffer, start: number, end: number): void => {
    const span = this.lines.span(buf, start, end);
    if (span === null) return;
    this.rows++;
    if (!this.sameSource(buf, span.start, span.t1)) this.startRun(buf, span.start, span.t1);
    const i = this.run;
    let count = 0;
    for (let c = span.t2 + 1; c < span.t3; c++) count = count * 10 + buf[c] - ZERO;
    this.coViews[i] += count;
    this.related[i]++;
    if (this.spillRun !== null) {
      const scoreEnd = span.end;
      this.spillRun.add({
        target: buf.toString('latin1', span.t1 + 1, span.t2),
        count: buf.toString('latin1', span.t2 + 1, span.t3),
        score: span.t3 === scoreEnd ? null : Number(buf.toString('latin1', span.t3 + 1, scoreEnd)),
      });
      return;
    }
    this.append(buf, span.t1 + 1, span.end);
    if (++this.runRows > this.keep * 4 + 64) this.trimRun();
  };

  readonly overlong = (length: number): void => this.lines.overlong(length);

  /** The lists, once every line is in. */
  finish(): FileLists {
    this.endRun();
    for (const [i, more] of this.spill) {
      const k = this.arenaOf[i];
      const buf = k === this.arenas.length ? this.arena : this.arenas[k];
      for (const r of segmentRows(buf, this.offset[i], this.offset[i] + this.length[i])) more.add(r);
      const text = more
        .best()
        .map((r) => `${r.target}\t${r.count}${r.score === null ? '' : `\t${r.score}`}\n`)
        .join('');
      this.place(i, Buffer.from(text, 'latin1'));
    }
    if (this.arena.length > 0) this.arenas.push(this.arena.subarray(0, this.pos));
    return new FileLists(this.ids, this.index, this.arenas, this.arenaOf, this.offset, this.length, this.coViews, this.related, this.rows);
  }

  private sameSource(buf: Buffer, start: number, end: number): boolean {
    if (this.run === -1 || end - start !== this.runIdLen) return false;
    const id = this.runId;
    for (let i = start, j = 0; i < end; i++, j++) if (buf[i] !== id[j]) return false;
    return true;
  }

  private startRun(buf: Buffer, start: number, end: number): void {
    this.endRun();
    const len = end - start;
    if (len > this.runId.length) this.runId = Buffer.alloc(Math.max(len, this.runId.length * 2));
    buf.copy(this.runId, 0, start, end);
    this.runIdLen = len;
    const id = buf.toString('latin1', start, end);
    const seen = this.index.get(id);
    if (seen !== undefined) {
      this.run = seen;
      this.spillRun = this.spill.get(seen) ?? new BestRows<RankKey>(this.keep);
      this.spill.set(seen, this.spillRun);
      return;
    }
    this.run = this.ids.length;
    this.ids.push(id);
    this.index.set(id, this.run);
    this.coViews.push(0);
    this.related.push(0);
    this.arenaOf.push(0);
    this.offset.push(0);
    this.length.push(0);
    this.runStart = this.pos;
    this.runRows = 0;
  }

  private endRun(): void {
    if (this.run === -1 || this.spillRun !== null) {
      this.spillRun = null;
      return;
    }
    if (this.runRows > this.keep) this.trimRun();
    this.arenaOf[this.run] = this.arenas.length;
    this.offset[this.run] = this.runStart;
    this.length[this.run] = this.pos - this.runStart;
  }

  /** Keeps the run's best `keep` rows, rewritten in place, best first. */
  private trimRun(): void {
    const rows = segmentRows(this.arena, this.runStart, this.pos).sort(compareRows).slice(0, this.keep);
    const kept = Buffer.concat(rows.map((r) => this.arena.subarray(r.from, r.to)));
    kept.copy(this.arena, this.runStart);
    this.pos = this.runStart + kept.length;
    this.runRows = rows.length;
  }

  /** Appends bytes [start, end) and a newline to the current run's segment. */
  private append(buf: Buffer, start: number, end: number): void {
    const n = end - start + 1;
    if (this.pos + n > this.arena.length) this.grow(n);
    const a = this.arena;
    let p = this.pos;
    // A byte loop beats Buffer#copy's call for the short rows of a result file.
    if (n < 64) for (let i = start; i < end; i++) a[p++] = buf[i];
    else p += buf.copy(a, p, start, end);
    a[p++] = NL;
    this.pos = p;
  }

  /** A new arena with room for the current run and n more bytes (a segment never spans two). */
  private grow(n: number): void {
    const runBytes = this.pos - this.runStart;
    const next = Buffer.allocUnsafeSlow(Math.max(this.arenaBytes, (runBytes + n) * 2));
    this.arena.copy(next, 0, this.runStart, this.pos);
    if (this.arena.length > 0) this.arenas.push(this.arena.subarray(0, this.runStart));
    this.arena = next;
    this.runStart = 0;
    this.pos = runBytes;
  }

  /** Product i's segment becomes `bytes` (appended after everything else). */
  private place(i: number, bytes: Buffer): void {
    this.runStart = this.pos;
    if (this.pos + bytes.length > this.arena.length) this.grow(bytes.length);
    bytes.copy(this.arena, this.pos);
    this.arenaOf[i] = this.arenas.length;
    this.offset[i] = this.pos;
    this.length[i] = bytes.length;
    this.pos += bytes.length;
  }
}
