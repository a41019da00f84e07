/**
 * Renders the streaming phases of src/job/phases.ts for the runners, so the
 * shell scripts never spell Hadoop arguments themselves.
 *
 *   job-plan.js hadoop-args --phase 1|supports|2 --input P [--input P ...] --output P
 *               --files-dir DIR [--supports-output P] [settings]
 *
 * prints the hadoop-streaming arguments, each terminated by NUL (read them in
 * bash with `mapfile -d ''`).
 *
 *   job-plan.js local-phase --phase 1|supports|2 --files-dir DIR [settings]
 *
 * prints what the local runner runs for a phase, one `key<TAB>word<TAB>word...`
 * line each: mapper, reducer, combiner (when the phase has one), key-fields, and
 * reducer-memory (the reducer's option for its share of --memory, in MiB) when it has one.
 * `job-plan.js defaults` prints `name<TAB>value` per setting default.
 */
import * as path from 'node:path';
import { OptionSpecs, parseOptions, UsageError } from '../src/io/cli';
import { commandWords, PhaseId, phaseById, PhaseSpec, phaseSpecs, streamingArgs } from '../src/job/phases';
import { ClusterTarget, emrLayout, emrSteps, shippedObjects, toApiStep } from '../src/job/emr-steps';
import { SETTINGS_OPTIONS, settingsFrom, takeRepeated } from '../src/job/plan-options';

const NAME = 'job-plan';
const SUMMARY = `Prints the streaming arguments of a phase: job-plan.js hadoop-args --phase 1|supports|2
--input P [--input P ...] --output P --files-dir DIR [options]; arguments are
NUL-terminated.
EMR: job-plan.js emr-steps --run-uri s3://B/P/runs/ID [--input S3URI ...]
[--cluster new|existing] [--format cli|api] [options] prints both steps as JSON
for aws emr add-steps|create-cluster --steps file://...; job-plan.js emr-layout
--run-uri URI prints where a run's files go (name<TAB>uri).
Local runner: job-plan.js local-phase --phase 1|supports|2 --files-dir DIR
[options] prints its commands (key<TAB>word<TAB>...), nothing for a phase the
job lacks; job-plan.js phases prints the job's phases; job-plan.js defaults
prints the settings' defaults (name<TAB>value).
Options: --reducers N, --max-path-products N, --no-combine, --node CMD,
--score count|cosine|jaccard|llr, --top N, --min-count N; hadoop-args of
phase 2 with a score: --supports-output DIR (the supports phase's output).`;

const PHASE_OPTIONS = {
  phase: { kind: 'string', help: '1, supports or 2 (the supports phase exists with a score other than count)' },
  'files-dir': { kind: 'string', help: 'directory (or URI prefix) holding the bundles' },
} satisfies OptionSpecs;

/** The --phase of hadoop-args and local-phase, checked. */
function phaseId(phase: string | undefined): PhaseId {
  if (phase === '1') return 1;
  if (phase === '2') return 2;
  if (phase === 'supports') return 'supports';
  throw new UsageError('--phase must be 1, supports or 2');
}

/** Where the bundles are (--files-dir: a directory, or a URI prefix such as hdfs:// or s3://). */
function bundlePathOf(filesDir: string | undefined): (bundle: string) => string {
  if (filesDir === undefined) throw new UsageError('--files-dir is required');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(filesDir)
    ? (b: string) => `${filesDir.replace(/\/+$/, '')}/${b}`
    : (b: string) => path.resolve(filesDir, b);
}

function hadoopArgs(argv: string[]): string[] {
  const { values: inputs, rest } = takeRepeated(argv, 'input');
  const opts = parseOptions(rest, {
    ...PHASE_OPTIONS,
    output: { kind: 'string', help: 'output directory' },
    'supports-output': { kind: 'string', help: "the supports phase's output directory (phase 2 with a score)" },
    ...SETTINGS_OPTIONS,
  });
  const id = phaseId(opts.phase);
  if (inputs.length === 0) throw new UsageError('--input is required');
  if (opts.output === undefined) throw new UsageError('--output is required');
  const bundleUris = bundlePathOf(opts.filesDir);
  const spec = phaseOf(phaseSpecs(settingsFrom(opts)), id);
  const supportsOutput = opts.supportsOutput;
  const sideFileUris = supportsOutput === undefined ? undefined : () => `${supportsOutput.replace(/\/+$/, '')}/part-00000`;
  return usage(() => streamingArgs(spec, { inputs, output: opts.output ?? '', bundleUris, sideFileUris }));
}

