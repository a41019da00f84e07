/** Pure helpers of the demo's "people who viewed X also viewed" printer. */

export interface Related {
  target: string;
  count: number;
}

/** Keeps, per source, the top n targets by count (ties: target byte order). */
export class TopRelated {
  private readonly lists = new Map<string, Related[]>();
  constructor(
    sources: readonly string[],
    private readonly n: number,
  ) {
    for (const s of sources) this.lists.set(s, []);
  }

  /** Offers one result row `source<TAB>target<TAB>count`. */
  offer(row: string): void {
    const t1 = row.indexOf('\t');
    const list = this.lists.get(row.slice(0, t1));
    if (list === undefined) return;
    const t2 = row.indexOf('\t', t1 + 1);
    list.push({ target: row.slice(t1 + 1, t2), count: Number(row.slice(t2 + 1)) });
    if (list.length > this.n * 4) this.trim(list);
  }

  top(source: string): Related[] {
    const list = this.lists.get(source) ?? [];
    this.trim(list);
    return list;
  }

  private trim(list: Related[]): void {
    list.sort((a, b) => b.count - a.count || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    list.length = Math.min(list.length, this.n);
  }
}

/** The n most viewed products of `path<TAB>product` rows (a product counted once per row). */
export function mostViewed(counts: Map<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([p]) => p);
}
