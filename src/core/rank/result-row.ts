/**
 * The result row, `source<TAB>target<TAB>count[<TAB>score]` (docs/scores.md),
 * for every reader of a result file: related.js, serve.js, evaluate.js and the
 * demo; lib/db-import.sh ranks in the same order (test/db-ranked.test.ts holds
 * it to compareRows). One parser, one comparator, one bounded best-N holder.
 *
 * Ids are opaque bytes, held as latin1 strings (one char per byte, so `<`
 * compares the bytes); counts stay decimal digits (exact at any size); a score
 * is a finite decimal, as the job writes it (formatScore): `nan`, `inf`, hex or
 * an empty column make the line not a row. A file's rows all have 3 columns or
 * all 4. The sum reducer ranks over typed arrays instead (top-n.ts, the hot
 * path); test/helpers/ranking-reference.ts holds both to the same order.
 */
/** What ranks a row: score desc (when rows have one), count desc, target bytes asc. */
export interface RankKey {
  /** Id bytes as latin1. */
  readonly target: string;
  /** Decimal digits as written. */
  readonly count: string;
  /** The 4th column's value; null when the file has none (ranked by count). */
  readonly score: number | null;
}

export interface ResultRow extends RankKey {
  /** Id bytes as latin1. */
  readonly source: string;
  /** The 4th column as written, null without one. */
  readonly scoreText: string | null;
}

/** A row's field bounds in its line: source [start, t1), target (t1, t2), count (t2, t3), score (t3, end) when t3 < end. */
export interface RowSpan {
  readonly start: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly end: number;
}

const TAB = 0x09;
const CR = 0x0d;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

/** Bytes [start, end) are `[0-9]+`. */
function isDigits(buf: Uint8Array, start: number, end: number): boolean {
  if (start === end) return false;
  for (let i = start; i < end; i++) if (!isDigit(buf[i])) return false;
  return true;
}

/** Bytes [start, end) are a decimal: `[-+]?(digits[.digits?] | .digits)([eE][-+]?digits)?`; 1 when one without exponent, 2 with, 0 when none. */
function decimalForm(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
  let digits = 0;
  for (; i < end && isDigit(buf[i]); i++) digits++;
  if (i < end && buf[i] === DOT) for (i++; i < end && isDigit(buf[i]); i++) digits++;
  if (digits === 0) return 0;
  if (i === end) return 1;
  if ((buf[i] | 0x20) !== 0x65 /* e or E */) return 0;
  i++;
  if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
  return isDigits(buf, i, end) ? 2 : 0;
}

/** The score rule: a finite decimal (so not nan, inf, 0x1F, an empty column, nor 1e999); its value, or null when it is not one. */
function scoreValue(buf: Buffer, start: number, end: number): number | null {
  if (decimalForm(buf, start, end) === 0) return null;
  const x = Number(buf.toString('latin1', start, end));
  return Number.isFinite(x) ? x : null;
}

/** Whether [start, end) is a score: scoreValue without reading the number where it must be finite (no exponent, under 300 bytes). */
function isScore(buf: Buffer, start: number, end: number): boolean {
  const form = decimalForm(buf, start, end);
  return form === 1 && end - start < 300 ? true : form !== 0 && scoreValue(buf, start, end) !== null;
}

/** Line [start, end) (no '\n' nor trailing CR)'s fields, or null when it is not a result row. */
export function rowSpan(buf: Buffer, start: number, end: number): RowSpan | null {
  // One pass of byte loops: Buffer#indexOf costs more than the short fields it would skip.
  let t1 = start;
  while (t1 < end && buf[t1] !== TAB) t1++;
  if (t1 === start || t1 >= end) return null;
  let t2 = t1 + 1;
  while (t2 < end && buf[t2] !== TAB) t2++;
  if (t2 === t1 + 1 || t2 >= end) return null;
  let t3 = t2 + 1;
  while (t3 < end && isDigit(buf[t3])) t3++;
  if (t3 === t2 + 1 || (t3 < end && buf[t3] !== TAB)) return null;
  if (t3 < end && !isScore(buf, t3 + 1, end)) return null;
  return { start, t1, t2, t3, end };
}

/** The source's bytes (latin1) of a checked row. */
export function sourceOf(buf: Buffer, s: RowSpan): string {
  return buf.toString('latin1', s.start, s.t1);
}

