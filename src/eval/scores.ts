/**
 * What the evaluator can rank by: the job's scores (run-job.sh --score, from
 * the job's own list, so a new score of the job is evaluated too) and the
 * popularity baseline, which needs no job run.
 */
import { SCORES as JOB_SCORES } from '../core/rank/scores';
import { UsageError } from '../io/cli';

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

/** run-job.sh's words for one score's lists of `top` products. */
export function jobScoreArgs(score: ScoreName, top: number): string[] {
  return ['--score', score, '--top', String(top)];
}
