/**
 * The job options, shared by the job-plan subcommands (plan, hadoop-args,
 * emr-steps, emr-layout, defaults), checked with the messages run-job.sh prints
 * for them (job-plan.js's exit 2 is run-job.sh's usage error).
 */
import { OptionSpecs, OptionValues, UsageError } from '../io/cli';
import { isScoreName, SCORES } from '../core/rank/scores';
import { DEFAULT_SETTINGS, JobSettings } from './phases';

export const SETTINGS_OPTIONS = {
  reducers: { kind: 'string', default: String(DEFAULT_SETTINGS.reducers), help: 'reduce tasks per phase' },
  'max-path-products': { kind: 'string', default: String(DEFAULT_SETTINGS.maxPathProducts), help: 'phase-1 path cap (0 = none)' },
  'no-combine': { kind: 'flag', help: 'phase 1 emits raw weight-1 pairs' },
  node: { kind: 'string', default: DEFAULT_SETTINGS.node, help: 'command that runs a bundle on the task nodes' },
  score: { kind: 'string', default: DEFAULT_SETTINGS.score, help: `what ranks a list: ${SCORES.join(', ')}` },
  top: { kind: 'string', default: String(DEFAULT_SETTINGS.top), help: "each product's N best targets (0 = all)" },
  'min-count': { kind: 'string', default: String(DEFAULT_SETTINGS.minCount), help: 'drop pairs held by fewer paths' },
} satisfies OptionSpecs;

/** VALUE as a whole number when it matches SHAPE (and is exact in a double), else a usage error saying MESSAGE. */
function wholeNumber(value: string, shape: RegExp, message: string): number {
  const n = Number(value);
  if (!shape.test(value) || !Number.isSafeInteger(n)) throw new UsageError(message);
  return n;
}

/** "a, b, c or d" */
function oneOf(names: readonly string[]): string {
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * The settings from the options, each checked in run-job.sh's order with its
 * message: leading zeros are taken, the bounds keep the executables' numbers exact.
 */
export function settingsFrom(opts: OptionValues<typeof SETTINGS_OPTIONS>): JobSettings {
  const reducers = wholeNumber(opts.reducers, /^[1-9][0-9]*$/, '--reducers must be a positive whole number');
  wholeNumber(opts.maxPathProducts, /^[0-9]+$/, '--max-path-products must be a whole number');
  // The executables take safe integers only: a larger cap would fail in phase 1.
  const maxPathProducts = wholeNumber(opts.maxPathProducts, /^0*[0-9]{1,15}$/, '--max-path-products must be below 10^15');
  const score = opts.score;
  if (!isScoreName(score)) throw new UsageError(`--score must be ${oneOf(SCORES)}`);
  const top = wholeNumber(opts.top, /^0*[0-9]{1,9}$/, '--top must be a whole number below 10^9 (0 = all)');
  const minCount = wholeNumber(opts.minCount, /^0*[0-9]{1,15}$/, '--min-count must be a positive whole number below 10^15');
  if (minCount < 1) throw new UsageError('--min-count must be a positive whole number below 10^15');
  if (score === 'proximity' && opts.noCombine) throw new UsageError('--no-combine does not apply to --score proximity (it always combines)');
  // Streaming splits a task's command on spaces: one word.
  if (!/^[^ \t\n\v\f\r]+$/.test(opts.node)) throw new UsageError('--node must be one word (no spaces)');
  return { reducers, maxPathProducts, combine: !opts.noCombine, node: opts.node, score, top, minCount };
}

/** Pulls every `--name V` / `--name=V` out of argv (a repeatable option). */
export function takeRepeated(argv: string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}`) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      values.push(argv[++i]);
    } else if (a.startsWith(`--${name}=`)) values.push(a.slice(name.length + 3));
    else rest.push(a);
  }
  return { values, rest };
}