/** The phase `id` of the job, or a usage error naming the settings that make it. */
function phaseOf(specs: readonly PhaseSpec[], id: PhaseId): PhaseSpec {
  const spec = phaseById(specs, id);
  if (spec === undefined) throw new UsageError(`this job has no phase ${id} (the supports phase runs with --score other than count)`);
  return spec;
}

/** local-phase: the local runner's commands of one phase, as TAB-separated words. */
function localPhaseLines(argv: string[]): string {
  const opts = parseOptions(argv, { ...PHASE_OPTIONS, ...SETTINGS_OPTIONS });
  const id = phaseId(opts.phase);
  const bundlePath = bundlePathOf(opts.filesDir);
  const spec = phaseById(phaseSpecs(settingsFrom(opts)), id);
  // Not a phase of this job: nothing to run.
  if (spec === undefined) return '';
  const rows: string[][] = [
    ['mapper', ...commandWords(spec, spec.mapper, bundlePath)],
    ['reducer', ...commandWords(spec, spec.reducer, bundlePath)],
  ];
  if (spec.combiner) rows.push(['combiner', ...commandWords(spec, spec.combiner, bundlePath)]);
  rows.push(['key-fields', String(spec.keyFields)]);
  if (spec.partitionFields > 0) rows.push(['partition-fields', String(spec.partitionFields)]);
  if (spec.fixedReducers !== undefined) rows.push(['reducers', String(spec.fixedReducers)]);
  for (const f of spec.sideFiles) rows.push(['side-file', f.name, String(f.from)]);
  if (spec.reducerMemoryOption !== undefined) rows.push(['reducer-memory', spec.reducerMemoryOption]);
  return rows.map((r) => `${r.join('\t')}\n`).join('');
}

/** phases: the job's phase ids in order, one a line. */
function phaseLines(argv: string[]): string {
  const opts = parseOptions(argv, SETTINGS_OPTIONS);
  return phaseSpecs(settingsFrom(opts)).map((p) => `${p.id}\n`).join('');
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
 * prints the JSON array of both phases' steps: `cli` (default) is what
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
  const steps = usage(() =>
    emrSteps({ runUri, inputs: inputs.length > 0 ? inputs : undefined, target, settings: settingsFrom(opts) }),
  );
  return `${JSON.stringify(format === 'cli' ? steps : steps.map(toApiStep), null, 2)}\n`;
}

/**
 * emr-layout --run-uri URI [settings]: prints `name<TAB>s3 uri` lines (bundles as
 * dist/<file>), then one `file<TAB>uri` line per object the steps of these
 * settings ship with -files (what the runner checks on S3 before submitting).
 */
function emrLayoutLines(argv: string[]): string {
  const opts = parseOptions(argv, { 'run-uri': { kind: 'string', help: 's3:// prefix of this run' }, ...SETTINGS_OPTIONS });
  const runUri = opts.runUri;
  if (runUri === undefined) throw new UsageError('--run-uri is required');
  const l = usage(() => emrLayout(runUri));
  const rows: Array<[string, string]> = [['run', l.run], ['bootstrap', l.bootstrap], ['input', l.input], ['phase1', l.phase1], ['supports', l.supports], ['output', l.output]];
  for (const [b, uri] of Object.entries(l.bundles)) rows.push([`dist/${b}`, uri]);
  // The cluster target changes only ActionOnFailure, not what the steps ship.
  for (const uri of shippedObjects(emrSteps({ runUri, target: 'new-cluster', settings: settingsFrom(opts) }))) rows.push(['file', uri]);
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
  'hadoop-args': (argv) => hadoopArgs(argv).map((a) => `${a}\0`).join(''),
  'emr-steps': emrStepsJson,
  'emr-layout': emrLayoutLines,
  'local-phase': localPhaseLines,
  phases: phaseLines,
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
