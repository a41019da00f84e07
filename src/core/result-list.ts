/**
 * One product's list from a result file, for `related.js --product`: its rows
 * (src/core/rank/result-row.ts: parsed, ranked and kept as every reader does),
 * printed as `target<TAB>count[<TAB>score]`, the columns as written.
 *
 * The scanner stops after the product's block, so the file must hold each
 * source's rows together, as run-job.sh writes it (sorted by source). An
 * unknown product costs a full scan. Every line read is checked, so a file of
 * another kind is named as such at its first line.
 */
import { BestRows, ResultLines, ResultRow, rowOf } from './rank/result-row';

/** related.js's exit code for a product that has no rows in the file. */
export const EXIT_NOT_FOUND = 3;

/** `target<TAB>count[<TAB>score]` lines. */
export function formatRows(rows: readonly ResultRow[]): Buffer {
  let text = '';
  for (const r of rows) text += `${r.target}\t${r.count}${r.scoreText === null ? '' : `\t${r.scoreText}`}\n`;
  return Buffer.from(text, 'latin1');
}

/**
 * Feed it a result file's lines (LineSplitter's handlers); `done` turns true
 * once the product's block has ended, and `rows()` gives its best `top` rows
 * (0 = all), or null when the product had none.
 */
export class ProductListScanner {
  done = false;
  private readonly lines = new ResultLines();
  private readonly list: BestRows<ResultRow>;
  private found = false;

  constructor(
    private readonly product: Buffer,
    top: number,
  ) {
    this.list = new BestRows(top);
  }

  readonly line = (buf: Buffer, start: number, end: number): void => {
    if (this.done) return;
    // The line after the block ends the scan unread (blank lines aside).
    const blank = end === start || (end === start + 1 && buf[start] === 0x0d);
    if (this.found && !blank && !this.isMine(buf, start, end)) {
      this.done = true;
      return;
    }
    const s = this.lines.span(buf, start, end);
    if (s === null || s.t1 - s.start !== this.product.length || !this.isMine(buf, start, end)) return;
    this.found = true;
    this.list.add(rowOf(buf, s));
  };

  /** Whether line [start, end) starts with the product's id and a TAB. */
  private isMine(buf: Buffer, start: number, end: number): boolean {
    const n = this.product.length;
    return end - start > n && buf[start + n] === 0x09 && this.product.compare(buf, start, start + n) === 0;
  }

  readonly overlong = (length: number): void => this.lines.overlong(length);

  rows(): ResultRow[] | null {
    return this.found ? this.list.best() : null;
  }
}
