/**
 * Renders the job of src/job/phases.ts for the runners, so the shell scripts
 * never name a phase nor spell Hadoop arguments themselves.
 *
 *   job-plan.js plan [--files-dir DIR] [settings]
 *
 * prints the whole plan (src/job/plan.ts, docs/job-definition.md): the phases in
 * order, what each reads and writes, how the result is finished for each shuffle
 * order, and with --files-dir (where the bundles are) each phase's task commands.
 * It checks the settings with run-job.sh's messages: exit 2 is a usage error.
 *
 *   job-plan.js hadoop-args --phase ID --base DIR [--side-base URI] --input P [--input P ...]
 *               --files-dir DIR [settings]
 *
 * prints the hadoop-streaming arguments of one phase (outputs under --base,
 * the views from --input), each terminated by NUL (read them with `mapfile -d ''`).
 * `job-plan.js defaults` prints `name<TAB>value` per setting default.
 */
import * as path from 'node:path';
import { OptionSpecs, parseOptions, UsageError } from '../src/io/cli';
import { jobPhase, jobSpec, phaseStreamingArgs } from '../src/job/phases';
import { planRows, renderPlan } from '../src/job/plan';
import { ClusterTarget, emrLayout, emrSteps, shippedObjects, toApiStep } from '../src/job/emr-steps';
import { SETTINGS_OPTIONS, settingsFrom, takeRepeated } from '../src/job/plan-options';

const NAME = 'job-plan';
const SUMMARY = `Renders the job definition for the runners.
Plan: job-plan.js plan [--files-dir DIR] [options] prints the phases in order,
what each reads and writes and how the result is finished by shuffle order
(TAB-separated lines; docs/job-definition.md), with the task commands the local
runner runs (--files-dir: where the bundles are); exit 2: a bad option.
Hadoop: job-plan.js hadoop-args --phase ID --base DIR [--side-base URI]
--input P [--input P ...] --files-dir DIR [options] prints a phase's streaming
arguments, NUL-terminated (outputs in DIR/<phase output>).
EMR: job-plan.js emr-steps --run-uri s3://B/P/runs/ID [--input S3URI ...]
[--cluster new|existing] [--format cli|api] [options] prints every phase's step
as JSON for aws emr add-steps|create-cluster --steps file://...; job-plan.js
emr-layout --run-uri URI prints where a run's files go (name<TAB>uri).
job-plan.js defaults prints the settings' defaults (name<TAB>value).
Options: --reducers N, --max-path-products N, --no-combine, --node CMD,
--score count|cosine|jaccard|llr, --top N, --min-count N.`;

const FILES_DIR = { 'files-dir': { kind: 'string', help: 'directory (or URI prefix) holding the bundles' } } satisfies OptionSpecs;

/** Where the bundles are (--files-dir: a directory, or a URI prefix such as hdfs:// or s3://). */
function bundlePathOf(filesDir: string | undefined): (bundle: string) => string {
  if (filesDir === undefined) throw new UsageError('--files-dir is required');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(filesDir)
    ? (b: string) => `${filesDir.replace(/\/+$/, '')}/${b}`
    : (b: string) => path.resolve(filesDir, b);
}

/** plan: the whole plan, for every runner; with --files-dir, the task commands too. */
function planText(argv: string[]): string {
  const opts = parseOptions(argv, { ...FILES_DIR, ...SETTINGS_OPTIONS });
  const settings = settingsFrom(opts);
  const bundlePath = opts.filesDir === undefined ? undefined : bundlePathOf(opts.filesDir);
  return renderPlan(planRows(jobSpec(settings), bundlePath));
}

function hadoopArgs(argv: string[]): string[] {
  const { values: views, rest } = takeRepeated(argv, 'input');
  const opts = parseOptions(rest, {
    phase: { kind: 'string', help: "the phase's id (a phase line of the plan)" },
    base: { kind: 'string', help: "where the phases' output folders go" },
    'side-base': { kind: 'string', help: 'the same as -files names it (a full URI on a cluster; default --base)' },
    ...FILES_DIR,
    ...SETTINGS_OPTIONS,
  });
  if (opts.phase === undefined) throw new UsageError('--phase is required');
  if (views.length === 0) throw new UsageError('--input is required');
  const base = opts.base;
  if (base === undefined) throw new UsageError('--base is required');
  const bundleUris = bundlePathOf(opts.filesDir);
  const job = jobSpec(settingsFrom(opts));
  const phase = usage(() => jobPhase(job, opts.phase ?? ''));
  const sideBase = opts.sideBase ?? base;
  const under = (dir: string) => (p: { output: string }) => `${dir.replace(/\/+$/, '')}/${p.output}`;
  return usage(() => phaseStreamingArgs(job, phase, { views, output: under(base), sideOutput: under(sideBase), bundleUris }));
}

