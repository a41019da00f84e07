// --baseline DIR: our executables and job against another checkout's (DIR/dist/*.js,
// DIR/run-job.sh), same arguments, alternating run by run, outputs compared first;
// and the "before / after" table of the results.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mb, ratio, table, timeCell } from './format';
import { log } from './log';
import { removeReruns, rerun, runOnce, stats, timedRun, type RunSpec, type Sample, type Stats } from './measure';
import { sameFile } from './verify';

/** A ratio of medians (ours ÷ baseline) above this is a slowdown worth a look. */
export const BASELINE_TOLERANCE = 1.05;

export interface BeforeAfter {
  step: string;
  baseline: Stats;
  ours: Stats;
}

/** One side of a comparison: what to run, the file it writes, and what to do before each run. */
export interface Side {
  spec: RunSpec;
  output: string;
  before?: () => void;
}

/**
 * Times ours and the baseline's version of one step. First one untimed run of
 * each: their outputs must be byte-identical, or this throws before anything is
 * timed. Then `runs` timed runs of each, alternating, the order flipping every
 * round (baseline, ours, ours, baseline, ...). Ours' output file is the one of
 * its untimed run (later runs write FILE.rerun), for the caller's own checks.
 */
export function benchAgainstBaseline(label: string, runs: number, ours: Side, base: Side): { ours: Stats; baseline: Stats } {
  base.before?.();
  runOnce(base.spec);
  ours.before?.();
  runOnce(ours.spec);
  if (!sameFile(base.output, ours.output)) {
    throw new Error(
      `baseline check failed: ${label}: the baseline's output ${base.output} differs from ours ${ours.output}; ` +
        'nothing was timed (rerun with --keep to look at both)',
    );
  }
  log(`  verified: ${label}: the baseline's output is byte-identical to ours`);
  const oursSamples: Sample[] = [];
  const baseSamples: Sample[] = [];
  const round = (i: number): void => {
    const one = (): void => {
      oursSamples.push(timedRun(`ours: ${label}`, i, runs, rerun(ours.spec), ours.before));
    };
    const other = (): void => {
      baseSamples.push(timedRun(`baseline: ${label}`, i, runs, rerun(base.spec), base.before));
    };
    if (i % 2 === 0) {
      other();
      one();
    } else {
      one();
      other();
    }
  };
  for (let i = 0; i < runs; i++) round(i);
  removeReruns(ours.spec);
  removeReruns(base.spec);
  return { ours: stats(oursSamples), baseline: stats(baseSamples) };
}

/** The baseline checkout's commit, when it is a git checkout. */
function describe(dir: string): string {
  const r = spawnSync('git', ['-C', dir, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' });
  const line = r.status === 0 ? r.stdout.trim() : '';
  return line === '' ? '' : ` (commit ${line})`;
}

export function beforeAfterMd(dir: string, rows: BeforeAfter[]): string {
  return [
    '## Before / after',
    '',
    `Baseline: \`${dir}\`${describe(dir)}, its \`dist/\` executables and \`run-job.sh\` with the same ` +
      'arguments and inputs as ours. Before any run was timed, one run of each side was made and the ' +
      "baseline's output was checked to be byte-identical to ours; then the two sides alternated run by " +
      'run (baseline, ours, ours, baseline, …). "ours ÷ baseline" = our median wall time / the baseline\'s; ' +
      `above ${ratio(BASELINE_TOLERANCE)} ours is slower by more than ${Math.round((BASELINE_TOLERANCE - 1) * 100)}%.`,
    '',
    table(
      ['step', 'runs', 'baseline wall s: median (min–max)', 'ours wall s: median (min–max)', 'ours ÷ baseline', `≤ ${ratio(BASELINE_TOLERANCE)}`, 'baseline peak RSS MB', 'ours peak RSS MB'],
      rows.map((r) => {
        const x = r.ours.median / r.baseline.median;
        return [r.step, String(r.ours.runs), timeCell(r.baseline), timeCell(r.ours), ratio(x), x <= BASELINE_TOLERANCE ? 'yes' : '**no**', mb(r.baseline.rssMB), mb(r.ours.rssMB)];
      }),
    ),
  ].join('\n');
}

/** The baseline's copy of one of our dist/ executables. */
export function baselineDist(dir: string, file: string): string {
  return join(dir, 'dist', file);
}
