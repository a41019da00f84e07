/**
 * The lists of the queried products, from a job result file
 * (`source<TAB>target<TAB>count[<TAB>score]`, in any line order), ranked as the
 * ranked-lists contract says: score descending (the count when there is no
 * score column), then count descending, then target id bytes ascending.
 * Only queried sources' rows are kept (a few times `keep` per source); every
 * source is counted once, for coverage.
 */
import { TAB, trimCr } from '../core/views';

export interface ListRow {
  target: string;
  count: number;
  score: number;
}

/** Best first. Ids are latin1 strings, so `<` is byte order. */
export function compareListRows(a: ListRow, b: ListRow): number {
  return b.score - a.score || b.count - a.count || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0);
}

/** A line that is not a result row. */
export class ResultRowError extends Error {}

export class ListCollector {
  private readonly rows = new Map<string, ListRow[]>();
  private readonly sources = new Set<string>();
  private lastSource = Buffer.alloc(0);
  private lastSourceText = '';
  private lineNo = 0;

  /** queries: the products whose lists matter; keep: list length wanted. */
  constructor(
    private readonly queries: ReadonlySet<string>,
    private readonly keep: number,
  ) {}

  readonly line = (buf: Buffer, start: number, end: number): void => {
    this.lineNo++;
    end = trimCr(buf, start, end);
    if (end === start) return;
    const t1 = buf.indexOf(TAB, start);
    const t2 = t1 < 0 || t1 >= end ? -1 : buf.indexOf(TAB, t1 + 1);
    if (t2 < 0 || t2 >= end || t1 === start || t2 === t1 + 1) this.bad(buf, start, end);
    // Result files hold a source's rows together: decode a source once per block.
    if (this.lastSource.compare(buf, start, t1) !== 0) {
      this.lastSource = Buffer.from(buf.subarray(start, t1));
      this.lastSourceText = this.lastSource.toString('latin1');
      this.sources.add(this.lastSourceText);
    }
    const source = this.lastSourceText;
    if (!this.queries.has(source)) return;
    let t3 = buf.indexOf(TAB, t2 + 1);
    if (t3 < 0 || t3 >= end) t3 = end;
    const count = Number(buf.toString('latin1', t2 + 1, t3));
    const score = t3 === end ? count : Number(buf.toString('latin1', t3 + 1, end));
    if (!Number.isFinite(count) || !Number.isFinite(score)) this.bad(buf, start, end);
    let list = this.rows.get(source);
    if (list === undefined) this.rows.set(source, (list = []));
    list.push({ target: buf.toString('latin1', t1 + 1, t2), count, score });
    if (list.length > this.keep * 4 + 64) this.rows.set(source, list.sort(compareListRows).slice(0, this.keep));
  };

  /** Distinct sources seen: the products with a non-empty list. */
  sourceCount(): number {
    return this.sources.size;
  }

  /** Each queried product's best `keep` targets, best first. */
  lists(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [source, rows] of this.rows) out.set(source, rows.sort(compareListRows).slice(0, this.keep).map((r) => r.target));
    return out;
  }

  private bad(buf: Buffer, start: number, end: number): never {
    const shown = buf.toString('latin1', start, Math.min(end, start + 80));
    throw new ResultRowError(`line ${this.lineNo} is not a result row (source<TAB>target<TAB>count[<TAB>score]): ${JSON.stringify(shown)}`);
  }
}