/** defaults: `name<TAB>value` for every setting that has a default. */
function defaultLines(argv: string[]): string {
  parseOptions(argv, {});
  const rows: string[] = [];
  for (const [name, spec] of Object.entries(SETTINGS_OPTIONS)) if ('default' in spec) rows.push(`${name}\t${spec.default}\n`);
  return rows.join('');
}

/**
 * emr-steps --run-uri s3://B/P/runs/ID [--input URI ...] [--cluster new|existing]
 *           [--format cli|api] [settings]
 * prints the JSON array of the phases' steps: `cli` (default) is what
 * `aws emr add-steps|create-cluster --steps file://…` read, `api` the
 * HadoopJarStep form of the EMR API and SDKs.
 */
function emrStepsJson(argv: string[]): string {
  const { values: inputs, rest } = takeRepeated(argv, 'input');
  const opts = parseOptions(rest, {
    'run-uri': { kind: 'string', help: 's3:// prefix of this run' },
    cluster: { kind: 'string', default: 'new', help: 'new or existing (sets ActionOnFailure)' },
    format: { kind: 'string', default: 'cli', help: 'cli or api' },
    ...SETTINGS_OPTIONS,
  });
  const runUri = opts.runUri;
  if (runUri === undefined) throw new UsageError('--run-uri is required');
  const cluster = opts.cluster;
  if (cluster !== 'new' && cluster !== 'existing') throw new UsageError('--cluster must be new or existing');
  const format = opts.format;
  if (format !== 'cli' && format !== 'api') throw new UsageError('--format must be cli or api');
  const target: ClusterTarget = cluster === 'new' ? 'new-cluster' : 'existing-cluster';
  const settings = settingsFrom(opts);
  const steps = usage(() => emrSteps({ runUri, inputs: inputs.length > 0 ? inputs : undefined, target, settings }));
  return `${JSON.stringify(format === 'cli' ? steps : steps.map(toApiStep), null, 2)}\n`;
}

/**
 * emr-layout --run-uri URI [settings]: prints `name<TAB>s3 uri` lines (bundles as
 * dist/<file>, each phase's output folder by its name, the result's as output),
 * then one `file<TAB>uri` line per object the steps of these settings ship with
 * -files (what the runner checks on S3 before submitting).
 */
function emrLayoutLines(argv: string[]): string {
  const opts = parseOptions(argv, { 'run-uri': { kind: 'string', help: 's3:// prefix of this run' }, ...SETTINGS_OPTIONS });
  const runUri = opts.runUri;
  if (runUri === undefined) throw new UsageError('--run-uri is required');
  const settings = settingsFrom(opts);
  const l = usage(() => emrLayout(runUri, settings));
  const rows: Array<[string, string]> = [['run', l.run], ['bootstrap', l.bootstrap], ['input', l.input]];
  for (const p of jobSpec(settings).phases) if (l.phases[p.id] !== l.output) rows.push([p.output, l.phases[p.id]]);
  rows.push(['output', l.output]);
  for (const [b, uri] of Object.entries(l.bundles)) rows.push([`dist/${b}`, uri]);
  // The cluster target changes only ActionOnFailure, not what the steps ship.
  for (const uri of shippedObjects(emrSteps({ runUri, target: 'new-cluster', settings }))) rows.push(['file', uri]);
  return rows.map(([k, v]) => `${k}\t${v}\n`).join('');
}

/** Runs f, turning its validation errors into usage errors (exit 2). */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/** Subcommands: name -> renderer of what goes to stdout. */
const COMMANDS: Record<string, (argv: string[]) => string> = {
  plan: planText,
  'hadoop-args': (argv) => hadoopArgs(argv).map((a) => `${a}\0`).join(''),
  'emr-steps': emrStepsJson,
  'emr-layout': emrLayoutLines,
  defaults: defaultLines,
};

function main(): void {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${SUMMARY}\n\nCommands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return;
  }
  try {
    const render = COMMANDS[command];
    if (render === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)} (known: ${Object.keys(COMMANDS).join(', ')})`);
    process.stdout.write(render(rest));
  } catch (e) {
    process.stderr.write(`${NAME}: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}

main();
