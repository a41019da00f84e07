/**
 * One product's list from a result file (`source<TAB>target<TAB>count`, an
 * optional 4th score column), for `related.js --product`. Ids are opaque
 * bytes: sources and targets are compared as bytes, counts as decimal digit
 * strings (exact at any size, never parsed into numbers).
 *
 * The scanner stops after the product's block, so the file must hold each
 * source's rows together, as run-job.sh writes it (sorted by source). An
 * unknown product costs a full scan.
 */

/** related.js's exit code for a product that has no rows in the file. */
export const EXIT_NOT_FOUND = 3;

export interface ListRow {
  target: Buffer;
  /** Decimal digits. */
  count: Buffer;
  /** The 4th column, as written, when the file has one. */
  score: Buffer | null;
}

/** A line that is not `source<TAB>target<TAB>count[<TAB>score]`. */
export class ResultFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultFormatError';
  }
}

const TAB = 0x09;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;

/** Compares decimal digit strings by value: leading zeros aside, more digits is more, then byte order. */
export function compareCounts(a: Buffer, b: Buffer): number {
  let i = 0;
  let j = 0;
  while (i < a.length - 1 && a[i] === ZERO) i++;
  while (j < b.length - 1 && b[j] === ZERO) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  return a.compare(b, j, b.length, i, a.length);
}

/** Best first, the job's order (docs/scores.md): score descending when rows have one, then count descending, then target bytes ascending. */
export function compareRows(x: ListRow, y: ListRow): number {
  if (x.score !== null && y.score !== null) {
    const a = Number(x.score.toString('latin1'));
    const b = Number(y.score.toString('latin1'));
    if (a !== b) return a > b ? -1 : 1;
  }
  return compareCounts(y.count, x.count) || Buffer.compare(x.target, y.target);
}

/** The first n rows in best-first order (n = 0: all). */
export function bestRows(rows: ListRow[], n: number): ListRow[] {
  const sorted = [...rows].sort(compareRows);
  return n === 0 ? sorted : sorted.slice(0, n);
}

/** `target<TAB>count[<TAB>score]` lines. */
export function formatRows(rows: readonly ListRow[]): Buffer {
  const parts: Buffer[] = [];
  const tab = Buffer.from('\t');
  const nl = Buffer.from('\n');
  for (const r of rows) {
    parts.push(r.target, tab, r.count);
    if (r.score !== null) parts.push(tab, r.score);
    parts.push(nl);
  }
  return Buffer.concat(parts);
}

function isDigits(buf: Buffer, start: number, end: number): boolean {
  if (start === end) return false;
  for (let i = start; i < end; i++) if (buf[i] < ZERO || buf[i] > NINE) return false;
  return true;
}

/**
 * Feed it a result file's lines (LineSplitter's handlers); `done` turns true
 * once the product's block has ended, and `rows()` gives its best `top` rows
 * (0 = all), or null when the product had none.
 */
export class ProductListScanner {
  done = false;
  private lineNo = 0;
  private found = false;
  private list: ListRow[] = [];

  constructor(
    private readonly product: Buffer,
    private readonly top: number,
  ) {}

  readonly line = (buf: Buffer, start: number, end: number): void => {
    if (this.done) return;
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    if (end === start) return;
    const t1 = buf.indexOf(TAB, start);
    if (t1 === -1 || t1 >= end) this.bad(buf, start, end);
    const mine = this.product.compare(buf, start, t1) === 0;
    // The first line is checked whole, so a file of another kind is named as such.
    if (mine || this.lineNo === 1) this.row(buf, start, t1, end, mine);
    if (mine) this.found = true;
    else if (this.found) this.done = true;
  };

  readonly overlong = (length: number): void => {
    this.lineNo++;
    throw new ResultFormatError(`line ${this.lineNo}: ${length} bytes long, not a result row`);
  };

  rows(): ListRow[] | null {
    return this.found ? bestRows(this.list, this.top) : null;
  }

  private row(buf: Buffer, start: number, t1: number, end: number, keep: boolean): void {
    const t2 = buf.indexOf(TAB, t1 + 1);
    if (t2 === -1 || t2 >= end || t2 === t1 + 1 || t1 === start) this.bad(buf, start, end);
    let t3 = buf.indexOf(TAB, t2 + 1);
    if (t3 === -1 || t3 >= end) t3 = end;
    else if (buf.indexOf(TAB, t3 + 1) !== -1 && buf.indexOf(TAB, t3 + 1) < end) this.bad(buf, start, end);
    if (!isDigits(buf, t2 + 1, t3)) this.bad(buf, start, end);
    if (!keep) return;
    this.list.push({
      target: Buffer.from(buf.subarray(t1 + 1, t2)),
      count: Buffer.from(buf.subarray(t2 + 1, t3)),
      score: t3 === end ? null : Buffer.from(buf.subarray(t3 + 1, end)),
    });
    // Trimmed now and then, so a long block keeps only a few times `top` rows.
    if (this.top > 0 && this.list.length > this.top * 4 + 64) this.list = bestRows(this.list, this.top);
  }

  private bad(buf: Buffer, start: number, end: number): never {
    const shown = buf.toString('latin1', start, Math.min(end, start + 80)) + (end - start > 80 ? '...' : '');
    throw new ResultFormatError(
      `line ${this.lineNo} is not a result row (source<TAB>target<TAB>count[<TAB>score]): ${JSON.stringify(shown)}`,
    );
  }
}
