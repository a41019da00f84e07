/**
 * The paired bootstrap over the test events: B resamples of the n events, drawn
 * with replacement by a fixed-seed generator (the same resamples for every
 * score, so the scores are compared on the same events); per resample, each
 * score's HR@K and MRR@K minus the reference's (`count`). The 95% interval of a
 * difference is the 2.5% and 97.5% percentiles of its B values: with B = 2000,
 * the 51st smallest and the 51st largest.
 */
import { rng } from '../core/random';

export const RESAMPLES = 2000;
export const SEED = 24;
export const LEVEL = 0.95;

export interface Interval {
  low: number;
  high: number;
}

/** A score's difference to the reference, both metrics: the point estimate and its interval. */
export interface PairedDifference {
  hr: number;
  mrr: number;
  hrInterval: Interval;
  mrrInterval: Interval;
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
  level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: RESAMPLES, seed: SEED, level: LEVEL };

/** The percentile interval of `values` (sorted in place): the floor(B (1 - level) / 2)-th value from each end. */
export function percentileInterval(values: Float64Array, level: number): Interval {
  values.sort();
  const cut = Math.floor((values.length * (1 - level)) / 2 + 1e-9);
  return { low: values[cut], high: values[values.length - 1 - cut] };
}

/** Per event: 1 for a hit in the top k, and the reciprocal rank (0 for a miss); ranks are 1-based, 0 = absent. */
function hitsAndRr(ranks: ArrayLike<number>, k: number): { hit: Float64Array; rr: Float64Array } {
  const hit = new Float64Array(ranks.length);
  const rr = new Float64Array(ranks.length);
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i];
    if (r > 0 && r <= k) {
      hit[i] = 1;
      rr[i] = 1 / r;
    }
  }
  return { hit, rr };
}

/**
 * Each score's paired difference to the reference over the same events.
 * `reference` and every entry of `scores`: the target's rank per event (1-based, 0 = not listed).
 */
export function pairedBootstrap(reference: ArrayLike<number>, scores: readonly ArrayLike<number>[], k: number, o: BootstrapOptions = DEFAULT_BOOTSTRAP): PairedDifference[] {
  const n = reference.length;
  if (n === 0) throw new RangeError('the bootstrap needs at least one test event');
  for (const s of scores) if (s.length !== n) throw new RangeError(`ranks of ${s.length} events against the reference's ${n}`);
  const ref = hitsAndRr(reference, k);
  const diffs = scores.map((s) => {
    const x = hitsAndRr(s, k);
    for (let i = 0; i < n; i++) {
      x.hit[i] -= ref.hit[i];
      x.rr[i] -= ref.rr[i];
    }
    return x;
  });
  const hrDraws = scores.map(() => new Float64Array(o.resamples));
  const mrrDraws = scores.map(() => new Float64Array(o.resamples));
  const next = rng(o.seed);
  const pick = new Uint32Array(n);
  for (let b = 0; b < o.resamples; b++) {
    for (let i = 0; i < n; i++) pick[i] = Math.floor(next() * n);
    diffs.forEach((d, s) => {
      let h = 0;
      let r = 0;
      for (let i = 0; i < n; i++) {
        h += d.hit[pick[i]];
        r += d.rr[pick[i]];
      }
      hrDraws[s][b] = h / n;
      mrrDraws[s][b] = r / n;
    });
  }
  return diffs.map((d, s) => ({
    hr: d.hit.reduce((a, x) => a + x, 0) / n,
    mrr: d.rr.reduce((a, x) => a + x, 0) / n,
    hrInterval: percentileInterval(hrDraws[s], o.level),
    mrrInterval: percentileInterval(mrrDraws[s], o.level),
  }));
}
