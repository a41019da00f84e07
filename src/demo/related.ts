/** Pure helpers of the demo's "people who viewed X also viewed" printer. */
import { BestRows, ResultLines, ResultRow } from '../core/rank/result-row';
import { classifyView } from '../core/views';

export interface Related {
  /** The id as UTF-8 text. */
  target: string;
  /** Decimal digits. */
  count: string;
  /** The 4th column when the job ranked by a score (docs/scores.md). */
  score?: number;
}

/** latin1 (one char per byte) -> UTF-8 text, and back: the demo reads and prints text, the rows hold bytes. */
const asText = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');
const asBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** Keeps, per source, the top n targets (0 = all) in the job's ranking (src/core/rank/result-row.ts). */
export class TopRelated {
  private readonly lists = new Map<string, BestRows<ResultRow>>();
  private readonly lines = new ResultLines();

  constructor(sources: readonly string[], n: number) {
    for (const s of sources) this.lists.set(asBytes(s), new BestRows(n));
  }

  /** Offers one result line `source<TAB>target<TAB>count[<TAB>score]` (every line in order, blank ones too); throws ResultRowError when it is not one. */
  offer(line: string): void {
    const row = this.lines.row(line);
    if (row !== null) this.lists.get(row.source)?.add(row);
  }

  top(source: string): Related[] {
    const rows = this.lists.get(asBytes(source))?.best() ?? [];
    return rows.map((r) => (r.score === null ? { target: asText(r.target), count: r.count } : { target: asText(r.target), count: r.count, score: r.score }));
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

/** 4146 -> "4,146" (a number or decimal digits): the demo is read by people, not parsed. */
export function thousands(n: number | string): string {
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
          `  ${r.target.padEnd(width)}  ${numbers[i].padStart(numberWidth)} session${r.count === '1' ? '' : 's'} viewed both` +
          `${r.score === undefined ? '' : `, score ${r.score.toPrecision(4)}`}\n`,
      )
      .join('')
  );
}
