/**
 * What the evaluator can rank by: the job's scores (the ranked-lists options
 * of run-job.sh, issue #12) and the popularity baseline, which needs no job
 * run. The list is data: a new score of the job is one more name here.
 */
import { UsageError } from '../io/cli';

export const JOB_SCORES = ['count', 'cosine', 'jaccard', 'llr'] as const;
export const BASELINES = ['popularity'] as const;
export type ScoreName = (typeof JOB_SCORES)[number] | (typeof BASELINES)[number];
export const ALL_SCORES: readonly ScoreName[] = [...JOB_SCORES, ...BASELINES];

export function isJobScore(s: ScoreName): boolean {
  return (JOB_SCORES as readonly string[]).includes(s);
}

/** `--scores a,b`: known names, each once, in the order given. */
export function parseScores(text: string): ScoreName[] {
  const out: ScoreName[] = [];
  for (const word of text.split(',')) {
    const name = ALL_SCORES.find((s) => s === word.trim());
    if (name === undefined) throw new UsageError(`--scores: unknown score ${JSON.stringify(word)} (known: ${ALL_SCORES.join(', ')})`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * run-job.sh's words for one score's lists of `top` products. A run-job.sh
 * without the ranked-lists options (before issue #12) writes every pair
 * ranked by count: the evaluator ranks and cuts those itself.
 */
export function jobScoreArgs(score: ScoreName, top: number, ranked: boolean): string[] {
  if (ranked) return ['--score', score, '--top', String(top)];
  if (score !== 'count') throw new UsageError(`--scores: ${score} needs run-job.sh's --score option (issue #12); this run-job.sh ranks by count only`);
  return [];
}
