/**
 * The evaluator's verdict (its last stderr line, `recommended: NAME`): among
 * the job's scores that are not significantly worse than `count` on HR@K nor
 * on MRR@K (the upper end of the paired bootstrap's 95% interval of the
 * difference is not below zero), the one with the highest HR@K (ties: higher
 * MRR@K, then the order of --scores); `count` unless that score's HR@K beats
 * count's. Baselines (popularity) are not scores the job can run: never recommended.
 */
import { PairedDifference } from './bootstrap';

export const REFERENCE = 'count';

/** Differences this close to zero are rounding (sums of reciprocal ranks), not evidence. */
const ROUNDING = 1e-12;

export interface Contender {
  name: string;
  /** A score of the job (run-job.sh --score), not a baseline. */
  jobScore: boolean;
  hr: number;
  mrr: number;
  /** The paired difference to count (null for count itself). */
  vsCount: PairedDifference | null;
}

export interface Verdict {
  recommended: string;
  /** One line saying why. */
  reason: string;
}

/** Significantly worse than count on HR@K or on MRR@K. */
export function worseThanCount(d: PairedDifference): boolean {
  return d.hrInterval.high < -ROUNDING || d.mrrInterval.high < -ROUNDING;
}

/** The verdict; null when count was not evaluated (nothing to compare with). */
export function verdict(rows: readonly Contender[], k: number): Verdict | null {
  const count = rows.find((r) => r.name === REFERENCE);
  if (count === undefined) return null;
  let best: Contender | null = null;
  for (const r of rows) {
    if (!r.jobScore || r.name === REFERENCE || r.vsCount === null || worseThanCount(r.vsCount)) continue;
    if (!(r.hr > count.hr)) continue;
    if (best === null || r.hr > best.hr || (r.hr === best.hr && r.mrr > best.mrr)) best = r;
  }
  if (best === null) {
    const worse = rows.filter((r) => r.jobScore && r.vsCount !== null && worseThanCount(r.vsCount)).map((r) => r.name);
    const why = worse.length > 0 ? `; significantly worse: ${worse.join(', ')}` : '';
    return { recommended: REFERENCE, reason: `no score beats count on hr@${k} without being significantly worse on hr@${k} or mrr@${k}${why}` };
  }
  const pct = count.hr === 0 ? '' : ` (${best.hr >= count.hr ? '+' : ''}${((best.hr / count.hr - 1) * 100).toFixed(1)}%)`;
  return {
    recommended: best.name,
    reason: `highest hr@${k} (${best.hr.toFixed(4)} against count's ${count.hr.toFixed(4)}${pct}) of the scores not significantly worse than count`,
  };
}
