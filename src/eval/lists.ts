/**
 * The lists of the queried products, from a job result file
 * (`source<TAB>target<TAB>count[<TAB>score]`, in any line order), parsed and
 * ranked as every reader does (src/core/rank/result-row.ts): score
 * descending (the count when there is no score column), then count
 * descending, then target id bytes ascending. Only queried sources' rows are
 * kept (a few times `keep` per source); every source is counted once, for
 * coverage.
 */
import { BestRows, RankKey, ResultLines, rowOf } from '../core/rank/result-row';

export class ListCollector {
  private readonly rows = new Map<string, BestRows<RankKey>>();
  private readonly sources = new Set<string>();
  private readonly lines = new ResultLines();
  private lastSource = Buffer.alloc(0);
  private lastSourceText = '';

  /** queries: the products whose lists matter; keep: list length wanted. */
  constructor(
    private readonly queries: ReadonlySet<string>,
    private readonly keep: number,
  ) {}

  readonly line = (buf: Buffer, start: number, end: number): void => {
    const s = this.lines.span(buf, start, end);
    if (s === null) return;
    // Result files hold a source's rows together: decode a source once per block.
    if (this.lastSource.compare(buf, s.start, s.t1) !== 0) {
      this.lastSource = Buffer.from(buf.subarray(s.start, s.t1));
      this.lastSourceText = this.lastSource.toString('latin1');
      this.sources.add(this.lastSourceText);
    }
    const source = this.lastSourceText;
    if (!this.queries.has(source)) return;
    let list = this.rows.get(source);
    if (list === undefined) this.rows.set(source, (list = new BestRows(this.keep)));
    list.add(rowOf(buf, s));
  };

  readonly overlong = (length: number): void => this.lines.overlong(length);

  /** Distinct sources seen: the products with a non-empty list. */
  sourceCount(): number {
    return this.sources.size;
  }

  /** Each queried product's best `keep` targets, best first. */
  lists(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [source, rows] of this.rows) out.set(source, rows.best().map((r) => r.target));
    return out;
  }
}
