/** Pure helpers of the demo's "people who viewed X also viewed" printer. */
import { classifyView } from '../core/views';

export interface Related {
  target: string;
  count: number;
  /** The 4th column when the job ranked by a score (docs/scores.md). */
  score?: number;
}

/** Keeps, per source, the top n targets in the job's ranking: score (when given), count, target byte order. */
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
    // A score column may follow the count.
    const t3 = row.indexOf('\t', t2 + 1);
    const count = Number(row.slice(t2 + 1, t3 === -1 ? undefined : t3));
    list.push(t3 === -1 ? { target: row.slice(t1 + 1, t2), count } : { target: row.slice(t1 + 1, t2), count, score: Number(row.slice(t3 + 1)) });
    if (list.length > this.n * 4) this.trim(list);
  }

  top(source: string): Related[] {
    const list = this.lists.get(source) ?? [];
    this.trim(list);
    return list;
  }

  private trim(list: Related[]): void {
    list.sort((a, b) => (b.score ?? b.count) - (a.score ?? a.count) || b.count - a.count || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    list.length = Math.min(list.length, this.n);
  }
}

/**
 * Sessions per product: a product counts once per path however often it was
 * viewed there, as the job's pair counts do, so the two numbers compare.
 */
export class SessionCounts {
  private readonly paths = new Map<string, Set<string>>();

  /** Offers one views line `path<TAB>product`; what the job skips (the header, junk) is ignored. */
  offer(line: string): void {
    const bytes = Buffer.from(line);
    if (classifyView(bytes, 0, bytes.length) !== 'ok') return;
    const fields = line.replace(/\r$/, '').split('\t');
    let set = this.paths.get(fields[1]);
    if (set === undefined) this.paths.set(fields[1], (set = new Set()));
    set.add(fields[0]);
  }

  counts(): Map<string, number> {
    return new Map([...this.paths].map(([p, s]) => [p, s.size]));
  }
}

/** The n products in the most sessions (ties: product byte order). */
export function mostViewed(counts: Map<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([p]) => p);
}

/** 4146 -> "4,146": the demo is read by people, not parsed. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

const plural = (n: number, word: string): string => `${thousands(n)} ${word}${n === 1 ? '' : 's'}`;

/** One product's block of the demo's output, each number saying what it counts. */
export function formatRelated(product: string, sessions: number, list: readonly Related[]): string {
  const head = `People who viewed ${product} (viewed in ${plural(sessions, 'session')}) also viewed:\n`;
  if (list.length === 0) return `${head}  (no other product was viewed in the same sessions)\n`;
  const width = Math.max(...list.map((r) => r.target.length));
  const numbers = list.map((r) => thousands(r.count));
  const numberWidth = Math.max(...numbers.map((n) => n.length));
  return (
    head +
    list
      .map(
        (r, i) =>
          `  ${r.target.padEnd(width)}  ${numbers[i].padStart(numberWidth)} session${r.count === 1 ? '' : 's'} viewed both` +
          `${r.score === undefined ? '' : `, score ${r.score.toPrecision(4)}`}\n`,
      )
      .join('')
  );
}
