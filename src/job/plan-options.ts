/** Options shared by the job-plan subcommands (hadoop-args, emr-steps, local-phase, defaults). */
import { OptionSpecs, OptionValues, UsageError } from '../io/cli';
import { isScoreName, SCORES } from '../core/rank/scores';
import { DEFAULT_SETTINGS, JobSettings } from './phases';

export const SETTINGS_OPTIONS = {
  reducers: { kind: 'int', min: 1, default: DEFAULT_SETTINGS.reducers, help: 'reduce tasks per phase' },
  'max-path-products': { kind: 'int', min: 0, default: DEFAULT_SETTINGS.maxPathProducts, help: 'phase-1 path cap (0 = none)' },
  'no-combine': { kind: 'flag', help: 'phase 1 emits raw weight-1 pairs' },
  node: { kind: 'string', default: DEFAULT_SETTINGS.node, help: 'command that runs a bundle on the task nodes' },
  score: { kind: 'string', default: DEFAULT_SETTINGS.score, help: `what ranks a list: ${SCORES.join(', ')}` },
  top: { kind: 'int', min: 0, default: DEFAULT_SETTINGS.top, help: "each product's N best targets (0 = all)" },
  'min-count': { kind: 'int', min: 1, default: DEFAULT_SETTINGS.minCount, help: 'drop pairs held by fewer paths' },
} satisfies OptionSpecs;

export function settingsFrom(opts: OptionValues<typeof SETTINGS_OPTIONS>): JobSettings {
  const score = opts.score;
  if (!isScoreName(score)) throw new UsageError(`--score must be one of ${SCORES.join(', ')}`);
  return { reducers: opts.reducers, maxPathProducts: opts.maxPathProducts, combine: !opts.noCombine, node: opts.node, score, top: opts.top, minCount: opts.minCount };
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