/** A checked row's fields. */
export function rowOf(buf: Buffer, s: RowSpan): ResultRow {
  const scoreText = s.t3 === s.end ? null : buf.toString('latin1', s.t3 + 1, s.end);
  return {
    source: buf.toString('latin1', s.start, s.t1),
    target: buf.toString('latin1', s.t1 + 1, s.t2),
    count: buf.toString('latin1', s.t2 + 1, s.t3),
    score: scoreText === null ? null : Number(scoreText),
    scoreText,
  };
}

/** A line that is not a result row. */
export class ResultRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultRowError';
  }
}

/** A result file's lines in order: numbers them, skips blank ones, takes a trailing CR off, checks each row and that the columns stay 3 or 4. */
export class ResultLines {
  lineNo = 0;
  private columns = 0;

  /** The row's fields, or null for a blank line; throws ResultRowError when the line is not a row. */
  span(buf: Buffer, start: number, end: number): RowSpan | null {
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    if (end === start) return null;
    const s = rowSpan(buf, start, end);
    if (s === null) this.bad(buf, start, end, '');
    const columns = s.t3 === end ? 3 : 4;
    if (this.columns === 0) this.columns = columns;
    else if (columns !== this.columns) this.bad(buf, start, end, ` (${this.columns} columns before)`);
    return s;
  }

  /** A text line (UTF-8, as a string reader gives it): its row, or null for a blank line. */
  row(line: string): ResultRow | null {
    const buf = Buffer.from(line, 'utf8');
    const s = this.span(buf, 0, buf.length);
    return s === null ? null : rowOf(buf, s);
  }

  /** LineSplitter's handler for a line past its limit. */
  readonly overlong = (length: number): never => {
    this.lineNo++;
    throw new ResultRowError(`line ${this.lineNo}: ${length} bytes long, not a result row`);
  };

  private bad(buf: Buffer, start: number, end: number, why: string): never {
    const shown = buf.toString('latin1', start, Math.min(end, start + 80)) + (end - start > 80 ? '...' : '');
    throw new ResultRowError(
      `line ${this.lineNo} is not a result row (source<TAB>target<TAB>count[<TAB>score])${why}: ${JSON.stringify(shown)}`,
    );
  }
}

/** Sign of count a - count b, decimal digit strings compared by value (leading zeros aside, more digits is more). */
export function compareCounts(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === ZERO) i++;
  while (j < b.length - 1 && b.charCodeAt(j) === ZERO) j++;
  if (a.length - i !== b.length - j) return a.length - i < b.length - j ? -1 : 1;
  for (; i < a.length; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d;
  }
  return 0;
}

/** Negative when x ranks before y, the job's order (docs/scores.md): score desc when both have one, count desc, target bytes asc. */
export function compareRows(x: RankKey, y: RankKey): number {
  if (x.score !== null && y.score !== null && x.score !== y.score) return x.score > y.score ? -1 : 1;
  const c = compareCounts(y.count, x.count);
  if (c !== 0) return c;
  return x.target < y.target ? -1 : x.target > y.target ? 1 : 0;
}

/** A list's best `keep` rows (0: all), the rows offered in any order. */
export class BestRows<T extends RankKey> {
  private rows: T[] = [];

  constructor(readonly keep: number) {}

  add(row: T): void {
    this.rows.push(row);
    // Sorting only past keep*4+64 rows keeps memory a few times keep and each row's share of the sorts O(log keep).
    if (this.keep > 0 && this.rows.length > this.keep * 4 + 64) this.rows = this.best();
  }

  /** The kept rows, best first (the holder keeps them and takes more). */
  best(): T[] {
    this.rows.sort(compareRows);
    if (this.keep > 0 && this.rows.length > this.keep) this.rows.length = this.keep;
    return this.rows;
  }
}

/** Every source's whole list in a result file's bytes, best first (sources in first-seen order); throws ResultRowError on a bad row. */
export function rankedLists(data: Buffer): Map<string, ResultRow[]> {
  const bySource = new Map<string, BestRows<ResultRow>>();
  const reader = new ResultLines();
  for (let start = 0; start < data.length; ) {
    let end = data.indexOf(10, start);
    if (end < 0) end = data.length;
    const span = reader.span(data, start, end);
    start = end + 1;
    if (span === null) continue;
    const row = rowOf(data, span);
    const list = bySource.get(row.source) ?? new BestRows<ResultRow>(0);
    list.add(row);
    bySource.set(row.source, list);
  }
  return new Map([...bySource].map(([s, l]) => [s, l.best()]));
}
