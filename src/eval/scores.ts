/**
 * What the evaluator can rank by (`--scores`): the job's scores (run-job.sh
 * --score, from the job's own list, so a new score of the job is evaluated
 * too) and the popularity baseline, which needs no job run.
 */
import { isScoreName, SCORES as JOB_SCORES, ScoreName } from '../core/rank/scores';
import { UsageError } from '../io/cli';

export const BASELINES = ['popularity'] as const;
/** A way to rank the lists the evaluation compares: one of the job's scores, or a baseline. */
export type RankingName = ScoreName | (typeof BASELINES)[number];
export const ALL_RANKINGS: readonly RankingName[] = [...JOB_SCORES, ...BASELINES];

export function isJobScore(s: RankingName): s is ScoreName {
  return isScoreName(s);
}

/** `--scores a,b`: known names, each once, in the order given. */
export function parseScores(text: string): RankingName[] {
  const out: RankingName[] = [];
  for (const word of text.split(',')) {
    const name = ALL_RANKINGS.find((s) => s === word.trim());
    if (name === undefined) throw new UsageError(`--scores: unknown score ${JSON.stringify(word)} (known: ${ALL_RANKINGS.join(', ')})`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** run-job.sh's words for one score's lists of `top` products. */
export function jobScoreArgs(score: ScoreName, top: number): string[] {
  return ['--score', score, '--top', String(top)];
}
