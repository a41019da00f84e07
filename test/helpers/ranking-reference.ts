/**
 * The ranking of a source's list written as plainly as possible, for tests:
 * score desc, count desc (exact, by digits), target bytes asc. The job ranks
 * with typed arrays (src/core/rank/top-n.ts); tests hold it to this.
 */

export interface Ranked {
  target: Buffer;
  /** The count's digits, as phase 2 summed them (no leading zero). */
  count: string;
  score: number;
}

/** Negative when x ranks before y: score desc, count desc (exact, by digits), target bytes asc. */
export function compareRanked(x: Ranked, y: Ranked): number {
  if (x.score !== y.score) return x.score > y.score ? -1 : 1;
  if (x.count.length !== y.count.length) return y.count.length - x.count.length;
  if (x.count !== y.count) return x.count > y.count ? -1 : 1;
  return Buffer.compare(x.target, y.target);
}
