/**
 * The scores a list can be ranked by, from a pair's count c and the supports
 * n(a), n(b) (kept paths holding each product) and N (kept paths):
 * count = c; cosine = c / sqrt(n(a) n(b)); jaccard = c / (n(a) + n(b) - c);
 * llr = Dunning's G², computed exactly as Mahout's
 * LogLikelihood.logLikelihoodRatio(k11, k12, k21, k22).
 * proximity needs no supports: it is the sum over paths of 1 / d(a, b), made in
 * phase 1 from the views' order (docs/scores.md, src/core/pairs/proximity.ts).
 */

export const SCORES = ['count', 'cosine', 'jaccard', 'llr', 'proximity'] as const;
export type ScoreName = (typeof SCORES)[number];

export function isScoreName(s: string): s is ScoreName {
  return (SCORES as readonly string[]).includes(s);
}

/** Whether the score needs the supports (and the 4th output column). */
export function needsSupports(score: ScoreName): boolean {
  return score !== 'count' && score !== 'proximity';
}

/** Whether the score needs the views' order (a third input column). */
export function needsOrder(score: ScoreName): boolean {
  return score === 'proximity';
}

function xLogX(x: number): number {
  return x === 0 ? 0 : x * Math.log(x);
}

function entropy2(a: number, b: number): number {
  return xLogX(a + b) - xLogX(a) - xLogX(b);
}

function entropy4(a: number, b: number, c: number, d: number): number {
  return xLogX(a + b + c + d) - xLogX(a) - xLogX(b) - xLogX(c) - xLogX(d);
}

/** Mahout's logLikelihoodRatio, term for term (0 where rounding makes it negative). */
export function logLikelihoodRatio(k11: number, k12: number, k21: number, k22: number): number {
  if (!(k11 >= 0 && k12 >= 0 && k21 >= 0 && k22 >= 0)) {
    throw new RangeError(`negative cell in the 2x2 table (${k11}, ${k12}, ${k21}, ${k22}): supports inconsistent with the counts`);
  }
  const rowEntropy = entropy2(k11, k12) + entropy2(k21, k22);
  const columnEntropy = entropy2(k11, k21) + entropy2(k12, k22);
  const matrixEntropy = entropy4(k11, k12, k21, k22);
  if (rowEntropy + columnEntropy > matrixEntropy) return 0;
  return 2 * (matrixEntropy - rowEntropy - columnEntropy);
}

/** A pair's score: c its count, na and nb the supports of source and target, total the kept paths. */
export function scoreOf(score: ScoreName, c: number, na: number, nb: number, total: number): number {
  switch (score) {
    case 'count':
      return c;
    case 'cosine':
      return c / Math.sqrt(na * nb);
    case 'jaccard':
      return c / (na + nb - c);
    case 'llr':
      return logLikelihoodRatio(c, na - c, nb - c, total - na - nb + c);
    case 'proximity':
      throw new Error('proximity is summed from the views\' order in phase 1, not computed from the supports');
  }
}

/**
 * The score column's text: the shortest decimal that reads back as the same
 * double (ECMAScript's Number#toString: locale-free, '.' as the point, an
 * exponent such as 1.5e-7 below 1e-6), so a database ranks by exactly the
 * job's values.
 */
export function formatScore(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`score is not finite: ${x}`);
  return String(x);
}
